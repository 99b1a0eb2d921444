// One journal file: preallocated (zeros written, not a sparse or fallocated file), then written in
// place. Overwriting blocks the file already owns changes no metadata, so `fdatasync` flushes the
// data alone: no file system journal commit, where a new file's sync needs one (and its folder's
// fsync another). Appends share syncs: the records written while one sync runs wait for the next
// (group commit).
import {
  closeSync,
  fdatasync,
  fstatSync,
  openSync,
  readSync,
  writeSync,
  writevSync,
} from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { syncFolder } from '../file-support.js';
import { StoreJournalError } from '../errors.js';
import {
  decodeHeader,
  decodeRecords,
  encodeHeader,
  encodeRecordHead,
  RECORDS_START,
  type JournalHeader,
  type JournalRecord,
  type JournalRecordKind,
} from './journal-format.js';

const ZEROS = new Uint8Array(1024 * 1024);

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/** A journal file open for writing; see the module comment. */
export class JournalFile {
  readonly path: string;
  /** Its size: records end before it. */
  readonly capacity: number;
  /** Keys of the records written since the file was last activated. */
  readonly keys = new Set<string>();
  #fd: number;
  #generation = 0;
  #offset = RECORDS_START;
  /** Written, waiting for the next sync. */
  #waiting: Waiter[] = [];
  #syncing = false;
  #drained: (() => void)[] = [];
  #failure: StoreJournalError | undefined;

  private constructor(file: string, fd: number, capacity: number) {
    this.path = file;
    this.#fd = fd;
    this.capacity = capacity;
  }

  /**
   * Opens `file`, creating it with `capacity` bytes of zeros first if it does not exist (under a
   * temporary name, synced, then renamed: a file under the final name is always whole). Returns
   * its header and, when the header is `active`, the records of its generation.
   */
  static async open(
    file: string,
    capacity: number,
  ): Promise<{ file: JournalFile; header?: JournalHeader; records: JournalRecord[] }> {
    let fd: number;
    try {
      fd = openSync(file, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await create(file, capacity);
      fd = openSync(file, 'r+');
    }
    const first = new Uint8Array(64);
    readSync(fd, first, 0, first.byteLength, 0);
    const header = decodeHeader(first);
    if (header?.state !== 'active' && fstatSync(fd).size !== capacity) {
      // Nothing to replay in it: made again at the size asked for.
      closeSync(fd);
      await unlink(file);
      await create(file, capacity);
      fd = openSync(file, 'r+');
    }
    const journal = new JournalFile(file, fd, fstatSync(fd).size);
    // Kept when the file is marked checkpointed without being activated (a replay at open), so
    // that generations only grow: a stale record can never pass for a current one.
    if (header !== undefined) journal.#generation = header.generation;
    if (header === undefined || header.state !== 'active')
      return { file: journal, ...(header === undefined ? {} : { header }), records: [] };
    const records = decodeRecords(await readFile(file), header.generation);
    return { file: journal, header, records };
  }

  /** Bytes left for records. */
  remaining(): number {
    return this.capacity - this.#offset;
  }

  /**
   * Starts generation `generation` from the start of the file: its header says `active`. Not
   * synced by itself: the sync of its first record covers it (one file, one `fdatasync`).
   */
  activate(generation: number): void {
    this.#throwIfFailed();
    this.#generation = generation;
    this.#offset = RECORDS_START;
    this.keys.clear();
    writeSync(this.#fd, encodeHeader({ state: 'active', generation }), 0, undefined, 0);
  }

  /**
   * Writes a record (into the page cache, at once; its payload's parts with the head in one
   * writev) and resolves once a sync made it durable. The caller checks {@link remaining} first.
   */
  append(
    kind: JournalRecordKind,
    key: string,
    keyBytes: Uint8Array,
    payload: readonly Uint8Array[],
  ): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const head = encodeRecordHead(this.#generation, kind, keyBytes, payload);
    const parts = [head, ...payload];
    let bytes = 0;
    for (const part of parts) bytes += part.byteLength;
    try {
      let written = writevSync(this.#fd, parts, this.#offset);
      // A regular file takes the whole write but for a full disk; finish a short one by hand.
      while (written < bytes) {
        const rest = Buffer.concat(parts).subarray(written);
        written += writeSync(this.#fd, rest, 0, rest.byteLength, this.#offset + written);
      }
    } catch (error) {
      return Promise.reject(this.#fail('write', error));
    }
    this.#offset += bytes;
    this.keys.add(key);
    return this.#durable();
  }

  /** Marks the file `checkpointed` (its records need no replay) and syncs that. */
  async markCheckpointed(): Promise<void> {
    this.#throwIfFailed();
    const header = encodeHeader({ state: 'checkpointed', generation: this.#generation });
    try {
      writeSync(this.#fd, header, 0, undefined, 0);
    } catch (error) {
      throw this.#fail('write', error);
    }
    await this.#durable();
  }

  /** Resolves once no write waits for a sync. */
  drained(): Promise<void> {
    if (!this.#syncing && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  close(): void {
    closeSync(this.#fd);
  }

  #durable(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#sync();
    });
  }

  #sync(): void {
    if (this.#syncing) return;
    const batch = this.#waiting;
    if (batch.length === 0) {
      for (const resolve of this.#drained.splice(0)) resolve();
      return;
    }
    this.#waiting = [];
    this.#syncing = true;
    fdatasync(this.#fd, (error) => {
      this.#syncing = false;
      if (error === null) for (const waiter of batch) waiter.resolve();
      else {
        // After a failed sync the page cache may have dropped the data (Linux marks it clean):
        // nothing written to this file can be trusted any more, later writes included.
        const failure = this.#fail('sync', error);
        for (const waiter of [...batch, ...this.#waiting.splice(0)]) waiter.reject(failure);
      }
      this.#sync();
    });
  }

  #fail(step: 'write' | 'sync', cause: unknown): StoreJournalError {
    this.#failure ??= new StoreJournalError(this.path, step, { cause });
    return this.#failure;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/** Creates `file` full of zeros, durably, under a temporary name renamed when complete. */
async function create(file: string, capacity: number): Promise<void> {
  const temporary = `${file}.new`;
  const handle = await open(temporary, 'w');
  try {
    for (let offset = 0; offset < capacity; offset += ZEROS.byteLength)
      await handle.write(ZEROS, 0, Math.min(ZEROS.byteLength, capacity - offset), offset);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
  await syncFolder(path.dirname(file));
}
