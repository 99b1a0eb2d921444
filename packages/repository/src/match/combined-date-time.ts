// Combined datetime matching (PS3.4 C.2.2.2.5.4, with its extended negotiation): "a pair of
// Attributes that are of VR DA and TM, both of which specify the same form of Range Matching,
// shall have the concatenated string values of each range matching component matched as if they
// were a single datetime Attribute".
import type { DataSet } from '@dicomnet/data';
import { normalizeDateTime } from './date-time.js';
import type { Condition } from './query.js';
import { QueryError } from './query-error.js';
import { stringValues } from './parse-key.js';
import { normalizeValue } from './value-rules.js';

/** The DA keys of PS3.6 paired with the TM key of the same moment. */
export const DATE_TIME_PAIRS: ReadonlyMap<string, string> = new Map([
  ['00080012', '00080013'], // Instance Creation Date / Time
  ['00080020', '00080030'], // Study Date / Time
  ['00080021', '00080031'], // Series Date / Time
  ['00080022', '00080032'], // Acquisition Date / Time
  ['00080023', '00080033'], // Content Date / Time
  ['00100030', '00100032'], // Patient's Birth Date / Time
  ['00400002', '00400003'], // Scheduled Procedure Step Start Date / Time
  ['00400004', '00400005'], // Scheduled Procedure Step End Date / Time
  ['00400244', '00400245'], // Performed Procedure Step Start Date / Time
  ['00400250', '00400251'], // Performed Procedure Step End Date / Time
]);

function rangeParts(identifier: DataSet, tag: string): [string, string] | undefined {
  const element = identifier[tag];
  if (element === undefined) return undefined;
  const values = stringValues(tag, element);
  if (values.length !== 1) return undefined;
  const value = normalizeValue(element.vr, values[0] ?? '');
  const at = value.indexOf('-');
  if (at === -1) return undefined;
  return [value.slice(0, at), value.slice(at + 1)];
}

/**
 * The conditions with each DA/TM range pair of the same form replaced by one date-time-range
 * condition on the DA key (the TM key's condition is dropped).
 */
export function combineDateTimeRanges(
  identifier: DataSet,
  conditions: readonly Condition[],
): Condition[] {
  const combined = new Map<string, Condition>();
  const dropped = new Set<string>();
  for (const [dateTag, timeTag] of DATE_TIME_PAIRS) {
    const date = rangeParts(identifier, dateTag);
    const time = rangeParts(identifier, timeTag);
    if (date === undefined || time === undefined) continue;
    const sameForm = (date[0] === '') === (time[0] === '') && (date[1] === '') === (time[1] === '');
    if (!sameForm) continue;
    const from = date[0] === '' ? undefined : normalizeDateTime(date[0] + time[0], 'low');
    const to = date[1] === '' ? undefined : normalizeDateTime(date[1] + time[1], 'high');
    if ((date[0] !== '' && from === undefined) || (date[1] !== '' && to === undefined)) {
      throw new QueryError(
        'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
        dateTag,
        'the date and time ranges do not form a datetime range',
      );
    }
    combined.set(dateTag, {
      kind: 'date-time-range',
      tag: dateTag,
      timeTag,
      vr: 'DA',
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
    dropped.add(timeTag);
  }
  return conditions
    .filter((condition) => !dropped.has(condition.tag))
    .map((condition) => combined.get(condition.tag) ?? condition);
}
