// One key of an identifier to its Condition (PS3.4 C.2.2.2). Everything a key can be is decided
// here from its VR and value; parse-query.ts walks the identifier.
import type { DataElement, DataElementValue, DataSet, PersonName } from '@dicomnet/data';
import { normalizeDate, normalizeDateTime, normalizeTime } from './date-time.js';
import type { Condition, DateTimeVr } from './query.js';
import { QueryError } from './query-error.js';
import { WILDCARD_VRS, invalidCharacters, isUid, normalizeValue } from './value-rules.js';

/** Which extended matching mechanisms apply (PS3.4 C.5.1.1.2, Table C.5-2; PS3.3 C.38.2.1). */
export interface MatchingMechanisms {
  /** Combined datetime matching (C.2.2.2.5.4): DA and TM range pairs matched as one DT. */
  readonly combinedDateTime?: boolean;
  /** Fuzzy semantic matching of person names: here, PN compared without regard to ASCII case. */
  readonly fuzzyPersonNames?: boolean;
  /** Empty Value Matching (C.2.2.2.7): a key of `""` matches an absent or empty attribute. */
  readonly emptyValue?: boolean;
  /** Multiple Value Matching (C.2.2.2.8): a key with several values matches when all do. */
  readonly multipleValue?: boolean;
}

/** How keys are parsed. */
export interface KeyParseOptions extends MatchingMechanisms {
  /**
   * How PN Single Value and Wild Card Matching treat case. PS3.4 C.2.2.2.1 and C.2.2.2.4 leave
   * it to the implementation (to be stated in the Conformance Statement); default `'sensitive'`,
   * as for every other VR. Fuzzy semantic matching makes it `'insensitive'`.
   */
  readonly personNameCase?: 'sensitive' | 'insensitive';
  /** Minutes east of UTC for DT keys that carry no offset; default 0. */
  readonly timezoneOffsetMinutes?: number;
}

const DATE_TIME_VRS: ReadonlySet<string> = new Set(['DA', 'TM', 'DT']);
const STRING_VRS: ReadonlySet<string> = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);
const NUMBER_VRS: ReadonlySet<string> = new Set(['FL', 'FD', 'SL', 'SS', 'UL', 'US', 'SV', 'UV']);

/** True when keys of this VR can be matched at all (binary and AT keys cannot). */
export function isMatchableVr(vr: string): boolean {
  return STRING_VRS.has(vr) || NUMBER_VRS.has(vr) || vr === 'SQ';
}

/** A PN model value as its DICOM string, `Alphabetic=Ideographic=Phonetic`. */
export function personNameString(name: PersonName): string {
  return [name.Alphabetic ?? '', name.Ideographic ?? '', name.Phonetic ?? '']
    .join('=')
    .replace(/=+$/, '');
}

/** The string values of a non-sequence element, as the DICOM encoding writes them. */
export function stringValues(tag: string, element: DataElement): string[] {
  return (element.Value ?? []).map((value: DataElementValue) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    if (element.vr === 'PN') return personNameString(value as PersonName);
    throw new QueryError('DICOMNET_REPOSITORY_QUERY_INVALID_VALUE', tag, 'an item in a non-SQ key');
  });
}

function invalid(tag: string, reason: string): QueryError {
  return new QueryError('DICOMNET_REPOSITORY_QUERY_INVALID_VALUE', tag, reason);
}

/**
 * A DA, TM or DT key: a range `from-to`, `-to` or `from-` (C.2.2.2.5), or, without a "-", a
 * single value. Single values are matched "by their meaning, not as literal strings"
 * (C.2.2.2.1.3, implementation dependent): ours stands for the interval its precision covers, so
 * TM `2230` matches `223000` and `223059.9`.
 */
