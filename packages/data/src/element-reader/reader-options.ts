// The limits and choices of the element reader, and their defaults.

/** Limits and choices of the element reader. */
export interface ElementParserOptions {
  /** Deepest nesting of sequences (and encapsulated pixel data); a top-level one is 1. Default 64. */
  readonly maxDepth?: number;
  /**
   * Longest value delivered, in bytes; a longer value (or fragment) is skipped, its token's
   * `value` undefined. Default 64 MiB.
   */
  readonly maxValueBytes?: number;
  /**
   * Most bytes buffered for one delivered value that spans input chunks (a value inside one chunk
   * is a view and costs nothing); past it, a `DICOMNET_DATASET_UNSUPPORTED` error (feature
   * `value-too-large`). Default: `maxValueBytes`.
   */
  readonly maxBufferedBytes?: number;
  /**
   * Which values to deliver (`value` set) rather than skip. Called once per element that is not
   * a sequence, with its nesting depth (0 at the top level). Default: all.
   */
  readonly wantValue?: (tag: number, vr: string, length: number, depth: number) => boolean;
  /** Deliver the bytes of encapsulated pixel data fragments (PS3.5 A.4). Default false. */
  readonly fragments?: boolean;
  /**
   * Stop after the top-level element with this tag (`0xggggeeee`), or before the first top-level
   * element with a larger tag (PS3.5 7.1: ascending order), reading no further input.
   */
  readonly stopAfter?: number;
}

/** Default of {@link ElementParserOptions.maxDepth}. */
export const DEFAULT_READER_MAX_DEPTH = 64;
/** Default of {@link ElementParserOptions.maxValueBytes}: 64 MiB. */
export const DEFAULT_READER_MAX_VALUE_BYTES = 64 * 1024 * 1024;
