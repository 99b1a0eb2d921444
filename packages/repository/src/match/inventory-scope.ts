// A Scope of Inventory Sequence item (PS3.3 C.38.2.1, Table C.38.2-1; PS3.4 KK.2.2.1.1) as a
// Query. In an N-ACTION there is no association-level extended negotiation, so the item says which
// mechanism applies to which key: Extended Matching Mechanisms (0008,040F) and the Range, List of
// UID, Empty Value and General Matching Sequences. Studies match when all keys match (KK.2.2.1.1).
import type { DataElement, DataSet } from '@dicomnet/data';
import { parseDateTimeKey, parseValueKey, sequenceItem, stringValues } from './parse-key.js';
import type { MatchingMechanisms } from './parse-key.js';
import { parseQuery, timezoneOffset } from './parse-query.js';
import type { ParseQueryOptions } from './parse-query.js';
import type { Condition, DateTimeVr, Query } from './query.js';
import { QueryError } from './query-error.js';
import { normalizeValue } from './value-rules.js';

const EXTENDED_MATCHING_MECHANISMS = '0008040F';
const RANGE_MATCHING_SEQUENCE = '00080410';
const LIST_OF_UID_MATCHING_SEQUENCE = '00080411';
const EMPTY_VALUE_MATCHING_SEQUENCE = '00080412';
const GENERAL_MATCHING_SEQUENCE = '00080413';
const QUERY_RETRIEVE_LEVEL = '00080052';
const MECHANISM_SEQUENCES: ReadonlySet<string> = new Set([
  RANGE_MATCHING_SEQUENCE,
  LIST_OF_UID_MATCHING_SEQUENCE,
  EMPTY_VALUE_MATCHING_SEQUENCE,
  GENERAL_MATCHING_SEQUENCE,
]);

// The Extended Matching Mechanisms values we implement, mapped to parse options. The spellings
// other than RELATIONAL and TIMEZONE_ADJUST are not confirmed against the standard's text (see
// storage-management.md §13); TIMEZONE_ADJUST (offsetting every DA and TM key) is not implemented,
// so it is refused like any unknown value (0x0212, PS3.4 KK.2.2.3).
const MECHANISMS: Readonly<Record<string, keyof MatchingMechanisms | 'relational'>> = {
  RELATIONAL: 'relational',
  DATETIME: 'combinedDateTime',
  FUZZY: 'fuzzyPersonNames',
  EMPTY_VALUE: 'emptyValue',
  MULTI_VALUE: 'multipleValue',
};

/** Options of {@link parseInventoryScope}. */
export type InventoryScopeOptions = Pick<
  ParseQueryOptions,
  'isMatchable' | 'personNameCase' | 'timezoneOffsetMinutes' | 'maxSequenceDepth'
>;

function invalid(tag: string, reason: string): QueryError {
  return new QueryError('DICOMNET_REPOSITORY_QUERY_INVALID_VALUE', tag, reason);
}

function mechanismsOf(item: DataSet): { relational: boolean; mechanisms: MatchingMechanisms } {
  const element = item[EXTENDED_MATCHING_MECHANISMS];
  const values = element === undefined ? [] : stringValues(EXTENDED_MATCHING_MECHANISMS, element);
  const mechanisms: Record<string, boolean> = {};
  for (const raw of values) {
    const value = normalizeValue('CS', raw);
    const option = MECHANISMS[value];
    if (option === undefined) {
      throw new QueryError(
        'DICOMNET_REPOSITORY_QUERY_UNSUPPORTED_MECHANISM',
        EXTENDED_MATCHING_MECHANISMS,
        `extended matching mechanism "${value}" is not supported`,
      );
    }
    mechanisms[option] = true;
  }
  const { relational = false, ...rest } = mechanisms;
  return { relational, mechanisms: rest };
}

function mechanismItem(scope: DataSet, tag: string): DataSet {
  const element = scope[tag];
  if (element === undefined) return {};
  return sequenceItem(tag, element) ?? {};
}

