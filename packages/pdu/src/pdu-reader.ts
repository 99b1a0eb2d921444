import {
  InvalidPduFieldError,
  MalformedPduError,
  PduTooLargeError,
  PduTruncatedError,
  UnknownPduTypeError,
} from './errors.js';
import type { DicomnetError } from './errors.js';
import type { RawPdu } from './codec/pdu.js';
import {
  DEFAULT_MAX_ASSOCIATE_PDU_LENGTH,
  DEFAULT_MAX_PDU_LENGTH,
  DEFAULT_MAX_UNBOUNDED_PDU_LENGTH,
} from './codec/pdu-limits.js';
import {
  FIXED_PDU_BODY_LENGTH,
  isFixedSizePduType,
  isPduType,
  PDU_HEADER_LENGTH,
  PduType,
} from './codec/pdu-type.js';

/** Limits of a {@link PduReader}, all in bytes of PDU-length (the bytes after the 6-byte header). */
export interface PduReaderOptions {
  /**
   * Largest P-DATA-TF accepted: the Maximum-length-received this side announces in sub-item 51H
   * (PS3.8 D.1). 0 means "no maximum", in which case `maxUnboundedPduLength` applies.
   * Default {@link DEFAULT_MAX_PDU_LENGTH} (16384).
   */
  readonly maxPduLength?: number;
  /**
   * Cap on a P-DATA-TF when `maxPduLength` is 0. Default {@link DEFAULT_MAX_UNBOUNDED_PDU_LENGTH}
   * (64 MiB).
   */
  readonly maxUnboundedPduLength?: number;
  /**
   * Largest PDU of any other type (A-ASSOCIATE-RQ/AC, which the negotiated maximum does not
   * bound). Default {@link DEFAULT_MAX_ASSOCIATE_PDU_LENGTH} (1 MiB).
   */
  readonly maxAssociatePduLength?: number;
}

/**
 * Cuts a byte stream into whole PDUs, keeping only the unfinished tail (PS3.8 9.3: every PDU is a
 * 6-byte header, type, reserved, PDU-length, then PDU-length bytes). Each header is checked as
 * soon as its bytes are in, before the body is buffered:
 *
 * - a type outside 01H..07H throws {@link UnknownPduTypeError} (from the first byte);
 * - A-ASSOCIATE-RJ, A-RELEASE-RQ/RP and A-ABORT with a PDU-length other than 4 throw
 *   {@link MalformedPduError};
 * - a PDU-length over the limit for its type throws {@link PduTooLargeError}.
 *
 * A body is a view into the pushed chunk when the whole PDU lies in one chunk and a copy only when
 * it spans chunks. After an error the reader is broken: every later call throws the same error, and
 * PDUs completed earlier in the failing chunk are not returned (the association aborts anyway).
 * The reader holds no timers or sockets.
 */
export class PduReader {
  readonly #maxPduLength: number;
  readonly #maxAssociatePduLength: number;
  #chunks: Uint8Array[] = [];
  /** Index in #chunks of the first chunk with unread bytes. */
  #head = 0;
  /** Bytes of #chunks[#head] already consumed. */
  #headOffset = 0;
  #buffered = 0;
  #failure: DicomnetError | undefined;

