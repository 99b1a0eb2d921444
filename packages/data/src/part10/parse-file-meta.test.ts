import { describe, expect, it } from 'vitest';
import { parsePart10Header } from './parse-file-meta.js';

/** One Explicit VR Little Endian element of group 0002 (PS3.10 §7.1: always this syntax). */
function element(tag: number, vr: string, value: Uint8Array): Uint8Array {
  const long = vr === 'OB';
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(0x0002, 0);
  header.writeUInt16LE(tag & 0xffff, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(value.byteLength, 8);
  else header.writeUInt16LE(value.byteLength, 6);
  return Buffer.concat([header, value]);
}

const latin1 = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** Preamble, `DICM`, the group length, then `elements`. */
function part10Header(elements: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(elements);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.byteLength, 0);
  return Buffer.concat([
    Buffer.alloc(128),
    latin1('DICM'),
    element(0x00020000, 'UL', length),
    body,
  ]);
}

describe('parsePart10Header text values', () => {
  it('drops trailing NUL and space padding, keeps Latin-1, trims leading spaces of names', () => {
    const longUid = `1.${'2'.repeat(296)}.3`; // beyond the byte-by-byte length: the other path
    const bytes = part10Header([
      element(0x00020001, 'OB', Uint8Array.of(0, 1)),
      element(0x00020002, 'UI', latin1('1.2.3\0')),
      element(0x00020003, 'UI', latin1('1.2.3.4 ')),
      element(0x00020010, 'UI', latin1('1.2.840.10008.1.2.1\0')),
      element(0x00020012, 'UI', latin1('1.2.5\0\0 \0')),
      element(0x00020013, 'SH', latin1(' VERSION\xe9 ')),
      element(0x00020016, 'AE', latin1('  ')),
      element(0x00020100, 'UI', latin1(`${longUid}\0 `)),
    ]);
    const parsed = parsePart10Header(bytes, true);
    if (!('header' in parsed)) throw new Error('expected a whole header');
    expect(parsed.header.dataSetOffset).toBe(bytes.byteLength);
    expect(parsed.header.meta).toMatchObject({
      mediaStorageSopClassUid: '1.2.3',
      mediaStorageSopInstanceUid: '1.2.3.4',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      implementationClassUid: '1.2.5',
      implementationVersionName: 'VERSION\xe9',
      sourceApplicationEntityTitle: '',
      privateInformationCreatorUid: longUid,
      otherElements: [],
    });
  });

  it('refuses a required UID that is only padding', () => {
    const bytes = part10Header([
      element(0x00020002, 'UI', latin1('\0\0')),
      element(0x00020003, 'UI', latin1('1.2\0')),
      element(0x00020010, 'UI', latin1('1.2.840.10008.1.2.1\0')),
    ]);
    expect(() => parsePart10Header(bytes, true)).toThrow(/Media Storage SOP Class UID/);
  });
});
