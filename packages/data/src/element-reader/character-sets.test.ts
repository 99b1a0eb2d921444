import { describe, expect, it } from 'vitest';
import { DataSetDecodeError } from '../data-set/errors.js';
import { textDecoding } from './character-sets.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('textDecoding (PS3.5 6.1)', () => {
  it('reads the default repertoire without a Specific Character Set', () => {
    expect(textDecoding(undefined)(bytes(0x41, 0x5e, 0x42))).toBe('A^B');
    expect(textDecoding([''])(bytes(0x41))).toBe('A');
  });

  it.each([
    [['ISO_IR 100'], [0xfc], 'ü'],
    [['ISO_IR 100'], [0x85], '\u0085'], // C1 stays C1 (not windows-1252's …)
    [['ISO_IR 101'], [0xb1], 'ą'],
    [['ISO_IR 144'], [0xb0], 'А'],
    [['ISO_IR 126'], [0xe1], 'α'],
    [['ISO_IR 138'], [0xf9], 'ש'],
    [['ISO_IR 127'], [0xc7], 'ا'],
    [['ISO_IR 148'], [0xfd], 'ı'],
    [['ISO_IR 203'], [0xa4], '€'],
    [['ISO_IR 166'], [0xa1], 'ก'],
    [['ISO_IR 13'], [0xb1], 'ｱ'],
    [['ISO_IR 192'], [0xe5, 0xb1, 0xb1], '山'],
    [['GB18030'], [0xc4, 0xe3], '你'],
    [['GBK'], [0xc4, 0xe3], '你'],
    [['ISO 2022 IR 100'], [0xe9], 'é'],
    [['', 'ISO 2022 IR 100'], [0x41], 'A'],
  ])('%j decodes %j as %s', (terms, input, text) => {
    expect(textDecoding(terms)(bytes(...input))).toBe(text);
  });

  it('refuses ISO 2022 escape sequences and unknown terms as DICOMNET_DATASET_UNSUPPORTED', () => {
    const jis = textDecoding(['ISO 2022 IR 6', 'ISO 2022 IR 87']);
    expect(jis(bytes(0x41))).toBe('A');
    expect(() => jis(bytes(0x1b, 0x24, 0x42, 0x3b, 0x33))).toThrow(
      expect.objectContaining({
        code: 'DICOMNET_DATASET_UNSUPPORTED',
        feature: 'iso-2022-escapes',
      }),
    );
    expect(() => textDecoding(['ISO_IR 999'])).toThrow(DataSetDecodeError);
    expect(() => textDecoding(['KLINGON'])).toThrow(
      expect.objectContaining({ feature: 'character-set' }),
    );
  });
});
