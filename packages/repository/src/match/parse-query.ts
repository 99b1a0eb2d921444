import type { DataSet } from '@dicomnet/data';
import { combineDateTimeRanges } from './combined-date-time.js';
import { isMatchableVr, parseValueKey, sequenceItem, stringValues } from './parse-key.js';
import type { KeyParseOptions } from './parse-key.js';
import type { Condition, Query, QueryLevel } from './query.js';
import { QueryError } from './query-error.js';
import { normalizeValue } from './value-rules.js';

const SPECIFIC_CHARACTER_SET = '00080005';
const QUERY_RETRIEVE_LEVEL = '00080052';
const TIMEZONE_OFFSET_FROM_UTC = '00080201';
const NEVER_MATCHED: ReadonlySet<string> = new Set([
  SPECIFIC_CHARACTER_SET,
  TIMEZONE_OFFSET_FROM_UTC,
]);
const LEVELS: ReadonlySet<string> = new Set(['PATIENT', 'STUDY', 'SERIES', 'IMAGE']);

/** Deepest nesting of sequence keys parsed: a hostile identifier cannot recurse without end. */
export const DEFAULT_MAX_QUERY_SEQUENCE_DEPTH = 8;

/** Options of {@link parseQuery}. */
export interface ParseQueryOptions extends KeyParseOptions {
  /**
   * Query/Retrieve Level (0008,0052): `'required'` for Patient Root and Study Root C-FIND
   * (PS3.4 C.4.1.1.3), `'forbidden'` for single-level models such as Inventory FIND (PS3.4 JJ),
   * `'optional'` (the default) to take it when present.
   */
  readonly level?: 'required' | 'forbidden' | 'optional';
  /**
   * Whether a key (tag as 8 upper-case hex digits; `path` holds the enclosing sequence tags) is
   * supported for matching. Default: every key of a matchable VR.
   */
  readonly isMatchable?: (tag: string, path: readonly string[]) => boolean;
  /**
   * What to do with a key not supported for matching: `'ignore'` (the default) treats it as
   * universal and lists it in {@link Query.ignoredKeys}; `'reject'` throws.
   */
  readonly unsupportedKeys?: 'ignore' | 'reject';
  /** Deepest sequence key nesting accepted; default {@link DEFAULT_MAX_QUERY_SEQUENCE_DEPTH}. */
  readonly maxSequenceDepth?: number;
}

function parseLevel(identifier: DataSet, options: ParseQueryOptions): QueryLevel | undefined {
  const element = identifier[QUERY_RETRIEVE_LEVEL];
  const mode = options.level ?? 'optional';
  if (element === undefined) {
    if (mode !== 'required') return undefined;
    throw new QueryError(
      'DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL',
      QUERY_RETRIEVE_LEVEL,
      'missing',
    );
  }
  if (mode === 'forbidden') {
    throw new QueryError(
      'DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL',
      QUERY_RETRIEVE_LEVEL,
      'this model has a single level and takes no Query/Retrieve Level',
    );
  }
  const values = stringValues(QUERY_RETRIEVE_LEVEL, element).map((v) => normalizeValue('CS', v));
  const [level] = values;
  if (values.length !== 1 || level === undefined || !LEVELS.has(level)) {
    throw new QueryError(
      'DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL',
      QUERY_RETRIEVE_LEVEL,
      `"${values.join('\\')}" is not PATIENT, STUDY, SERIES or IMAGE`,
    );
  }
  return level as QueryLevel; // checked against LEVELS above
}

/** Timezone Offset From UTC (0008,0201) of an identifier in minutes, else `fallback`. */
export function timezoneOffset(
  identifier: DataSet,
  fallback: number | undefined,
): number | undefined {
  const element = identifier[TIMEZONE_OFFSET_FROM_UTC];
  if (element === undefined) return fallback;
  const value = normalizeValue('SH', stringValues(TIMEZONE_OFFSET_FROM_UTC, element)[0] ?? '');
  const parts = /^([+-])(\d{2})(\d{2})$/.exec(value);
  if (parts === null) {
    throw new QueryError(
      'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
      TIMEZONE_OFFSET_FROM_UTC,
      `"${value}" is not an offset &ZZXX`,
    );
  }
  return (parts[1] === '-' ? -1 : 1) * (Number(parts[2]) * 60 + Number(parts[3]));
}

