// One C-FIND response Identifier from a matched record: exactly the keys the request asked for
// (PS3.4 C.4.1.1.3.2), with the record's values, zero-length where the index holds none, plus
// Query/Retrieve Level and, when values need it, Specific Character Set.
import type { DataElement, DataSet, PersonName } from '@dicomnet/data';
import type { MatchRecord, QueryLevel } from '../match/index.js';

const SPECIFIC_CHARACTER_SET = '00080005';
const QUERY_RETRIEVE_LEVEL = '00080052';
const RETRIEVE_AE_TITLE = '00080054';
const INSTANCE_AVAILABILITY = '00080056';

/** What a response says beyond the record. */
export interface ResponseContext {
  readonly level: QueryLevel;
  /** Retrieve AE Title (0008,0054): where the matches can be retrieved from. */
  readonly retrieveAeTitle: string | undefined;
}

function personName(value: string): PersonName {
  const [alphabetic = '', ideographic, phonetic] = value.split('=');
  return {
    Alphabetic: alphabetic,
    ...(ideographic === undefined ? {} : { Ideographic: ideographic }),
    ...(phonetic === undefined ? {} : { Phonetic: phonetic }),
  };
}

function elementOf(vr: string, values: readonly string[]): DataElement {
  if (values.length === 0) return { vr };
  if (vr === 'PN') return { vr, Value: values.map(personName) };
  if (vr === 'IS' || vr === 'DS') return { vr, Value: values.map(Number) };
  return { vr, Value: [...values] };
}

// PS3.5 6.1.2.5.3: values outside the default repertoire need a Specific Character Set; the index
// holds them decoded, so they go back in UTF-8.
// eslint-disable-next-line no-control-regex
export const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * Sets Specific Character Set (0008,0005) of `response`: ISO_IR 192 when a value is not ASCII
 * (the index holds values decoded), else the request's when it gave one (PS3.5 6.1.2.5.3).
 */
export function setCharacterSet(
  response: Record<string, DataElement>,
  identifier: DataSet,
  nonAscii: boolean,
): void {
  const requestedCharset = identifier[SPECIFIC_CHARACTER_SET];
  if (nonAscii) response[SPECIFIC_CHARACTER_SET] = { vr: 'CS', Value: ['ISO_IR 192'] };
  else if (requestedCharset !== undefined) response[SPECIFIC_CHARACTER_SET] = requestedCharset;
}

/**
 * The response Identifier for `record`: every key of `identifier` (except Query/Retrieve Level
 * and Specific Character Set, which this sets) with the record's value or zero-length.
 */
export function findResponse(
  record: MatchRecord,
  identifier: DataSet,
  context: ResponseContext,
): DataSet {
  const response: Record<string, DataElement> = {};
  let nonAscii = false;
  for (const [tag, requested] of Object.entries(identifier)) {
    if (tag === QUERY_RETRIEVE_LEVEL || tag === SPECIFIC_CHARACTER_SET) continue;
    if (requested.vr === 'SQ') {
      response[tag] = { vr: 'SQ' }; // sequences are not in the index
      continue;
    }
    let values: readonly string[] = (record[tag] ?? []).filter(
      (value): value is string => typeof value === 'string',
    );
    if (tag === RETRIEVE_AE_TITLE && context.retrieveAeTitle !== undefined)
      values = [context.retrieveAeTitle];
    // PS3.4 C.4.1.1.3.2 (Instance Availability): what the repository holds is on line.
    if (tag === INSTANCE_AVAILABILITY) values = ['ONLINE'];
    if (values.some((value) => NOT_ASCII.test(value))) nonAscii = true;
    response[tag] = elementOf(requested.vr, values);
  }
  response[QUERY_RETRIEVE_LEVEL] = { vr: 'CS', Value: [context.level] };
  setCharacterSet(response, identifier, nonAscii);
  return response;
}
