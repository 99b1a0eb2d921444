// The default Repository: Part 10 files under `<root>/instances` at hashed paths, an SQLite index
// at `<root>/index.sqlite`, large stores staged in `<root>/incoming`, and a recovery pass at open.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  encodeFileMetaInformation,
  openPart10FileWriter,
  readAttributesSync,
  readPart10Attributes,
  type Attributes,
  type FileMetaInformationInput,
} from '@dicomnet/data';
import {
  DuplicateInstanceError,
  InstanceNotFoundError,
  InvalidInstanceError,
  RepositoryClosedError,
} from './errors.js';
import {
  dicomDateTime,
  joinChunks,
  KeyedQueue,
  makeFolder,
  syncFolder,
  takeUpTo,
} from './file-support.js';
import { IndexBatcher } from './index-batcher.js';
import { InstanceFolders } from './instance-folders.js';
import { InstanceIndex, type InstanceRow } from './index-db/instance-index.js';
import { prepareSchema } from './index-db/schema.js';
import { INDEX_TAGS, indexRecordOf, isUidShaped, type IndexRecord } from './index-record.js';
import { recoverRepository, type RecoveryReport } from './recovery.js';
import { redoJournaled, syncJournaled } from './store-journal/journaled-files.js';
import { StoreJournal } from './store-journal/store-journal.js';
import { InventoryIndex, type InventoryRow } from './inventory/inventory-index.js';
import { INVENTORY_STORAGE_SOP_CLASS } from './inventory/inventory-record.js';
import { matchInventories } from './inventory/match-inventories.js';
import { writeInventoryFile } from './inventory/write-inventory.js';
import { lockRoot, unlockRoot } from './root-lock.js';
import { writeBehindRecord, writeSmallFile } from './small-file.js';
import type { Query } from './match/index.js';
import { instanceReferenceOf, matchIndex, type MatchSource } from './query/match-index.js';
import { walkIndex, type WalkedRecord, type WalkOptions } from './query/walk-index.js';
import type {
  DuplicatePolicy,
  InstanceReference,
  InstanceSet,
  InventoryMatchOptions,
  MatchedInventory,
  MatchedRecord,
  MatchOptions,
  ReadOptions,
  Repository,
  RepositoryLevel,
  StoredInstance,
  StoreOptions,
  StoreRequest,
  StoreResult,
} from './repository.js';
import type { SqliteDatabase, SqliteStatement } from './sqlite/database.js';
import { openSqlite, type OpenSqliteOptions } from './sqlite/open-sqlite.js';
import {
  absoluteStoredPath,
  INCOMING_FOLDER,
  INDEX_FILE,
  INSTANCES_FOLDER,
  LOCK_FILE,
  storedPathOf,
} from './storage-path.js';

/** Options of {@link FileRepository.open}. */
export interface FileRepositoryOptions {
  /** The storage root; created if missing. One process at a time may open it (a lock file). */
  readonly root: string;
  /**
   * fsync each file and the folders it is entered in before a store resolves (default true). With
   * false a store is atomic but may be lost by a power failure (not by a crash of the process).
   */
  readonly fsync?: boolean;
  /** What a store of a SOP Instance UID already stored does; default `replace`. */
  readonly duplicate?: DuplicatePolicy;
  /**
   * `auto` (default): check every file against the index only after an unclean shutdown (a
   * crash, a kill); always clear the staging folder. `full`: check every file now.
   */
  readonly recovery?: 'auto' | 'full';
  /** Which SQLite driver; default node:sqlite where the runtime has it, else better-sqlite3. */
  readonly sqlite?: OpenSqliteOptions;
  /**
   * A store resolves once its file is in place (durable: and synced) and its index row is
   * committed afterwards, in groups of up to `rows` rows (default 256) within `delayMs` ms
   * (default 50), and before any read of the index (`get`, `read`, `match`, `walk`…), which
   * therefore sees every store that resolved. A crash or a power failure loses no acknowledged
   * instance: the recovery pass at the next open indexes files without a row.
   */
  readonly deferredIndex?: { readonly rows?: number; readonly delayMs?: number };
  /**
   * Bytes of each of the two store-journal files of durable mode (default 4 MiB, at least
   * 256 KiB): how much of the small stores' data waits for a checkpoint, and the most a replay
   * after a crash redoes. A change takes effect at the next open that finds nothing to replay;
   * unused with `fsync: false`.
   */
  readonly journalBytes?: number;
}

