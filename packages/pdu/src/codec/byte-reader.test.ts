import { fromHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { MalformedPduError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';

describe('ByteReader', () => {
  it('reads big-endian integers from a view with a byteOffset', () => {
    const backing = fromHex('ff ff 01 0203 04050607 0809 ff');
    const reader = new ByteReader(backing.subarray(2, 11), 1);
    expect([reader.uint8(), reader.uint16be(), reader.uint32be()]).toEqual([1, 0x0203, 0x04050607]);
    expect(reader.bytes(2)).toEqual(fromHex('0809'));
    expect(reader.isAtEnd).toBe(true);
  });

  it('throws MalformedPduError, never RangeError, past the end, with PDU offsets', () => {
    const reader = new ByteReader(fromHex('01 02 03'), 4);
    reader.skip(1);
    for (const read of [
      () => reader.uint32be(),
      () => reader.bytes(3),
      () => reader.ascii(9),
      () => reader.skip(5),
    ]) {
      expect(read).toThrow(MalformedPduError);
    }
    try {
      reader.uint32be();
    } catch (error) {
      expect(error).toMatchObject({ pduType: 4, offset: 7 });
    }
    expect(reader.uint16be()).toBe(0x0203);
  });

  it('splits off sub-readers that report offsets within the PDU and refuse overruns', () => {
    const reader = new ByteReader(fromHex('aa 0003 616263 bb'), 1);
    reader.skip(1);
    const sub = reader.sub(reader.uint16be());
    expect(sub.offset).toBe(9);
    expect(sub.ascii(3)).toBe('abc');
    expect(reader.uint8()).toBe(0xbb);
    expect(() => new ByteReader(fromHex('0102'), 1).sub(3)).toThrow(MalformedPduError);
  });

  it('reads bytes above 7FH as single characters', () => {
    expect(new ByteReader(fromHex('41 e9 ff'), 1).ascii(3)).toBe('A\u00e9\u00ff');
  });
});

describe('ByteWriter', () => {
  it('grows and backfills 16- and 32-bit lengths', () => {
    const writer = new ByteWriter(1);
    const outer = writer.reserveUint32();
    writer.uint8(1);
    const inner = writer.reserveUint16();
    writer.bytes(new Uint8Array(300).fill(7));
    writer.fillUint16Length(inner, 'inner');
    writer.zeros(2);
    writer.ascii('AB');
    writer.fillUint32Length(outer, 'outer');
    const bytes = writer.finish();
    expect(bytes.byteLength).toBe(4 + 1 + 2 + 300 + 2 + 2);
    const reader = new ByteReader(bytes, 1, 0);
    expect([reader.uint32be(), reader.uint8(), reader.uint16be()]).toEqual([307, 1, 300]);
  });

  it('refuses a length that does not fit its field', () => {
    const writer = new ByteWriter();
    const position = writer.reserveUint16();
    writer.zeros(0x10000);
    expect(() => writer.fillUint16Length(position, 'item')).toThrow(/item: 65536 bytes/);
  });
});
