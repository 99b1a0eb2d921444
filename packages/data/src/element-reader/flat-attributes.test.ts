import { describe, expect, it } from 'vitest';
import { AttributeCollector, type AttributeTag } from './attribute-collector.js';
import { ElementParser } from './element-parser.js';
import { readFlatAttributes as readFlat } from './flat-attributes.js';
import { drain } from './read-attributes.js';
import { VALUE_REPRESENTATIONS } from '../data-set/value-representation.js';

const EXPLICIT_LITTLE = { explicitVr: true, littleEndian: true };
const IMPLICIT_LITTLE = { explicitVr: false, littleEndian: true };

/** One Explicit VR Little Endian element (PS3.5 7.1.2); `length` overrides the value's. */
function explicit(tag: number, vr: string, value: Uint8Array | string, length?: number): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value);
  const long = VALUE_REPRESENTATIONS[vr]?.longLength === true;
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(tag >>> 16, 0);
  header.writeUInt16LE(tag & 0xffff, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(length ?? bytes.byteLength, 8);
  else header.writeUInt16LE(length ?? bytes.byteLength, 6);
  return Buffer.concat([header, bytes]);
}

/** One Implicit VR Little Endian element (PS3.5 7.1.3). */
function implicit(tag: number, value: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(tag >>> 16, 0);
  header.writeUInt16LE(tag & 0xffff, 2);
  header.writeUInt32LE(value.byteLength, 4);
  return Buffer.concat([header, value]);
}

/** The whole data set, values as views. */
const readFlatAttributes = (
  bytes: Uint8Array,
  encoding: typeof EXPLICIT_LITTLE,
  tags: readonly AttributeTag[],
  maxValueBytes?: number,
): ReturnType<typeof readFlat> =>
  readFlat(
    bytes,
    encoding,
    tags,
    maxValueBytes === undefined ? {} : { maxValueBytes },
    true,
    false,
  );

const u32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};

const data = (...elements: Buffer[]): Uint8Array => new Uint8Array(Buffer.concat(elements));

/** What the ElementParser and AttributeCollector read, or the error they throw. */
function general(
  bytes: Uint8Array,
  encoding: typeof EXPLICIT_LITTLE,
  tags: readonly AttributeTag[],
  maxValueBytes?: number,
): unknown {
  const options = maxValueBytes === undefined ? {} : { maxValueBytes };
  const collector = new AttributeCollector(tags, options);
  const parser = new ElementParser(encoding, collector.parserOptions);
  parser.push(bytes);
  parser.end();
  try {
    drain(parser, collector);
    return collector.result(encoding.littleEndian);
  } catch (error) {
    return error;
  }
}

