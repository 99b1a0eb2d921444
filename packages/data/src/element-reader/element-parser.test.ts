import { fromHex, splits } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import type { DataSetEncoding } from '../data-set/element-header.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import type { ElementToken } from '../element-stream/element-token.js';
import { ElementParser } from './element-parser.js';
import type { ElementParserOptions } from './reader-options.js';

const EXPLICIT_LE: DataSetEncoding = { explicitVr: true, littleEndian: true };
const IMPLICIT_LE: DataSetEncoding = { explicitVr: false, littleEndian: true };
const EXPLICIT_BE: DataSetEncoding = { explicitVr: true, littleEndian: false };

/** Feeds `chunks`, then end, and collects every token (values as hex). */
function tokens(
  chunks: readonly Uint8Array[],
  encoding: DataSetEncoding = EXPLICIT_LE,
  options: ElementParserOptions = {},
): unknown[] {
  const parser = new ElementParser(encoding, options);
  const out: unknown[] = [];
  const drain = (): void => {
    for (let token = parser.read(); token !== undefined; token = parser.read())
      out.push(printable(token));
  };
  for (const chunk of chunks) {
    parser.push(chunk);
    drain();
  }
  parser.end();
  drain();
  expect(parser.done).toBe(true);
  return out;
}

function printable(token: ElementToken): unknown {
  if ('value' in token && token.value !== undefined)
    return { ...token, value: Buffer.from(token.value).toString('hex') };
  return token;
}

function failure(chunks: readonly Uint8Array[], encoding = EXPLICIT_LE, options = {}): unknown {
  try {
    tokens(chunks, encoding, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DataSetDecodeError);
    return error;
  }
  throw new Error('no error');
}

// (0008,1110) SQ undefined length: item of 10 bytes with (0008,1150) UI "1"; an empty
// undefined-length item; then (0010,0010) PN "A+B ".
const NESTED = fromHex(`
  08001011 5351 0000 FFFFFFFF
  FEFF00E0 0A000000
  08005011 5549 0200 3100
  FEFF00E0 FFFFFFFF
  FEFF0DE0 00000000
  FEFFDDE0 00000000
  10001000 504E 0400 412B4220`);
const NESTED_TOKENS = [
  { kind: 'sequence', tag: 0x00081110, vr: 'SQ', length: undefined },
  { kind: 'item', index: 0, length: 10 },
  { kind: 'element', tag: 0x00081150, vr: 'UI', length: 2, value: '3100' },
  { kind: 'item-end' },
  { kind: 'item', index: 1, length: undefined },
  { kind: 'item-end' },
  { kind: 'sequence-end' },
  { kind: 'element', tag: 0x00100010, vr: 'PN', length: 4, value: '412b4220' },
];