  /**
   * @param options - Limits; every one has a finite default.
   * @throws {@link InvalidPduFieldError} if a limit is not an integer 0..2^32-1 (or, for
   *   `maxUnboundedPduLength` and `maxAssociatePduLength`, is 0).
   */
  constructor(options: PduReaderOptions = {}) {
    const max = checkLimit('maxPduLength', options.maxPduLength ?? DEFAULT_MAX_PDU_LENGTH, 0);
    const unbounded = checkLimit(
      'maxUnboundedPduLength',
      options.maxUnboundedPduLength ?? DEFAULT_MAX_UNBOUNDED_PDU_LENGTH,
      1,
    );
    this.#maxPduLength = max === 0 ? unbounded : max;
    this.#maxAssociatePduLength = checkLimit(
      'maxAssociatePduLength',
      options.maxAssociatePduLength ?? DEFAULT_MAX_ASSOCIATE_PDU_LENGTH,
      1,
    );
  }

  /** Bytes held for the unfinished PDU; never more than its header, its limit and one chunk. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /**
   * Adds one chunk; returns the PDUs it completes, in arrival order.
   * @throws {@link UnknownPduTypeError}, {@link MalformedPduError} or {@link PduTooLargeError} for
   *   a bad PDU header (see the class description).
   */
  push(chunk: Uint8Array): RawPdu[] {
    if (this.#failure !== undefined) throw this.#failure;
    const complete: RawPdu[] = [];
    if (chunk.byteLength === 0) return complete;
    this.#chunks.push(chunk);
    this.#buffered += chunk.byteLength;
    while (this.#buffered > 0) {
      // The type is checked from its first byte on: a non-DICOM peer fails at once.
      const type = this.#byteAt(0);
      if (!isPduType(type)) this.#fail(new UnknownPduTypeError(type));
      if (this.#buffered < PDU_HEADER_LENGTH) break;
      // PDU-length, big-endian (PS3.8 9.3.1), read in place: no view made per PDU.
      const bodyLength =
        this.#byteAt(2) * 0x1000000 +
        ((this.#byteAt(3) << 16) | (this.#byteAt(4) << 8) | this.#byteAt(5));
      this.#checkLength(type, bodyLength);
      if (this.#buffered < PDU_HEADER_LENGTH + bodyLength) break;
      this.#skip(PDU_HEADER_LENGTH);
      complete.push({ type, body: this.#take(bodyLength) });
    }
    this.#compact();
    return complete;
  }

  /**
   * Call at the end of the stream.
   * @throws {@link PduTruncatedError} (`DICOMNET_PDU_TRUNCATED`) if it stopped inside a PDU, or
   *   the error that broke the reader earlier.
   */
  end(): void {
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#buffered > 0) this.#fail(new PduTruncatedError(this.#buffered));
  }

  #checkLength(type: number, bodyLength: number): void {
    if (isFixedSizePduType(type)) {
      if (bodyLength !== FIXED_PDU_BODY_LENGTH) {
        // PS3.8 Tables 9-21, 9-24, 9-25, 9-26: "fixed value of 00000004H".
        this.#fail(new MalformedPduError(type, 2, `PDU-length must be 4, got ${bodyLength}`));
      }
      return;
    }
    // Refuse before buffering: a lying length must not make us hold gigabytes. The negotiated
    // maximum bounds P-DATA-TF only (PS3.8 D.1).
    const limit = type === PduType.PDataTf ? this.#maxPduLength : this.#maxAssociatePduLength;
    if (bodyLength > limit) this.#fail(new PduTooLargeError(bodyLength, limit, type));
  }

  #fail(error: DicomnetError): never {
    this.#failure = error;
    throw error;
  }

  /** The unread byte at `index` (callers check that #buffered holds it), wherever it lies. */
  #byteAt(index: number): number {
    let at = this.#headOffset + index;
    for (let chunkIndex = this.#head; chunkIndex < this.#chunks.length; chunkIndex++) {
      const chunk = this.#chunks[chunkIndex] as Uint8Array; // the index is inside the array
      if (at < chunk.byteLength) return chunk[at] as number; // at is inside the chunk
      at -= chunk.byteLength;
    }
    return 0; // cannot happen: callers check #buffered first
  }

  /** Consumes and returns the next `length` bytes; a view when they lie in one chunk. */
  #take(length: number): Uint8Array {
    const first = this.#chunks[this.#head];
    if (first !== undefined && first.byteLength - this.#headOffset >= length) {
      const view = first.subarray(this.#headOffset, this.#headOffset + length);
      this.#skip(length);
      return view;
    }
    return this.#copy(length);
  }

  #skip(length: number): void {
    let left = length;
    this.#buffered -= length;
    while (left > 0) {
      const chunk = this.#chunks[this.#head];
      if (chunk === undefined) break; // cannot happen: callers check #buffered first
      const available = chunk.byteLength - this.#headOffset;
      if (available > left) {
        this.#headOffset += left;
        return;
      }
      left -= available;
      this.#head += 1;
      this.#headOffset = 0;
    }
  }

  /** Consumes the next `length` bytes (spanning chunks), copied into a new array. */
  #copy(length: number): Uint8Array {
    const out = new Uint8Array(length);
    let written = 0;
    let index = this.#head;
    let offset = this.#headOffset;
    while (written < length) {
      const chunk = this.#chunks[index];
      if (chunk === undefined) break; // cannot happen: callers check #buffered first
      const part = chunk.subarray(offset, offset + (length - written));
      out.set(part, written);
      written += part.byteLength;
      index += 1;
      offset = 0;
    }
    this.#skip(length);
    return out;
  }

  /** Drops consumed chunks, in amortised O(1): only the unfinished tail stays referenced. */
  #compact(): void {
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    } else if (this.#head >= 32 && this.#head * 2 >= this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}

function checkLimit(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > 0xffffffff) {
    throw new InvalidPduFieldError(`must be an integer ${min}..4294967295, got ${value}`, field);
  }
  return value;
}
