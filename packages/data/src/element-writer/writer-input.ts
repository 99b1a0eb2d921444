import type { DataElement, DataSet } from '../data-set/data-set.js';
import type { ElementToken } from '../element-stream/element-token.js';

/**
 * One element given as a model value, encoded by the writer in the output transfer syntax. Any
 * VR, SQ included: a sequence's items are written one by one as the output is read.
 */
export interface ModelElementToken {
  readonly kind: 'model-element';
  /** `0xggggeeee`. */
  readonly tag: number;
  readonly element: DataElement;
  /**
   * For an SQ: write the sequence and its items with computed (defined) lengths (PS3.5 7.5.1)
   * rather than delimiters. Default false; {@link ElementWriterOptions.lengths} may override.
   */
  readonly definedLength?: boolean;
}

/**
 * A whole item of the enclosing sequence, given as a model data set: stands for an
 * {@link ItemToken}, the item's elements and an {@link ItemEndToken}.
 */
export interface ModelItemToken {
  readonly kind: 'model-item';
  readonly dataSet: DataSet;
  /**
   * Write the item (and its nested sequences and items) with computed lengths (PS3.5 7.5.1).
   * Default false; {@link ElementWriterOptions.lengths} may override.
   */
  readonly definedLength?: boolean;
}

/** What {@link writeElements} takes: the reader's tokens, model elements and model items mixed. */
export type ElementWriterInput = ElementToken | ModelElementToken | ModelItemToken;

/** Options of {@link writeElements}. */
export interface ElementWriterOptions {
  /**
   * Transfer syntax of the output: Implicit VR LE, Explicit VR LE or BE, a Deflated syntax
   * (raw DEFLATE, PS3.5 A.5), or an encapsulated one (its data set is Explicit VR LE, A.4).
   */
  readonly transferSyntaxUid: string;
  /**
   * Byte order of the value bytes of {@link ValueToken}s and {@link FragmentToken}s (the
   * transfer syntax they were read in); default the output's. Values of multi-byte binary VRs
   * are swapped when it differs. Inside a sequence of VR UN, values are always Little Endian
   * (PS3.5 6.2.2).
   */
  readonly inputLittleEndian?: boolean;
  /**
   * How sequences and items get their lengths: `as-given` (the default) follows each token
   * (a number in a {@link SequenceToken} or {@link ItemToken}, or `definedLength` on a model
   * token, asks for a computed length; the number itself is not reused, since it may differ in
   * the output syntax); `undefined` writes delimiters everywhere (nothing buffered);
   * `defined` computes every length (PS3.5 7.5.1).
   */
  readonly lengths?: 'as-given' | 'undefined' | 'defined';
  /**
   * Group Length (gggg,0000) elements among the tokens: `drop` (the default) leaves them out, as
   * PS3.5 7.2 allows, since a copied length is wrong once anything in its group is re-encoded;
   * `keep` writes them as given. Model input never has them (PS3.18 F.2.2).
   */
  readonly groupLengths?: 'drop' | 'keep';
  /**
   * Most bytes held at once for sequences and items of computed length, whose content must be
   * complete before its length is written; default {@link DEFAULT_MAX_BUFFERED_BYTES}. Past it
   * the write fails with `DICOMNET_DATASET_UNSUPPORTED` (feature `defined-length-buffer`).
   */
  readonly maxBufferedBytes?: number;
  /** Deepest sequence nesting; default {@link DEFAULT_WRITER_MAX_DEPTH}. */
  readonly maxDepth?: number;
  /** Size of the output chunks small elements are gathered into; default 64 KiB. */
  readonly chunkBytes?: number;
  /** zlib level (0–9) for Deflated syntaxes; default 6. */
  readonly deflateLevel?: number;
  /** Stops the write: the next read of the output rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** Default of {@link ElementWriterOptions.maxBufferedBytes}: 64 MiB. */
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** Default of {@link ElementWriterOptions.chunkBytes}: 64 KiB. */
export const DEFAULT_WRITER_CHUNK_BYTES = 64 * 1024;
/**
 * Default of {@link ElementWriterOptions.maxDepth}: 64, as the element reader's, so that what it
 * reads can be written (a top-level sequence is depth 1).
 */
export const DEFAULT_WRITER_MAX_DEPTH = 64;
