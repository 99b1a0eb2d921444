import type { DimseClient, StoreOptions } from '../client/dimse-client.js';
import type { DimseResult } from '../services/results.js';
import { convertInstance } from './convert-instance.js';
import type { Prepared } from './read-buffers.js';
import { READ_BUFFER_BYTES, ReadBuffers, unbuffered } from './read-buffers.js';
import type { InstanceFile } from './instance-file.js';
import { openInstanceFile, openInstanceFileSync } from './instance-file.js';

/** What happened to one file of {@link storeFiles}: its result, or why it was not stored. */
export type StoreFileOutcome =
  | { readonly file: InstanceFile; readonly result: DimseResult; readonly error?: undefined }
  | { readonly file: InstanceFile; readonly result?: undefined; readonly error: Error };

/** Options of {@link storeFiles}. */
export interface StoreFilesOptions extends Omit<StoreOptions, 'onProgress' | 'onWritten'> {
  /** Send every file in this transfer syntax, converting those in another (see `convertInstance`). */
  readonly transferSyntaxUid?: string;
  /** Files up to this many bytes are read ahead, one file ahead, into memory. Default 4 MiB. */
  readonly readAheadBytes?: number;
  /** Called as data-set bytes of the current file are handed to the socket. */
  readonly onProgress?: (file: InstanceFile, bytesSent: number) => void;
}

/**
 * Sends files with C-STORE on one association, yielding each outcome in the files' order. As many
 * stores are in flight as the negotiated asynchronous operations window lets us invoke (PS3.7
 * D.3.3.3: 1 unless both sides agreed on more; an unlimited window counts as 16), so a peer that
 * performs several at once is kept busy. Small files are bound by file-system latency rather than
 * by bytes, so they are read into memory ahead of their turn; large ones stream from disk. A
 * failure status is an outcome and the loop goes on; an error that ends the association is
 * thrown.
 *
 * Files opened with blocking calls whose data sets were not kept (`openInstanceFiles` with
 * `sync` and `keepBytes: 0`) have data sets of less than 64 KiB read with blocking calls, one
 * file ahead, into a few reused 64 KiB buffers (the window plus two): fresh memory costs a page
 * fault per 4 KiB, more than the read. A buffer is reused only once the socket has handed the
 * request's bytes to the kernel (a peer may answer before it has read them all), so such files
 * are sent in bounded memory, as storescu sends them.
 */
export async function* storeFiles(
  client: DimseClient,
  files: readonly InstanceFile[],
  options: StoreFilesOptions = {},
): AsyncGenerator<StoreFileOutcome> {
  const readAhead = options.readAheadBytes ?? 4 * 1024 * 1024;
  const { transferSyntaxUid, onProgress, ...storeOptions } = options;
  const invoked = client.negotiated.asynchronousOperationsWindow.maxOperationsInvoked;
  const window = invoked === 0 ? UNLIMITED_WINDOW : invoked;
  const buffers = new ReadBuffers(window + 2);
  /** Reads `file` (into a reused buffer once the request before is `sent`) or starts to. */
  const prepare = (file: InstanceFile, sent: Promise<void>): Settled<Prepared> => {
    if (transferSyntaxUid !== undefined && transferSyntaxUid !== file.transferSyntaxUid) {
      return settle(convertInstance(file, transferSyntaxUid).then(unbuffered));
    }
    const { readDataSetSync } = file;
    if (readDataSetSync !== undefined && file.size < READ_BUFFER_BYTES) {
      // Read while the request before travels and the peer handles it; its buffer is free.
      return sent.then(() => buffers.read(file, readDataSetSync));
    }
    const loaded = file.size <= readAhead ? file.load() : Promise.resolve(file.instance());
    return settle(loaded.then(unbuffered));
  };
  /** Stores `file`; `onSent` once the socket has its request's bytes, or nothing is sent. */
  const send = async (
    file: InstanceFile,
    prepared: Settled<Prepared>,
    onSent: () => void,
  ): Promise<StoreFileOutcome> => {
    const ready = await prepared;
    if (!ready.ok) {
      onSent();
      return { file, error: asError(ready.error) };
    }
    const { instance, buffer } = ready.value;
    try {
      const result = await client.store(instance, {
        ...storeOptions,
        ...(onProgress !== undefined && { onProgress: (bytes: number) => onProgress(file, bytes) }),
        onWritten:
          buffer === undefined
            ? onSent
            : () => {
                buffers.give(buffer);
                onSent();
              },
      });
      return { file, result };
    } catch (error) {
      // A failure status, or no context for this file, leaves the association usable.
      const code = (error as { code?: unknown }).code;
      if (code !== 'DICOMNET_DIMSE_FAILURE_STATUS' && code !== 'DICOMNET_DIMSE_NO_CONTEXT')
        throw error;
      return { file, error: asError(error) };
    }
  };
  // In flight, in file order; the one after them is already being read (one file ahead).
  const inFlight: Settled<StoreFileOutcome>[] = [];
  const first = files[0];
  let upcoming = first === undefined ? undefined : prepare(first, Promise.resolve());
  for (const [index, file] of files.entries()) {
    const prepared = upcoming ?? prepare(file, Promise.resolve());
    const following = files[index + 1];
    await prepared; // read this one before reading the next
    let onSent!: () => void; // assigned by the executor, which runs at once
    const sent = new Promise<void>((resolve) => (onSent = resolve));
    inFlight.push(settle(send(file, prepared, onSent)));
    upcoming = following === undefined ? undefined : prepare(following, sent);
    if (inFlight.length >= window)
      yield unwrap(await (inFlight.shift() as Settled<StoreFileOutcome>));
  }
  while (inFlight.length > 0) yield unwrap(await (inFlight.shift() as Settled<StoreFileOutcome>));
}

