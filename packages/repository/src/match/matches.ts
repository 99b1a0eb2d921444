// The in-memory predicate: a Query applied to one MatchRecord, by the rules of PS3.4 C.2.2.2.
// toSql() pushes the same rules into SQL; the two agree on every record (match-agreement.test.ts).
import { normalizeDate, normalizeDateTime, normalizeTime } from './date-time.js';
import type { Condition, MatchRecord, MatchValue, Query } from './query.js';
import { foldCase, normalizeValue } from './value-rules.js';

/** Options of {@link matches} and {@link storedValue}. */
export interface RecordOptions {
  /** Minutes east of UTC for stored DT values without an offset; default 0. */
  readonly timezoneOffsetMinutes?: number;
}

function strings(value: MatchValue | undefined): readonly string[] {
  if (value === undefined) return [];
  return value.filter((entry): entry is string => typeof entry === 'string');
}

function items(value: MatchValue | undefined): readonly MatchRecord[] {
  if (value === undefined) return [];
  return value.filter((entry): entry is MatchRecord => typeof entry === 'object');
}

/**
 * A record value as a comparable string for a range condition: DA as is, TM and DT at the start
 * of the interval their precision covers; undefined when the value is not of its VR.
 */
export function comparableMoment(
  vr: string,
  raw: string,
  options: RecordOptions = {},
): string | undefined {
  const value = normalizeValue(vr, raw);
  if (vr === 'DA') return normalizeDate(value);
  if (vr === 'TM') return normalizeTime(value, 'low');
  return normalizeDateTime(value, 'low', options.timezoneOffsetMinutes ?? 0);
}

/** A RegExp for a wild card pattern: `*` any run of characters, `?` one (C.2.2.2.4). */
export function wildcardRegExp(pattern: string): RegExp {
  const source = [...pattern]
    .map((character) =>
      character === '*'
        ? '[^]*'
        : character === '?'
          ? '[^]'
          : character.replace(/[$()*+.?[\\\]^{|}/]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`, 'u');
}

// Compiled forms of conditions, so that a residual query applied to many rows builds its RegExp
// and Set once. Keyed weakly by the condition: a cache per loaded copy is only a cache.
const compiledPatterns = new WeakMap<Condition, RegExp>();
const compiledLists = new WeakMap<Condition, ReadonlySet<string>>();

function patternOf(condition: Extract<Condition, { kind: 'wildcard' }>): RegExp {
  let pattern = compiledPatterns.get(condition);
  if (pattern === undefined) {
    pattern = wildcardRegExp(
      condition.caseInsensitive ? foldCase(condition.pattern) : condition.pattern,
    );
    compiledPatterns.set(condition, pattern);
  }
  return pattern;
}

function listOf(condition: Extract<Condition, { kind: 'uid-list' }>): ReadonlySet<string> {
  let list = compiledLists.get(condition);
  if (list === undefined) {
    list = new Set(condition.values);
    compiledLists.set(condition, list);
  }
  return list;
}

function within(moment: string | undefined, from?: string, to?: string): boolean {
  return (
    moment !== undefined &&
    (from === undefined || moment >= from) &&
    (to === undefined || moment <= to)
  );
}

function matchesCondition(
  condition: Condition,
  record: MatchRecord,
  options: RecordOptions,
): boolean {
  const value = record[condition.tag];
  switch (condition.kind) {
    case 'universal':
      return true;
    case 'empty':
      return (
        strings(value).every((entry) => normalizeValue(condition.vr, entry) === '') &&
        items(value).length === 0
      );
    case 'single': {
      const fold = condition.caseInsensitive ? foldCase : (text: string): string => text;
      const key = fold(condition.value);
      return strings(value).some((entry) => fold(normalizeValue(condition.vr, entry)) === key);
    }
    case 'uid-list': {
      const wanted = listOf(condition);
      return strings(value).some((entry) => wanted.has(normalizeValue('UI', entry)));
    }
    case 'wildcard': {
      const fold = condition.caseInsensitive ? foldCase : (text: string): string => text;
      const pattern = patternOf(condition);
      return strings(value).some((entry) =>
        pattern.test(fold(normalizeValue(condition.vr, entry))),
      );
    }
    case 'range':
      return strings(value).some((entry) =>
        within(comparableMoment(condition.vr, entry, options), condition.from, condition.to),
      );
    case 'date-time-range': {
      const date = normalizeDate(normalizeValue('DA', strings(value)[0] ?? ''));
      if (date === undefined) return false;
      const time = normalizeTime(
        normalizeValue('TM', strings(record[condition.timeTag])[0] ?? ''),
        'low',
      );
      return within(date + (time ?? '000000.000000'), condition.from, condition.to);
    }
    case 'all-of':
      return condition.conditions.every((each) => matchesCondition(each, record, options));
    case 'sequence':
      return items(value).some((item) =>
        condition.conditions.every((each) => matchesCondition(each, item, options)),
      );
  }
}

/**
 * True when `record` matches every condition of `query` (PS3.4 C.2.2.2). A multi-valued record
 * attribute matches when any of its values does (C.2.2.3); Multiple Value Matching (`all-of`) asks that
 * every key value find one.
 */
export function matches(query: Query, record: MatchRecord, options: RecordOptions = {}): boolean {
  return query.conditions.every((condition) => matchesCondition(condition, record, options));
}
