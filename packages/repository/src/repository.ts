// The storage-neutral face of a DICOM archive. Nothing here names SQLite or files: the default
// FileRepository implements it on a folder tree and an SQLite index, and a shared backend
// (PostgreSQL for several `dicomnet serve` nodes) can implement it later.
import type { Readable } from 'node:stream';
import type { DataSet } from '@dicomnet/data';
import type { MatchRecord, Query, QueryLevel } from './match/index.js';
import type { WalkedRecord, WalkOptions } from './query/walk-index.js';

/**
 * What {@link Repository.store} does when the SOP Instance UID is already stored:
 * - `replace` (default): the new instance replaces the old one atomically (rename over it);
 *   readers see the old or the new file, never a mix. Its first received date-time is kept.
 * - `keep`: the stored instance stays; the new bytes are read to their end and dropped.
 * - `reject`: as `keep`, then the store fails with {@link DuplicateInstanceError}.
 */
export type DuplicatePolicy = 'replace' | 'keep' | 'reject';

/** The level a {@link Repository.markRemoved} call names (PS3.4 C.6 Query/Retrieve Levels). */
export type RepositoryLevel = 'STUDY' | 'SERIES' | 'IMAGE';

/** One instance to store: its data set as a C-STORE carries it, and the UIDs of its command. */
export interface StoreRequest {
  /**
   * The data set bytes in `transferSyntaxUid` (no preamble, no File Meta Information; already
   * deflated for the Deflated syntax): chunks read one at a time (a stream), or all of them.
   */
  readonly dataSet: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;
  /** Affected SOP Class UID; the data set's (0008,0016) must equal it. */
  readonly sopClassUid: string;
  /** Affected SOP Instance UID; the data set's (0008,0018) must equal it. */
  readonly sopInstanceUid: string;
  /** Transfer syntax of `dataSet`. */
  readonly transferSyntaxUid: string;
  /** The sending peer's AE title, written to (0002,0016) and kept in the index. */
  readonly sourceAeTitle?: string;
}

/** Options of {@link Repository.store}. */
export interface StoreOptions {
  /** Overrides the repository's {@link DuplicatePolicy} for this store. */
  readonly duplicate?: DuplicatePolicy;
  /** Aborting stops the store; nothing of it remains. */
  readonly signal?: AbortSignal;
  /**
   * For an Inventory Storage instance whose writer holds its keys (an Inventory Creation SCP's
   * sink): the top-level attributes of `dataSet` but its sequences of records, exactly as they
   * are in `dataSet`. The repository then indexes these instead of reading the stored file back
   * (a leaf of thousands of records is megabytes), after the checks it makes on keys it reads
   * (UIDs, SOP Class, File Meta Information). The caller vouches that they are the data set's.
   * Ignored for other SOP Classes.
   */
  readonly inventoryKeys?: DataSet;
}

/** What the repository knows about one stored instance. Date-times are DICOM DT in UTC. */
export interface StoredInstance {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  /** `''` for a non-patient instance (Inventory Storage: PS3.3 A.88 has no Study module). */
  readonly studyInstanceUid: string;
  /** `''` for a non-patient instance (Inventory Storage). */
  readonly seriesInstanceUid: string;
  /** Bytes of the stored Part 10 file. */
  readonly sizeBytes: number;
  /** When the instance was first stored. */
  readonly receivedAt: string;
  /** When it was last stored or changed. */
  readonly updatedAt: string;
  /** Removed from Operational Use (0008,0405). */
  readonly removed: boolean;
}

/** What {@link Repository.store} did. */
export interface StoreResult {
  /** `stored` (new), `replaced` (was there, replaced) or `kept` (was there, left as it was). */
  readonly outcome: 'stored' | 'replaced' | 'kept';
  /** The instance as the repository now holds it. */
  readonly instance: StoredInstance;
}

/** Options of the reading calls. */
export interface ReadOptions {
  readonly signal?: AbortSignal;
}