/**
 * Files `openInstanceFiles` reads with blocking calls before it lets the event loop run: about
 * 2 ms of small files from the page cache, against 64 round trips through the event loop saved.
 */
const SYNC_FILES_PER_TURN = 64;

/** Resolves after the event loop has served what is due (timers, I/O, signals). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Stores in flight at once when the peer granted an unlimited window. */
const UNLIMITED_WINDOW = 16;

function unwrap<T>(
  settled:
    { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown },
): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}

/** Options of {@link openInstanceFiles}. */
export interface OpenInstanceFilesOptions {
  /** Files opened at once; default 16. */
  readonly concurrency?: number;
  /**
   * Data sets of files up to 256 KiB are read with their headers and kept in memory, so that
   * sending them reads nothing more, up to this many bytes in all; the files opened after that
   * are read again when sent. Default 64 MiB; 0 keeps none.
   */
  readonly keepBytes?: number;
  /**
   * Read with blocking system calls, one file after the other (`openInstanceFileSync`): several
   * times faster on files in the page cache, but the event loop is held while a file is read
   * (about 30 µs a small file in the page cache, a disk's latency otherwise), and given back
   * after every 64 files, so that timers and signals (Ctrl-C) are still served. For a command
   * line that opens its files before any association, as storescu does; `concurrency` is then
   * ignored. Default false.
   */
  readonly sync?: boolean;
}

/**
 * Opens many Part 10 files for sending, a few at a time, keeping their order: each entry is the
 * opened file or the error that kept it from opening (not DICOM, unreadable).
 */
export async function openInstanceFiles(
  paths: readonly string[],
  options: OpenInstanceFilesOptions = {},
): Promise<(InstanceFile | { readonly path: string; readonly error: Error })[]> {
  const results: (InstanceFile | { path: string; error: Error })[] = new Array(paths.length);
  // Files in flight may overshoot it by at most `concurrency` × 256 KiB.
  let keepBytes = options.keepBytes ?? 64 * 1024 * 1024;
  const kept = (file: InstanceFile): InstanceFile => {
    if (file.loaded) keepBytes -= file.size;
    return file;
  };
  if (options.sync === true) {
    for (const [index, path] of paths.entries()) {
      if (index > 0 && index % SYNC_FILES_PER_TURN === 0) await nextTurn();
      try {
        results[index] = kept(openInstanceFileSync(path, { keepDataSet: keepBytes > 0 }));
      } catch (error) {
        results[index] = { path, error: asError(error) };
      }
    }
    return results;
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < paths.length; index = next++) {
      const path = paths[index] as string; // index < paths.length
      try {
        results[index] = kept(await openInstanceFile(path, { keepDataSet: keepBytes > 0 }));
      } catch (error) {
        results[index] = { path, error: asError(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  return results;
}

type Settled<T> = Promise<
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown }
>;

/** A promise that never rejects unobserved while it waits its turn. */
function settle<T>(promise: Promise<T>): Settled<T> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
