// The (A → B) contract: what producing an inventory takes and gives. The SCP (engineer B) drives
// production through these shapes and persists the checkpoints; see produce-inventory.ts.
import type { DataSet } from '@dicomnet/data';
import type { Query } from '@dicomnet/repository';
import type { InventorySink } from '../inventory-sink.js';
import type { InventorySource } from '../inventory-source.js';
import type { InventoryLevel } from '../message-types.js';

/**
 * Inventory Completion Status (0008,0426) (PS3.3 C.38.1.1.3): whether the inventory covers its
 * whole Scope of Inventory. The enumerated values are UNCONFIRMED here (C.38.1.1.3 could not be
 * read, storage-management.md §21.10): dicomnet writes `COMPLETE` and `PARTIAL`.
 */
export type InventoryCompletionStatus = 'COMPLETE' | 'PARTIAL';

/** What is being inventoried, as the N-ACTION Initiate asked for it (PS3.4 Table KK.2-1). */
export interface InventoryRequestSpec {
  /** Transaction UID (0008,1195); Type 1C in PS3.3 C.38.1: present when a transaction asked. */
  readonly transactionUid?: string;
  /** Inventory Level (0008,0403). */
  readonly level: InventoryLevel;
  /** The Scope of Inventory item as applied (PS3.3 C.38.1.1.2); absent for a universal match. */
  readonly scope?: DataSet;
  /** `parseInventoryScope(scope, …)` from @dicomnet/repository: what the source matches. */
  readonly query: Query;
  /** Inventory Purpose (0008,0401), Type 2: written empty when absent. */
  readonly purpose?: string;
  /**
   * When production began: the Content Date/Time of every instance of the production
   * (PS3.3 C.38.1.1.1). Persisted by the caller so that a resumed production keeps it.
   */
  readonly startedAt: Date;
}

/** One stored leaf of a production. */
export interface LeafReference {
  readonly sopInstanceUid: string;
  /** Items of its Inventoried Studies Sequence (0008,0423). */
  readonly studyRecords: number;
}

/**
 * How far a production got, durably: everything up to `after` is in `leaves`. Persist it (it is
 * JSON-safe) and pass it back as {@link ProduceOptions.resume} to continue after a restart.
 */
export interface ProductionCheckpoint {
  /** Source cursor of the last study in a stored leaf; absent before the first one. */
  readonly after?: string;
  /** The stored leaves, in order. */
  readonly leaves: readonly LeafReference[];
  /** Study records in the stored leaves. */
  readonly studyRecords: number;
}

/** The produced inventory: a tree of Inventory instances and its root (PS3.3 C.38.1.1.5). */
export interface InventoryRoot {
  /** Inventory Storage (1.2.840.10008.5.1.4.1.1.201.1). */
  readonly sopClassUid: string;
  /** The root of the tree: what Referenced SOP Instance UID names (PS3.3 C.38.3.1.1). */
  readonly sopInstanceUid: string;
  /** Total Number of Study Records (0008,0428) over the tree. */
  readonly totalStudyRecords: number;
  readonly completion: InventoryCompletionStatus;
  /** Every SOP Instance UID produced, the root included (last). */
  readonly instances: readonly string[];
}

/** Options of {@link produceInventory}. */
export interface ProduceOptions {
  readonly source: InventorySource;
  readonly sink: InventorySink;
  readonly request: InventoryRequestSpec;
  /**
   * Most records (study, series and instance items alike) in one instance; default 10,000. A leaf
   * holds at least one record of the inventory's deepest level with its study (and series), so a
   * limit below that depth is exceeded by what one such path needs.
   */
  readonly maxRecordsPerInstance?: number;
  /** Most Incorporated Inventory Instance items one node references; default 1,000. */
  readonly fanOut?: number;
  /** A checkpoint of an earlier run of the same production: continue after it. */
  readonly resume?: ProductionCheckpoint;
  /** Pause, cancel or shutdown: rejects with `signal.reason`; the last checkpoint stands. */
  readonly signal?: AbortSignal;
  /** Called (and awaited) once a leaf ending at a study boundary is durable. */
  readonly onCheckpoint?: (checkpoint: ProductionCheckpoint) => void | Promise<void>;
  /** Study records so far, the open leaf included. */
  readonly onProgress?: (studyRecords: number) => void;
}

/** Options of {@link finishInventory}. */
export interface FinishOptions {
  readonly sink: InventorySink;
  readonly request: InventoryRequestSpec;
  readonly checkpoint: ProductionCheckpoint;
  readonly completion: InventoryCompletionStatus;
  /** As {@link ProduceOptions.fanOut}. */
  readonly fanOut?: number;
  readonly signal?: AbortSignal;
}
