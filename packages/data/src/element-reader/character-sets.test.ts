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

  it('reads each byte of ISO_IR 100 as its own code point, in short and long values', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const expected = String.fromCodePoint(...all);
    const decode = textDecoding(['ISO_IR 100']);
    expect(decode(all)).toBe(expected);
    for (let at = 0; at < 256; at += 32)
      expect(decode(all.subarray(at, at + 32))).toBe(expected.slice(at, at + 32));
    expect(textDecoding(undefined)(all.subarray(0xc0, 0xc4))).toBe('ÀÁÂÃ');
  });

  it('decodes ISO 2022 code extensions: the Japanese example of PS3.5 H.3.1', () => {
    const bytes = Buffer.from(
      'Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B',
      'latin1',
    );
    expect(textDecoding(['', 'ISO 2022 IR 87'])(new Uint8Array(bytes))).toBe(
      'Yamada^Tarou=山田^太郎=やまだ^たろう',
    );
  });

  it('decodes half-width katakana in G1 (ISO 2022 IR 13) and JIS X 0208 after it', () => {
    const bytes = Buffer.from('\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(J^', 'latin1');
    expect(textDecoding(['ISO 2022 IR 13', 'ISO 2022 IR 87'])(new Uint8Array(bytes))).toBe(
      'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^',
    );
  });

  it('decodes the Korean example of PS3.5 I.2 (ISO 2022 IR 149)', () => {
    const bytes = Buffer.from(
      'Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf',
      'latin1',
    );
    expect(textDecoding(['', 'ISO 2022 IR 149'])(new Uint8Array(bytes))).toBe(
      'Hong^Gildong=洪^吉洞=홍^길동',
    );
  });

  it('switches G1 single-byte sets by escape sequence', () => {
    const bytes = Buffer.from('\x1b-A\xe9 \x1b-L\xb0', 'latin1');
    expect(textDecoding(['ISO 2022 IR 100', 'ISO 2022 IR 144'])(new Uint8Array(bytes))).toBe('é А');
  });

  it('refuses unknown terms and escape sequences as DICOMNET_DATASET_UNSUPPORTED', () => {
    const jis = textDecoding(['ISO 2022 IR 6', 'ISO 2022 IR 87']);
    expect(() => jis(bytes(0x1b, 0x24, 0x40, 0x41))).toThrow(
      expect.objectContaining({
        code: 'DICOMNET_DATASET_UNSUPPORTED',
        feature: 'iso-2022-escapes',
      }),
    );
    expect(() => textDecoding(['ISO_IR 999'])).toThrow(DataSetDecodeError);
    expect(() => textDecoding(['KLINGON'])).toThrow(
      expect.objectContaining({ feature: 'character-set' }),
    );
    expect(() => textDecoding(['ISO 2022 IR 6', 'ISO 2022 IR 999'])).toThrow(
      expect.objectContaining({ feature: 'character-set' }),
    );
  });
});