const CLEAN_SHUTDOWN = 'clean_shutdown';
/** Folder of durable mode's store journal under the root. */
const JOURNAL_FOLDER = 'journal';
const DEFAULT_JOURNAL_BYTES = 4 * 1024 * 1024;
const MIN_JOURNAL_BYTES = 256 * 1024;
/**
 * Largest file (File Meta Information and data set) stored from memory; the atomic writer's
 * default buffer, so such a file is also written in one go.
 */
const SMALL_FILE_BYTES = 64 * 1024;

/**
 * A {@link Repository} on the local file system. A store whose file fits 64 KiB (most instances
 * of a modality) is checked from the bytes in memory, then written straight to its final folder
 * under a temporary name and renamed when complete. In durable mode the whole file is first
 * appended to the store journal (`<root>/journal`: two preallocated files taking turns) and
 * synced there, one `fdatasync` shared by concurrent stores, before the store resolves; the
 * files of a journal are synced in the background when it fills, and after a crash or a power
 * failure the next open replays the journal over the instances tree (see
 * {@link FileRepositoryOptions.journalBytes}). A larger store is written to the staging folder
 * as it arrives, its attributes read back with the streaming element reader, synced, then renamed
 * into place and its folder synced. The index row is committed after the store resolves, in
 * groups (see {@link FileRepositoryOptions.deferredIndex}): durable or not, what makes an
 * acknowledged store last is its file (or journal record), which the recovery pass indexes after
 * an unclean shutdown. Open with {@link FileRepository.open}.
 */
export class FileRepository implements Repository {
  /** The storage root. */
  readonly root: string;
  /** What the recovery pass at open found and did. */
  readonly recovery: RecoveryReport;
  /** The SQLite driver in use. */
  readonly driver: SqliteDatabase['driver'];
  readonly #instancesRoot: string;
  readonly #incoming: string;
  readonly #db: SqliteDatabase;
  readonly #index: InstanceIndex;
  readonly #inventories: InventoryIndex;
  readonly #batcher: IndexBatcher;
  readonly #fsync: boolean;
  readonly #duplicate: DuplicatePolicy;
  readonly #queue = new KeyedQueue();
  readonly #folders: InstanceFolders;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** A row when a SOP Instance UID is indexed, as an instance or an Inventory. */
  readonly #indexed: SqliteStatement;
  /** Durable mode's store journal; undefined with `fsync: false`. */
  readonly #journal: StoreJournal | undefined;
  #closing: Promise<void> | undefined;
  /**
   * A deferred row failed to commit after its store resolved: its file has no row until the
   * recovery pass indexes it, so the shutdown is not marked clean (the next open runs it).
   */
  #rowsLost = false;

