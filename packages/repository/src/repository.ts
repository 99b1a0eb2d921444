// The storage-neutral face of a DICOM archive. Nothing here names SQLite or files: the default
// FileRepository implements it on a folder tree and an SQLite index, and a shared backend
// (PostgreSQL for several `dicomnet serve` nodes) can implement it later.
import type { Readable } from 'node:stream';

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
}

/** What the repository knows about one stored instance. Date-times are DICOM DT in UTC. */
export interface StoredInstance {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  readonly studyInstanceUid: string;
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

/** A DICOM archive: instances in, instances out, asynchronous and streaming throughout. */
export interface Repository {
  /**
   * Stores one instance as a Part 10 file. Atomic: the instance is there whole or not at all.
   * Durable before it resolves unless the repository was opened with `fsync: false`.
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
  /** Waits for the operations under way, then closes. Idempotent. */
  close(): Promise<void>;
}
