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
   * A file of at most this many bytes is read whole by the first read, and its data set is handed
   * back in `dataSet`: one read for the whole instance instead of one for the header and more for
   * the data set. Default 0: the first read takes 16 KiB and only the header is kept.
   */
  readonly wholeFileBytes?: number;
}

/** An opened Part 10 file: its header, and its data set as a stream of the file's bytes. */
export interface Part10File extends Part10Header {
  /** File size in bytes when it was opened. */
  readonly size: number;
  /**
   * The data set bytes (a copy, `size - dataSetOffset` of them) when the file was read whole
   * (see `wholeFileBytes`); undefined otherwise.
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

/** The first read of a file: File Meta Information is rarely more than 1 KiB. */
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
 * stream the data set without reading the file whole. With `wholeFileBytes`, a small file comes
 * whole from that one read, which also gives its size (no `stat`): small instances are bound by
 * file-system round trips, not by bytes.
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
  const wholeFileBytes = options.wholeFileBytes ?? 0;
  const firstRead = Math.max(FIRST_READ_BYTES, wholeFileBytes);
  const handle = await open(path, 'r');
  try {
    const scratch = takeScratch(firstRead);
    let size: number;
    let step: Part10File | Uint8Array;
    try {
      let filled: number;
      if (wholeFileBytes > 0) {
        // A read short of what it asked for ended at the end of the file, which gives the size:
        // only a file at least as long as the read needs a stat (one request fewer a small file).
        filled = await readFully(handle, scratch, 0, firstRead, 0);
        size = filled < firstRead ? filled : (await handle.stat()).size;
      } else {
        // Most files outgrow a header-only read: their size is needed, so stat beside it.
        const [stats, read] = await Promise.all([
          handle.stat(),
          readFully(handle, scratch, 0, firstRead, 0),
        ]);
        [size, filled] = [stats.size, read];
      }
      step = afterFirstRead(path, scratch, filled, size, wholeFileBytes, maxMetaBytes);
    } finally {
      giveScratch(scratch);
    }
    // A File Meta Information longer than the first read: read on until it is whole.
    for (let bytes = step; bytes instanceof Uint8Array;) {
      options.signal?.throwIfAborted();
      step = headerOrMore(path, bytes, size, maxMetaBytes);
      if (!(step instanceof Uint8Array)) break;
      const have = bytes.byteLength;
      checkMore(
        path,
        size,
        step,
        have + (await readFully(handle, step, have, step.byteLength - have, have)),
      );
      bytes = step;
    }
    return step as Part10File; // the loop ends only on a file
  } finally {
    // Off the critical path: closing a file only read cannot lose anything.
    void handle.close().catch(() => {});
  }
}

/**
 * {@link openPart10File} with blocking system calls: `open`, one `read` (an `fstat` only for a
 * file at least as long as that read) and `close`, without the round trips through libuv's thread
 * pool, several times faster on files in the page cache. It holds the event loop meanwhile: for a
 * command line or a tool that reads files before any connection, not for a server.
 * @throws As {@link openPart10File}.
 */
export function openPart10FileSync(
  path: string,
  options: Omit<OpenPart10FileOptions, 'signal'> = {},
): Part10File {
  const maxMetaBytes = options.maxMetaBytes ?? DEFAULT_MAX_META_BYTES;
  const wholeFileBytes = options.wholeFileBytes ?? 0;
  const firstRead = Math.max(FIRST_READ_BYTES, wholeFileBytes);
  const fd = openSync(path, 'r');
  try {
    const scratch = takeScratch(firstRead);
    let size: number;
    let step: Part10File | Uint8Array;
    try {
      const filled = readFullySync(fd, scratch, 0, firstRead, 0);
      size = filled < firstRead ? filled : fstatSync(fd).size;
      step = afterFirstRead(path, scratch, filled, size, wholeFileBytes, maxMetaBytes);
    } finally {
      giveScratch(scratch);
    }
    for (let bytes = step; bytes instanceof Uint8Array;) {
      step = headerOrMore(path, bytes, size, maxMetaBytes);
      if (!(step instanceof Uint8Array)) break;
      const have = bytes.byteLength;
      checkMore(
        path,
        size,
        step,
        have + readFullySync(fd, step, have, step.byteLength - have, have),
      );
      bytes = step;
    }
    return step as Part10File; // the loop ends only on a file
  } finally {
    closeSync(fd);
  }
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
  wholeFileBytes: number,
  maxMetaBytes: number,
): Part10File | Uint8Array {
  const asked = scratch.byteLength;
  // A short read ends at the end of the file: then it must be the size stat saw.
  if (filled < asked ? filled !== size : size < asked) {
    throw new Part10FileChangedError(path, size, `then ${filled} bytes could be read`);
  }
  const first = parsePart10Header(scratch.subarray(0, filled), filled >= size, maxMetaBytes);
  if (!('header' in first)) return new Uint8Array(scratch.subarray(0, filled));
  const whole = filled === size && size <= wholeFileBytes;
  const dataSet = whole
    ? new Uint8Array(scratch.subarray(first.header.dataSetOffset, filled))
    : undefined;
  return part10File(path, first.header, size, dataSet);
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
 * Reads `length` bytes into `target` at `offset` from file position `position`, in as many reads
 * as it takes; fewer only at the end of the file. Returns the bytes read.
 */
async function readFully(
  handle: FileHandle,
  target: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(
      target,
      offset + filled,
      length - filled,
      position + filled,
    );
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/** {@link readFully} with blocking calls. */
function readFullySync(
  fd: number,
  target: Uint8Array,
  offset: number,
  length: number,
  position: number,
): number {
  let filled = 0;
  while (filled < length) {
    const bytesRead = readSync(fd, target, offset + filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

/**
 * First-read buffers, reused: reading small files whole takes a 256 KiB buffer per file, and
 * allocating one each time would cost more than the read. Sixteen per size are kept: enough for
 * 16 files opened at once (at most 4 MiB of 256 KiB buffers).
 */
const scratchPool = new Map<number, Uint8Array[]>();
const SCRATCH_KEPT_PER_SIZE = 16;

function takeScratch(size: number): Uint8Array {
  // A plain Uint8Array, never a Buffer: the header parser copies values with `slice`, which on a
  // Buffer would be a view into this reused memory.
  return scratchPool.get(size)?.pop() ?? new Uint8Array(size);
}

function giveScratch(scratch: Uint8Array): void {
  const spare = scratchPool.get(scratch.byteLength) ?? [];
  if (spare.length < SCRATCH_KEPT_PER_SIZE) spare.push(scratch);
  scratchPool.set(scratch.byteLength, spare);
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