/** C.38.2.1.1.3: begin and end of a DA, DT or TM key, as two values or as one range string. */
function rangeCondition(tag: string, element: DataElement, offsetMinutes: number): Condition {
  const vr = element.vr;
  if (vr !== 'DA' && vr !== 'TM' && vr !== 'DT') {
    throw invalid(
      tag,
      `a ${vr} key in the Range Matching Sequence; only DA, DT and TM belong there`,
    );
  }
  const values = stringValues(tag, element).map((value) => normalizeValue(vr, value));
  if (values.length <= 1)
    return parseValueKey(tag, element, { timezoneOffsetMinutes: offsetMinutes });
  if (values.length > 2)
    throw invalid(tag, `${values.length} values; a range has a begin and an end`);
  const [begin = '', end = ''] = values;
  if (begin === '' && end === '') return { kind: 'universal', tag, vr };
  const bound = (value: string): Condition =>
    parseDateTimeKey(tag, vr as DateTimeVr, value, offsetMinutes);
  const from = begin === '' ? undefined : bound(begin);
  const to = end === '' ? undefined : bound(end);
  const low = from?.kind === 'range' ? from.from : undefined;
  const high = to?.kind === 'range' ? to.to : undefined;
  if (low !== undefined && high !== undefined && low > high) {
    throw invalid(tag, `range ${begin} to ${end} ends before it starts`);
  }
  return {
    kind: 'range',
    tag,
    vr,
    ...(low === undefined ? {} : { from: low }),
    ...(high === undefined ? {} : { to: high }),
  };
}

/**
 * Parses the item of a Scope of Inventory Sequence (0008,0400) into a {@link Query}. An absent
 * or empty item is universal (every study). Keys directly in the item and in the General Matching
 * Sequence follow PS3.4 C.2.2.2 with the listed Extended Matching Mechanisms; keys in the Range,
 * List of UID and Empty Value Matching Sequences use that mechanism. Keys not supported for
 * matching are ignored and listed in `ignoredKeys` (answer 0xB010 with them).
 * @throws {@link QueryError}: `…_UNSUPPORTED_MECHANISM` (0x0212) for an Extended Matching
 *   Mechanisms value we do not implement, `…_INVALID_LEVEL` (0x0212) for a bad or missing
 *   Query/Retrieve Level with RELATIONAL, `…_INVALID_VALUE` (0x0115) for a malformed key.
 */
export function parseInventoryScope(
  scope: DataSet | undefined,
  options: InventoryScopeOptions = {},
): Query {
  if (scope === undefined) return { conditions: [], returnKeys: [], ignoredKeys: [] };
  const { relational, mechanisms } = mechanismsOf(scope);
  const general: Record<string, DataElement> = {};
  for (const [tag, element] of Object.entries(scope)) {
    if (tag !== EXTENDED_MATCHING_MECHANISMS && !MECHANISM_SEQUENCES.has(tag))
      general[tag] = element;
  }
  Object.assign(general, mechanismItem(scope, GENERAL_MATCHING_SEQUENCE));
  if (!relational && general[QUERY_RETRIEVE_LEVEL] !== undefined) {
    // Table C.38.2-1: the level is there only with RELATIONAL.
    throw new QueryError(
      'DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL',
      QUERY_RETRIEVE_LEVEL,
      'a Query/Retrieve Level without the RELATIONAL mechanism',
    );
  }
  const base = parseQuery(general, {
    ...options,
    ...mechanisms,
    level: relational ? 'required' : 'forbidden',
  });
  const offset = timezoneOffset(scope, options.timezoneOffsetMinutes) ?? 0;
  const extra: Condition[] = [];
  const ignored: string[] = [];
  const each = (sequence: string, make: (tag: string, element: DataElement) => Condition): void => {
    for (const [tag, element] of Object.entries(mechanismItem(scope, sequence))) {
      if (options.isMatchable?.(tag, []) === false) ignored.push(tag);
      else extra.push(make(tag, element));
    }
  };
  each(RANGE_MATCHING_SEQUENCE, (tag, element) => rangeCondition(tag, element, offset));
  each(LIST_OF_UID_MATCHING_SEQUENCE, (tag, element) => {
    if (element.vr !== 'UI')
      throw invalid(tag, `a ${element.vr} key in the List of UID Matching Sequence`);
    return parseValueKey(tag, element, {});
  });
  each(EMPTY_VALUE_MATCHING_SEQUENCE, (tag, element) => ({ kind: 'empty', tag, vr: element.vr }));
  return {
    ...base,
    conditions: [...base.conditions, ...extra],
    returnKeys: [
      ...new Set([...base.returnKeys, ...extra.map((condition) => condition.tag)]),
    ].sort(),
    ignoredKeys: [...base.ignoredKeys, ...ignored],
  };
}
