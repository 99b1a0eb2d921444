import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Part10FileChangedError } from './errors.js';
import { DEFAULT_MAX_META_BYTES, parsePart10Header, type Part10Header } from './parse-file-meta.js';

/** Options of the Part 10 readers. */
export interface ReadPart10Options {
  /** Largest File Meta Information accepted after `DICM`, in bytes; default 64 KiB. */
  readonly maxMetaBytes?: number;
  /** Aborts reading the header; the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** Options of {@link openPart10File}. */
export interface OpenPart10FileOptions extends ReadPart10Options {
  /**
   * A file of at most this many bytes is read whole, straight into an array of its own, and its
   * data set is handed back in `dataSet`: one read for the whole instance instead of one for the
   * header and more for the data set. Default 0: only the header is read and kept.
   */
  readonly wholeFileBytes?: number;
}

/** An opened Part 10 file: its header, and its data set as a stream of the file's bytes. */
export interface Part10File extends Part10Header {
  /** File size in bytes when it was opened. */
  readonly size: number;
  /**
   * The data set bytes (`size - dataSetOffset` of them, a view of an array that holds this file
   * only) when the file was read whole (see `wholeFileBytes`); undefined otherwise.
   */
  readonly dataSet?: Uint8Array;
  /**
   * A new stream of the data set bytes, from `dataSetOffset` to the end of the file, exactly as
   * stored (still deflated for Deflated Explicit VR Little Endian: see `inflateDataSet`).
   */
  dataSetStream(options?: { readonly highWaterMark?: number }): Readable;
}

/** A Part 10 header read from a stream, and the rest of the stream: the data set bytes. */
export interface Part10Stream extends Part10Header {
  /**
   * The data set bytes that follow the header, read on demand from the source. Iterate it once,
   * or call `return()` to release the source without reading it.
   */
  readonly dataSet: Part10DataSet;
}

/** Data set chunks read on demand; `return()` releases the source (destroys a `Readable`). */
export interface Part10DataSet extends AsyncIterableIterator<Uint8Array> {
  return(): Promise<IteratorResult<Uint8Array>>;
}

/** The first read of a header: File Meta Information is rarely more than 1 KiB. */
const FIRST_READ_BYTES = 16 * 1024;
/** Reads after the first, while a long File Meta Information is still incomplete. */
const READ_SIZE = 4096;

/**
 * Reads the header of a Part 10 file held in memory.
 * @throws {@link NotPart10Error} (`DICOMNET_PART10_NOT_PART10`), {@link Part10MalformedError},
 *   {@link Part10MetaTooLargeError}.
 */
export function readPart10Header(
  bytes: Uint8Array,
  options: Pick<ReadPart10Options, 'maxMetaBytes'> = {},
): Part10Header {
  const result = parsePart10Header(bytes, true, options.maxMetaBytes ?? DEFAULT_MAX_META_BYTES);
  // With isWholeFile true the parser never asks for more bytes.
  return (result as { header: Part10Header }).header;
}

/**
 * Opens a Part 10 file: reads the preamble, `DICM` and File Meta Information (PS3.10 §7.1) with
 * one `read` beside one `stat` (more reads only for a File Meta Information longer than the
 * first read, never more than `maxMetaBytes` plus one read), and returns them with a way to
 * stream the data set without reading the file whole. With `wholeFileBytes`, a small file is
 * read whole by one `read` after the `stat` (whose size the array is made for): small instances
 * are bound by file-system round trips, not by bytes.
 * The file is closed without waiting for it.
 * @throws {@link NotPart10Error}, {@link Part10MalformedError}, {@link Part10MetaTooLargeError};
 *   {@link Part10FileChangedError} when the file's size changes while it is read; Node.js file
 *   system errors (`ENOENT`…) as they are; the `signal`'s reason.
 */
export async function openPart10File(
  path: string,
  options: OpenPart10FileOptions = {},
): Promise<Part10File> {
  options.signal?.throwIfAborted();
  const maxMetaBytes = options.maxMetaBytes ?? DEFAULT_MAX_META_BYTES;
  const handle = await open(path, 'r');
  try {
    const wholeFileBytes = options.wholeFileBytes ?? 0;
    // With wholeFileBytes the size comes first: a small file is then read whole into an array
    // made for it. Without, most files outgrow a header-only read: stat beside that read.
    const stats = wholeFileBytes > 0 ? await handle.stat() : handle.stat();
    if ('size' in stats && stats.size <= wholeFileBytes) {
      const bytes = fileArray(stats.size);
      return wholeFile(path, bytes, await readFully(handle, bytes, 0, stats.size), maxMetaBytes);
    }
    const scratch = takeScratch();
    let size: number;
    let step: Part10File | Uint8Array;
    try {
      const [{ size: statSize }, filled] = await Promise.all([
        stats,
        readFully(handle, scratch, 0, FIRST_READ_BYTES),
      ]);
      size = statSize;
      step = afterFirstRead(path, scratch, filled, size, maxMetaBytes);
    } finally {
      giveScratch(scratch);
    }
    // A File Meta Information longer than the first read: read on until it is whole.
    for (let bytes = step; bytes instanceof Uint8Array;) {
      options.signal?.throwIfAborted();
      step = headerOrMore(path, bytes, size, maxMetaBytes);
      if (!(step instanceof Uint8Array)) break;
      const have = bytes.byteLength;
      checkMore(path, size, step, have + (await readFully(handle, step, have, step.byteLength)));
      bytes = step;
    }
    return step as Part10File; // the loop ends only on a file
  } finally {
    // Off the critical path: closing a file only read cannot lose anything.
    void handle.close().catch(() => {});
  }
}

/**
 * {@link openPart10File} with blocking system calls: `open`, `fstat`, one `read` and `close`,
 * without the round trips through libuv's thread pool, several times faster on files in the page
 * cache. It holds the event loop meanwhile: for a command line or a tool that reads files before
 * any connection, not for a server.
 * @throws As {@link openPart10File}.
 */
export function openPart10FileSync(
  path: string,
  options: Omit<OpenPart10FileOptions, 'signal'> = {},
): Part10File {
  const maxMetaBytes = options.maxMetaBytes ?? DEFAULT_MAX_META_BYTES;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= (options.wholeFileBytes ?? 0)) {
      const bytes = fileArray(size);
      return wholeFile(path, bytes, readFullySync(fd, bytes, 0, size), maxMetaBytes);
    }
    const scratch = takeScratch();
    let step: Part10File | Uint8Array;
    try {
      const filled = readFullySync(fd, scratch, 0, Math.min(FIRST_READ_BYTES, size));
      step = afterFirstRead(path, scratch, filled, size, maxMetaBytes);
    } finally {
      giveScratch(scratch);
    }
    for (let bytes = step; bytes instanceof Uint8Array;) {
      step = headerOrMore(path, bytes, size, maxMetaBytes);
      if (!(step instanceof Uint8Array)) break;
      const have = bytes.byteLength;
      checkMore(path, size, step, have + readFullySync(fd, step, have, step.byteLength));
      bytes = step;
    }
    return step as Part10File; // the loop ends only on a file
  } finally {
    closeSync(fd);
  }
}

