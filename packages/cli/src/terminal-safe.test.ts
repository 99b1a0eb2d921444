import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeJson } from './terminal-safe.js';

/**
 * What must never be printed raw, listed by hand (not the code's Unicode classes): C0, DEL, C1,
 * the bidi controls, zero-width characters, the line and paragraph separators and BOM.
 */
function isDangerous(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x061c ||
    code === 0xfeff
  );
}

/** Characters of `text` that are dangerous; JSON's own indentation (LF, spaces) allowed. */
function rawDangers(text: string, allowLineFeed = false): number[] {
  return [...text]
    .map((character) => character.codePointAt(0) ?? 0)
    .filter((code) => isDangerous(code) && !(allowLineFeed && code === 0x0a));
}

/** Strings heavy in escape sequences and control characters, beside arbitrary code points. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.string({
    unit: fc.constantFrom('\u001b', '[', ']', '\u0007', '\u009b', '\r', '\n', '\u202e', 'a', '2J'),
    maxLength: 40,
  }),
);

describe('terminalSafe', () => {
  it('writes escape sequences, line breaks and 8-bit CSI as visible escapes', () => {
    expect(terminalSafe('\u001b]0;owned\u0007\u001b[2J')).toBe('\\x1b]0;owned\\x07\\x1b[2J');
    expect(terminalSafe('alice\r\nlistening on 0.0.0.0')).toBe(
      'alice\\x0d\\x0alistening on 0.0.0.0',
    );
    expect(terminalSafe('\u009b31m\u007f')).toBe('\\x9b31m\\x7f');
    expect(terminalSafe('evil\u202egpj.exe\u{e0041}')).toBe('evil\\u202egpj.exe\\u{e0041}');
  });

  it('leaves printable text alone, accents and CJK included', () => {
    const text = 'STORESCU Müller 山田 1.2.840.10008 \\ "quoted"';
    expect(terminalSafe(text)).toBe(text);
  });

  it('never lets a dangerous character through (property, 1,000 runs)', () => {
    let runs = 0;
    fc.assert(
      fc.property(hostile, (text) => {
        runs++;
        expect(rawDangers(terminalSafe(text))).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
    expect(runs).toBe(1_000);
  });
});

describe('terminalSafeJson', () => {
  it('is JSON that parses back to the same value, with nothing dangerous raw (1,000 runs)', () => {
    let runs = 0;
    fc.assert(
      fc.property(
        fc.dictionary(hostile, hostile, { maxKeys: 4 }),
        fc.boolean(),
        (value, indent) => {
          runs++;
          const json = terminalSafeJson(value, indent ? 2 : undefined);
          expect(rawDangers(json, indent)).toEqual([]);
          expect(JSON.parse(json)).toEqual(value);
        },
      ),
      { numRuns: 1_000 },
    );
    expect(runs).toBe(1_000);
    expect(terminalSafeJson({ user: 'a\u009bb\u2028' })).toBe('{"user":"a\\u009bb\\u2028"}');
  });
});
