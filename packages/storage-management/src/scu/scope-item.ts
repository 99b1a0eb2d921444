// The Scope of Inventory Sequence item of an Initiate (PS3.4 Table KK.2-1; PS3.3 C.38.2.1, Table
// C.38.2-1) from friendly keys. In an N-ACTION there is no association-level extended
// negotiation, so the item itself says which mechanism applies to which key.
import type { DataElement, DataSet } from '@dicomnet/data';
import { isTagKey } from '@dicomnet/data';
import { Tag } from '../tags.js';
import { InventoryRequestError } from './scu-errors.js';

/** A date, time or date-time range for the Range Matching Sequence (C.38.2.1.1.3). */
export interface ScopeRange {
  readonly vr: 'DA' | 'TM' | 'DT';
  /** Begin of the range; absent = open. */
  readonly from?: string;
  /** End of the range; absent = open. */
  readonly to?: string;
}

/**
 * Which studies to inventory, as friendly keys. Studies match when every key matches (PS3.4
 * KK.2.2.1.1); no keys at all is a comprehensive inventory (universal match). Keys are tag keys
 * of 8 upper-case hex digits, e.g. `00080020` for Study Date.
 */
export interface InventoryScopeKeys {
  /** Keys matched as in PS3.4 C.2.2.2 (single value, wild card, universal), put in the item. */
  readonly keys?: DataSet;
  /** Range Matching Sequence (0008,0410): DA, TM and DT keys with a begin and an end. */
  readonly ranges?: Readonly<Record<string, ScopeRange>>;
  /** List of UID Matching Sequence (0008,0411): UI keys with several UIDs. */
  readonly uidLists?: Readonly<Record<string, readonly string[]>>;
  /** Empty Value Matching Sequence (0008,0412): keys that match only studies without a value; tag → VR. */
  readonly emptyValues?: Readonly<Record<string, string>>;
  /** General Matching Sequence (0008,0413): further keys, matched as in `keys`. */
  readonly general?: DataSet;
  /** Extended Matching Mechanisms (0008,040F): the mechanisms beyond the baseline relied on. */
  readonly extendedMatchingMechanisms?: readonly string[];
  /** Specific Character Set (0008,0005) of the keys' text. */
  readonly specificCharacterSet?: readonly string[];
  /** Timezone Offset From UTC (0008,0201), e.g. `+0100`; with TIMEZONE_ADJUST. */
  readonly timezoneOffsetFromUtc?: string;
  /** Query/Retrieve Level (0008,0052) for RELATIONAL matching, e.g. `SERIES`. */
  readonly queryRetrieveLevel?: string;
}

function checkKeys(what: string, tags: readonly string[]): void {
  for (const tag of tags) {
    if (!isTagKey(tag))
      throw new InventoryRequestError(`${what} key ${tag} is not 8 upper-case hex digits`);
  }
}

function sequence(item: DataSet): DataElement {
  return { vr: 'SQ', Value: [item] };
}

/**
 * The one-item matching sequence of `entries` (tag → what `element` makes its element of), their
 * keys checked first; undefined when there are none (the sequence is then left out).
 */
function matchingSequence<T>(
  what: string,
  entries: Readonly<Record<string, T>> | undefined,
  element: (tag: string, value: T) => DataElement,
): DataElement | undefined {
  const pairs = Object.entries(entries ?? {});
  if (pairs.length === 0) return undefined;
  checkKeys(
    what,
    pairs.map(([tag]) => tag),
  );
  return sequence(Object.fromEntries(pairs.map(([tag, value]) => [tag, element(tag, value)])));
}

/**
 * Builds the Scope of Inventory Sequence item from `scope`: the keys and General Matching keys
 * as given, each range as two values (begin, end) of its key in the one Range Matching item, each
 * UID list as one multi-valued UI key in the List of UID Matching item, each empty-value key as a
 * zero-length element in the Empty Value Matching item (C.38.2.1.1.3–.6, whose exact sub-item
 * layout is UNCONFIRMED here: this is the layout @dicomnet/repository's `parseInventoryScope`
 * reads).
 * @throws {@link InventoryRequestError} (`DICOMNET_INVENTORY_REQUEST_INVALID`) for a key that is
 *   not a tag key, a range without either end, or an empty UID list.
 */
export function buildScopeItem(scope: InventoryScopeKeys): DataSet {
  const item: Record<string, DataElement> = {};
  const keys = scope.keys ?? {};
  checkKeys('scope', Object.keys(keys));
  Object.assign(item, keys);
  const mechanisms = scope.extendedMatchingMechanisms ?? [];
  if (mechanisms.length > 0)
    item[Tag.ExtendedMatchingMechanisms] = { vr: 'CS', Value: [...mechanisms] };
  if (scope.specificCharacterSet !== undefined) {
    item[Tag.SpecificCharacterSet] = { vr: 'CS', Value: [...scope.specificCharacterSet] };
  }
  if (scope.timezoneOffsetFromUtc !== undefined) {
    item[Tag.TimezoneOffsetFromUTC] = { vr: 'SH', Value: [scope.timezoneOffsetFromUtc] };
  }
  if (scope.queryRetrieveLevel !== undefined) {
    item[Tag.QueryRetrieveLevel] = { vr: 'CS', Value: [scope.queryRetrieveLevel] };
  }
  const ranges = matchingSequence('range', scope.ranges, (tag, { vr, from, to }) => {
    if (from === undefined && to === undefined)
      throw new InventoryRequestError(`range of ${tag} has neither a begin nor an end`);
    return { vr, Value: [from ?? '', to ?? ''] };
  });
  if (ranges !== undefined) item[Tag.RangeMatchingSequence] = ranges;
  const lists = matchingSequence('UID list', scope.uidLists, (tag, uids) => {
    if (uids.length === 0) throw new InventoryRequestError(`UID list of ${tag} is empty`);
    return { vr: 'UI', Value: [...uids] };
  });
  if (lists !== undefined) item[Tag.ListOfUIDMatchingSequence] = lists;
  const empties = matchingSequence('empty value', scope.emptyValues, (_tag, vr) => ({ vr }));
  if (empties !== undefined) item[Tag.EmptyValueMatchingSequence] = empties;
  if (scope.general !== undefined) {
    checkKeys('general', Object.keys(scope.general));
    item[Tag.GeneralMatchingSequence] = sequence(scope.general);
  }
  return item;
}
