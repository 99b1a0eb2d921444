// What readInventory yields: the header of an Inventory instance (PS3.3 C.38.1) and its records,
// study > series > instance (Inventoried Studies/Series/Instances Sequences, C.38.1), each record
// with its own attributes only (the nested sequence of the level below taken out).
import type { DataSet } from '@dicomnet/data';
import type { InventoryLevel } from '../message-types.js';

/**
 * One item of an Incorporated Inventory Instance Sequence (0008,0422): the Inventory Reference
 * Macro (PS3.3 Table C.38.2-3), recursive, so that the root describes its whole tree.
 */
export interface InventoryReference {
  /** Referenced SOP Class UID (0008,1150): Inventory Storage. */
  readonly sopClassUid: string;
  /** Referenced SOP Instance UID (0008,1155): the incorporated instance. */
  readonly sopInstanceUid: string;
  /**
   * The whole item: Inventory Access End Points Sequence (0008,0420), the Stored File Access
   * Macro (C.38.2-2) and the nested sequence, as read.
   */
  readonly attributes: DataSet;
  /** The references the incorporated instance itself holds (C.38.2.3, Type 1C). */
  readonly incorporated: readonly InventoryReference[];
}

/** The top-level attributes of an Inventory instance (PS3.3 A.88, C.38.1). */
export interface InventoryHeader {
  /** Where it was read from (a path, or `stream`), for messages. */
  readonly source: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** Transfer syntax of the data set (from the File Meta Information). */
  readonly transferSyntaxUid: string;
  /** Inventory Level (0008,0403): which records the instance (and its whole tree) holds. */
  readonly level: InventoryLevel;
  /** Content Date (0008,0023): when production of the inventory began (C.38.1.1.1). */
  readonly contentDate: string;
  /** Content Time (0008,0033). */
  readonly contentTime: string;
  /** Inventory Purpose (0008,0401), Type 2. */
  readonly purpose?: string;
  /** Inventory Instance Description (0008,0402), Type 3. */
  readonly description?: string;
  /** The item of Scope of Inventory Sequence (0008,0400); undefined for a universal match. */
  readonly scope?: DataSet;
  /** Incorporated Inventory Instance Sequence (0008,0422): the instances below this one. */
  readonly incorporated: readonly InventoryReference[];
  /**
   * The attributes below are encoded after the records (PS3.5 7.1: ascending tags, and
   * Inventoried Studies Sequence is (0008,0423)), so a header read before the records lacks
   * them: `complete` is false there and true in the header that ends the instance.
   */
  readonly complete: boolean;
  /** Transaction UID (0008,1195), Type 1C. */
  readonly transactionUid?: string;
  /** Inventory Completion Status (0008,0426) (C.38.1.1.3), Type 1. */
  readonly completion?: string;
  /** Number of Study Records in Instance (0008,0427), Type 1. */
  readonly studyRecordsInInstance?: number;
  /** Total Number of Study Records (0008,0428) of the whole tree. */
  readonly totalStudyRecords?: number;
  /** Every top-level attribute except Inventoried Studies Sequence. */
  readonly attributes: DataSet;
}

/** A study record: one item of Inventoried Studies Sequence (0008,0423). */
export interface InventoryStudyRecord {
  readonly kind: 'study';
  readonly studyInstanceUid: string;
  /** Item Inventory DateTime (0008,0404): when this record was produced. */
  readonly itemInventoryDateTime?: string;
  /** The item's attributes without Inventoried Series Sequence (0008,0424). */
  readonly attributes: DataSet;
  /** SOP Instance UID of the Inventory instance holding the record. */
  readonly inventory: string;
}

/** A series record: one item of Inventoried Series Sequence (0008,0424) of a study record. */
export interface InventorySeriesRecord {
  readonly kind: 'series';
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** The item's attributes without Inventoried Instances Sequence (0008,0425). */
  readonly attributes: DataSet;
  readonly inventory: string;
}

/** An instance record: one item of Inventoried Instances Sequence (0008,0425) of a series. */
export interface InventoryInstanceRecord {
  readonly kind: 'instance';
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid?: string;
  readonly attributes: DataSet;
  readonly inventory: string;
}

/** A record of an inventory, in the order of the instance: a study, its series, their instances. */
export type InventoryRecord =
  InventoryStudyRecord | InventorySeriesRecord | InventoryInstanceRecord;

/**
 * What {@link readInventory} yields: `header` first (attributes before the records), the records,
 * then `end` with the complete header and the number of study records read.
 */
export type InventoryItem =
  | { readonly kind: 'header'; readonly header: InventoryHeader }
  | InventoryRecord
  | { readonly kind: 'end'; readonly header: InventoryHeader; readonly studyRecords: number };
