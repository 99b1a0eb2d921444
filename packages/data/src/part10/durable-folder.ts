import { close, fsync, open } from 'node:fs';
import { AtomicWriteError } from './errors.js';

/**
 * The file system calls {@link DurableFolder} makes, on file descriptors. The default is
 * `node:fs`; a test passes its own to watch the order of calls.
 */
export interface FolderSyncCalls {
  open(path: string): Promise<number>;
  fsync(fd: number): Promise<void>;
  close(fd: number): Promise<void>;
}

/** Options of {@link DurableFolder}. */
export interface DurableFolderOptions {
  /**
   * Milliseconds without a sync after which the folder's descriptor is closed (it is reopened
   * on the next sync); default 1,000. The timer does not keep the process alive.
   */
  readonly idleCloseMs?: number;
  /** The calls to make; default `node:fs`. */
  readonly calls?: FolderSyncCalls;
}

const DEFAULT_IDLE_CLOSE_MS = 1000;

/** A sync that has been asked for and not yet started, shared by every caller that joins it. */
interface Batch {
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Makes renames in one folder durable, sharing fsyncs between concurrent callers (group commit).
 * On Linux a rename reaches the disk only once its folder is fsynced (fsync(2): "an fsync() on
 * a file descriptor for the directory is also needed"); one folder fsync covers every rename
 * done before it started. So {@link sync} resolves only after an fsync that started after the
 * call: callers arriving while one runs wait together for the next, which then serves them all.
 * With N concurrent associations that is about one folder fsync per round instead of N.
 *
 * The folder stays open between syncs (no open and close per file) and is closed after
 * `idleCloseMs` without one, or by {@link close}. On Windows, where a folder cannot be
 * fsynced, {@link sync} does nothing.
 */
export class DurableFolder {
  /** The folder. */
  readonly path: string;
  readonly #calls: FolderSyncCalls;
  readonly #idleCloseMs: number;
  #fd: Promise<number> | undefined;
  /** The fsync in flight, if any. */
  #running: Promise<void> | undefined;
  /** Callers waiting for the fsync after the one in flight. */
  #next: Batch | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(folder: string, options: DurableFolderOptions = {}) {
    this.path = folder;
    this.#calls = options.calls ?? NODE_CALLS;
    this.#idleCloseMs = options.idleCloseMs ?? DEFAULT_IDLE_CLOSE_MS;
  }

  /**
   * Resolves once an fsync of the folder that started after this call has finished, so every
   * rename into the folder that completed before the call is durable.
   * @throws {@link AtomicWriteError} (`DICOMNET_PART10_WRITE_FAILED`, operation `fsync-folder`)
   *   if the folder cannot be opened or fsynced; every caller sharing that fsync gets it.
   */
  sync(): Promise<void> {
    if (process.platform === 'win32') return Promise.resolve();
    this.#cancelIdleClose();
    if (this.#running === undefined) return this.#start(undefined);
    this.#next ??= newBatch();
    return this.#next.done;
  }

  /** Closes the folder's descriptor once the fsyncs in flight are done. Idempotent. */
  async close(): Promise<void> {
    this.#cancelIdleClose();
    while (this.#running !== undefined) await this.#running.catch(() => undefined);
    await this.#closeFd();
  }

  /** Starts one fsync for `batch` (or for the caller itself when undefined). */
  #start(batch: Batch | undefined): Promise<void> {
    const run = this.#fsyncOnce();
    this.#running = run;
    void run.then(
      () => this.#finish(batch, undefined),
      (error: unknown) => this.#finish(batch, error),
    );
    return run;
  }

  #finish(batch: Batch | undefined, error: unknown): void {
    if (error === undefined) batch?.resolve();
    else batch?.reject(error);
    const next = this.#next;
    this.#next = undefined;
    this.#running = undefined;
    // The next fsync starts only now: it must begin after the renames of everyone waiting.
    if (next !== undefined) void this.#start(next).catch(() => undefined);
    else this.#scheduleIdleClose();
  }

  async #fsyncOnce(): Promise<void> {
    let fd: number;
    try {
      this.#fd ??= this.#calls.open(this.path);
      fd = await this.#fd;
    } catch (error) {
      this.#fd = undefined;
      throw new AtomicWriteError(this.path, 'open-folder', error);
    }
    try {
      await this.#calls.fsync(fd);
    } catch (error) {
      // After a failed fsync the state of the folder's cache is unknown: start afresh.
      await this.#closeFd();
      throw new AtomicWriteError(this.path, 'fsync-folder', error);
    }
  }

  async #closeFd(): Promise<void> {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd === undefined) return;
    await fd.then((opened) => this.#calls.close(opened)).catch(() => undefined);
  }

  #scheduleIdleClose(): void {
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      void this.#closeFd();
    }, this.#idleCloseMs);
    this.#idleTimer.unref();
  }

  #cancelIdleClose(): void {
    if (this.#idleTimer === undefined) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
  }
}

function newBatch(): Batch {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { done, resolve, reject };
}

/** `node:fs` through callbacks: one thread-pool request each, no FileHandle to track. */
const NODE_CALLS: FolderSyncCalls = {
  open: (path) =>
    new Promise((resolve, reject) =>
      open(path, 'r', (error, fd) => (error === null ? resolve(fd) : reject(error))),
    ),
  fsync: (fd) =>
    new Promise((resolve, reject) =>
      fsync(fd, (error) => (error === null ? resolve() : reject(error))),
    ),
  close: (fd) =>
    new Promise((resolve, reject) =>
      close(fd, (error) => (error === null ? resolve() : reject(error))),
    ),
};
