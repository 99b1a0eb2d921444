import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { nodeCrypto } from '../lazy-builtins.js';
import { AtomicWriteError } from './errors.js';

/** Options of {@link AtomicFileWriter.open} and {@link writeFileAtomically}. */
export interface AtomicWriteOptions {
  /** Aborting removes the temporary file; pending and later calls reject with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** File mode of the new file (before the umask); default 0o666. */
  readonly mode?: number;
  /** Bytes collected from small chunks before one `writev`; default 64 KiB. */
  readonly bufferBytes?: number;
  /** fsync the file before the rename (and the folder after it); default true. */
  readonly fsync?: boolean;
}

/** What a finished atomic write reports. */
export interface AtomicWriteResult {
  /** Bytes written. */
  readonly bytes: number;
}

type State = 'open' | 'committing' | 'committed' | 'failed';

/** The name of the temporary file for `name`: `.<name>.<12 lowercase hex digits>.part`. */
function temporaryNameOf(name: string, random: string): string {
  return `.${name}.${random}.part`;
}

/** Exactly the names {@link AtomicFileWriter} gives its temporary files. */
const TEMPORARY_NAME = /^\.(.+)\.[0-9a-f]{12}\.part$/;

/**
 * The final file name a temporary file of {@link AtomicFileWriter} was for, or undefined when
 * `fileName` (a base name) is not one of ours. A process killed while writing (SIGKILL, power
 * loss) leaves such a file behind; it is never a complete file.
 */
export function atomicWriterTargetOf(fileName: string): string | undefined {
  return TEMPORARY_NAME.exec(fileName)?.[1];
}

const DEFAULT_BUFFER_BYTES = 64 * 1024;

/**
 * Writes one file so that its final path never holds a partial file: the bytes go to a
 * temporary file in the same folder (`.name.<random>.part`, so the rename cannot cross file
 * systems), which is fsynced and renamed into place by {@link AtomicFileWriter.commit}. On any
 * error, on {@link AtomicFileWriter.abort} and when the signal aborts, the temporary file is
 * removed. Memory stays bounded: `write()` resolves once the chunk is handed to the file system
 * (or buffered below `bufferBytes`), so awaiting each write is the backpressure. An existing file
 * at the final path is replaced (rename semantics). Chunks must not be modified after `write()`.
 */
export class AtomicFileWriter {
  /** The final path. */
  readonly path: string;
  /** The temporary path the bytes go to until commit. */
  readonly temporaryPath: string;
  readonly #handle: FileHandle;
  readonly #bufferBytes: number;
  readonly #fsync: boolean;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => void this.abort(this.#signal?.reason).catch(() => undefined);
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #written = 0;
  #state: State = 'open';
  #failure: unknown;
  #tail: Promise<void> = Promise.resolve();
  #cleanup: Promise<void> | undefined;

