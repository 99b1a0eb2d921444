import { MalformedPduError, type MalformedPduAbortReason } from '../errors.js';
import { PDU_HEADER_LENGTH } from './pdu-type.js';

/**
 * Bounds-checked big-endian reader over a PDU body or a part of it (PS3.8 9.3.1: all PDU
 * integers are unsigned, most significant byte first). Reading past the end throws
 * {@link MalformedPduError}; a DataView RangeError never escapes. Offsets in errors count from the
 * first byte of the PDU, header included.
 */
export class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #pduType: number;
  readonly #baseOffset: number;
  #position = 0;

  /**
   * @param bytes - The bytes to read; not copied.
   * @param pduType - PDU-type byte reported in errors.
   * @param baseOffset - Offset of `bytes[0]` within the PDU; default: right after the header.
   */
  constructor(bytes: Uint8Array, pduType: number, baseOffset: number = PDU_HEADER_LENGTH) {
    this.#bytes = bytes;
    // The view must respect byteOffset: `bytes` is often a subarray of a socket chunk.
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pduType = pduType;
    this.#baseOffset = baseOffset;
  }

  /** PDU-type byte this reader reports in errors. */
  get pduType(): number {
    return this.#pduType;
  }

  /** Offset of the next byte, counted from the first byte of the PDU. */
  get offset(): number {
    return this.#baseOffset + this.#position;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.#bytes.byteLength - this.#position;
  }

  /** True when every byte has been read. */
  get isAtEnd(): boolean {
    return this.#position === this.#bytes.byteLength;
  }

  /** Reads one unsigned byte. */
  uint8(): number {
    this.#need(1);
    const value = this.#view.getUint8(this.#position);
    this.#position += 1;
    return value;
  }

  /** Reads an unsigned 16-bit big-endian integer. */
  uint16be(): number {
    this.#need(2);
    const value = this.#view.getUint16(this.#position, false);
    this.#position += 2;
    return value;
  }

  /** Reads an unsigned 32-bit big-endian integer. */
  uint32be(): number {
    this.#need(4);
    const value = this.#view.getUint32(this.#position, false);
    this.#position += 4;
    return value;
  }

  /** Returns the next `length` bytes as a view (no copy) and moves past them. */
  bytes(length: number): Uint8Array {
    this.#need(length);
    const view = this.#bytes.subarray(this.#position, this.#position + length);
    this.#position += length;
    return view;
  }

  /** Reads `length` bytes as a string, one character per byte (ISO 8859-1, a superset of ASCII). */
  ascii(length: number): string {
    const bytes = this.bytes(length);
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return text;
  }

  /** Moves past `length` bytes without reading them (reserved fields are never tested). */
  skip(length: number): void {
    this.#need(length);
    this.#position += length;
  }

  /**
   * Splits off the next `length` bytes as a reader of their own (an item body) and moves past
   * them. A length that overruns this reader is a {@link MalformedPduError}.
   */
  sub(length: number, what = 'item'): ByteReader {
    if (length > this.remaining) {
      this.fail(`${what} length ${length} overruns its parent (${this.remaining} bytes left)`);
    }
    const start = this.offset;
    return new ByteReader(this.bytes(length), this.#pduType, start);
  }

  /**
   * Throws a {@link MalformedPduError} for this PDU.
   * @param detail - What is wrong.
   * @param abortReason - A-ABORT reason (PS3.8 Table 9-26); default 6 invalid-PDU-parameter value.
   * @param offset - Where, from the first byte of the PDU; default: the current position.
   */
  fail(detail: string, abortReason?: MalformedPduAbortReason, offset: number = this.offset): never {
    throw new MalformedPduError(this.#pduType, offset, detail, abortReason);
  }

  #need(length: number): void {
    if (length > this.remaining) {
      this.fail(`needs ${length} more bytes, ${this.remaining} left`);
    }
  }
}
