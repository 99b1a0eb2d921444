// Matching over the Inventory table: the single-level Inventory Information Model (PS3.4 JJ.2,
// modelled on the Basic Worklist, K.2), keyed by SOP Instance UID. An archive holds few Inventory
// instances next to its patient instances, so rows are read a page at a time in SOP Instance UID
// order and every condition is checked in memory with the same matcher as C-FIND (PS3.4 C.2.2.2),
// Scope of Inventory Sequence included (Sequence Matching, C.2.2.2.6).
import { fromDicomJson, type DataElement, type DataSet } from '@dicomnet/data';
import { InvalidCursorError } from '../errors.js';
import { matches, matchRecordOf } from '../match/index.js';
import type { Query } from '../match/index.js';
import type { InventoryMatchOptions, MatchedInventory } from '../repository.js';
import type { InventoryIndex, InventoryRow } from './inventory-index.js';
import { InventoryTag } from './inventory-record.js';

const CURSOR_PREFIX = 'i1.';
const DEFAULT_PAGE_SIZE = 500;

/** What {@link matchInventories} reads from. */
export interface InventoryMatchSource {
  readonly index: InventoryIndex;
  /** Throws when the repository is closing. */
  readonly checkOpen: () => void;
}

/** The cursor after the Inventory instance `sopInstanceUid`. */
export function inventoryCursor(sopInstanceUid: string): string {
  return CURSOR_PREFIX + Buffer.from(sopInstanceUid, 'utf8').toString('base64url');
}

function decodeInventoryCursor(cursor: string): string {
  if (!cursor.startsWith(CURSOR_PREFIX))
    throw new InvalidCursorError('not an Inventory cursor of this repository');
  return Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8');
}

/**
 * The rows a condition on a UID key narrows the match to in SQL (the unique index on SOP Instance
 * UID, the index on Transaction UID); every row read is still checked with the matcher.
 */
function narrowing(
  query: Query,
): { key: 'sopInstanceUid' | 'transactionUid'; uids: readonly string[] } | undefined {
  for (const [tag, key] of [
    [InventoryTag.sopInstanceUid, 'sopInstanceUid'],
    [InventoryTag.transactionUid, 'transactionUid'],
  ] as const) {
    const condition = query.conditions.find((each) => each.tag === tag);
    if (condition?.kind === 'single') return { key, uids: [condition.value] };
    if (condition?.kind === 'uid-list') return { key, uids: condition.values };
  }
  return undefined;
}

/**
 * The Inventory instances that match `query` (which has no level: PS3.4 JJ.2), in SOP Instance UID
 * order, resumable after a cursor.
 */
export async function* matchInventories(
  source: InventoryMatchSource,
  query: Query,
  options: InventoryMatchOptions = {},
): AsyncGenerator<MatchedInventory> {
  let after = options.after === undefined ? '' : decodeInventoryCursor(options.after);
  const pageSize = Math.max(1, Math.trunc(options.pageSize ?? DEFAULT_PAGE_SIZE));
  const recordOptions = { timezoneOffsetMinutes: options.timezoneOffsetMinutes ?? 0 };
  const only = narrowing(query);
  // Scope of Inventory is parsed from its JSON only for a query that matches on it.
  const scoped = query.conditions.some(
    (condition) => condition.tag === InventoryTag.scopeOfInventorySequence,
  );
  for (;;) {
    options.signal?.throwIfAborted();
    source.checkOpen();
    const rows = source.index.page(after, pageSize, only);
    for (const row of rows) {
      const attributes = matchRecordOf(inventoryDataSet(row, scoped));
      if (!matches(query, attributes, recordOptions)) continue;
      const dataSet = inventoryDataSet(row, true);
      yield {
        sopInstanceUid: row.sopInstanceUid,
        sopClassUid: row.sopClassUid,
        transferSyntaxUid: row.transferSyntaxUid,
        attributes: scoped ? attributes : matchRecordOf(dataSet),
        dataSet,
        cursor: inventoryCursor(row.sopInstanceUid),
      };
    }
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < pageSize) return;
    after = last.sopInstanceUid;
  }
}

function textElement(vr: string, value: string | undefined): DataElement | undefined {
  return value === undefined ? undefined : { vr, Value: value.split('\\') };
}

/**
 * The indexed keys of an Inventory row as data elements (PS3.3 C.38.1 VRs); Scope of Inventory
 * Sequence only `withScope`.
 */
export function inventoryDataSet(row: InventoryRow, withScope: boolean): DataSet {
  const elements: [string, DataElement | undefined][] = [
    [InventoryTag.specificCharacterSet, textElement('CS', row.specificCharacterSet)],
    [InventoryTag.sopClassUid, textElement('UI', row.sopClassUid)],
    [InventoryTag.sopInstanceUid, textElement('UI', row.sopInstanceUid)],
    [InventoryTag.contentDate, textElement('DA', row.contentDate)],
    [InventoryTag.contentTime, textElement('TM', row.contentTime)],
    [InventoryTag.inventoryPurpose, textElement('LT', row.inventoryPurpose)],
    [InventoryTag.inventoryLevel, textElement('CS', row.inventoryLevel)],
    [InventoryTag.inventoryCompletionStatus, textElement('CS', row.inventoryCompletionStatus)],
    [
      InventoryTag.numberOfStudyRecordsInInstance,
      row.numberOfStudyRecordsInInstance === undefined
        ? undefined
        : { vr: 'UL', Value: [Number(row.numberOfStudyRecordsInInstance)] },
    ],
    [
      InventoryTag.totalNumberOfStudyRecords,
      row.totalNumberOfStudyRecords === undefined
        ? undefined
        : { vr: 'UV', Value: [BigInt(row.totalNumberOfStudyRecords)] },
    ],
    [InventoryTag.transactionUid, textElement('UI', row.transactionUid)],
  ];
  const dataSet: Record<string, DataElement> = {};
  for (const [tag, element] of elements) if (element !== undefined) dataSet[tag] = element;
  if (withScope && row.scopeOfInventory !== undefined) {
    const scope = fromDicomJson(row.scopeOfInventory)[InventoryTag.scopeOfInventorySequence];
    if (scope !== undefined) dataSet[InventoryTag.scopeOfInventorySequence] = scope;
  }
  return dataSet;
}
