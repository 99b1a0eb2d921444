import type { DataSetEncoding } from '../data-set/element-header.js';
import type { ElementToken } from '../element-stream/element-token.js';
import { nodeZlib } from '../lazy-builtins.js';
import { inflateDataSet } from '../part10/deflate-data-set.js';
import { InflateError } from '../part10/errors.js';
import { describeTransferSyntax } from '../transfer-syntax/transfer-syntax.js';
import { ElementParser } from './element-parser.js';
import type { ElementParserOptions } from './reader-options.js';

/** Options of {@link readElements} and {@link readElementsSync}. */
export interface ReadElementsOptions extends ElementParserOptions {
  /**
   * Transfer syntax UID of the data set: Implicit VR Little Endian, Explicit VR Little or Big
   * Endian, Deflated (PS3.5 A.5), or any encapsulated syntax (its data set is Explicit VR Little
   * Endian, PS3.5 A.4). An unknown UID is read as Explicit VR Little Endian (PS3.5 10.1).
   */
  readonly transferSyntaxUid: string;
  /** Most bytes a Deflated data set may inflate to; default 512 MiB. */
  readonly maxInflatedBytes?: number;
  /** Aborts reading: the iterator rejects with `signal.reason` and releases the source. */
  readonly signal?: AbortSignal;
}

/** Where {@link readElements} takes bytes from: one buffer, or chunks, sync or async. */
export type ElementSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Default of {@link ReadElementsOptions.maxInflatedBytes}: 512 MiB. */
export const DEFAULT_READER_MAX_INFLATED_BYTES = 512 * 1024 * 1024;
/** Deflated input is fed to zlib in slices this big, so that a reader that stops early stops. */
const DEFLATE_SLICE = 16 * 1024;

/** The element encoding of a transfer syntax, and whether its data set is deflated. */
export function elementEncoding(transferSyntaxUid: string): DataSetEncoding & {
  readonly deflated: boolean;
} {
  const syntax = describeTransferSyntax(transferSyntaxUid);
  return {
    explicitVr: syntax.explicitVr,
    littleEndian: syntax.littleEndian,
    deflated: syntax.deflated,
  };
}

/**
 * Reads the elements of an encoded data set (not a Part 10 file: see {@link readPart10Attributes}
 * for those) from a stream of chunks, yielding {@link ElementToken}s as the bytes arrive. Stops
 * early with `stopAfter`; `return()` (or `break` in `for await`) releases the source.
 * @throws {@link DataSetDecodeError} for malformed input; {@link InflateError} for a corrupt or
 *   too large Deflated data set; the `signal`'s reason; an error of the source as it is.
 */
export async function* readElements(
  source: ElementSource,
  options: ReadElementsOptions,
): AsyncGenerator<ElementToken, void, undefined> {
  options.signal?.throwIfAborted();
  const encoding = elementEncoding(options.transferSyntaxUid);
  const parser = new ElementParser(encoding, options);
  const chunks = dataSetChunks(source, encoding.deflated, options.maxInflatedBytes);
  try {
    for (;;) {
      for (let token = parser.read(); token !== undefined; token = parser.read()) yield token;
      if (parser.done) return;
      const next = await nextOrAbort(chunks, options.signal);
      if (next.done === true) parser.end();
      else parser.push(next.value);
    }
  } finally {
    await chunks.return?.();
  }
}

/**
 * As {@link readElements}, but yields the tokens parsed from each chunk together, as one array:
 * a consumer of many small elements is spared a wait per token. Values are views of the chunk
 * (of the inflated bytes for Deflated).
 * @throws As {@link readElements}.
 */
