import { describe, expect, it } from 'vitest';
import {
  TransferSyntax,
  dataSetTokens,
  writeElementsSync,
  type DataSet,
  type ValueToken,
} from '@dicomnet/data';
import { RecordEncoder, elementToken, hasNonAscii, type EncodedRecord } from './record-encoder.js';

const bytesOf = (record: EncodedRecord, from = record.start, to = record.end): Buffer =>
  Buffer.from(record.slab.subarray(from, to));

/** What the element writer makes of the same elements (Explicit VR Little Endian). */
const written = (dataSet: DataSet): Buffer =>
  Buffer.concat([
    ...writeElementsSync(dataSetTokens(dataSet, false), {
      transferSyntaxUid: TransferSyntax.ExplicitVrLittleEndian,
    }),
  ]);

describe('RecordEncoder', () => {
  it('encodes as the element writer does, in tag order, odd text padded: UI with NUL, other text with a space (PS3.5 6.2, 7.1.2)', () => {
    const record = new RecordEncoder().encode('instance', {
      '00080018': { vr: 'UI', Value: ['1.2.3'] },
      '00200013': { vr: 'IS', Value: ['7'] },
      '00080016': { vr: 'UI', Value: ['1.2'] },
      '00080409': { vr: 'UR', Value: ['file:///a/b.dcm'] }, // a 32-bit length (PS3.5 7.1.2)
      '00080061': { vr: 'CS', Value: ['CT', 'MR'] },
      '00081030': { vr: 'LO', Value: [''] },
    });
    expect(bytesOf(record)).toEqual(
      written({
        '00080016': { vr: 'UI', Value: ['1.2'] },
        '00080018': { vr: 'UI', Value: ['1.2.3'] },
        '00080061': { vr: 'CS', Value: ['CT', 'MR'] },
        '00080409': { vr: 'UR', Value: ['file:///a/b.dcm'] },
        '00081030': { vr: 'LO' },
        '00200013': { vr: 'IS', Value: ['7'] },
      }),
    );
    expect(bytesOf(record).subarray(8, 12)).toEqual(Buffer.from('1.2\0'));
    expect(record.nonAscii).toBe(false);
  });

  it('writes PN groups with = and UTF-8 (noticed)', () => {
    const record = new RecordEncoder().encode('study', {
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }] },
    });
    expect(bytesOf(record).subarray(8).toString('utf8').trimEnd()).toBe('Yamada^Tarou=山田^太郎');
    expect(bytesOf(record).readUInt16LE(6)).toBe(bytesOf(record).length - 8);
    expect(record.nonAscii).toBe(true);
  });

  it("keeps a study record's elements before and after its series sequence apart", () => {
    const record = new RecordEncoder().encode('study', {
      '0020000D': { vr: 'UI', Value: ['1.2'] },
      '00080020': { vr: 'DA', Value: ['20260101'] },
      '00080404': { vr: 'DT', Value: ['20260101000000'] },
    });
    // (0008,0020) and (0008,0404) come before (0008,0424), (0020,000D) after it.
    expect(bytesOf(record, record.childAt)).toEqual(
      written({ '0020000D': { vr: 'UI', Value: ['1.2'] } }),
    );
    expect(bytesOf(record, record.start, record.childAt)).toEqual(
      written({
        '00080020': { vr: 'DA', Value: ['20260101'] },
        '00080404': { vr: 'DT', Value: ['20260101000000'] },
      }),
    );
  });

  it('has the element writer encode anything not text, or text too long for a 16-bit length', () => {
    const element = { vr: 'UL', Value: [5] };
    const record = new RecordEncoder().encode('series', { '00201209': element });
    expect(bytesOf(record)).toEqual(written({ '00201209': element }));
    expect(() =>
      new RecordEncoder().encode('series', {
        '0008103E': { vr: 'LO', Value: ['x'.repeat(70_000)] },
      }),
    ).toThrow();
  });

  it('keeps earlier records intact when later records fill new slabs', () => {
    const encoder = new RecordEncoder();
    const long = 'x'.repeat(100_001);
    const first = encoder.encode('instance', { '00080018': { vr: 'UI', Value: ['1.2.3.4'] } });
    for (let index = 0; index < 5; index++)
      encoder.encode('instance', { '00081030': { vr: 'UT', Value: [long] } });
    expect(bytesOf(first).subarray(8)).toEqual(Buffer.from('1.2.3.4\0'));
  });
});

describe('header elements', () => {
  it('encode text alone and tell non-ASCII scopes', () => {
    expect([
      ...(elementToken('00080070', { vr: 'LO', Value: ['abc'] }) as ValueToken).value!,
    ]).toEqual([...Buffer.from('abc ')]);
    expect(hasNonAscii({ '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Ölz' }] } })).toBe(true);
    expect(
      hasNonAscii({
        '00080413': { vr: 'SQ', Value: [{ '00100020': { vr: 'LO', Value: ['é'] } }] },
      }),
    ).toBe(true);
    expect(hasNonAscii({ '00100020': { vr: 'LO', Value: ['PID'] } })).toBe(false);
  });
});
