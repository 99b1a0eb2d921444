import { fromHex, toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import type { DataElement } from '../data-set/data-set.js';
import { encodeValue } from './encode-value.js';

// Expected bytes written by hand from PS3.5 6.2 (VRs), 6.4 (backslash), 7.3 (byte order).
const le = (element: DataElement): string => toHex(encodeValue(element, true));
const be = (element: DataElement): string => toHex(encodeValue(element, false));

describe('encodeValue', () => {
  it('joins strings with backslash and pads with a space, UI with a NUL (PS3.5 6.2, 6.4)', () => {
    expect(le({ vr: 'CS', Value: ['A', 'BCD'] })).toBe('415c42434420'); // "A\BCD "
    expect(le({ vr: 'UI', Value: ['1.2.3'] })).toBe('312e322e3300'); // "1.2.3\0"
    expect(le({ vr: 'LO', Value: ['ID-1', '', 'ID-3'] })).toBe(
      toHex(Buffer.from('ID-1\\\\ID-3')), // 10 bytes: even
    );
    expect(le({ vr: 'SH', Value: ['AB'] })).toBe('4142'); // even: no pad
  });

  it('writes text as UTF-8, padded after the last byte', () => {
    expect(le({ vr: 'LO', Value: ['Ö'] })).toBe('c396'); // 2 bytes: even
    expect(le({ vr: 'LO', Value: ['Öa'] })).toBe('c3966120');
  });

  it('keeps backslashes of single-valued text (PS3.5 6.2: LT, ST, UT, UR)', () => {
    expect(le({ vr: 'ST', Value: ['a\\b'] })).toBe('615c6220');
  });

  it('writes IS and DS strings exactly and numbers in decimal', () => {
    expect(le({ vr: 'DS', Value: [' 2.0'] })).toBe(toHex(Buffer.from(' 2.0')));
    expect(le({ vr: 'DS', Value: [0.5, -12] })).toBe(toHex(Buffer.from('0.5\\-12 ')));
    expect(le({ vr: 'IS', Value: [42, '-7'] })).toBe(toHex(Buffer.from('42\\-7 ')));
  });

  it('writes PN component groups separated by "=" and drops trailing empty groups', () => {
    expect(
      le({ vr: 'PN', Value: [{ Alphabetic: 'A^B', Phonetic: 'p' }, {}, { Alphabetic: 'C' }] }),
    ).toBe(toHex(Buffer.from('A^B==p\\\\C ')));
  });

  it('writes numbers in either byte order', () => {
    expect(le({ vr: 'US', Value: [1, 0xabcd] })).toBe('0100cdab');
    expect(be({ vr: 'US', Value: [1, 0xabcd] })).toBe('0001abcd');
    expect(le({ vr: 'SS', Value: [-2] })).toBe('feff');
    expect(be({ vr: 'UL', Value: [0x01020304] })).toBe('01020304');
    expect(le({ vr: 'SL', Value: [-1] })).toBe('ffffffff');
    expect(be({ vr: 'FL', Value: [1.5] })).toBe('3fc00000');
    expect(le({ vr: 'FD', Value: [-2] })).toBe('00000000000000c0');
    expect(be({ vr: 'UV', Value: [2n ** 64n - 1n] })).toBe('ffffffffffffffff');
    expect(le({ vr: 'SV', Value: [-2n] })).toBe('feffffffffffffff');
    expect(be({ vr: 'SV', Value: [258] })).toBe('0000000000000102');
  });

  it('writes AT as group then element, each in the byte order (PS3.5 6.2)', () => {
    expect(le({ vr: 'AT', Value: ['00181063'] })).toBe('18006310');
    expect(be({ vr: 'AT', Value: ['00181063'] })).toBe('00181063');
  });

  it('swaps OW/OF/OD/OL/OV words for Big Endian and leaves the model untouched', () => {
    const bytes = fromHex('01020304');
    expect(be({ vr: 'OW', InlineBinary: bytes })).toBe('02010403');
    expect(be({ vr: 'OF', InlineBinary: bytes })).toBe('04030201');
    expect(be({ vr: 'OB', InlineBinary: bytes })).toBe('01020304');
    expect(toHex(bytes)).toBe('01020304');
  });

  it('returns even Little Endian binary values as the same view, pads odd ones with NUL', () => {
    const bytes = fromHex('0102030405060708').subarray(2, 6);
    expect(encodeValue({ vr: 'OW', InlineBinary: bytes }, true)).toBe(bytes);
    expect(le({ vr: 'OB', InlineBinary: fromHex('010203') })).toBe('01020300');
    expect(le({ vr: 'UN', InlineBinary: fromHex('ff') })).toBe('ff00');
  });

  it('writes empty elements as no bytes', () => {
    for (const vr of ['LO', 'UI', 'US', 'OB', 'PN', 'AT', 'UV'])
      expect(encodeValue({ vr }, true).byteLength).toBe(0);
    expect(encodeValue({ vr: 'LO', Value: [''] }, true).byteLength).toBe(0);
  });
});
