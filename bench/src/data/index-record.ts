/**
 * What each reader of the `data` benchmark produces for one file, in one canonical form so that
 * the three can be compared value by value: text without its padding, multiple values joined by
 * a backslash, integers as numbers, and null for an attribute absent or empty.
 */
import type { IndexAttribute } from './index-attributes.js';
import { ALL_INDEX_ATTRIBUTES } from './index-attributes.js';

/** One extracted value; null when the file lacks the attribute or its value is empty. */
export type IndexValue = string | number | null;

/** The index row of one file: keyword → value, plus the file's size in bytes. */
export interface IndexRecord {
  readonly fileSize: number;
  readonly values: Readonly<Record<string, IndexValue>>;
}

/**
 * VRs whose leading spaces are part of the value (PS3.5 6.2: ST, LT, UT keep them; for every
 * other string VR leading and trailing spaces are insignificant, PN and UI only trailing but
 * neither begins with a space).
 */
const KEEPS_LEADING_SPACES = new Set(['LT', 'ST', 'UT']);

/** One value of a string VR without its padding: trailing spaces and NULs (PS3.5 6.2, 6.4). */
export function trimValue(value: string, vr: string): string {
  let end = value.length;
  while (end > 0) {
    const code = value.charCodeAt(end - 1);
    if (code !== 0x20 && code !== 0x00) break;
    end--;
  }
  let start = 0;
  if (!KEEPS_LEADING_SPACES.has(vr)) {
    while (start < end && value.charCodeAt(start) === 0x20) start++;
  }
  return value.slice(start, end);
}

/**
 * The canonical value of one attribute from the values a reader found (each already decoded to
 * text or a number, padding still on). Multiple values keep their order (ImageType).
 */
export function canonicalValue(
  attribute: IndexAttribute,
  values: readonly (string | number)[],
): IndexValue {
  if (values.length === 0) return null;
  if (attribute.kind === 'integer') {
    const first = values[0];
    if (typeof first === 'number') return first;
    const trimmed = trimValue(first ?? '', attribute.vr);
    // IS: an integer string (PS3.5 6.2); an empty one is no value.
    return trimmed === '' ? null : Number.parseInt(trimmed, 10);
  }
  const joined = values
    .map((value) => (typeof value === 'number' ? String(value) : trimValue(value, attribute.vr)))
    .join('\\');
  return joined === '' ? null : joined;
}

/** The differences between two records of the same file, as readable lines (none: equal). */
export function compareRecords(expected: IndexRecord, actual: IndexRecord): string[] {
  const differences: string[] = [];
  if (expected.fileSize !== actual.fileSize) {
    differences.push(`fileSize: ${expected.fileSize} ≠ ${actual.fileSize}`);
  }
  for (const { keyword } of ALL_INDEX_ATTRIBUTES) {
    const want = expected.values[keyword] ?? null;
    const got = actual.values[keyword] ?? null;
    if (want !== got)
      differences.push(`${keyword}: ${JSON.stringify(want)} ≠ ${JSON.stringify(got)}`);
  }
  return differences;
}