  private constructor(
    finalPath: string,
    temporaryPath: string,
    handle: FileHandle,
    options: AtomicWriteOptions,
  ) {
    this.path = finalPath;
    this.temporaryPath = temporaryPath;
    this.#handle = handle;
    this.#bufferBytes = options.bufferBytes ?? DEFAULT_BUFFER_BYTES;
    this.#fsync = options.fsync ?? true;
    this.#signal = options.signal;
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /**
   * Creates the temporary file next to `finalPath`.
   * @throws {@link AtomicWriteError} (`DICOMNET_PART10_WRITE_FAILED`) if it cannot be created;
   *   the `signal`'s reason if it is already aborted.
   */
  static async open(
    finalPath: string,
    options: AtomicWriteOptions = {},
  ): Promise<AtomicFileWriter> {
    options.signal?.throwIfAborted();
    const temporaryPath = path.join(
      path.dirname(finalPath),
      temporaryNameOf(path.basename(finalPath), nodeCrypto().randomBytes(6).toString('hex')),
    );
    let handle: FileHandle;
    try {
      handle = await open(temporaryPath, 'wx', options.mode ?? 0o666);
    } catch (error) {
      throw new AtomicWriteError(finalPath, 'open', error);
    }
    const writer = new AtomicFileWriter(finalPath, temporaryPath, handle, options);
    // The signal may have aborted while the file was being created.
    if (options.signal?.aborted === true) await writer.abort(options.signal.reason);
    await writer.#rejectIfUnusable();
    return writer;
  }

  /** Bytes accepted so far (written or buffered). */
  get bytes(): number {
    return this.#written + this.#pendingBytes;
  }

  /**
   * Appends a chunk. Resolves when the chunk is written or buffered below `bufferBytes`.
   * @throws {@link AtomicWriteError}; the signal's reason after an abort.
   */
  async write(chunk: Uint8Array): Promise<void> {
    await this.#rejectIfUnusable();
    if (chunk.byteLength === 0) return;
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.byteLength;
    if (this.#pendingBytes >= this.#bufferBytes) await this.#enqueue(() => this.#flush());
  }

  /**
   * Writes what is buffered, fsyncs, closes and renames the file into place.
   * @returns The number of bytes in the file.
   * @throws {@link AtomicWriteError} (the temporary file is then removed); the signal's reason.
   */
  async commit(): Promise<AtomicWriteResult> {
    await this.#rejectIfUnusable();
    this.#state = 'committing';
    await this.#enqueue(async () => {
      await this.#flush();
      if (this.#fsync) await this.#step('fsync', () => this.#handle.sync());
      await this.#step('close', () => this.#handle.close());
      this.#throwIfAborted();
      await this.#step('rename', () => rename(this.temporaryPath, this.path));
      this.#state = 'committed';
      this.#signal?.removeEventListener('abort', this.#onAbort);
      if (this.#fsync) await syncFolder(path.dirname(this.path));
    });
    return { bytes: this.#written };
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

  async #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#tail.then(async () => {
      this.#throwIfAborted();
      await task();
    });
    this.#tail = run.catch(() => undefined);
    try {
      await run;
    } catch (error) {
      if (this.#state !== 'failed') this.#fail(error);
      await this.#cleanUp();
      throw this.#failure;
    }
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const chunks = this.#pending;
    const bytes = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.#step('write', async () => {
      let remaining = bytes;
      let buffers: readonly Uint8Array[] = chunks;
      while (remaining > 0) {
        const { bytesWritten } = await this.#handle.writev(buffers);
        remaining -= bytesWritten;
        this.#written += bytesWritten;
        if (remaining > 0) buffers = skip(buffers, bytesWritten);
      }
    });
  }

  async #step(operation: string, action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      throw new AtomicWriteError(this.path, operation, error);
    }
  }

  #fail(reason: unknown): void {
    this.#state = 'failed';
    this.#failure = reason;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }

  /** Closes and removes the temporary file once, after the operation in flight. */
  #cleanUp(): Promise<void> {
    this.#cleanup ??= (async () => {
      await this.#tail;
      await this.#handle.close().catch(() => undefined); // already closed after a failed commit
      await unlink(this.temporaryPath).catch(() => undefined); // renamed already, or never there
    })();
    return this.#cleanup;
  }

  /** After a failure or abort: waits until the temporary file is gone, then rejects. */
  async #rejectIfUnusable(): Promise<void> {
    if (this.#state === 'failed') {
      await this.#cleanUp();
      throw this.#failure;
    }
    if (this.#state !== 'open')
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
 * @returns The number of bytes written.
 * @throws {@link AtomicWriteError} for a file system failure; the `signal`'s reason; whatever
 *   `chunks` throws.
 */
export async function writeFileAtomically(
  finalPath: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const writer = await AtomicFileWriter.open(finalPath, options);
  try {
    for await (const chunk of abortable(chunks, options.signal)) await writer.write(chunk);
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

function skip(buffers: readonly Uint8Array[], count: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let toSkip = count;
  for (const buffer of buffers) {
    if (toSkip >= buffer.byteLength) {
      toSkip -= buffer.byteLength;
      continue;
    }
    rest.push(toSkip > 0 ? buffer.subarray(toSkip) : buffer);
    toSkip = 0;
  }
  return rest;
}

/** fsyncs a folder so that a rename in it survives a crash; not possible everywhere (Windows). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the file itself is complete and in place.
  }
}
