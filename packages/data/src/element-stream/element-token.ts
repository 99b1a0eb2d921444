/**
 * A data set as a flat stream of tokens: what the element reader yields and the element writer
 * takes. Nesting is spelled out by start and end tokens, so a sequence of any number of items
 * passes through in bounded memory (PS3.5 7.5).
 *
 * In every token, `tag` is `0xggggeeee`. Value bytes are exactly as encoded in the transfer
 * syntax of the stream (its byte order, padding included), never decoded.
 */
export type ElementToken =
  | ValueToken
  | SequenceToken
  | ItemToken
  | ItemEndToken
  | SequenceEndToken
  | EncapsulatedToken
  | FragmentToken;

/** An element that is not a sequence (PS3.5 7.1). */
export interface ValueToken {
  readonly kind: 'element';
  readonly tag: number;
  /**
   * The VR: from the VR field in Explicit VR; from the data dictionary in Implicit VR, `UN` for a
   * tag the dictionary does not know (PS3.5 6.2.2).
   */
  readonly vr: string;
  /** Value length in bytes (even, PS3.5 7.1.1). */
  readonly length: number;
  /**
   * The value bytes; undefined when the reader skipped them (not asked for, or over its value
   * limit). A view of the input where the value lies in one chunk.
   */
  readonly value: Uint8Array | undefined;
}

/**
 * The start of a sequence: SQ, or an undefined-length UN whose content is Implicit VR Little
 * Endian (PS3.5 6.2.2). Its items follow, then a {@link SequenceEndToken}.
 */
export interface SequenceToken {
  readonly kind: 'sequence';
  readonly tag: number;
  readonly vr: 'SQ' | 'UN';
  /** Value length as encoded; undefined for undefined length (PS3.5 7.5.1). */
  readonly length: number | undefined;
}

/** The start of an item of the enclosing sequence; its elements follow, then an item end. */
export interface ItemToken {
  readonly kind: 'item';
  /** Position in its sequence, from 0. */
  readonly index: number;
  /** Item length as encoded; undefined for undefined length (PS3.5 7.5.1). */
  readonly length: number | undefined;
}

/** The end of the current item (its delimiter, or its defined length reached). */
export interface ItemEndToken {
  readonly kind: 'item-end';
}

/** The end of the current sequence or encapsulated pixel data. */
export interface SequenceEndToken {
  readonly kind: 'sequence-end';
}

/**
 * The start of encapsulated pixel data (PS3.5 A.4): an undefined-length OB/OW element whose
 * items are fragments; the first is the Basic Offset Table. {@link FragmentToken}s follow, then
 * a {@link SequenceEndToken}.
 */
export interface EncapsulatedToken {
  readonly kind: 'encapsulated';
  readonly tag: number;
  readonly vr: string;
}

/** One item of encapsulated pixel data (PS3.5 A.4). */
export interface FragmentToken {
  readonly kind: 'fragment';
  /** Position, from 0 (0 is the Basic Offset Table). */
  readonly index: number;
  readonly length: number;
  /** The fragment bytes; undefined when the reader skipped them. */
  readonly value: Uint8Array | undefined;
}