describe('ElementParser', () => {
  it('yields elements, sequences and items of defined and undefined length (PS3.5 7.5)', () => {
    expect(tokens([NESTED])).toEqual(NESTED_TOKENS);
  });

  it('gives the same tokens however the bytes are split', () => {
    for (const chunks of splits(NESTED)) expect(tokens(chunks)).toEqual(NESTED_TOKENS);
  });

  it('delivers a value inside one chunk as a view of it', () => {
    const parser = new ElementParser(EXPLICIT_LE);
    parser.push(NESTED);
    parser.end();
    const values: Uint8Array[] = [];
    for (let token = parser.read(); token !== undefined; token = parser.read())
      if (token.kind === 'element' && token.value !== undefined) values.push(token.value);
    expect(values.map((value) => value.buffer)).toEqual([NESTED.buffer, NESTED.buffer]);
  });

  it('reads the long Explicit VR form and a defined-length sequence', () => {
    const bytes = fromHex(`
      08001111 5351 0000 18000000          # (0008,1111) SQ, 24 bytes
      FEFF00E0 10000000                    # item of 16
      09000110 4F42 0000 04000000 01020304 # (0009,1001) OB, 4 bytes (12-byte header)
      10002000 4C4F 0200 4120              # (0010,0020) LO "A "`);
    expect(tokens([bytes])).toEqual([
      { kind: 'sequence', tag: 0x00081111, vr: 'SQ', length: 24 },
      { kind: 'item', index: 0, length: 16 },
      { kind: 'element', tag: 0x00091001, vr: 'OB', length: 4, value: '01020304' },
      { kind: 'item-end' },
      { kind: 'sequence-end' },
      { kind: 'element', tag: 0x00100020, vr: 'LO', length: 2, value: '4120' },
    ]);
  });

  it('takes the VR from the data dictionary in Implicit VR (PS3.5 7.1.3)', () => {
    const bytes = fromHex(`
      08001600 02000000 3100      # (0008,0016) → UI
      08001011 FFFFFFFF           # (0008,1110) → SQ
      FEFFDDE0 00000000
      09001010 02000000 0102      # private (0009,1010) → UN
      28001000 02000000 0400      # (0028,0010) → US`);
    expect(tokens([bytes], IMPLICIT_LE)).toEqual([
      { kind: 'element', tag: 0x00080016, vr: 'UI', length: 2, value: '3100' },
      { kind: 'sequence', tag: 0x00081110, vr: 'SQ', length: undefined },
      { kind: 'sequence-end' },
      { kind: 'element', tag: 0x00091010, vr: 'UN', length: 2, value: '0102' },
      { kind: 'element', tag: 0x00280010, vr: 'US', length: 2, value: '0400' },
    ]);
  });

  it('reads "US or SS" as SS after a Pixel Representation of 1, in Implicit VR (PS3.3 C.7.6.3.1.4)', () => {
    const bytes = fromHex(`
      28000301 02000000 0100      # (0028,0103) Pixel Representation 1
      28000601 02000000 9CFF      # (0028,0106) "US or SS" → SS
      28000230 02000000 0000      # (0028,3002) LUT Descriptor stays US
      40007502 FFFFFFFF FEFF00E0 FFFFFFFF
      28000701 02000000 0100      # inside an item: inherited
      FEFF0DE0 00000000 FEFFDDE0 00000000`);
    const expected = [
      { kind: 'element', tag: 0x00280103, vr: 'US', length: 2, value: undefined },
      { kind: 'element', tag: 0x00280106, vr: 'SS', length: 2, value: '9cff' },
      { kind: 'element', tag: 0x00283002, vr: 'US', length: 2, value: '0000' },
      { kind: 'sequence', tag: 0x00400275, vr: 'SQ', length: undefined },
      { kind: 'item', index: 0, length: undefined },
      { kind: 'element', tag: 0x00280107, vr: 'SS', length: 2, value: '0100' },
      { kind: 'item-end' },
      { kind: 'sequence-end' },
    ];
    const options = { wantValue: (tag: number) => tag !== 0x00280103 };
    for (const chunks of [[bytes], ...splits(bytes)])
      expect(tokens(chunks, IMPLICIT_LE, options)).toEqual(expected);
    const unsigned = new Uint8Array(bytes);
    unsigned[8] = 0; // Pixel Representation 0
    expect(tokens([unsigned], IMPLICIT_LE)[1]).toMatchObject({ vr: 'US' });
  });

  it('reads a UN of undefined length as an Implicit VR Little Endian sequence (PS3.5 6.2.2)', () => {
    const full = fromHex(`
      11000110 554E 0000 FFFFFFFF  # private (0011,1001) UN, undefined length
      FEFF00E0 FFFFFFFF
      08005011 02000000 3100       # Implicit VR inside: (0008,1150) UI
      FEFF0DE0 00000000
      FEFFDDE0 00000000`);
    expect(tokens([full])).toEqual([
      { kind: 'sequence', tag: 0x00111001, vr: 'UN', length: undefined },
      { kind: 'item', index: 0, length: undefined },
      { kind: 'element', tag: 0x00081150, vr: 'UI', length: 2, value: '3100' },
      { kind: 'item-end' },
      { kind: 'sequence-end' },
    ]);
  });

  it('walks encapsulated pixel data by its fragments, skipped unless asked for (PS3.5 A.4)', () => {
    const bytes = fromHex(`
      E07F1000 4F42 0000 FFFFFFFF
      FEFF00E0 00000000            # empty Basic Offset Table
      FEFF00E0 04000000 AABBCCDD
      FEFF00E0 02000000 EEFF
      FEFFDDE0 00000000
      FCFFFCFF 4F42 0000 00000000  # (FFFC,FFFC) trailing padding, empty`);
    const skipped = [
      { kind: 'encapsulated', tag: 0x7fe00010, vr: 'OB' },
      { kind: 'fragment', index: 0, length: 0, value: undefined },
      { kind: 'fragment', index: 1, length: 4, value: undefined },
      { kind: 'fragment', index: 2, length: 2, value: undefined },
      { kind: 'sequence-end' },
      { kind: 'element', tag: 0xfffcfffc, vr: 'OB', length: 0, value: '' },
    ];
    expect(tokens([bytes])).toEqual(skipped);
    expect(tokens([bytes], EXPLICIT_LE, { fragments: true })).toEqual([
      skipped[0],
      { kind: 'fragment', index: 0, length: 0, value: '' },
      { kind: 'fragment', index: 1, length: 4, value: 'aabbccdd' },
      { kind: 'fragment', index: 2, length: 2, value: 'eeff' },
      ...skipped.slice(4),
    ]);
    for (const chunks of splits(bytes)) expect(tokens(chunks)).toEqual(skipped);
  });

  it('reads Explicit VR Big Endian tags and lengths (PS3.5 A.3)', () => {
    const bytes = fromHex(`
      0028 0010 5553 0002 0004      # (0028,0010) US 4, Big Endian
      0028 1201 4F57 0000 00000002 0102`);
    expect(tokens([bytes], EXPLICIT_BE)).toEqual([
      { kind: 'element', tag: 0x00280010, vr: 'US', length: 2, value: '0004' },
      { kind: 'element', tag: 0x00281201, vr: 'OW', length: 2, value: '0102' },
    ]);
  });

  it('skips values longer than maxValueBytes and those wantValue refuses', () => {
    const options: ElementParserOptions = {
      maxValueBytes: 3,
      wantValue: (tag) => tag !== 0x00081150,
    };
    expect(tokens([NESTED], EXPLICIT_LE, options)).toEqual(
      NESTED_TOKENS.map((token) => ('value' in token ? { ...token, value: undefined } : token)),
    );
    for (const chunks of splits(NESTED))
      expect(tokens(chunks, EXPLICIT_LE, { maxValueBytes: 2 })).toEqual(
        NESTED_TOKENS.map((token) =>
          token.kind === 'element' && (token.length ?? 0) > 2
            ? { ...token, value: undefined }
            : token,
        ),
      );
  });

  it('refuses to buffer a value spanning chunks past maxBufferedBytes', () => {
    const error = failure([NESTED.subarray(0, 64), NESTED.subarray(64)], EXPLICIT_LE, {
      maxBufferedBytes: 2,
    });
    expect(error).toMatchObject({
      code: 'DICOMNET_DATASET_UNSUPPORTED',
      feature: 'value-too-large',
    });
  });

  it('stops after the stopAfter tag without reading further input', () => {
    const parser = new ElementParser(EXPLICIT_LE, { stopAfter: 0x00081110 });
    parser.push(NESTED);
    const seen: ElementToken[] = [];
    for (let token = parser.read(); token !== undefined; token = parser.read()) seen.push(token);
    expect(seen.map((token) => token.kind)).toEqual(NESTED_TOKENS.slice(0, 7).map((t) => t.kind));
    expect(parser.done).toBe(true);
    expect(parser.stopped).toBe(true);
    expect(parser.offset).toBe(54);
  });

  it('stops before a top-level tag past stopAfter, also when the wanted tag is absent', () => {
    const parser = new ElementParser(EXPLICIT_LE, { stopAfter: 0x00090000 });
    parser.push(NESTED.subarray(0, 58)); // half of the header of (0010,0010)
    for (let token = parser.read(); token !== undefined; token = parser.read());
    expect(parser.done).toBe(false);
    parser.push(NESTED.subarray(58, 62));
    expect(parser.read()).toBeUndefined();
    expect(parser.stopped).toBe(true);
    expect(parser.offset).toBe(54);
  });

  it.each([
    [
      'a value overrunning its item',
      '08001111 5351 0000 FFFFFFFF FEFF00E0 08000000 08005011 5549 0400 31003200 FEFFDDE0 00000000',
      /overruns its container/,
      20,
    ],
    [
      'an item overrunning its sequence',
      '08001111 5351 0000 08000000 FEFF00E0 02000000 0000',
      /overruns its container/,
      12,
    ],
    ['an odd length', '10001000 504E 0300 414243', /odd length 3/, 0],
    ['an unknown VR', '10001000 5A5A 0200 4142', /unknown VR "ZZ"/, 0],
    ['an item at the top level', 'FEFF00E0 00000000', /outside a sequence/, 0],
    ['a sequence delimiter at the top level', 'FEFFDDE0 00000000', /outside a sequence/, 0],
    [
      'a non-item inside a sequence',
      '08001111 5351 0000 FFFFFFFF 08005011 5549 0200 3100',
      /expected an item/,
      12,
    ],
    [
      'a missing sequence delimiter',
      '08001111 5351 0000 FFFFFFFF FEFF00E0 00000000',
      /ends before the end of a sequence/,
      20,
    ],
    [
      'a missing item delimiter',
      '08001111 5351 0000 FFFFFFFF FEFF00E0 FFFFFFFF 08005011 5549 0200 3100',
      /ends before the end/,
      30,
    ],
    ['data ending inside a header', '10001000 504E', /inside an element header/, 0],
    ['data ending inside a value', '10001000 504E 0400 4142', /inside a value/, 8],
    ['undefined length on a UT', '10002000 5554 0000 FFFFFFFF', /undefined length on a UT/, 0],
    [
      'an item delimiter with a length',
      '08001111 5351 0000 FFFFFFFF FEFF00E0 FFFFFFFF FEFF0DE0 02000000',
      /non-zero length/,
      20,
    ],
    [
      'an undefined-length item running past its defined-length sequence',
      '08001111 5351 0000 12000000 FEFF00E0 FFFFFFFF 08005011 5549 0200 3100 10001000 504E 0200 4120',
      /runs past its container/,
      30,
    ],
    [
      'an element overrunning the defined-length sequence around its item',
      '08001111 5351 0000 10000000 FEFF00E0 FFFFFFFF 08005011 5549 0200 3100',
      /overruns its container/,
      20,
    ],
    [
      'an undefined-length sequence running past its defined-length item',
      '08001111 5351 0000 FFFFFFFF FEFF00E0 0C000000 08001011 5351 0000 FFFFFFFF FEFFDDE0 00000000',
      /runs past its container/,
      32,
    ],
    [
      'a header overrunning its item',
      '08001111 5351 0000 FFFFFFFF FEFF00E0 08000000 08001011 5351 0000 FFFFFFFF',
      /\(0008,1110\) overruns its container/,
      20,
    ],
    [
      'a tag that occurs twice',
      '10001000 504E 0200 4120 10001000 504E 0200 4220',
      /not in ascending order/,
      10,
    ],
    [
      'tags out of order inside an item',
      '08001111 5351 0000 FFFFFFFF FEFF00E0 FFFFFFFF 10002000 4C4F 0200 4120 10001000 504E 0200 4120',
      /\(0010,0010\) after \(0010,0020\)/,
      30,
    ],
    [
      'a fragment of undefined length',
      'E07F1000 4F42 0000 FFFFFFFF FEFF00E0 FFFFFFFF',
      /fragment item/,
      12,
    ],
  ])('refuses %s as DICOMNET_DATASET_MALFORMED with where it is', (_name, hex, message, offset) => {
    const bytes = fromHex(hex);
    for (const chunks of [[bytes], ...splits(bytes)]) {
      const error = failure(chunks) as DataSetDecodeError;
      expect(error.code).toBe('DICOMNET_DATASET_MALFORMED');
      expect(error.detail).toMatch(message);
      expect(error.where.offset).toBe(offset);
    }
  });

  it('names the tag path of an error inside items', () => {
    const error = failure([
      fromHex(`08001111 5351 0000 FFFFFFFF FEFF00E0 FFFFFFFF 08001011 5351 0000 FFFFFFFF
               FEFF00E0 FFFFFFFF 10001000 5A5A 0000`),
    ]) as DataSetDecodeError;
    expect(error.where.path).toBe('(0008,1111)[0](0008,1110)[0]');
  });

  it('bounds the nesting depth', () => {
    const level = '08001111 5351 0000 FFFFFFFF FEFF00E0 FFFFFFFF';
    const bytes = fromHex(level.repeat(5));
    const error = failure([bytes], EXPLICIT_LE, { maxDepth: 4 }) as DataSetDecodeError;
    expect(error.detail).toMatch(/deeper than maxDepth 4/);
    expect(error.where.offset).toBe(80);
  });

  it('yields nothing for an empty data set and refuses push after end', () => {
    expect(tokens([])).toEqual([]);
    const parser = new ElementParser(EXPLICIT_LE);
    parser.end();
    expect(() => parser.push(new Uint8Array(2))).toThrow(TypeError);
  });
});
