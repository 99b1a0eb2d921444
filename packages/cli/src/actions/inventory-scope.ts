// `--scope KEY=VALUE` of `dicomnet inventory request` as the Scope of Inventory item's keys
// (PS3.3 C.38.2.1, Table C.38.2-1). An N-ACTION has no association-level extended negotiation,
// so each key goes where the item says which matching mechanism applies to it.
import type { DataElement } from '@dicomnet/data';
import { dictionaryVr, tagKey } from '@dicomnet/data';
import type { InventoryScopeKeys, ScopeRange } from '@dicomnet/storage-management';
import type { QueryKey } from '../commands/query-keys.js';

const DATE_TIME_VRS: ReadonlySet<string> = new Set(['DA', 'TM', 'DT']);
const NUMBER_VRS: ReadonlySet<string> = new Set(['US', 'UL', 'SS', 'SL', 'FL', 'FD']);

/*
 * Extended Matching Mechanisms (0008,040F) values: PS3.4 Table C.5-2's mechanisms, spelled as
 * @dicomnet/repository's parseInventoryScope reads them. Only RELATIONAL and TIMEZONE_ADJUST are
 * confirmed spellings (storage-management.md §13); EMPTY_VALUE and MULTI_VALUE are UNCONFIRMED.
 */
const EMPTY_VALUE = 'EMPTY_VALUE';
const MULTI_VALUE = 'MULTI_VALUE';

function valueOf(vr: string, text: string): string | number | { Alphabetic: string } {
  if (vr === 'PN') return { Alphabetic: text };
  if (NUMBER_VRS.has(vr)) return Number(text);
  return text;
}

function element(vr: string, values: readonly string[]): DataElement {
  return { vr, Value: values.map((value) => valueOf(vr, value)) } as DataElement;
}

/**
 * The Scope of Inventory keys of `--scope` options, each key where its value says:
 * - `StudyDate=20240101-20241231` (a DA, TM or DT value with a `-`): Range Matching Sequence
 *   (C.38.2.1.1.3), begin and end, either may be open;
 * - `StudyInstanceUID=1.2.3\1.2.4` (a UI key with several UIDs): List of UID Matching Sequence
 *   (C.38.2.1.1.4);
 * - `AccessionNumber=` (no value): Empty Value Matching Sequence (C.38.2.1.1.5, PS3.4 C.2.2.2.7),
 *   with EMPTY_VALUE in Extended Matching Mechanisms (Table C.38.2-1: its condition);
 * - `PatientName=SMITH*` (a `*` or `?`): General Matching Sequence (C.38.2.1.1.6), Wild Card
 *   Matching (PS3.4 C.2.2.2.4);
 * - `ModalitiesInStudy=CT\PT` (several values, not UI): the key in the item with MULTI_VALUE
 *   (PS3.4 C.2.2.2.8: every value must match);
 * - anything else: Single Value Matching, the key directly in the item (PS3.4 C.2.2.2.1).
 */
export function scopeKeysOf(keys: readonly QueryKey[]): InventoryScopeKeys {
  const direct: Record<string, DataElement> = {};
  const general: Record<string, DataElement> = {};
  const ranges: Record<string, ScopeRange> = {};
  const uidLists: Record<string, string[]> = {};
  const emptyValues: Record<string, string> = {};
  const mechanisms = new Set<string>();
  for (const { tag, value } of keys) {
    const vr = dictionaryVr(tag);
    const key = tagKey(tag >>> 16, tag & 0xffff);
    const values = value.split('\\');
    if (value === '') {
      emptyValues[key] = vr;
      mechanisms.add(EMPTY_VALUE);
    } else if (DATE_TIME_VRS.has(vr) && value.includes('-')) {
      const dash = value.indexOf('-');
      const from = value.slice(0, dash);
      const to = value.slice(dash + 1);
      ranges[key] = {
        vr: vr as ScopeRange['vr'], // one of DATE_TIME_VRS
        ...(from !== '' && { from }),
        ...(to !== '' && { to }),
      };
    } else if (vr === 'UI' && values.length > 1) {
      uidLists[key] = values;
    } else if (/[*?]/.test(value)) {
      general[key] = element(vr, values);
    } else {
      if (values.length > 1) mechanisms.add(MULTI_VALUE);
      direct[key] = element(vr, values);
    }
  }
  const has = (record: object): boolean => Object.keys(record).length > 0;
  return {
    ...(has(direct) && { keys: direct }),
    ...(has(general) && { general }),
    ...(has(ranges) && { ranges }),
    ...(has(uidLists) && { uidLists }),
    ...(has(emptyValues) && { emptyValues }),
    ...(mechanisms.size > 0 && { extendedMatchingMechanisms: [...mechanisms].sort() }),
  };
}

/** The Scope of Inventory as people read it: `StudyDate 20240101-20241231, …` for the log. */
export function describeScope(keys: readonly QueryKey[], names: (tag: number) => string): string {
  if (keys.length === 0) return 'every study';
  return keys
    .map(({ tag, value }) => `${names(tag)}${value === '' ? ' empty' : `=${value}`}`)
    .join(', ');
}
