// Per-VR rules for key and record values: which padding is insignificant (PS3.5 6.2, Table 6.2-1),
// which VRs take wild cards (PS3.4 C.2.2.2.4), how PN and case are compared (PS3.4 C.2.2.2.1).

/** VRs on which `*` and `?` are wild cards (PS3.4 C.2.2.2.4). */
export const WILDCARD_VRS: ReadonlySet<string> = new Set([
  'AE',
  'CS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'UC',
  'UR',
  'UT',
]);

/** Narrative text VRs: backslash is a character, not a value separator (PS3.5 6.2). */
const TEXT_VRS: ReadonlySet<string> = new Set(['LT', 'ST', 'UT']);

// PS3.5 Table 6.2-1: leading and trailing spaces are not significant for AE, AS, CS, DS, IS, LO,
// PN, SH; only trailing ones for DA, DT, TM (padding), LT, ST, UT, UC and UR (leading spaces of
// text are significant); UI is padded with one trailing NUL.
const TRIM_BOTH: ReadonlySet<string> = new Set(['AE', 'AS', 'CS', 'DS', 'IS', 'LO', 'PN', 'SH']);

/** A value with the padding its VR declares insignificant removed. */
export function stripPadding(vr: string, value: string): string {
  if (vr === 'UI') return value.replace(/\0+$/, '');
  if (TRIM_BOTH.has(vr)) return value.replace(/^ +| +$/g, '');
  return value.replace(/ +$/, '');
}

/**
 * A PN value in a canonical form: trailing empty components (`^`) and component groups (`=`)
 * may be omitted (PS3.5 6.2.1), so `DOE^JOHN^^` and `DOE^JOHN` are the same name.
 */
export function canonicalPersonName(value: string): string {
  return value
    .split('=')
    .map((group) => group.replace(/\^+$/, ''))
    .join('=')
    .replace(/=+$/, '');
}

/** The value as matching compares it: padding removed, PN canonical. */
export function normalizeValue(vr: string, value: string): string {
  const stripped = stripPadding(vr, value);
  return vr === 'PN' ? canonicalPersonName(stripped) : stripped;
}

/**
 * Upper case of ASCII letters only. Case-insensitive PN matching folds the Default Character
 * Repertoire and leaves other characters as they are: SQLite's upper() does the same, so the
 * in-memory predicate and the SQL agree (PS3.4 C.2.2.2.1 leaves the extent to the implementation).
 */
export function foldCase(value: string): string {
  return value.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

const ESC = 0x1b;
const STRING_CONTROLS: ReadonlySet<number> = new Set([ESC]);
const TEXT_CONTROLS: ReadonlySet<number> = new Set([ESC, 0x09, 0x0a, 0x0c, 0x0d]);

/**
 * Why a key value cannot be matched as written, or undefined when it can: control characters
 * other than ESC (PS3.5 6.1.3; text VRs also allow TAB, LF, FF, CR), and a backslash outside the
 * text VRs (it separates values, so it cannot be inside one).
 */
export function invalidCharacters(vr: string, value: string): string | undefined {
  const allowed = TEXT_VRS.has(vr) ? TEXT_CONTROLS : STRING_CONTROLS;
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if ((code < 0x20 || code === 0x7f) && !allowed.has(code)) {
      return `control character 0x${code.toString(16).padStart(2, '0')} in the value`;
    }
  }
  if (!TEXT_VRS.has(vr) && value.includes('\\')) return 'backslash inside one value';
  return undefined;
}

/** A UID as PS3.5 9.1 writes it: digits and dots, no empty component, at most 64 characters. */
export function isUid(value: string): boolean {
  return value.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(value);
}
