import { close, closeSync, fdatasync, openSync, renameSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DurableFolder } from './durable-folder.js';
import { AtomicWriteError } from './errors.js';
import { TemporaryFile, skip, stepSync, temporaryPathOf, writevFully } from './temporary-file.js';

/** Options of {@link AtomicFileWriter.open} and {@link writeFileAtomically}. */
export interface AtomicWriteOptions {
  /** Aborting removes the temporary file; pending and later calls reject with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** File mode of the new file (before the umask); default 0o666. */
  readonly mode?: number;
  /**
   * Bytes held in memory before the temporary file is created and written (one `writev` per
   * `bufferBytes`); default 64 KiB. A file that fits is written at commit in one go.
   */
  readonly bufferBytes?: number;
  /**
   * Make the file durable before `commit()` resolves: `fdatasync` of the file before the rename,
   * fsync of the folder after it; default true.
   */
  readonly fsync?: boolean;
  /**
   * The folder of the final path, kept open and shared with the other writers into it: their
   * folder fsyncs are shared (group commit, see {@link DurableFolder}). Without it the folder is
   * opened, fsynced and closed for this file alone.
   */
  readonly folder?: DurableFolder;
  /**
   * Whether a file that fits `bufferBytes` at commit is created, written, closed and renamed with
   * synchronous calls (default true). On a settled local disk these take tens of µs in all, less
   * than one round trip through libuv's thread pool each, but they block the event loop meanwhile
   * (up to about 1 ms when file creation is slow); never more than `bufferBytes` is written so.
   * The fsyncs stay asynchronous. False: every call goes through the thread pool.
   */
  readonly blockingSmallFiles?: boolean;
}

/** What a finished atomic write reports. */
export interface AtomicWriteResult {
  /** Bytes written. */
  readonly bytes: number;
}

type State = 'open' | 'committing' | 'committed' | 'failed';

const RESOLVED: Promise<void> = Promise.resolve();

const DEFAULT_BUFFER_BYTES = 64 * 1024;
/** Windows cannot rename a file that is open; elsewhere the close leaves the critical path. */
const CLOSE_BEFORE_RENAME = process.platform === 'win32';

/**
 * Writes one file so that its final path never holds a partial file: the bytes go to a
 * temporary file in the same folder (`.name.<random>.part`, so the rename cannot cross file
 * systems), which is made durable and renamed into place by {@link AtomicFileWriter.commit}. On
 * any error, on {@link AtomicFileWriter.abort} and when the signal aborts, the temporary file is
 * removed. Memory stays bounded: bytes are held until `bufferBytes` are buffered, then the
 * temporary file is created and `write()` resolves once the chunks are handed to the file system,
 * so awaiting each write is the backpressure. A file that never exceeds `bufferBytes` costs no
 * file system call before `commit()`. An existing file at the final path is replaced (rename
 * semantics). Chunks must not be modified after `write()`.
 */
export class AtomicFileWriter {
  /** The final path. */
  readonly path: string;
  /** The temporary path the bytes go to until commit (created once the first bytes are written). */
  readonly temporaryPath: string;
  readonly #mode: number;
  readonly #bufferBytes: number;
  readonly #fsync: boolean;
  readonly #folder: DurableFolder | undefined;
  readonly #blockingSmallFiles: boolean;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => void this.abort(this.#signal?.reason).catch(() => undefined);
  /**
   * Whether `#onAbort` listens on the signal: only from the first asynchronous step on. Before
   * it nothing exists on disk and every call checks the signal itself, so a small file written
   * in one go never adds and removes a listener (about 8 µs a file).
   */
  #listening = false;
  /** Whether a flush was queued: the file is then streamed, never written in one go. */
  #streamed = false;
  /** The temporary file once created: a FileHandle (streamed) or a descriptor (small file). */
  #handle: FileHandle | number | undefined;
  /** Whether the temporary file was created (it may be renamed since). */
  #created = false;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #written = 0;
  #state: State = 'open';
  #failure: unknown;
  #tail: Promise<void> = Promise.resolve();
  #cleanup: Promise<void> | undefined;

