/**
 * Characters a terminal acts on or that disguise text: controls (Cc: C0 with ESC, which starts an
 * escape sequence, CR and LF, which forge log lines, BEL and BS; DEL; C1, where 0x9B is a
 * one-byte CSI on terminals that honour 8-bit controls), format characters (Cf: bidi embeddings,
 * overrides and isolates, zero-width marks, BOM, tag characters) and the line and paragraph
 * separators (Zl, Zp). A peer controls AE titles, user names, implementation version names and
 * error comments, and each may reach a log line.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** {@link UNSAFE} but C0: JSON.stringify escapes C0 in strings, and its indentation is C0 (LF). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;

const NOT_PRINTABLE_ASCII = /[^\n\x20-\x7e]/;

function escapeOne(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/** The UTF-16 code units of `character` as JSON `\uXXXX` escapes. */
function jsonEscape(character: string): string {
  let escaped = '';
  for (let i = 0; i < character.length; i++) {
    escaped += `\\u${character.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return escaped;
}

/**
 * `text` with every character a terminal could act on written as a visible escape (`\x1b`,
 * `\u202e`), so that a line for people shows what a peer sent and can neither move the cursor,
 * recolour, retitle the window, rewrite earlier lines nor pass for two lines.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/**
 * `JSON.stringify(value, null, space)` with the same characters as `\uXXXX` escapes. The result
 * is still JSON and parses back to exactly the same value; JSON.stringify already escapes C0
 * controls in strings, but leaves DEL, C1 controls and the format characters raw, and a JSON log
 * read on a terminal must not act on them either. Outside strings JSON has only ASCII
 * punctuation and whitespace, so every match is inside a string.
 */
export function terminalSafeJson(value: unknown, space?: number): string {
  const json = JSON.stringify(value, null, space);
  // Printable ASCII and line feeds (a log line's usual case) hold nothing to escape, and this
  // plain class is much cheaper to scan for than the Unicode properties.
  return NOT_PRINTABLE_ASCII.test(json) ? json.replace(UNSAFE_IN_JSON, jsonEscape) : json;
}