interface Walk {
  readonly options: ParseQueryOptions;
  readonly ignored: string[];
}

function parseKeys(identifier: DataSet, path: readonly string[], walk: Walk): Condition[] {
  const { options } = walk;
  const maxDepth = options.maxSequenceDepth ?? DEFAULT_MAX_QUERY_SEQUENCE_DEPTH;
  const conditions: Condition[] = [];
  for (const tag of Object.keys(identifier).sort()) {
    if (NEVER_MATCHED.has(tag) || (path.length === 0 && tag === QUERY_RETRIEVE_LEVEL)) continue;
    const element = identifier[tag];
    if (element === undefined) continue;
    const supported = isMatchableVr(element.vr) && (options.isMatchable?.(tag, path) ?? true);
    if (!supported) {
      if (options.unsupportedKeys === 'reject') {
        throw new QueryError(
          'DICOMNET_REPOSITORY_QUERY_UNSUPPORTED_KEY',
          tag,
          `matching on this ${element.vr} key is not supported`,
        );
      }
      walk.ignored.push([...path, tag].join('/'));
      conditions.push({ kind: 'universal', tag, vr: element.vr });
      continue;
    }
    if (element.vr !== 'SQ') {
      conditions.push(parseValueKey(tag, element, options));
      continue;
    }
    const item = sequenceItem(tag, element);
    if (item === undefined || Object.keys(item).length === 0) {
      // C.2.2.2.6: a sequence key without Item Key Attributes matches every entity.
      conditions.push({ kind: 'universal', tag, vr: 'SQ' });
      continue;
    }
    if (path.length + 1 > maxDepth) {
      throw new QueryError(
        'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
        tag,
        `sequence keys nested deeper than ${maxDepth}`,
      );
    }
    const nested = parseKeys(item, [...path, tag], walk);
    conditions.push({ kind: 'sequence', tag, vr: 'SQ', conditions: nested });
  }
  return options.combinedDateTime === true
    ? combineDateTimeRanges(identifier, conditions)
    : conditions;
}

/**
 * Parses and validates a C-FIND identifier (PS3.4 C.4.1.1.3) into a {@link Query}: one
 * {@link Condition} per key, by the matching rules of PS3.4 C.2.2.2 and the extended mechanisms
 * in `options`. Specific Character Set and Timezone Offset From UTC are never matched (C.2.2.2,
 * C.2.2.2.5); the offset applies to DT keys without one.
 * @throws {@link QueryError} `DICOMNET_REPOSITORY_QUERY_INVALID_VALUE` for a malformed key,
 *   `…_INVALID_LEVEL` for a missing or unknown level, `…_UNSUPPORTED_KEY` with
 *   `unsupportedKeys: 'reject'`.
 */
export function parseQuery(identifier: DataSet, options: ParseQueryOptions = {}): Query {
  const level = parseLevel(identifier, options);
  const offset = timezoneOffset(identifier, options.timezoneOffsetMinutes);
  const walk: Walk = {
    options: offset === undefined ? options : { ...options, timezoneOffsetMinutes: offset },
    ignored: [],
  };
  const conditions = parseKeys(identifier, [], walk);
  const charset = identifier[SPECIFIC_CHARACTER_SET];
  return {
    ...(level === undefined ? {} : { level }),
    conditions,
    returnKeys: Object.keys(identifier)
      .filter((tag) => tag !== QUERY_RETRIEVE_LEVEL)
      .sort(),
    ignoredKeys: walk.ignored,
    ...(charset === undefined
      ? {}
      : { specificCharacterSet: stringValues(SPECIFIC_CHARACTER_SET, charset) }),
  };
}