  private constructor(finalPath: string, temporaryPath: string, options: AtomicWriteOptions) {
    this.path = finalPath;
    this.temporaryPath = temporaryPath;
    this.#mode = options.mode ?? 0o666;
    this.#bufferBytes = options.bufferBytes ?? DEFAULT_BUFFER_BYTES;
    this.#fsync = options.fsync ?? true;
    this.#folder = options.folder;
    this.#blockingSmallFiles = options.blockingSmallFiles ?? true;
    this.#signal = options.signal;
  }

  /**
   * Prepares a write to `finalPath`; the temporary file beside it is created once more than
   * `bufferBytes` are written, or at commit.
   * @throws The `signal`'s reason if it is already aborted; a TypeError when `options.folder`
   *   is not the folder of `finalPath`.
   */
  static async open(
    finalPath: string,
    options: AtomicWriteOptions = {},
  ): Promise<AtomicFileWriter> {
    options.signal?.throwIfAborted();
    const folder = options.folder?.path;
    if (folder !== undefined && path.resolve(folder) !== path.resolve(path.dirname(finalPath)))
      throw new TypeError(`${finalPath} is not in the folder ${folder}`);
    return Promise.resolve(new AtomicFileWriter(finalPath, temporaryPathOf(finalPath), options));
  }

  /** Bytes accepted so far (written or buffered). */
  get bytes(): number {
    return this.#written + this.#pendingBytes;
  }