export async function* readElementBatches(
  source: ElementSource,
  options: ReadElementsOptions,
): AsyncGenerator<readonly ElementToken[], void, undefined> {
  options.signal?.throwIfAborted();
  const encoding = elementEncoding(options.transferSyntaxUid);
  const parser = new ElementParser(encoding, options);
  const chunks = dataSetChunks(source, encoding.deflated, options.maxInflatedBytes);
  try {
    for (;;) {
      const batch: ElementToken[] = [];
      for (let token = parser.read(); token !== undefined; token = parser.read()) batch.push(token);
      if (batch.length > 0) yield batch;
      if (parser.done) return;
      const next = await nextOrAbort(chunks, options.signal);
      if (next.done === true) parser.end();
      else parser.push(next.value);
    }
  } finally {
    await chunks.return?.();
  }
}

/** The data set's bytes from `source`, inflated when `deflated` (PS3.5 A.5). */
function dataSetChunks(
  source: ElementSource,
  deflated: boolean,
  maxInflatedBytes = DEFAULT_READER_MAX_INFLATED_BYTES,
): AsyncIterator<Uint8Array> {
  const raw = asyncIterator(source, deflated);
  return deflated
    ? inflateDataSet({ [Symbol.asyncIterator]: () => raw }, { maxOutputBytes: maxInflatedBytes })
    : raw;
}

/**
 * Reads the elements of an encoded data set held in memory; as {@link readElements}, without
 * waiting. Values are views of `bytes` (of the inflated bytes for Deflated).
 * @throws {@link DataSetDecodeError}; {@link InflateError} for Deflated input.
 */
export function* readElementsSync(
  bytes: Uint8Array,
  options: Omit<ReadElementsOptions, 'signal'>,
): Generator<ElementToken, void, undefined> {
  const encoding = elementEncoding(options.transferSyntaxUid);
  const parser = new ElementParser(encoding, options);
  parser.push(encoding.deflated ? inflateSync(bytes, options.maxInflatedBytes) : bytes);
  parser.end();
  for (let token = parser.read(); token !== undefined; token = parser.read()) yield token;
}

/**
 * Inflates a Deflated data set (PS3.5 A.5) within `maxBytes`; with `partial`, `bytes` may be only
 * the start of the stream and what it inflates to is returned.
 */
export function inflateSync(
  bytes: Uint8Array,
  maxBytes = DEFAULT_READER_MAX_INFLATED_BYTES,
  partial = false,
): Uint8Array {
  const zlib = nodeZlib();
  try {
    return zlib.inflateRawSync(bytes, {
      maxOutputLength: maxBytes,
      ...(partial ? { finishFlush: zlib.constants.Z_SYNC_FLUSH } : {}),
    });
  } catch (error) {
    const tooLarge = error instanceof RangeError;
    throw new InflateError(
      tooLarge ? 'DICOMNET_PART10_INFLATE_TOO_LARGE' : 'DICOMNET_PART10_INFLATE_FAILED',
      tooLarge
        ? `inflates to more than ${maxBytes} bytes`
        : `not a raw DEFLATE stream: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** An async iterator over the chunks of `source`; a buffer to deflate is cut into slices. */
export function asyncIterator(source: ElementSource, slice: boolean): AsyncIterator<Uint8Array> {
  if (source instanceof Uint8Array) {
    return slice ? fromSync(slices(source)) : fromSync([source][Symbol.iterator]());
  }
  if (Symbol.asyncIterator in source) return source[Symbol.asyncIterator]();
  return fromSync(source[Symbol.iterator]());
}

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let start = 0; start < bytes.byteLength; start += DEFLATE_SLICE)
    yield bytes.subarray(start, start + DEFLATE_SLICE);
}

function fromSync(iterator: Iterator<Uint8Array>): AsyncIterator<Uint8Array> {
  return {
    next: () => Promise.resolve(iterator.next()),
    return: () => {
      iterator.return?.();
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}

/** `iterator.next()`, rejected with the signal's reason as soon as it aborts. */
export function nextOrAbort<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<T>> {
  if (signal === undefined) return iterator.next();
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error); // the source's own error, passed on as it is
      },
    );
  });
}