/** Options of {@link Repository.match} and {@link Repository.instancesOf}. */
export interface MatchOptions {
  /**
   * A {@link MatchedRecord.cursor}: the match resumes after that record, also in another process
   * or after a restart (records are in the order of their level's unique key).
   */
  readonly after?: string;
  /** Records read from the index at a time (memory stays flat whatever the total); default 500. */
  readonly pageSize?: number;
  /** Include what was Removed from Operational Use; default false (it is not matched). */
  readonly includeRemoved?: boolean;
  /** Minutes east of UTC of stored DT values without an offset; default 0. */
  readonly timezoneOffsetMinutes?: number;
  /** Aborting ends the iteration with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** One record of {@link Repository.match}. */
export interface MatchedRecord {
  readonly level: QueryLevel;
  /**
   * The attributes the index holds for the level and the levels above, by tag (8 upper-case hex
   * digits), as DICOM strings (PN as `Alphabetic=Ideographic=Phonetic`, counts as IS). Absent
   * attributes are left out.
   */
  readonly attributes: MatchRecord;
  /** Pass as {@link MatchOptions.after} to continue after this record. Opaque. */
  readonly cursor: string;
}

/** What a retrieve sends of one instance: its identity and how it is stored. */
export interface InstanceReference {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  /** `''` for a non-patient instance (Inventory Storage). */
  readonly studyInstanceUid: string;
  /** `''` for a non-patient instance (Inventory Storage). */
  readonly seriesInstanceUid: string;
}

/** Options of {@link Repository.matchInventories}. */
export interface InventoryMatchOptions {
  /** A {@link MatchedInventory.cursor}: the match resumes after that instance. */
  readonly after?: string;
  /** Rows read from the index at a time; default 500. */
  readonly pageSize?: number;
  /** Minutes east of UTC of stored DT values without an offset; default 0. */
  readonly timezoneOffsetMinutes?: number;
  /** Aborting ends the iteration with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * One Inventory instance (Inventory Storage, PS3.4 GG.6.6) that {@link Repository.matchInventories}
 * found: the keys the repository indexes for Inventory FIND (PS3.4 JJ.2).
 */
export interface MatchedInventory {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  /** The indexed keys by tag as DICOM strings (Scope of Inventory Sequence as items). */
  readonly attributes: MatchRecord;
  /**
   * The same keys as data elements: SOP Class and Instance UID, Content Date and Time, Inventory
   * Purpose, Level and Completion Status, Number of Study Records in Instance, Total Number of
   * Study Records, Transaction UID, Specific Character Set, and Scope of Inventory Sequence as the
   * file holds it. Absent attributes are left out.
   */
  readonly dataSet: DataSet;
  /** Pass as {@link InventoryMatchOptions.after} to continue after this instance. Opaque. */
  readonly cursor: string;
}

/** The instances under what a query matches: how many, then each of them. */
export interface InstanceSet {
  /** How many `instances` yields, counted when the set was made. */
  readonly total: number;
  /**
   * The instances, read from the index a page at a time. One that is deleted meanwhile is left
   * out, so fewer than `total` may come.
   */
  readonly instances: AsyncIterable<InstanceReference>;
}

/** A DICOM archive: instances in, instances out, asynchronous and streaming throughout. */
export interface Repository {
  /**
   * Stores one instance as a Part 10 file. Atomic: the instance is there whole or not at all.
   * Durable before it resolves unless the repository was opened with `fsync: false`. Once it
   * resolves, every read (`get`, `read`, `match`, `instancesOf`, `walk`) sees the instance.
   * @throws {@link InvalidInstanceError} when the data set's UIDs are missing, malformed or differ
   *   from the request's; {@link DuplicateInstanceError} under the `reject` policy;
   *   {@link RepositoryClosedError}; file system errors; the signal's reason.
   */
  store(request: StoreRequest, options?: StoreOptions): Promise<StoreResult>;
  /** The instance with this SOP Instance UID, or undefined. */
  get(sopInstanceUid: string): Promise<StoredInstance | undefined>;
  /**
   * The stored Part 10 file (preamble, File Meta Information, data set) as a stream.
   * @throws {@link InstanceNotFoundError} when the instance (or its file) is not there.
   */
  read(sopInstanceUid: string, options?: ReadOptions): Promise<Readable>;
  /**
   * Deletes an instance (its file, then its row).
   * @returns Whether it was there.
   */
  delete(sopInstanceUid: string): Promise<boolean>;
  /**
   * Sets (or with `removed: false` clears) Removed from Operational Use on an instance, or on all
   * instances of a series or study; the data stays and can still be retrieved.
   * @returns The number of instances whose flag changed.
   */
  markRemoved(level: RepositoryLevel, uid: string, removed?: boolean): Promise<number>;
  /**
   * The records of `query.level` that match `query` (PS3.4 C.2.2.2), in the order of the level's
   * unique key (Patient ID and Issuer, Study, Series or SOP Instance UID), resumable with
   * {@link MatchOptions.after}. Keys on attributes the index does not hold match no record:
   * parse with `isMatchable` to treat them as universal.
   * @throws {@link QueryError} (`DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL`) when the query has no
   *   level; {@link InvalidCursorError}; {@link RepositoryClosedError}.
   */
  match(query: Query, options?: MatchOptions): AsyncIterable<MatchedRecord>;
  /**
   * The instances of every record `query` matches at its level (all of a study, of a series, or
   * the instances themselves): what a C-GET or C-MOVE sends (PS3.4 C.4.2.2, C.4.3.2).
   */
  instancesOf(query: Query, options?: Omit<MatchOptions, 'after'>): Promise<InstanceSet>;
  /**
   * Every study `query` selects, each followed (down to `options.depth`) by its series, each
   * followed by its instances: depth first, in Study, Series and SOP Instance UID order, resumable
   * after a study with {@link WalkOptions.after}; what an inventory lists (PS3.3 C.38.1). Without
   * a level (or at STUDY) `query` matches studies; at SERIES or IMAGE (a RELATIONAL Scope of
   * Inventory, PS3.3 C.38.2.1) only the matching series or instances and what leads to them.
   * @throws {@link InvalidCursorError}; {@link RepositoryClosedError}.
   */
  walk(query: Query, options: WalkOptions): AsyncIterable<WalkedRecord>;
  /**
   * The Inventory instances that match `query` (PS3.4 C.2.2.2 on the keys of
   * {@link MatchedInventory.dataSet}; the query has no level: the Inventory model has one, JJ.2),
   * in SOP Instance UID order, resumable with {@link InventoryMatchOptions.after}. Inventory
   * instances are never records of {@link match}: they belong to no patient (PS3.3 A.88).
   * @throws {@link InvalidCursorError}; {@link RepositoryClosedError}.
   */
  matchInventories(query: Query, options?: InventoryMatchOptions): AsyncIterable<MatchedInventory>;
  /** The Inventory instances `query` matches, as a C-GET or C-MOVE sends them (PS3.4 JJ.3.2). */
  inventoriesOf(query: Query, options?: Omit<InventoryMatchOptions, 'after'>): Promise<InstanceSet>;
  /** Waits for the operations under way, then closes. Idempotent. */
  close(): Promise<void>;
}