  /**
   * Appends a chunk. Resolves when the chunk is written or buffered below `bufferBytes`.
   * @throws {@link AtomicWriteError}; the signal's reason after an abort.
   */
  write(chunk: Uint8Array): Promise<void> {
    if (!this.#usable()) return this.#rejectIfUnusable();
    if (chunk.byteLength === 0) return RESOLVED;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    if (this.#pendingBytes < this.#bufferBytes) return RESOLVED;
    this.#streamed = true;
    return this.#enqueue(() => this.#flush());
  }

  /**
   * Writes what is buffered, makes it durable (with `fsync`) and renames the file into place.
   * A file still within `bufferBytes` is written in one go (see `blockingSmallFiles`); otherwise
   * the file is closed after the rename, off the critical path (before it on Windows).
   * @returns The number of bytes in the file.
   * @throws {@link AtomicWriteError} (the temporary file is then removed); the signal's reason.
   *   A failed folder fsync (operation `fsync-folder`) leaves the complete file in place, but
   *   a crash might still undo its rename.
   */
  commit(): Promise<AtomicWriteResult> {
    if (!this.#usable()) return this.#rejectIfUnusable();
    this.#state = 'committing';
    const small = !this.#streamed && this.#blockingSmallFiles;
    if (small && !this.#fsync) {
      // Nothing to wait for: written and renamed before this call returns, no queue, no listener.
      const chunks = this.#pending;
      this.#pending = [];
      this.#pendingBytes = 0;
      try {
        this.#written = writeSmallFileSync(this.path, this.temporaryPath, chunks, this.#mode);
      } catch (error) {
        return this.#abandon(error); // nothing left on disk to remove
      }
      this.#committed();
      return Promise.resolve({ bytes: this.#written });
    }
    return this.#enqueue(async () => {
      if (small) await this.#commitSmall();
      else await this.#commitStreamed();
      if (this.#fsync) await this.#syncFolder();
    }).then(() => ({ bytes: this.#written }));
  }

  /**
   * Gives up: closes and removes the temporary file. Idempotent; a no-op after a successful
   * commit. Later calls to `write`/`commit` reject with `reason` (default: an AbortError).
   */
  async abort(
    reason: unknown = new DOMException('The write was aborted', 'AbortError'),
  ): Promise<void> {
    if (this.#state === 'committed') return;
    if (this.#state !== 'failed') this.#fail(reason);
    await this.#cleanUp();
  }

  /**
   * The whole file is in memory: create, write, close and rename with synchronous calls (no
   * thread-pool round trip), only the `fdatasync` asynchronous. Closed before the rename, which
   * costs nothing here and suits Windows.
   */
  async #commitSmall(): Promise<void> {
    const fd = this.#writeSmall();
    // fdatasync suffices for a new file: it flushes the data and the metadata needed to read it
    // back (size, blocks), leaving out only timestamps (POSIX synchronized I/O data integrity).
    await this.#step('fsync', () => datasync(fd));
    this.#throwIfAborted();
    this.#renameSmall();
  }

  /** Creates the temporary file and writes every buffered chunk to it; returns its descriptor. */
  #writeSmall(): number {
    const chunks = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    const fd = stepSync(this.path, 'open', () => openSync(this.temporaryPath, 'wx', this.#mode));
    this.#handle = fd;
    this.#created = true;
    stepSync(this.path, 'write', () => (this.#written += writevFully(fd, chunks)));
    return fd;
  }

  /** Closes the small file written by `#writeSmall` and renames it into place. */
  #renameSmall(): void {
    const fd = this.#handle as number;
    this.#handle = undefined;
    stepSync(this.path, 'close', () => closeSync(fd));
    stepSync(this.path, 'rename', () => renameSync(this.temporaryPath, this.path));
    this.#committed();
  }

  async #commitStreamed(): Promise<void> {
    const handle = await this.#openHandle();
    await this.#flush();
    if (this.#fsync) await this.#step('fsync', () => handle.datasync());
    if (CLOSE_BEFORE_RENAME) {
      this.#handle = undefined;
      await this.#step('close', () => handle.close());
    }
    this.#throwIfAborted();
    await this.#step('rename', () => rename(this.temporaryPath, this.path));
    this.#committed();
    if (!CLOSE_BEFORE_RENAME) {
      this.#handle = undefined;
      // The file is complete under its name (and durable with fsync): a failing close changes
      // nothing a reader sees, so nobody waits for it.
      void handle.close().catch(() => undefined);
    }
  }

  #committed(): void {
    this.#state = 'committed';
    this.#stopListening();
  }

  #stopListening(): void {
    if (!this.#listening) return;
    this.#listening = false;
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }

  async #syncFolder(): Promise<void> {
    if (this.#folder !== undefined) return this.#folder.sync();
    const folder = new DurableFolder(path.dirname(this.path));
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  async #openHandle(): Promise<FileHandle> {
    if (typeof this.#handle === 'object') return this.#handle;
    const handle = await this.#step('open', () => open(this.temporaryPath, 'wx', this.#mode));
    this.#handle = handle;
    this.#created = true;
    return handle;
  }

  async #enqueue(task: () => Promise<void>): Promise<void> {
    if (!this.#listening && this.#signal !== undefined) {
      // From now on a file may exist while the owner waits: an abort must remove it at once.
      this.#listening = true;
      this.#signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    const run = this.#tail.then(async () => {
      this.#throwIfAborted();
      await task();
    });
    this.#tail = run.catch(() => undefined);
    try {
      await run;
    } catch (error) {
      await this.#abandon(error);
    }
  }

  /** Fails with `error` (unless failed already), removes the temporary file, then rejects. */
  async #abandon(error: unknown): Promise<never> {
    if (this.#state !== 'failed') this.#fail(error);
    await this.#cleanUp();
    throw this.#failure;
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const handle = await this.#openHandle();
    const chunks = this.#pending;
    const bytes = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.#step('write', async () => {
      let remaining = bytes;
      let buffers: readonly Uint8Array[] = chunks;
      while (remaining > 0) {
        const { bytesWritten } = await handle.writev(buffers);
        remaining -= bytesWritten;
        this.#written += bytesWritten;
        if (remaining > 0) buffers = skip(buffers, bytesWritten);
      }
    });
  }

  async #step<T>(operation: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw new AtomicWriteError(this.path, operation, error);
    }
  }

  #fail(reason: unknown): void {
    this.#state = 'failed';
    this.#failure = reason;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#stopListening();
  }

  /** Closes and removes the temporary file once, after the operation in flight. */
  #cleanUp(): Promise<void> {
    this.#cleanup ??= (async () => {
      await this.#tail;
      const handle = this.#handle;
      this.#handle = undefined;
      if (!this.#created) return;
      if (typeof handle === 'number') await closeFd(handle).catch(() => undefined);
      else await handle?.close().catch(() => undefined);
      await unlink(this.temporaryPath).catch(() => undefined); // renamed already, or never there
    })();
    return this.#cleanup;
  }

  /** Whether `write` and `commit` may go on: open, and the signal (if any) not aborted. */
  #usable(): boolean {
    return this.#state === 'open' && this.#signal?.aborted !== true;
  }