const PLAIN = data(
  explicit(0x00080005, 'CS', 'ISO_IR 192'),
  explicit(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7\0'),
  explicit(0x00080020, 'DA', '20250101'),
  explicit(0x00100010, 'PN', Buffer.from('Müller^Jörg ', 'utf8')),
  explicit(0x00100020, 'LO', Buffer.from('Jörg ', 'utf8')),
  explicit(0x00280010, 'US', new Uint8Array([0x40, 0x00])),
  explicit(0x7fe00010, 'OW', new Uint8Array(4096)),
);

describe('readFlatAttributes', () => {
  it('reads a plain data set as the ElementParser does, text in its Specific Character Set', () => {
    const tags = [0x00080016, 0x00080020, 0x00100010, 0x00100020, 0x00280010, 0x00200013];
    const flat = readFlatAttributes(PLAIN, EXPLICIT_LITTLE, tags);
    expect(flat).toEqual(general(PLAIN, EXPLICIT_LITTLE, tags));
    expect(flat?.['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Müller^Jörg' }] });
    expect(flat?.['00100020']).toEqual({ vr: 'LO', Value: ['Jörg'] });
    expect(flat?.['00080016']).toEqual({ vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] });
  });

  it('skips Pixel Data without reading it, and returns a requested one as a view', () => {
    const flat = readFlatAttributes(PLAIN, EXPLICIT_LITTLE, [0x7fe00010]);
    const pixels = flat?.['7FE00010']?.InlineBinary;
    expect(pixels?.byteLength).toBe(4096);
    expect(pixels?.buffer).toBe(PLAIN.buffer);
    expect(readFlatAttributes(PLAIN, EXPLICIT_LITTLE, [0x00080020])).toEqual({
      '00080020': { vr: 'DA', Value: ['20250101'] },
    });
  });

  it('stops after the last requested tag: what follows it is not looked at', () => {
    const bytes = data(explicit(0x00080020, 'DA', '20250101'), Buffer.from([1, 2, 3]));
    expect(readFlatAttributes(bytes, EXPLICIT_LITTLE, [0x00080020])).toEqual({
      '00080020': { vr: 'DA', Value: ['20250101'] },
    });
  });

  it('reads "US or SS" as SS after a Pixel Representation of 1 in Implicit VR', () => {
    const bytes = data(
      implicit(0x00280103, new Uint8Array([1, 0])),
      implicit(0x00280106, new Uint8Array([0xfe, 0xff])),
    );
    const flat = readFlatAttributes(bytes, IMPLICIT_LITTLE, [0x00280106]);
    expect(flat).toEqual({ '00280106': { vr: 'SS', Value: [-2] } });
    expect(flat).toEqual(general(bytes, IMPLICIT_LITTLE, [0x00280106]));
  });

  it('given the first bytes only, gives up when they end before the last requested tag', () => {
    const tags = [0x00080016, 0x00080020];
    const first = PLAIN.subarray(0, 52); // just past (0008,0016)
    expect(readFlat(first, EXPLICIT_LITTLE, tags, {}, false, false)).toBeUndefined();
    expect(readFlat(first, EXPLICIT_LITTLE, tags, {}, true, false)).toEqual(
      general(first, EXPLICIT_LITTLE, tags),
    );
    expect(readFlat(PLAIN.subarray(0, 68), EXPLICIT_LITTLE, tags, {}, false, false)).toEqual(
      general(PLAIN, EXPLICIT_LITTLE, tags),
    );
  });

  it('copies binary values when asked to', () => {
    const view = readFlat(PLAIN, EXPLICIT_LITTLE, [0x7fe00010], {}, true, false);
    const copy = readFlat(PLAIN, EXPLICIT_LITTLE, [0x7fe00010], {}, true, true);
    expect(copy?.['7FE00010']?.InlineBinary?.buffer).not.toBe(PLAIN.buffer);
    expect(copy).toEqual(view);
  });

  it('passes a sequence not asked for, of defined or undefined length, as the parser walks it', () => {
    const item = (...elements: Buffer[]): Buffer => {
      const content = Buffer.concat(elements);
      return Buffer.concat([
        implicit(0xfffee000, new Uint8Array(0)).subarray(0, 4),
        u32(content.byteLength),
        content,
      ]);
    };
    const items = Buffer.concat([item(explicit(0x00081150, 'UI', '1.2.3\0')), item()]);
    const end = implicit(0xfffee0dd, new Uint8Array(0));
    const tags = [0x00080020, 0x00100010];
    for (const sequence of [
      explicit(0x00081110, 'SQ', items),
      explicit(0x00081110, 'SQ', Buffer.concat([items, end]), 0xffffffff),
    ]) {
      const bytes = data(
        explicit(0x00080020, 'DA', '20250101'),
        sequence,
        explicit(0x00100010, 'PN', 'Doe^John'),
      );
      const flat = readFlatAttributes(bytes, EXPLICIT_LITTLE, tags);
      expect(flat?.['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }] });
      expect(flat).toEqual(general(bytes, EXPLICIT_LITTLE, tags));
      // Its first bytes alone: the sequence does not end within them.
      const first = bytes.subarray(0, 30);
      expect(readFlat(first, EXPLICIT_LITTLE, tags, {}, false, false)).toBeUndefined();
      // Nested deeper than maxDepth: refused by the parser, so given up.
      expect(readFlat(bytes, EXPLICIT_LITTLE, tags, { maxDepth: 0 }, true, false)).toBeUndefined();
      const broken = new Uint8Array(bytes);
      broken[16 + 12] = 0x00; // the item tag
      expect(readFlatAttributes(broken, EXPLICIT_LITTLE, tags)).toBeUndefined();
      expect(general(broken, EXPLICIT_LITTLE, tags)).toMatchObject({
        code: 'DICOMNET_DATASET_MALFORMED',
      });
    }
  });

  it.each([
    ['a sequence', data(explicit(0x00081110, 'SQ', new Uint8Array(0)))],
    ['undefined length', data(explicit(0x00081110, 'UN', new Uint8Array(0), 0xffffffff))],
    ['an item tag at the top level', data(implicit(0xfffee000, new Uint8Array(0)))],
    ['an odd length', data(explicit(0x00080020, 'DA', '2025010'))],
    ['a value past the end', data(explicit(0x00080020, 'DA', '20', 8))],
    ['a truncated header', new Uint8Array([0x08, 0x00, 0x20, 0x00, 0x44])],
    ['an unknown VR', data(explicit(0x00080020, 'XX', '20250101'))],
    [
      'tags out of order',
      data(explicit(0x00080030, 'TM', '120000'), explicit(0x00080020, 'DA', '20250101')),
    ],
  ])('gives up at %s, which the ElementParser reads or refuses', (_, bytes) => {
    const tags = [0x00081110, 0x00100010];
    expect(readFlatAttributes(bytes, EXPLICIT_LITTLE, tags)).toBeUndefined();
    general(bytes, EXPLICIT_LITTLE, tags); // reads or throws, without the flat reader
  });

  it('gives up at a requested value longer than maxValueBytes (the parser refuses it)', () => {
    expect(readFlatAttributes(PLAIN, EXPLICIT_LITTLE, [0x7fe00010], 1024)).toBeUndefined();
    expect(general(PLAIN, EXPLICIT_LITTLE, [0x7fe00010], 1024)).toMatchObject({
      code: 'DICOMNET_DATASET_UNSUPPORTED',
    });
    expect(readFlatAttributes(PLAIN, EXPLICIT_LITTLE, [0x00280010], 1024)).toEqual(
      general(PLAIN, EXPLICIT_LITTLE, [0x00280010], 1024),
    );
  });
});
