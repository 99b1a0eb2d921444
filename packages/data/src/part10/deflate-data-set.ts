import { Readable, type Transform } from 'node:stream';
import { nodeZlib } from '../lazy-builtins.js';
import { InflateError } from './errors.js';

/** Options of {@link deflateDataSet}. */
export interface DeflateDataSetOptions {
  /** zlib level 0–9; default 6. */
  readonly level?: number;
}

/** Options of {@link inflateDataSet}. */
export interface InflateDataSetOptions {
  /** Largest inflated output accepted, in bytes; default unlimited. */
  readonly maxOutputBytes?: number;
}

/**
 * Compresses a data set's bytes for Deflated Explicit VR Little Endian: one raw DEFLATE stream
 * (RFC 1951, no zlib header) and a single trailing NUL when the output is odd (PS3.5 A.5).
 * Streams with zlib's backpressure; memory stays bounded whatever the size.
 */
export async function* deflateDataSet(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: DeflateDataSetOptions = {},
): AsyncGenerator<Uint8Array> {
  let total = 0;
  try {
    for await (const out of throughZlib(
      chunks,
      nodeZlib().createDeflateRaw({ level: options.level ?? 6 }),
    )) {
      total += out.byteLength;
      yield out;
    }
  } catch (error) {
    throw error instanceof SourceError ? error.error : error;
  }
  if (total % 2 === 1) yield Uint8Array.of(0);
}

/**
 * Inflates the bytes of a Deflated Explicit VR Little Endian data set (PS3.5 A.5: raw DEFLATE;
 * the pad byte after the end of the stream is ignored). Streams with backpressure.
 * @throws {@link InflateError} `DICOMNET_PART10_INFLATE_FAILED` for a corrupt or truncated
 *   stream, `DICOMNET_PART10_INFLATE_TOO_LARGE` past `maxOutputBytes`.
 */
export async function* inflateDataSet(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: InflateDataSetOptions = {},
): AsyncGenerator<Uint8Array> {
  const max = options.maxOutputBytes ?? Number.POSITIVE_INFINITY;
  let total = 0;
  try {
    for await (const out of throughZlib(chunks, nodeZlib().createInflateRaw())) {
      total += out.byteLength;
      if (total > max)
        throw new InflateError(
          'DICOMNET_PART10_INFLATE_TOO_LARGE',
          `inflates to more than ${max} bytes`,
        );
      yield out;
    }
  } catch (error) {
    if (error instanceof SourceError) throw error.error;
    if (error instanceof InflateError) throw error;
    throw new InflateError(
      'DICOMNET_PART10_INFLATE_FAILED',
      `not a raw DEFLATE stream: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Pipes `chunks` through a zlib transform; an error of `chunks` itself is rethrown as is. */
async function* throughZlib(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  transform: Transform,
): AsyncGenerator<Uint8Array> {
  const source = Readable.from(chunks, { objectMode: false });
  let sourceFailed = false;
  let sourceError: unknown;
  source.on('error', (error) => {
    sourceFailed = true;
    sourceError = error;
    transform.destroy();
  });
  source.pipe(transform);
  try {
    // A zlib transform yields Buffers, which are Uint8Arrays.
    for await (const out of transform as AsyncIterable<Uint8Array>) yield out;
  } catch (error) {
    throw sourceFailed ? new SourceError(sourceError) : error;
  } finally {
    source.destroy();
    transform.destroy();
  }
  if (sourceFailed) throw new SourceError(sourceError);
}

/** Carries an error of the input iterable through the zlib error handling untouched. */
class SourceError {
  constructor(readonly error: unknown) {}
}