/**
 * An array for a whole file of `size` bytes, and one byte more: a read that fills that byte finds
 * the file grown since its `stat`. Not zeroed, as the read overwrites what is kept; a plain
 * `Uint8Array`, never a `Buffer`, so that the header parser's `slice` copies its values.
 */
function fileArray(size: number): Uint8Array {
  return new Uint8Array(Buffer.allocUnsafeSlow(size + 1).buffer, 0, size + 1);
}

/** The file read whole into `bytes` (its size and one byte more, {@link fileArray}). */
function wholeFile(
  path: string,
  bytes: Uint8Array,
  filled: number,
  maxMetaBytes: number,
): Part10File {
  const size = bytes.byteLength - 1;
  if (filled !== size) {
    const then = filled < size ? `then it ended after ${filled} bytes` : 'then it had more';
    throw new Part10FileChangedError(path, size, then);
  }
  const file = bytes.subarray(0, size);
  // With isWholeFile true the parser never asks for more bytes.
  const { header } = parsePart10Header(file, true, maxMetaBytes) as { header: Part10Header };
  return part10File(path, header, size, file.subarray(header.dataSetOffset));
}

/**
 * The file from its first read of `filled` bytes into `scratch`, or a copy of those bytes when
 * the header goes on past them. Copies: the scratch goes back to the pool (the header's values
 * are copies already).
 */
function afterFirstRead(
  path: string,
  scratch: Uint8Array,
  filled: number,
  size: number,
  maxMetaBytes: number,
): Part10File | Uint8Array {
  // The first read ends at the size stat saw when the file is shorter than the read.
  if (filled !== Math.min(scratch.byteLength, size)) {
    throw new Part10FileChangedError(path, size, `then ${filled} bytes could be read`);
  }
  const first = parsePart10Header(scratch.subarray(0, filled), filled >= size, maxMetaBytes);
  if (!('header' in first)) return new Uint8Array(scratch.subarray(0, filled));
  return part10File(path, first.header, size, undefined);
}

/** The file once `bytes` hold its header, or `bytes` copied into a larger array to read into. */
function headerOrMore(
  path: string,
  bytes: Uint8Array,
  size: number,
  maxMetaBytes: number,
): Part10File | Uint8Array {
  const result = parsePart10Header(bytes, bytes.byteLength >= size, maxMetaBytes);
  if ('header' in result) return part10File(path, result.header, size, undefined);
  const grown = new Uint8Array(
    Math.min(size, Math.max(result.needBytes, bytes.byteLength + READ_SIZE)),
  );
  grown.set(bytes);
  return grown;
}

/** Throws when a read that should have filled `grown` ended at `reachedTo`: the file shrank. */
function checkMore(path: string, size: number, grown: Uint8Array, reachedTo: number): void {
  if (reachedTo < grown.byteLength) {
    throw new Part10FileChangedError(path, size, `then it ended after ${reachedTo} bytes`);
  }
}

