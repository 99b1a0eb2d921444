// Durable mode's write-ahead journal of small stores. A store is acknowledged once its record
// (the whole file's bytes) is synced into a preallocated journal file: one `fdatasync` of data
// the file system already has blocks for, shared by concurrent stores. Its file in the instances
// tree is written right after, without a sync of its own; the files of a journal's records are
// synced in the background when the journal fills (a checkpoint), before the journal is reused.
// Two journal files take turns, so stores go on into one while the other's files are synced.
// After a crash or a power failure, the next open replays what the journals hold over the tree.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder } from '../file-support.js';
import { JournalFile } from './journal-file.js';
import {
  MAX_KEY_BYTES,
  RECORDS_START,
  recordBytes,
  type JournalRecord,
  type JournalRecordKind,
} from './journal-format.js';

/** The journal files under the journal folder. */
const FILE_NAMES = ['store-journal-0', 'store-journal-1'] as const;
const encoder = new TextEncoder();

/** What the journal asks of its owner, which knows what a key names. */
export interface StoreJournalOptions {
  /** Size of each of the two journal files. */
  readonly capacityBytes: number;
  /**
   * At open, after a crash: makes the file at `record.key` what the record says (not synced:
   * {@link sync} follows). Called with the last record of each key only.
   */
  readonly redo: (record: JournalRecord) => Promise<void>;
  /** Makes the files at `keys` (or their absence) and their folders' entries durable. */
  readonly sync: (keys: ReadonlySet<string>) => Promise<void>;
}

/** See the module comment. Open with {@link StoreJournal.open}. */
export class StoreJournal {
  readonly #files: readonly [JournalFile, JournalFile];
  readonly #sync: StoreJournalOptions['sync'];
  /** The largest payload one record can carry. */
  readonly maxPayloadBytes: number;
  #active: JournalFile;
  #generation: number;
  /** The checkpoint of the file that is not active, while it runs (or its failure). */
  #retiring: Promise<void> = Promise.resolve();
  #rotation: Promise<void> | undefined;

  private constructor(
    files: readonly [JournalFile, JournalFile],
    generation: number,
    sync: StoreJournalOptions['sync'],
  ) {
    this.#files = files;
    this.#sync = sync;
    this.#generation = generation;
    this.maxPayloadBytes =
      Math.min(files[0].capacity, files[1].capacity) - RECORDS_START - 2 * MAX_KEY_BYTES;
    this.#active = files[0];
    files[0].activate(generation);
  }

  /**
   * Opens the journal in `folder` (created if missing, with its two files), replays what an
   * unclean shutdown left in it (`redo` then `sync`), and starts a new generation.
   * @returns The journal, and how many keys were replayed.
   */
  static async open(
    folder: string,
    options: StoreJournalOptions,
  ): Promise<{ journal: StoreJournal; replayed: number }> {
    // Its entry in the root made durable once, when it is made.
    if ((await mkdir(folder, { recursive: true })) !== undefined)
      await syncFolder(path.dirname(folder));
    const first = await JournalFile.open(path.join(folder, FILE_NAMES[0]), options.capacityBytes);
    const second = await JournalFile.open(path.join(folder, FILE_NAMES[1]), options.capacityBytes);
    // Older generation first, so that the last record of a key is the one that counts.
    const pending = [first, second]
      .filter((each) => each.header?.state === 'active')
      .sort((a, b) => (a.header?.generation ?? 0) - (b.header?.generation ?? 0));
    const last = new Map<string, JournalRecord>();
    for (const { records } of pending) for (const record of records) last.set(record.key, record);
    for (const record of last.values()) await options.redo(record);
    if (last.size > 0) await options.sync(new Set(last.keys()));
    for (const { file } of pending) await file.markCheckpointed();
    const generation = Math.max(first.header?.generation ?? 0, second.header?.generation ?? 0) + 1;
    const journal = new StoreJournal([first.file, second.file], generation, options.sync);
    return { journal, replayed: last.size };
  }

  /** Whether a journal not yet checkpointed has a record of `key`: a replay would touch it. */
  holds(key: string): boolean {
    return this.#files[0].keys.has(key) || this.#files[1].keys.has(key);
  }

  /**
   * Appends a record and resolves once it is durable. Records of one key must be appended one at
   * a time (the repository's per-instance queue does): replay keeps the last. The payload comes
   * in parts (a file's header and data set, say) and replays as their concatenation.
   * @throws {@link StoreJournalError} when the journal failed; RangeError for an oversized record.
   */
  async append(
    kind: JournalRecordKind,
    key: string,
    payload: readonly Uint8Array[] = [],
  ): Promise<void> {
    const keyBytes = encoder.encode(key);
    let payloadBytes = 0;
    for (const part of payload) payloadBytes += part.byteLength;
    const bytes = recordBytes(keyBytes, payloadBytes);
    if (keyBytes.byteLength > MAX_KEY_BYTES || payloadBytes > this.maxPayloadBytes)
      throw new RangeError(`a journal record of ${bytes} bytes does not fit the journal`);
    while (this.#active.remaining() < bytes) {
      this.#rotation ??= this.#rotate().finally(() => (this.#rotation = undefined));
      await this.#rotation;
    }
    await this.#active.append(kind, key, keyBytes, payload);
  }

  /** Checkpoints both files (their records need no replay) and closes them. */
  async close(): Promise<void> {
    await this.#rotation?.catch(() => undefined);
    try {
      await this.#retiring;
      await this.#checkpoint(this.#active);
    } finally {
      for (const file of this.#files) file.close();
    }
  }

  /** Makes the other file active once its checkpoint is done, and checkpoints this one. */
  async #rotate(): Promise<void> {
    await this.#retiring;
    const retired = this.#active;
    const next = this.#files[0] === retired ? this.#files[1] : this.#files[0];
    this.#generation++;
    next.activate(this.#generation);
    this.#active = next;
    this.#retiring = this.#checkpoint(retired);
    // A failed checkpoint is met by the next rotation or close; not unhandled meanwhile.
    this.#retiring.catch(() => undefined);
  }

  async #checkpoint(file: JournalFile): Promise<void> {
    await file.drained();
    if (file.keys.size > 0) await this.#sync(file.keys);
    await file.markCheckpointed();
    file.keys.clear();
  }
}
