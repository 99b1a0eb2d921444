import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DEFAULT_MAX_META_BYTES, parsePart10Header, type Part10Header } from './parse-file-meta.js';

/** Options of the Part 10 readers. */
export interface ReadPart10Options {
  /** Largest File Meta Information accepted after `DICM`, in bytes; default 64 KiB. */
  readonly maxMetaBytes?: number;
  /** Aborts reading the header; the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** An opened Part 10 file: its header, and its data set as a stream of the file's bytes. */
export interface Part10File extends Part10Header {
  /** File size in bytes when it was opened. */
  readonly size: number;
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
 * Opens a Part 10 file: reads the preamble, `DICM` and File Meta Information in small reads
 * (never more than `maxMetaBytes` plus one read), and returns them with a way to stream the data
 * set without reading the file whole (PS3.10 §7.1).
 * @throws {@link NotPart10Error}, {@link Part10MalformedError}, {@link Part10MetaTooLargeError};
 *   Node.js file system errors (`ENOENT`…) as they are; the `signal`'s reason.
 */
export async function openPart10File(
  path: string,
  options: ReadPart10Options = {},
): Promise<Part10File> {
  options.signal?.throwIfAborted();
  const maxMetaBytes = options.maxMetaBytes ?? DEFAULT_MAX_META_BYTES;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    let bytes = new Uint8Array(0);
    for (;;) {
      options.signal?.throwIfAborted();
      const result = parsePart10Header(bytes, bytes.byteLength >= size, maxMetaBytes);
      if ('header' in result) {
        const header = result.header;
        return {
          ...header,
          size,
          dataSetStream: (streamOptions = {}) =>
            createReadStream(path, {
              start: header.dataSetOffset,
              ...(streamOptions.highWaterMark === undefined
                ? {}
                : { highWaterMark: streamOptions.highWaterMark }),
            }),
        };
      }
      const want = Math.min(size, Math.max(result.needBytes, bytes.byteLength + READ_SIZE));
      const grown = new Uint8Array(want);
      grown.set(bytes);
      const { bytesRead } = await handle.read(
        grown,
        bytes.byteLength,
        want - bytes.byteLength,
        bytes.byteLength,
      );
      bytes = grown.subarray(0, bytes.byteLength + bytesRead);
      if (bytesRead === 0) {
        // The file shrank under us: parse what there is as the whole file.
        const last = parsePart10Header(bytes, true, maxMetaBytes);
        return {
          ...(last as { header: Part10Header }).header,
          size: bytes.byteLength,
          dataSetStream: () => createReadStream(path, { start: bytes.byteLength }),
        };
      }
    }
  } finally {
    await handle.close();
  }
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
