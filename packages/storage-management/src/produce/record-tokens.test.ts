import { describe, expect, it } from 'vitest';
import type { ElementWriterInput, ValueToken } from '@dicomnet/data';
import { RecordEncoder, elementToken, hasNonAscii } from './record-tokens.js';

const tokensOf = (encoder: RecordEncoder, ...args: Parameters<RecordEncoder['encode']>) => {
  const record = encoder.encode(...args);
  const out: ElementWriterInput[] = [];
  record.appendTokens(0, record.size, out);
  return { record, out };
};

const bytes = (token: ElementWriterInput): number[] => [...(token as ValueToken).value!];

describe('RecordEncoder', () => {
  it('pads odd text to even length: UI with NUL, other text with a space (PS3.5 6.2)', () => {
    const { out } = tokensOf(new RecordEncoder(), 'instance', {
      '00080018': { vr: 'UI', Value: ['1.2.3'] },
      '00200013': { vr: 'IS', Value: ['7'] },
      '00080016': { vr: 'UI', Value: ['1.2'] },
    });
    expect(out.map((token) => (token as ValueToken).tag)).toEqual([
      0x00080016, 0x00080018, 0x00200013,
    ]);
    expect(bytes(out[0]!)).toEqual([...Buffer.from('1.2\0')]);
    expect(bytes(out[1]!)).toEqual([...Buffer.from('1.2.3\0')]);
    expect(bytes(out[2]!)).toEqual([...Buffer.from('7 ')]);
    expect(out.every((token) => (token as ValueToken).length % 2 === 0)).toBe(true);
  });

  it('writes several values with backslashes, PN groups with =, and UTF-8 (noticed)', () => {
    const { record, out } = tokensOf(new RecordEncoder(), 'study', {
      '00080061': { vr: 'CS', Value: ['CT', 'MR'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }] },
    });
    expect(Buffer.from(bytes(out[0]!)).toString()).toBe('CT\\MR ');
    expect(Buffer.from(bytes(out[1]!)).toString('utf8').trimEnd()).toBe('Yamada^Tarou=山田^太郎');
    expect(record.nonAscii).toBe(true);
  });

  it("keeps a study record's elements before and after its series sequence apart", () => {
    const { record } = tokensOf(new RecordEncoder(), 'study', {
      '0020000D': { vr: 'UI', Value: ['1.2'] },
      '00080020': { vr: 'DA', Value: ['20260101'] },
      '00080404': { vr: 'DT', Value: ['20260101000000'] },
    });
    // (0008,0020) and (0008,0404) come before (0008,0424), (0020,000D) after it.
    expect(record.childAt).toBe(2);
    const after: ElementWriterInput[] = [];
    record.appendTokens(record.childAt, record.size, after);
    expect(after.map((token) => (token as ValueToken).tag)).toEqual([0x0020000d]);
  });

  it('hands anything not text to the writer as a model element', () => {
    const element = { vr: 'UL', Value: [5] };
    const { out } = tokensOf(new RecordEncoder(), 'series', { '00201209': element });
    expect(out).toEqual([{ kind: 'model-element', tag: 0x00201209, element }]);
  });

  it('keeps earlier views intact when later records fill new slabs', () => {
    const encoder = new RecordEncoder();
    const long = 'x'.repeat(100_001);
    const first = tokensOf(encoder, 'instance', { '00080018': { vr: 'UI', Value: ['1.2.3.4'] } });
    for (let index = 0; index < 5; index++)
      tokensOf(encoder, 'instance', { '00081030': { vr: 'LT', Value: [long] } });
    expect(Buffer.from(bytes(first.out[0]!)).toString()).toBe('1.2.3.4\0');
  });
});

describe('header elements', () => {
  it('encode text alone and tell non-ASCII scopes', () => {
    expect(bytes(elementToken('00080070', { vr: 'LO', Value: ['abc'] }))).toEqual([
      ...Buffer.from('abc '),
    ]);
    expect(hasNonAscii({ '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Ölz' }] } })).toBe(true);
    expect(
      hasNonAscii({
        '00080413': { vr: 'SQ', Value: [{ '00100020': { vr: 'LO', Value: ['é'] } }] },
      }),
    ).toBe(true);
    expect(hasNonAscii({ '00100020': { vr: 'LO', Value: ['PID'] } })).toBe(false);
  });
});
