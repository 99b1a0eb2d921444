// Model data sets → the header and records of an Inventory instance (PS3.3 C.38.1, C.38.2.3).
import type { DataSet, DataElementValue } from '@dicomnet/data';
import { INVENTORY_LEVELS, type InventoryLevel } from '../message-types.js';
import { Tag } from '../tags.js';
import { InventoryMalformedError } from './errors.js';
import type { InventoryHeader, InventoryRecord, InventoryReference } from './inventory-records.js';

/** The first value of an element as text; undefined when absent or empty. */
export function text(dataSet: DataSet, key: string): string | undefined {
  const value: DataElementValue | undefined = dataSet[key]?.Value?.[0];
  if (value === undefined || value === '') return undefined;
  return typeof value === 'object' ? undefined : String(value);
}

/** The items of a sequence (none when absent or empty). */
export function items(dataSet: DataSet, key: string): readonly DataSet[] {
  return (dataSet[key]?.Value ?? []) as readonly DataSet[];
}

function required(dataSet: DataSet, key: string, name: string, where: string): string {
  const value = text(dataSet, key);
  if (value === undefined)
    throw new InventoryMalformedError(
      `${name} (${key.slice(0, 4)},${key.slice(4)}) missing`,
      where,
    );
  return value;
}

function count(dataSet: DataSet, key: string): number | undefined {
  const value = text(dataSet, key);
  return value === undefined ? undefined : Number(value);
}

/** The Inventory Reference Macro items of a sequence, recursively (PS3.3 Table C.38.2-3). */
export function references(dataSet: DataSet, where: string): InventoryReference[] {
  return items(dataSet, Tag.IncorporatedInventoryInstanceSequence).map((item) => ({
    sopClassUid: required(item, Tag.ReferencedSOPClassUID, 'Referenced SOP Class UID', where),
    sopInstanceUid: required(
      item,
      Tag.ReferencedSOPInstanceUID,
      'Referenced SOP Instance UID',
      where,
    ),
    attributes: item,
    incorporated: references(item, where),
  }));
}

/**
 * The header of an Inventory instance from its top-level attributes. Before the records only
 * the attributes preceding (0008,0423) are there (`complete` false); Type 1 attributes after it
 * are checked only on the complete header.
 */
export function headerOf(
  attributes: DataSet,
  context: {
    readonly source: string;
    readonly transferSyntaxUid: string;
    readonly complete: boolean;
  },
): InventoryHeader {
  const where = context.source;
  const level = required(attributes, Tag.InventoryLevel, 'Inventory Level', where);
  if (!(INVENTORY_LEVELS as readonly string[]).includes(level))
    throw new InventoryMalformedError(`Inventory Level "${level}" is not one of C.38.1's`, where);
  const scope = items(attributes, Tag.ScopeOfInventorySequence)[0];
  const header: InventoryHeader = {
    source: context.source,
    sopClassUid: required(attributes, Tag.SOPClassUID, 'SOP Class UID', where),
    sopInstanceUid: required(attributes, Tag.SOPInstanceUID, 'SOP Instance UID', where),
    transferSyntaxUid: context.transferSyntaxUid,
    level: level as InventoryLevel,
    // PS3.3 C.38.1: Content Date and Time are Type 1.
    contentDate: required(attributes, Tag.ContentDate, 'Content Date', where),
    contentTime: required(attributes, Tag.ContentTime, 'Content Time', where),
    ...optional('purpose', text(attributes, Tag.InventoryPurpose)),
    ...optional('description', text(attributes, Tag.InventoryInstanceDescription)),
    ...(scope !== undefined && Object.keys(scope).length > 0 && { scope }),
    incorporated: references(attributes, where),
    complete: context.complete,
    ...optional('transactionUid', text(attributes, Tag.TransactionUID)),
    ...optional('completion', text(attributes, Tag.InventoryCompletionStatus)),
    ...optional('studyRecordsInInstance', count(attributes, Tag.NumberOfStudyRecordsInInstance)),
    ...optional('totalStudyRecords', count(attributes, Tag.TotalNumberOfStudyRecords)),
    attributes,
  };
  if (context.complete) {
    // PS3.3 C.38.1 (Table C.38.1-1): both Type 1. Total Number of Study Records is Type 1 in the
    // directory record (F.5-48); its module row is UNCONFIRMED, so it is not required here.
    required(attributes, Tag.InventoryCompletionStatus, 'Inventory Completion Status', where);
    required(
      attributes,
      Tag.NumberOfStudyRecordsInInstance,
      'Number of Study Records in Instance',
      where,
    );
  }
  return header;
}

function optional<K extends string, V>(key: K, value: V | undefined): { readonly [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { readonly [P in K]?: V };
}

function without(dataSet: DataSet, key: string): DataSet {
  if (!(key in dataSet)) return dataSet;
  const { [key]: _dropped, ...rest } = dataSet;
  return rest;
}

/**
 * The records of one study item, in order: the study, then each series followed by its
 * instances (PS3.3 C.38.1). Records below `level` are refused: the Inventory Level says which
 * records an instance holds.
 */
export function* recordsOfStudy(
  item: DataSet,
  level: InventoryLevel,
  inventory: string,
  where: string,
): Generator<InventoryRecord> {
  const studyInstanceUid = required(item, Tag.StudyInstanceUID, 'Study Instance UID', where);
  const series = items(item, Tag.InventoriedSeriesSequence);
  if (level === 'STUDY' && series.length > 0)
    throw new InventoryMalformedError(
      `study ${studyInstanceUid} has series records in a STUDY level inventory`,
      where,
    );
  const itemInventoryDateTime = text(item, Tag.ItemInventoryDateTime);
  yield {
    kind: 'study',
    studyInstanceUid,
    ...(itemInventoryDateTime !== undefined && { itemInventoryDateTime }),
    attributes: without(item, Tag.InventoriedSeriesSequence),
    inventory,
  };
  for (const seriesItem of series) {
    const seriesInstanceUid = required(
      seriesItem,
      Tag.SeriesInstanceUID,
      'Series Instance UID',
      where,
    );
    const instances = items(seriesItem, Tag.InventoriedInstancesSequence);
    if (level !== 'INSTANCE' && instances.length > 0)
      throw new InventoryMalformedError(
        `series ${seriesInstanceUid} has instance records in a ${level} level inventory`,
        where,
      );
    yield {
      kind: 'series',
      studyInstanceUid,
      seriesInstanceUid,
      attributes: without(seriesItem, Tag.InventoriedInstancesSequence),
      inventory,
    };
    for (const instance of instances) {
      // The instance record's key is UNCONFIRMED (PS3.3 C.38.1 rows not readable): SOP Instance
      // UID (0008,0018) as in every composite instance, else Referenced SOP Instance UID.
      const sopInstanceUid =
        text(instance, Tag.SOPInstanceUID) ??
        required(instance, Tag.ReferencedSOPInstanceUID, 'SOP Instance UID', where);
      const sopClassUid =
        text(instance, Tag.SOPClassUID) ?? text(instance, Tag.ReferencedSOPClassUID);
      yield {
        kind: 'instance',
        studyInstanceUid,
        seriesInstanceUid,
        sopInstanceUid,
        ...(sopClassUid !== undefined && { sopClassUid }),
        attributes: instance,
        inventory,
      };
    }
  }
}
