import { fromHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { DataSetDecodeError } from '../data-set/errors.js';
import { textDecoding } from './character-sets.js';
import { decodeValue } from './decode-value.js';

const LE = { littleEndian: true };
const BE = { littleEndian: false };
const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));

describe('decodeValue', () => {
  it('unpads and splits character values (PS3.5 6.2, 6.4)', () => {
    expect(decodeValue('CS', ascii('ORIGINAL\\PRIMARY '), LE)).toEqual({
      vr: 'CS',
      Value: ['ORIGINAL', 'PRIMARY'],
    });
    expect(decodeValue('UI', ascii('1.2.3\0'), LE)).toEqual({ vr: 'UI', Value: ['1.2.3'] });
    expect(decodeValue('DS', ascii('2.50\\\\-1 '), LE)).toEqual({
      vr: 'DS',
      Value: ['2.50', '', '-1'],
    });
    expect(decodeValue('LT', ascii('a\\b  '), LE)).toEqual({ vr: 'LT', Value: ['a\\b'] });
    expect(decodeValue('UR', ascii('http://x/a\\b '), LE)).toEqual({
      vr: 'UR',
      Value: ['http://x/a\\b'],
    });
    expect(decodeValue('LO', ascii('  '), LE)).toEqual({ vr: 'LO' });
    expect(decodeValue('SH', new Uint8Array(0), LE)).toEqual({ vr: 'SH' });
  });

  it('splits PN into component groups (PS3.5 6.2.1)', () => {
    const text = textDecoding(['ISO_IR 192']);
    const value = new Uint8Array(Buffer.from('Yamada^Tarou=山田^太郎=やまだ^たろう\\Doe ', 'utf8'));
    expect(decodeValue('PN', value, { littleEndian: true, text })).toEqual({
      vr: 'PN',
      Value: [
        { Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' },
        { Alphabetic: 'Doe' },
      ],
    });
    expect(decodeValue('PN', ascii('==  '), LE)).toEqual({ vr: 'PN' });
  });

  it('decodes text VRs in the Specific Character Set, the others in the default repertoire', () => {
    const latin1 = textDecoding(['ISO_IR 100']);
    expect(decodeValue('LO', Uint8Array.of(0x4d, 0xfc), { ...LE, text: latin1 })).toEqual({
      vr: 'LO',
      Value: ['Mü'],
    });
    const utf8 = textDecoding(['ISO_IR 192']);
    expect(decodeValue('CS', Uint8Array.of(0xc3, 0xbc), { ...LE, text: utf8 })).toEqual({
      vr: 'CS',
      Value: ['Ã¼'],
    });
  });

  it('reads numbers in the byte order of the stream (PS3.5 7.3)', () => {
    expect(decodeValue('US', fromHex('0100 FFFF'), LE)).toEqual({ vr: 'US', Value: [1, 65535] });
    expect(decodeValue('US', fromHex('0100'), BE)).toEqual({ vr: 'US', Value: [256] });
    expect(decodeValue('SS', fromHex('FFFF'), LE)).toEqual({ vr: 'SS', Value: [-1] });
    expect(decodeValue('UL', fromHex('00000080'), LE)).toEqual({ vr: 'UL', Value: [2 ** 31] });
    expect(decodeValue('SL', fromHex('FFFFFFFB'), BE)).toEqual({ vr: 'SL', Value: [-5] });
    expect(decodeValue('FL', fromHex('0000C03F'), LE)).toEqual({ vr: 'FL', Value: [1.5] });
    expect(decodeValue('FD', fromHex('3FF8000000000000'), BE)).toEqual({ vr: 'FD', Value: [1.5] });
    expect(decodeValue('UV', fromHex('FFFFFFFFFFFFFFFF'), LE)).toEqual({
      vr: 'UV',
      Value: [18446744073709551615n],
    });
    expect(decodeValue('SV', fromHex('FFFFFFFFFFFFFFFE'), BE)).toEqual({ vr: 'SV', Value: [-2n] });
    expect(decodeValue('AT', fromHex('18006310 2800 1000'), LE)).toEqual({
      vr: 'AT',
      Value: ['00181063', '00280010'],
    });
  });

  it('gives binary values in Little Endian order, a view when no swap is needed', () => {
    const bytes = fromHex('01020304');
    const little = decodeValue('OW', bytes, LE);
    expect(little.InlineBinary?.buffer).toBe(bytes.buffer);
    expect(decodeValue('OW', bytes, BE).InlineBinary).toEqual(fromHex('02010403'));
    expect(decodeValue('OF', bytes, BE).InlineBinary).toEqual(fromHex('04030201'));
    expect(decodeValue('OB', bytes, BE).InlineBinary).toEqual(bytes);
    expect(bytes).toEqual(fromHex('01020304')); // the input is left alone
  });

  it('refuses a binary value that is not a whole number of its size', () => {
    expect(() => decodeValue('UL', fromHex('0102'), LE)).toThrow(DataSetDecodeError);
    expect(() => decodeValue('OW', fromHex('010203'), BE)).toThrow(/words/);
    expect(() => decodeValue('SQ', fromHex('0102'), LE)).toThrow(/SQ/);
  });
});