  /** After a failure or abort: waits until the temporary file is gone, then rejects. */
  async #rejectIfUnusable(): Promise<never> {
    // Seen here rather than by a listener while nothing was written (see `#listening`).
    if (this.#state === 'open' && this.#signal?.aborted === true) this.#fail(this.#signal.reason);
    if (this.#state === 'failed') {
      await this.#cleanUp();
      throw this.#failure;
    }
    throw new AtomicWriteError(this.path, 'write', new Error(`writer is ${this.#state}`));
  }

  #throwIfAborted(): void {
    if (this.#state === 'failed') throw this.#failure;
  }
}

/**
 * Writes `chunks` to `finalPath` atomically (see {@link AtomicFileWriter}): the final path
 * appears only complete, and on any error, abort or exception from `chunks` no file and no
 * temporary file is left. Reads one chunk at a time, so memory stays bounded whatever the size.
 * An array of at most `bufferBytes` in all, without fsync, is written before this call returns
 * (see `blockingSmallFiles`), with no writer and no promise per chunk.
 * @returns The number of bytes written.
 * @throws {@link AtomicWriteError} for a file system failure; the `signal`'s reason; whatever
 *   `chunks` throws.
 */
export function writeFileAtomically(
  finalPath: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  if (Array.isArray(chunks) && isSmallWrite(chunks as readonly Uint8Array[], options)) {
    try {
      options.signal?.throwIfAborted();
      const bytes = writeSmallFileSync(
        finalPath,
        temporaryPathOf(finalPath),
        chunks as readonly Uint8Array[],
        options.mode ?? 0o666,
      );
      return Promise.resolve({ bytes });
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
  return writeThroughWriter(finalPath, chunks, options);
}

/** Whether `chunks` go to disk in one synchronous write: what a writer would do at commit. */
function isSmallWrite(chunks: readonly Uint8Array[], options: AtomicWriteOptions): boolean {
  // A folder is only for its fsyncs; with one, the writer checks it is the file's folder.
  if (options.fsync !== false || options.blockingSmallFiles === false) return false;
  if (options.folder !== undefined) return false;
  let bytes = 0;
  for (const chunk of chunks) bytes += chunk.byteLength;
  return bytes < (options.bufferBytes ?? DEFAULT_BUFFER_BYTES);
}

async function writeThroughWriter(
  finalPath: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: AtomicWriteOptions,
): Promise<AtomicWriteResult> {
  const writer = await AtomicFileWriter.open(finalPath, options);
  try {
    if (Array.isArray(chunks)) {
      // Chunks in memory: nothing to wait for between them, so a check of the signal before each
      // does what `abortable` does, without an async generator and a race per chunk.
      for (const chunk of chunks as readonly Uint8Array[]) {
        options.signal?.throwIfAborted();
        await writer.write(chunk);
      }
    } else {
      for await (const chunk of abortable(chunks, options.signal)) await writer.write(chunk);
    }
    return await writer.commit();
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
}

/** Iterates `chunks`, rejecting with the signal's reason as soon as it aborts, even mid-wait. */
async function* abortable(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  if (signal === undefined) {
    yield* chunks;
    return;
  }
  const iterator =
    Symbol.asyncIterator in chunks
      ? chunks[Symbol.asyncIterator]()
      : toAsync(chunks[Symbol.iterator]());
  let rejectOnAbort: (reason: unknown) => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => (rejectOnAbort = reject));
  aborted.catch(() => undefined);
  const onAbort = (): void => rejectOnAbort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      signal.throwIfAborted();
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done === true) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Not awaited: a source stuck in an await would keep us waiting after an abort.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

async function* toAsyncGenerator(iterator: Iterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (let next = iterator.next(); next.done !== true; next = iterator.next()) yield next.value;
}

function toAsync(iterator: Iterator<Uint8Array>): AsyncIterator<Uint8Array> {
  return toAsyncGenerator(iterator);
}

/** A small file held whole in memory, without fsync: written and renamed with blocking calls. */
function writeSmallFileSync(
  finalPath: string,
  temporaryPath: string,
  chunks: readonly Uint8Array[],
  mode: number,
): number {
  const file = TemporaryFile.writeSync(finalPath, chunks, { mode, path: temporaryPath });
  file.commitSync();
  return file.bytes;
}

function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fdatasync(fd, (error) => (error === null ? resolve() : reject(error))),
  );
}

function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    close(fd, (error) => (error === null ? resolve() : reject(error))),
  );
}