  private constructor(
    root: string,
    db: SqliteDatabase,
    index: InstanceIndex,
    inventories: InventoryIndex,
    recovery: RecoveryReport,
    folders: InstanceFolders,
    journal: StoreJournal | undefined,
    options: FileRepositoryOptions,
  ) {
    this.root = root;
    this.#instancesRoot = path.join(root, INSTANCES_FOLDER);
    this.#incoming = path.join(root, INCOMING_FOLDER);
    this.#db = db;
    this.#indexed = db.prepare(
      `SELECT 1 WHERE EXISTS (SELECT 1 FROM instances WHERE sop_instance_uid = ?)
         OR EXISTS (SELECT 1 FROM inventories WHERE sop_instance_uid = ?)`,
    );
    this.driver = db.driver;
    this.#index = index;
    this.#inventories = inventories;
    this.#fsync = options.fsync ?? true;
    this.#batcher = new IndexBatcher(index, now, {
      ...(options.deferredIndex?.rows === undefined
        ? {}
        : { deferredRows: options.deferredIndex.rows }),
      ...(options.deferredIndex?.delayMs === undefined
        ? {}
        : { deferredDelayMs: options.deferredIndex.delayMs }),
      onDeferredFailure: () => {
        this.#rowsLost = true;
      },
    });
    this.recovery = recovery;
    this.#duplicate = options.duplicate ?? 'replace';
    this.#folders = folders;
    this.#journal = journal;
  }

  /**
   * Opens (creating if needed) the repository at `options.root`, brings the index schema up to
   * date and runs the recovery pass.
   * @throws {@link RepositoryLockedError} when a live process has it open; {@link NoSqliteError};
   *   {@link SchemaTooNewError}; file system errors.
   */
  static async open(options: FileRepositoryOptions): Promise<FileRepository> {
    const root = path.resolve(options.root);
    const fsync = options.fsync ?? true;
    const journalBytes = options.journalBytes ?? DEFAULT_JOURNAL_BYTES;
    if (!Number.isSafeInteger(journalBytes) || journalBytes < MIN_JOURNAL_BYTES)
      throw new RangeError(`journalBytes must be an integer of at least ${MIN_JOURNAL_BYTES}`);
    await makeFolder(root, path.join(root, INSTANCES_FOLDER), fsync);
    await makeFolder(root, path.join(root, INCOMING_FOLDER), fsync);
    await lockRoot(path.join(root, LOCK_FILE));
    let db: SqliteDatabase;
    try {
      db = await openSqlite(path.join(root, INDEX_FILE), options.sqlite);
    } catch (error) {
      await unlockRoot(path.join(root, LOCK_FILE));
      throw error;
    }
    let journal: StoreJournal | undefined;
    try {
      prepareSchema(db);
      // One connection, ours alone (the root lock keeps other processes out): holding SQLite's
      // file locks for the connection's life spares each transaction its lock and unlock calls
      // and the shared-memory WAL index; a store committed alone went from 0.48-0.56 to
      // 0.29-0.39 ms of index work (get, put, get; load 9).
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      const index = new InstanceIndex(db);
      const inventories = new InventoryIndex(db);
      const clean = index.getState(CLEAN_SHUTDOWN) === '1';
      const instancesRoot = path.join(root, INSTANCES_FOLDER);
      const folders = await InstanceFolders.open(instancesRoot, fsync);
      // Before the recovery pass, which then indexes the files the replay wrote. Opened without
      // fsync too when a durable run left one: what it acknowledged is replayed all the same.
      let journalReplayed = 0;
      const journalFolder = path.join(root, JOURNAL_FOLDER);
      if (fsync || existsSync(journalFolder)) {
        const opened = await StoreJournal.open(journalFolder, {
          capacityBytes: journalBytes,
          redo: (record) => redoJournaled(instancesRoot, folders, record),
          sync: (keys) => syncJournaled(instancesRoot, folders, keys),
        });
        journalReplayed = opened.replayed;
        if (fsync) journal = opened.journal;
        else await opened.journal.close();
      }
      const recovery = {
        ...(await recoverRepository({
          index,
          inventories,
          instancesRoot,
          incoming: path.join(root, INCOMING_FOLDER),
          full: options.recovery === 'full' || !clean || journalReplayed > 0,
          now,
        })),
        journalReplayed,
      };
      // The index runs with synchronous=NORMAL, so this commit alone is synced (WAL, FULL): were
      // it lost to a power failure, the next open would find the previous close's mark and skip
      // the pass that indexes the files whose rows were still waiting or not yet synced.
      db.exec('PRAGMA synchronous = FULL');
      index.setState(CLEAN_SHUTDOWN, '0');
      db.exec('PRAGMA synchronous = NORMAL');
      return new FileRepository(root, db, index, inventories, recovery, folders, journal, options);
    } catch (error) {
      await journal?.close().catch(() => undefined);
      db.close();
      await unlockRoot(path.join(root, LOCK_FILE));
      throw error;
    }
  }

  store(request: StoreRequest, options: StoreOptions = {}): Promise<StoreResult> {
    return this.#track(() =>
      this.#queue.run(request.sopInstanceUid, () => this.#store(request, options)),
    );
  }

  get(sopInstanceUid: string): Promise<StoredInstance | undefined> {
    return this.#track(() => {
      const row = this.#rowOf(sopInstanceUid);
      if (row !== undefined) return Promise.resolve(toStoredInstance(row));
      const inventory = this.#inventories.get(sopInstanceUid);
      return Promise.resolve(inventory === undefined ? undefined : inventoryInstance(inventory));
    });
  }

  read(sopInstanceUid: string, options: ReadOptions = {}): Promise<Readable> {
    return this.#track(async () => {
      options.signal?.throwIfAborted();
      const row = this.#rowOf(sopInstanceUid) ?? this.#inventories.get(sopInstanceUid);
      if (row === undefined) throw new InstanceNotFoundError(sopInstanceUid);
      let handle;
      try {
        handle = await open(absoluteStoredPath(this.#instancesRoot, row.storedPath), 'r');
      } catch (error) {
        throw new InstanceNotFoundError(sopInstanceUid, { cause: error });
      }
      return handle.createReadStream({
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    });
  }

  delete(sopInstanceUid: string): Promise<boolean> {
    return this.#track(() =>
      this.#queue.run(sopInstanceUid, async () => {
        const row = this.#rowOf(sopInstanceUid) ?? this.#inventories.get(sopInstanceUid);
        if (row === undefined) return false;
        const file = absoluteStoredPath(this.#instancesRoot, row.storedPath);
        // A journal record of the file would bring it back at a replay.
        if (this.#journal?.holds(row.storedPath) === true)
          await this.#journal.append('deleted', row.storedPath);
        // File first: a crash between the two leaves a row without a file, which recovery drops;
        // the other order would leave a file that recovery would index again.
        await unlink(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
        if (this.#fsync) await syncFolder(path.dirname(file));
        this.#index.remove(sopInstanceUid, now());
        this.#inventories.remove(sopInstanceUid);
        return true;
      }),
    );
  }

  markRemoved(level: RepositoryLevel, uid: string, removed = true): Promise<number> {
    return this.#track(() => {
      this.#batcher.flush();
      return Promise.resolve(this.#index.setRemoved(level, uid, removed, now()));
    });
  }

  match(query: Query, options: MatchOptions = {}): AsyncIterable<MatchedRecord> {
    return matchIndex(this.#matchSource(), query, options);
  }

  instancesOf(query: Query, options: Omit<MatchOptions, 'after'> = {}): Promise<InstanceSet> {
    return this.#track(async () => {
      const source = this.#matchSource();
      const atImage: Query = { ...query, level: 'IMAGE' };
      // Counted first with the same pages (memory stays flat), as Number of Remaining
      // Sub-operations starts from the total (PS3.4 C.4.2.1.6).
      let total = 0;
      for await (const record of matchIndex(source, atImage, options)) {
        void record;
        total++;
      }
      async function* instances(): AsyncGenerator<InstanceReference> {
        for await (const record of matchIndex(source, atImage, options))
          yield instanceReferenceOf(record.attributes);
      }
      return { total, instances: instances() };
    });
  }

  walk(query: Query, options: WalkOptions): AsyncIterable<WalkedRecord> {
    return walkIndex(
      {
        db: this.#db,
        checkOpen: () => this.#checkReadable(),
        // Rows are the index's own: a stored path is `/`-separated and already checked when stored.
        pathOf:
          path.sep === '/'
            ? (stored) => `${this.#instancesRoot}/${stored}`
            : (stored) => absoluteStoredPath(this.#instancesRoot, stored),
      },
      query,
      options,
    );
  }

  matchInventories(
    query: Query,
    options: InventoryMatchOptions = {},
  ): AsyncIterable<MatchedInventory> {
    return matchInventories(this.#inventoryMatchSource(), query, options);
  }

  inventoriesOf(
    query: Query,
    options: Omit<InventoryMatchOptions, 'after'> = {},
  ): Promise<InstanceSet> {
    return this.#track(async () => {
      const source = this.#inventoryMatchSource();
      // Counted first, as instancesOf does (PS3.4 C.4.2.1.6).
      let total = 0;
      for await (const inventory of matchInventories(source, query, options)) {
        void inventory;
        total++;
      }
      async function* instances(): AsyncGenerator<InstanceReference> {
        for await (const inventory of matchInventories(source, query, options))
          yield {
            sopInstanceUid: inventory.sopInstanceUid,
            sopClassUid: inventory.sopClassUid,
            transferSyntaxUid: inventory.transferSyntaxUid,
            studyInstanceUid: '',
            seriesInstanceUid: '',
          };
      }
      return { total, instances: instances() };
    });
  }

  #inventoryMatchSource() {
    return {
      index: this.#inventories,
      checkOpen: () => {
        if (this.#closing !== undefined) throw new RepositoryClosedError();
      },
    };
  }

  #matchSource(): MatchSource {
    return { db: this.#db, checkOpen: () => this.#checkReadable() };
  }

  /**
   * Before each page a match or walk reads: open, and the deferred rows committed, so a reader
   * sees every store that resolved before it.
   */
  #checkReadable(): void {
    if (this.#closing !== undefined) throw new RepositoryClosedError();
    this.#batcher.flush();
  }

  /** The index row of an instance, its deferred row committed first if one waits. */
  #rowOf(sopInstanceUid: string): InstanceRow | undefined {
    if (this.#batcher.has(sopInstanceUid)) this.#batcher.flush();
    return this.#index.get(sopInstanceUid);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      this.#batcher.flush();
      // The journal's checkpoint syncs the files of its records; if it fails, the next open
      // replays them, so the shutdown is not marked clean.
      const journalFailure = await this.#journal?.close().then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      if (!this.#rowsLost && journalFailure === undefined)
        this.#index.setState(CLEAN_SHUTDOWN, '1');
      this.#db.close();
      await this.#folders.close();
      await unlockRoot(path.join(this.root, LOCK_FILE));
      if (journalFailure !== undefined) throw journalFailure.error;
    })();
    return this.#closing;
  }

  /**
   * After a file was made durable in place (a large or Inventory store): an earlier journal
   * record of it, replayed after a crash, would put the old content back over it.
   */
  async #supersedeJournaled(storedPath: string): Promise<void> {
    if (this.#journal?.holds(storedPath) === true)
      await this.#journal.append('external', storedPath);
  }

  #track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closing !== undefined) return Promise.reject(new RepositoryClosedError());
    const promise = operation();
    this.#inFlight.add(promise);
    const forget = (): void => void this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  async #store(request: StoreRequest, options: StoreOptions): Promise<StoreResult> {
    options.signal?.throwIfAborted();
    for (const [name, uid] of [
      ['SOP Instance UID', request.sopInstanceUid],
      ['SOP Class UID', request.sopClassUid],
      ['Transfer Syntax UID', request.transferSyntaxUid],
    ] as const) {
      if (!isUidShaped(uid))
        throw new InvalidInstanceError(
          'malformed-uid',
          `${name} is not a UID: ${JSON.stringify(uid.slice(0, 80))}`,
        );
    }
    if (request.sopClassUid === INVENTORY_STORAGE_SOP_CLASS)
      return this.#storeInventory(request, options);
    // One probe for the usual case, a UID indexed nowhere, rather than the instance lookup (a
    // join) and the Inventory one. The UID's queue keeps both tables as they are until the end.
    const sopInstanceUid = request.sopInstanceUid;
    const indexed =
      this.#batcher.has(sopInstanceUid) ||
      this.#indexed.get([sopInstanceUid, sopInstanceUid]) !== undefined;
    const existing = indexed ? this.#rowOf(sopInstanceUid) : undefined;
    const policy = options.duplicate ?? this.#duplicate;
    if (existing !== undefined && policy !== 'replace') {
      // The sender's bytes are read to their end either way: a C-STORE's data must be received.
      for await (const chunk of chunksOf(request.dataSet)) void chunk;
      if (policy === 'reject') throw new DuplicateInstanceError(request.sopInstanceUid);
      return { outcome: 'kept', instance: toStoredInstance(existing) };
    }

    const meta: FileMetaInformationInput = {
      mediaStorageSopClassUid: request.sopClassUid,
      mediaStorageSopInstanceUid: request.sopInstanceUid,
      transferSyntaxUid: request.transferSyntaxUid,
      ...(request.sourceAeTitle === undefined
        ? {}
        : { sourceApplicationEntityTitle: request.sourceAeTitle }),
    };
    const header = encodeFileMetaInformation(meta);
    // A replace keeps the path of the file it replaces (a legacy two-level one, too).
    const storedPath = existing?.storedPath ?? storedPathOf(request.sopInstanceUid);
    const taken = await takeUpTo(chunksOf(request.dataSet), SMALL_FILE_BYTES - header.byteLength);
    const record =
      taken.rest === undefined
        ? await this.#storeSmall(
            request,
            meta,
            header,
            joinChunks(taken.chunks, taken.bytes),
            storedPath,
            options,
          )
        : await this.#storeStreamed(request, meta, taken.chunks, taken.rest, storedPath, options);
    // Its file replaced an Inventory instance's of the same UID (one hashed path per UID).
    if (indexed && this.#inventories.get(sopInstanceUid) !== undefined)
      this.#inventories.remove(sopInstanceUid);
    // The row is committed after the acknowledgement, in a group; readers commit pending rows
    // first, so they see the instance. What is promised before the status is the file: atomic,
    // and durable unless `fsync: false`. The index runs with synchronous=NORMAL, so a row
    // committed before the status would not be durable either: after a crash or a power failure
    // the recovery pass at the next open indexes the files without a row, as it would a row
    // rolled back from the WAL.
    const when = now();
    this.#batcher.defer(record, when);
    return {
      outcome: existing === undefined ? 'stored' : 'replaced',
      instance: {
        sopInstanceUid: record.instance.sopInstanceUid,
        sopClassUid: record.instance.sopClassUid,
        transferSyntaxUid: record.instance.transferSyntaxUid,
        studyInstanceUid: record.study.studyInstanceUid,
        seriesInstanceUid: record.series.seriesInstanceUid,
        sizeBytes: record.sizeBytes,
        receivedAt: existing?.receivedAt ?? when,
        updatedAt: when,
        removed: false,
      },
    };
  }

  /**
   * A data set that came whole within {@link SMALL_FILE_BYTES}: checked from the bytes in memory,
   * then written straight to its final path (under a temporary name beside it, renamed when
   * complete and durable), with no staging file and no read back.
   */
  async #storeSmall(
    request: StoreRequest,
    meta: FileMetaInformationInput,
    header: Uint8Array,
    dataSet: Uint8Array,
    storedPath: string,
    options: StoreOptions,
  ): Promise<IndexRecord> {
    let attributes: Attributes;
    try {
      // The data set alone: the File Meta Information before it is `header`, encoded from `meta`
      // a moment ago, so reading it back would only give `meta` again.
      attributes = readAttributesSync(dataSet, INDEX_TAGS, {
        transferSyntaxUid: meta.transferSyntaxUid,
      });
    } catch (error) {
      throw new InvalidInstanceError('unreadable', 'the data set cannot be read', { cause: error });
    }
    // PS3.4 B.2.3: the data set must be the instance the command names (else 0xA900); the File
    // Meta Information was made from the request, so checking the data set against it checks it
    // against the request. Checked before anything is written.
    const checked = indexRecordOf(
      { meta, attributes },
      {
        sizeBytes: header.byteLength + dataSet.byteLength,
        storedPath,
        fileMtimeMs: 0,
        sourceAeTitle: request.sourceAeTitle,
      },
    );
    const final = absoluteStoredPath(this.#instancesRoot, storedPath);
    const folder = path.dirname(final);
    const ready = await this.#folders.ensure(folder);
    options.signal?.throwIfAborted();
    let fileMtimeMs: number;
    try {
      // The two parts as they are, each write one writev: a joined copy costs fresh memory
      // (page faults: 60-170 µs for 17 KB in a new process on this VM).
      const parts = [header, dataSet];
      if (this.#journal === undefined) fileMtimeMs = writeSmallFile(final, parts);
      else {
        // Durable from here on: a crash before the file below is synced is redone from the
        // journal. So the file is written whatever the signal says now, while the record syncs,
        // and renamed into place only after: a file under the instance's name that is torn by a
        // power failure always has a record to put it right.
        const record = this.#journal.append('file', storedPath, parts);
        fileMtimeMs = await writeBehindRecord(final, parts, record);
      }
    } catch (error) {
      this.#folders.forget(folder); // it may have been removed behind our back
      throw error;
    }
    await ready.durable;
    return { ...checked, fileMtimeMs };
  }

  /**
   * A data set larger than {@link SMALL_FILE_BYTES}: written to the staging folder as it comes,
   * its attributes read back from the file, then renamed into place.
   */
  async #storeStreamed(
    request: StoreRequest,
    meta: FileMetaInformationInput,
    first: readonly Uint8Array[],
    rest: AsyncIterator<Uint8Array>,
    storedPath: string,
    options: StoreOptions,
  ): Promise<IndexRecord> {
    const staged = path.join(this.#incoming, `${randomBytes(12).toString('hex')}.dcm`);
    let writer;
    try {
      writer = await openPart10FileWriter(staged, meta, {
        fsync: this.#fsync,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
    } catch (error) {
      await rest.return?.();
      throw error;
    }
    let record: IndexRecord;
    const final = absoluteStoredPath(this.#instancesRoot, storedPath);
    try {
      try {
        for (const chunk of first) await writer.write(chunk);
        for (let next = await rest.next(); next.done !== true; next = await rest.next())
          await writer.write(next.value);
        await writer.commit();
      } catch (error) {
        await rest.return?.();
        await writer.abort(error);
        throw error;
      }
      // PS3.4 B.2.3, as in #storeSmall, from the staged file.
      const attributes = await readPart10Attributes(staged, INDEX_TAGS, {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }).catch((error: unknown) => {
        throw new InvalidInstanceError('unreadable', 'the data set cannot be read', {
          cause: error,
        });
      });
      await (
        await this.#folders.ensure(path.dirname(final))
      ).durable;
      options.signal?.throwIfAborted();
      const stats = await stat(staged);
      record = indexRecordOf(attributes, {
        sizeBytes: stats.size,
        storedPath,
        fileMtimeMs: Math.trunc(stats.mtimeMs),
        sourceAeTitle: request.sourceAeTitle,
      });
      await rename(staged, final);
    } catch (error) {
      await rm(staged, { force: true });
      throw error;
    }
    await this.#folders.sync(path.dirname(final));
    await this.#supersedeJournaled(storedPath);
    return record;
  }
  /**
   * An Inventory Storage instance (PS3.4 GG.6.6): non-patient (PS3.3 A.88), so indexed in the
   * Inventory table rather than under a series; written by the streamed path whatever its size,
   * with the same atomic writer, hashed path and duplicate policy as any instance.
   */
  async #storeInventory(request: StoreRequest, options: StoreOptions): Promise<StoreResult> {
    const inventory = this.#inventories.get(request.sopInstanceUid);
    const patientRow = inventory === undefined ? this.#rowOf(request.sopInstanceUid) : undefined;
    const existing =
      inventory === undefined
        ? patientRow === undefined
          ? undefined
          : toStoredInstance(patientRow)
        : inventoryInstance(inventory);
    const policy = options.duplicate ?? this.#duplicate;
    if (existing !== undefined && policy !== 'replace') {
      for await (const chunk of chunksOf(request.dataSet)) void chunk;
      if (policy === 'reject') throw new DuplicateInstanceError(request.sopInstanceUid);
      return { outcome: 'kept', instance: existing };
    }
    const meta: FileMetaInformationInput = {
      mediaStorageSopClassUid: request.sopClassUid,
      mediaStorageSopInstanceUid: request.sopInstanceUid,
      transferSyntaxUid: request.transferSyntaxUid,
      ...(request.sourceAeTitle === undefined
        ? {}
        : { sourceApplicationEntityTitle: request.sourceAeTitle }),
    };
    const record = await writeInventoryFile(
      {
        instancesRoot: this.#instancesRoot,
        incoming: this.#incoming,
        fsync: this.#fsync,
        ensureFolder: (folder) => this.#folders.ensure(folder),
      },
      meta,
      chunksOf(request.dataSet),
      // A replace keeps the path of the file it replaces (a legacy two-level one, too).
      (inventory ?? patientRow)?.storedPath ?? storedPathOf(request.sopInstanceUid),
      request.sourceAeTitle,
      options.signal,
      options.inventoryKeys,
    );
    await this.#supersedeJournaled(record.storedPath);
    const when = now();
    // The same UID as a patient instance (UIDs are meant to be unique, PS3.5 9): its file was
    // just replaced at its own path, so its row goes.
    this.#index.remove(request.sopInstanceUid, when);
    this.#inventories.put([record], when);
    const row = this.#inventories.get(request.sopInstanceUid);
    if (row === undefined) throw new InstanceNotFoundError(request.sopInstanceUid);
    return {
      outcome: existing === undefined ? 'stored' : 'replaced',
      instance: inventoryInstance(row),
    };
  }
}

/** The data set of a request as chunks (a whole Uint8Array is one chunk). */
function chunksOf(
  dataSet: StoreRequest['dataSet'],
): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  return dataSet instanceof Uint8Array ? [dataSet] : dataSet;
}

let lastNow = { ms: Number.NaN, text: '' };

/** The current date-time as the index keeps it; formatted once per millisecond. */
function now(): string {
  const ms = Date.now();
  if (ms !== lastNow.ms) lastNow = { ms, text: dicomDateTime(new Date(ms)) };
  return lastNow.text;
}

/** An Inventory row as a {@link StoredInstance}: no study or series (PS3.3 A.88). */
function inventoryInstance(row: InventoryRow): StoredInstance {
  return {
    sopInstanceUid: row.sopInstanceUid,
    sopClassUid: row.sopClassUid,
    transferSyntaxUid: row.transferSyntaxUid,
    studyInstanceUid: '',
    seriesInstanceUid: '',
    sizeBytes: row.sizeBytes,
    receivedAt: row.receivedAt,
    updatedAt: row.updatedAt,
    removed: false,
  };
}

function toStoredInstance(row: InstanceRow): StoredInstance {
  return {
    sopInstanceUid: row.sopInstanceUid,
    sopClassUid: row.sopClassUid,
    transferSyntaxUid: row.transferSyntaxUid,
    studyInstanceUid: row.studyInstanceUid,
    seriesInstanceUid: row.seriesInstanceUid,
    sizeBytes: row.sizeBytes,
    receivedAt: row.receivedAt,
    updatedAt: row.updatedAt,
    removed: row.removed,
  };
}