function part10File(
  path: string,
  header: Part10Header,
  size: number,
  dataSet: Uint8Array | undefined,
): Part10File {
  return {
    ...header,
    size,
    ...(dataSet !== undefined && { dataSet }),
    dataSetStream: (streamOptions = {}) =>
      createReadStream(path, {
        start: header.dataSetOffset,
        ...(streamOptions.highWaterMark === undefined
          ? {}
          : { highWaterMark: streamOptions.highWaterMark }),
      }),
  };
}

/**
 * Reads the file from position `from` into `target` at the same offset, each read asking for the
 * rest of `target`, until `target` holds at least `until` bytes or the file ends. Returns the
 * bytes read: fewer than `until - from` only at the end of the file, more when the file is longer
 * than `until` and `target` has room (how a whole-file read sees a file grown since its `stat`).
 */
async function readFully(
  handle: FileHandle,
  target: Uint8Array,
  from: number,
  until: number,
): Promise<number> {
  let offset = from;
  while (offset < until) {
    const { bytesRead } = await handle.read(target, offset, target.byteLength - offset, offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  return offset - from;
}

/** {@link readFully} with blocking calls. */
function readFullySync(fd: number, target: Uint8Array, from: number, until: number): number {
  let offset = from;
  while (offset < until) {
    const bytesRead = readSync(fd, target, offset, target.byteLength - offset, offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  return offset - from;
}

/**
 * First-read buffers of header-only reads, reused: sixteen are kept, enough for 16 files opened
 * at once.
 */
const scratchPool: Uint8Array[] = [];
const SCRATCH_KEPT = 16;

function takeScratch(): Uint8Array {
  // A plain Uint8Array, never a Buffer: the header parser copies values with `slice`, which on a
  // Buffer would be a view into this reused memory.
  return scratchPool.pop() ?? new Uint8Array(FIRST_READ_BYTES);
}

function giveScratch(scratch: Uint8Array): void {
  if (scratchPool.length < SCRATCH_KEPT) scratchPool.push(scratch);
}

/**
 * Reads a Part 10 header from a file path or from any byte stream (a `Readable`, a socket, an
 * iterable or async iterable of chunks), buffering only the header (bounded by `maxMetaBytes`), and hands
 * back the rest of the stream as the data set.
 * @throws As {@link openPart10File}; for a stream that ends inside the header,
 *   {@link Part10MalformedError} or {@link NotPart10Error}.
 */
export async function readPart10(
  source: string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadPart10Options = {},
): Promise<Part10Stream> {
  if (typeof source === 'string') {
    const file = await openPart10File(source, options);
    const stream = file.dataSetStream();
    return {
      meta: file.meta,
      dataSetOffset: file.dataSetOffset,
      dataSet: new DataSetChunks(stream[Symbol.asyncIterator](), []),
    };
  }
  const maxMetaBytes = options.maxMetaBytes ?? DEFAULT_MAX_META_BYTES;
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : fromSync(source[Symbol.iterator]());
  const chunks: Uint8Array[] = [];
  let buffered = 0;
  let done = false;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const bytes = concat(chunks, buffered);
      const result = parsePart10Header(bytes, done, maxMetaBytes);
      if ('header' in result) {
        const rest = bytes.subarray(result.header.dataSetOffset);
        return {
          ...result.header,
          dataSet: new DataSetChunks(iterator, rest.byteLength > 0 ? [rest] : [], done),
        };
      }
      const next = await iterator.next();
      if (next.done === true) done = true;
      else {
        chunks.splice(0, chunks.length, bytes, next.value);
        buffered = bytes.byteLength + next.value.byteLength;
      }
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
}

async function* fromSync(iterator: Iterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  for (let next = iterator.next(); next.done !== true; next = iterator.next()) yield next.value;
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array; // length checked
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The data set chunks: what the header reader read ahead, then the rest of the source. */
class DataSetChunks implements Part10DataSet {
  readonly #source: AsyncIterator<Uint8Array>;
  readonly #readAhead: Uint8Array[];
  #finished: boolean;

  constructor(source: AsyncIterator<Uint8Array>, readAhead: Uint8Array[], finished = false) {
    this.#source = source;
    this.#readAhead = readAhead;
    this.#finished = finished;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this;
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    const ahead = this.#readAhead.shift();
    if (ahead !== undefined) return { done: false, value: ahead };
    if (this.#finished) return { done: true, value: undefined };
    const next = await this.#source.next();
    if (next.done === true) this.#finished = true;
    return next.done === true
      ? { done: true, value: undefined }
      : { done: false, value: next.value };
  }

  async return(): Promise<IteratorResult<Uint8Array>> {
    this.#readAhead.length = 0;
    if (!this.#finished) {
      this.#finished = true;
      await this.#source.return?.();
    }
    return { done: true, value: undefined };
  }
}