export function parseDateTimeKey(
  tag: string,
  vr: DateTimeVr,
  value: string,
  offsetMinutes: number,
): Condition {
  const bound = (text: string, edge: 'low' | 'high'): string | undefined =>
    vr === 'DA'
      ? normalizeDate(text)
      : vr === 'TM'
        ? normalizeTime(text, edge)
        : normalizeDateTime(text, edge, offsetMinutes);
  if (!value.includes('-')) {
    const from = bound(value, 'low');
    const to = bound(value, 'high');
    if (from === undefined || to === undefined)
      throw invalid(tag, `"${value}" is not a ${vr} value`);
    return { kind: 'range', tag, vr, from, to };
  }
  // A "-" always means Range Matching, even in a DT whose offset is negative (C.2.2.2.1.3 note 3);
  // a DT bound may carry one, so try each "-" as the separator (C.2.2.2.5.3).
  let reversed = false;
  for (let at = value.indexOf('-'); at !== -1; at = value.indexOf('-', at + 1)) {
    const left = value.slice(0, at);
    const right = value.slice(at + 1);
    if (left === '' && right === '') break;
    const from = left === '' ? undefined : bound(left, 'low');
    const to = right === '' ? undefined : bound(right, 'high');
    if ((left !== '' && from === undefined) || (right !== '' && to === undefined)) continue;
    // "<date1> - <date2>, where <date1> is less or equal to <date2>"; Range Matching crossing
    // midnight is not supported (C.2.2.2.5.2).
    if (from !== undefined && to !== undefined && from > to) {
      reversed = true;
      continue;
    }
    return {
      kind: 'range',
      tag,
      vr,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    };
  }
  if (reversed) throw invalid(tag, `range "${value}" ends before it starts`);
  throw invalid(tag, `"${value}" is not a ${vr} range`);
}

function parseOneValue(tag: string, vr: string, raw: string, options: KeyParseOptions): Condition {
  const value = normalizeValue(vr, raw);
  // After the padding is gone: UI values are padded with a NUL (PS3.5 6.2).
  const problem = invalidCharacters(vr, value);
  if (problem !== undefined) throw invalid(tag, problem);
  if (value === '') return { kind: 'universal', tag, vr };
  // C.2.2.2.7: two QUOTATION MARKs, with the Empty Value Matching mechanism only.
  if (options.emptyValue === true && value === '""') return { kind: 'empty', tag, vr };
  if (DATE_TIME_VRS.has(vr)) {
    return parseDateTimeKey(tag, vr as DateTimeVr, value, options.timezoneOffsetMinutes ?? 0);
  }
  if (vr === 'UI') {
    if (!isUid(value)) throw invalid(tag, `"${value}" is not a UID`);
    return { kind: 'single', tag, vr, value, caseInsensitive: false };
  }
  const caseInsensitive =
    vr === 'PN' && (options.personNameCase === 'insensitive' || options.fuzzyPersonNames === true);
  if (/[*?]/.test(value)) {
    if (!WILDCARD_VRS.has(vr)) throw invalid(tag, `wild cards are not allowed in ${vr} keys`);
    // C.2.2.2.4: Wild Card Matching on "*" is equivalent to Universal Matching.
    if (/^\*+$/.test(value)) return { kind: 'universal', tag, vr };
    return { kind: 'wildcard', tag, vr, pattern: value, caseInsensitive };
  }
  return { kind: 'single', tag, vr, value, caseInsensitive };
}

/**
 * The condition of one non-sequence key. Several values are a List of UID (UI, C.2.2.2.2) or,
 * with Multiple Value Matching, an all-of (C.2.2.2.8); otherwise the VM of a key is one.
 */
export function parseValueKey(
  tag: string,
  element: DataElement,
  options: KeyParseOptions,
): Condition {
  const { vr } = element;
  const values = stringValues(tag, element);
  if (values.length <= 1) return parseOneValue(tag, vr, values[0] ?? '', options);
  if (vr === 'UI') {
    const uids = values.map((value) => normalizeValue(vr, value));
    const bad = uids.find((uid) => !isUid(uid));
    if (bad !== undefined) throw invalid(tag, `"${bad}" in the UID list is not a UID`);
    return { kind: 'uid-list', tag, vr, values: uids };
  }
  if (options.multipleValue !== true) {
    throw invalid(tag, `${values.length} values, and only UI keys take a list (C.2.2.2.2)`);
  }
  const conditions = values.map((value) => parseOneValue(tag, vr, value, options));
  return { kind: 'all-of', tag, vr, conditions };
}

/** The items of an SQ key, checked to be at most one (C.2.2.2.6). */
export function sequenceItem(tag: string, element: DataElement): DataSet | undefined {
  const items = element.Value ?? [];
  if (items.length > 1) throw invalid(tag, `${items.length} items; a sequence key has one`);
  const item = items[0];
  if (item !== undefined && (typeof item !== 'object' || 'Alphabetic' in item)) {
    throw invalid(tag, 'an SQ key whose value is not an item');
  }
  return item as DataSet | undefined; // checked above: an object that is not a PersonName
}
