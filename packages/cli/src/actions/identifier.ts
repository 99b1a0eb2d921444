import type { DataElement, DataSet } from '@dicomnet/data';
import { dictionaryVr, tagKey } from '@dicomnet/data';
import type { QueryCommandOptions } from '../commands/query-options.js';

const QUERY_RETRIEVE_LEVEL = 0x00080052;

/** The SOP classes of the two Information Models (PS3.4 C.6.1.3, C.6.2.3). */
const SOP_CLASSES = {
  patient: {
    find: '1.2.840.10008.5.1.4.1.2.1.1',
    move: '1.2.840.10008.5.1.4.1.2.1.2',
    get: '1.2.840.10008.5.1.4.1.2.1.3',
  },
  study: {
    find: '1.2.840.10008.5.1.4.1.2.2.1',
    move: '1.2.840.10008.5.1.4.1.2.2.2',
    get: '1.2.840.10008.5.1.4.1.2.2.3',
  },
} as const;

/** The SOP class of `operation` in the model the options name. */
export function sopClassOf(
  options: Pick<QueryCommandOptions, 'model'>,
  operation: 'find' | 'get' | 'move',
): string {
  return SOP_CLASSES[options.model][operation];
}

/**
 * The Identifier of the `-k` keys (PS3.4 C.4.1.1.3.1): Query/Retrieve Level from `--level`
 * unless a key gives it; each key with its PS3.6 VR, empty (return it) or with the value to
 * match.
 */
export function identifierOf(options: Pick<QueryCommandOptions, 'key' | 'level'>): DataSet {
  const identifier: Record<string, DataElement> = {
    [tagKey(QUERY_RETRIEVE_LEVEL >>> 16, QUERY_RETRIEVE_LEVEL & 0xffff)]: {
      vr: 'CS',
      Value: [options.level],
    },
  };
  for (const { tag, value } of options.key) {
    const vr = dictionaryVr(tag);
    const key = tagKey(tag >>> 16, tag & 0xffff);
    identifier[key] = value === '' ? { vr } : { vr, Value: [valueOf(vr, value)] };
  }
  return identifier;
}

function valueOf(vr: string, text: string): string | number | { Alphabetic: string } {
  if (vr === 'PN') return { Alphabetic: text };
  if (['US', 'UL', 'SS', 'SL', 'FL', 'FD'].includes(vr)) return Number(text);
  return text;
}
