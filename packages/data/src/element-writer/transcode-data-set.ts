// A data set re-encoded in another transfer syntax whose pixel data is not encapsulated, as a
// sender does when the receiver did not accept the syntax an instance is stored in.
import {
  readElements,
  readElementsSync,
  type ElementSource,
} from '../element-reader/read-elements.js';
import { describeTransferSyntax } from '../transfer-syntax/transfer-syntax.js';
import { encodeElementsSync, writeElements } from './write-elements.js';
import type { ElementWriterOptions } from './writer-input.js';

/** Options of {@link transcodeDataSet}. */
export interface TranscodeOptions {
  /** The transfer syntax `source` is encoded in. */
  readonly from: string;
  /** The transfer syntax to write: one {@link canTranscode} accepts with `from`. */
  readonly to: string;
  /** Aborts the conversion: the iterator rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/**
 * Whether {@link transcodeDataSet} converts data sets from `from` to `to`: both are known
 * syntaxes whose pixel data is native (Implicit VR LE, Explicit VR LE or BE, Deflated; PS3.5 A.1,
 * A.2, A.3, A.5). Encapsulated syntaxes are not: that would mean decompressing or compressing
 * pixel data.
 */
export function canTranscode(from: string, to: string): boolean {
  const source = describeTransferSyntax(from);
  const target = describeTransferSyntax(to);
  return source.known && target.known && !source.encapsulated && !target.encapsulated;
}

/**
 * Re-encodes a data set into another transfer syntax through the element reader and writer:
 * element headers are rewritten (VR fields dropped for Implicit VR, taken from the data
 * dictionary or `UN` when adding them, PS3.5 6.2.2), binary values byte-swapped between byte
 * orders, Deflated input inflated and output deflated. Values are passed on as they are
 * otherwise, so nothing is lost between the native syntaxes.
 *
 * Sequences and items get delimiters in an explicit VR output (undefined length, PS3.5 7.5.2),
 * and computed lengths in Implicit VR, as DCMTK writes by default: there a receiver whose
 * dictionary lacks a sequence's tag can still skip it by its length (PS3.5 7.5.1), where an
 * undefined length would leave it to guess that the element is a sequence (PS3.5 6.2.2).
 *
 * Memory: each value is held whole while it is written (a value that spans input chunks is
 * gathered), and in Implicit VR each sequence until it ends, so memory grows with the largest
 * value (e.g. uncompressed pixel data) or sequence.
 * @throws {@link DataSetDecodeError} for malformed input and {@link DataSetEncodeError} for what
 *   cannot be written, from the iterator; a `TypeError` at once when {@link canTranscode} is false.
 */
export function transcodeDataSet(
  source: ElementSource,
  options: TranscodeOptions,
): AsyncGenerator<Uint8Array> {
  const { from, signal } = options;
  const tokens = readElements(source, {
    transferSyntaxUid: from,
    ...EVERY_VALUE,
    ...(signal !== undefined && { signal }),
  });
  return writeElements(tokens, {
    ...writerOptions(options),
    ...(signal !== undefined && { signal }),
  });
}

/**
 * {@link transcodeDataSet} of a data set held in memory, at once: a malformed data set throws
 * here, before any of it is used.
 * @throws As {@link transcodeDataSet}.
 */
export function transcodeDataSetSync(
  bytes: Uint8Array,
  options: Omit<TranscodeOptions, 'signal'>,
): Uint8Array {
  const tokens = readElementsSync(bytes, { transferSyntaxUid: options.from, ...EVERY_VALUE });
  return encodeElementsSync(tokens, writerOptions(options));
}

/** Every value is delivered, however long: the writer needs its bytes. */
const EVERY_VALUE = { maxValueBytes: Number.MAX_SAFE_INTEGER } as const;

function writerOptions({ from, to }: Omit<TranscodeOptions, 'signal'>): ElementWriterOptions {
  if (!canTranscode(from, to))
    throw new TypeError(`cannot convert a data set from ${from} to ${to}`);
  return {
    transferSyntaxUid: to,
    inputLittleEndian: describeTransferSyntax(from).littleEndian,
    ...(describeTransferSyntax(to).explicitVr
      ? { lengths: 'undefined' }
      : { lengths: 'defined', maxBufferedBytes: Number.MAX_SAFE_INTEGER }),
  };
}
