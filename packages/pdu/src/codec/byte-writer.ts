import { InvalidPduFieldError } from '../errors.js';

/**
 * Growable big-endian writer for PDUs (PS3.8 9.3.1). Length fields are reserved first and filled
 * in once their content is written, so no item is encoded twice. Callers validate values before
 * writing them; the writer only checks that filled-in lengths fit their field.
 */
export class ByteWriter {
  #buffer: Uint8Array;
  #view: DataView;
  #length = 0;

  /** @param initialCapacity - Starting buffer size in bytes; the buffer doubles as needed. */
  constructor(initialCapacity = 256) {
    this.#buffer = new Uint8Array(Math.max(16, initialCapacity));
    this.#view = new DataView(this.#buffer.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** Writes one byte (0..255). */
  uint8(value: number): void {
    this.#ensure(1);
    this.#view.setUint8(this.#length, value);
    this.#length += 1;
  }

  /** Writes an unsigned 16-bit big-endian integer. */
  uint16be(value: number): void {
    this.#ensure(2);
    this.#view.setUint16(this.#length, value, false);
    this.#length += 2;
  }

  /** Writes an unsigned 32-bit big-endian integer. */
  uint32be(value: number): void {
    this.#ensure(4);
    this.#view.setUint32(this.#length, value, false);
    this.#length += 4;
  }

  /** Writes `count` zero bytes (reserved fields are sent as zero). */
  zeros(count: number): void {
    this.#ensure(count);
    this.#buffer.fill(0, this.#length, this.#length + count);
    this.#length += count;
  }

  /** Copies `bytes` in. */
  bytes(bytes: Uint8Array): void {
    this.#ensure(bytes.byteLength);
    this.#buffer.set(bytes, this.#length);
    this.#length += bytes.byteLength;
  }

  /** Writes a string one byte per character; callers have checked it holds only 0..255. */
  ascii(text: string): void {
    this.#ensure(text.length);
    for (let i = 0; i < text.length; i++) this.#buffer[this.#length + i] = text.charCodeAt(i);
    this.#length += text.length;
  }

  /** Reserves a 16-bit length field; returns its position for {@link ByteWriter.fillUint16Length}. */
  reserveUint16(): number {
    const position = this.#length;
    this.uint16be(0);
    return position;
  }

  /**
   * Fills the 16-bit length field at `position` with the number of bytes written after it.
   * @throws {@link InvalidPduFieldError} if that number does not fit in 16 bits.
   */
  fillUint16Length(position: number, field: string): void {
    const length = this.#length - position - 2;
    if (length > 0xffff) {
      throw new InvalidPduFieldError(`${length} bytes do not fit a 16-bit item-length`, field);
    }
    this.#view.setUint16(position, length, false);
  }

  /** Reserves a 32-bit length field; returns its position for {@link ByteWriter.fillUint32Length}. */
  reserveUint32(): number {
    const position = this.#length;
    this.uint32be(0);
    return position;
  }

  /**
   * Fills the 32-bit length field at `position` with the number of bytes written after it.
   * @throws {@link InvalidPduFieldError} if that number does not fit in 32 bits.
   */
  fillUint32Length(position: number, field: string): void {
    const length = this.#length - position - 4;
    if (length > 0xffffffff) {
      throw new InvalidPduFieldError(`${length} bytes do not fit a 32-bit length`, field);
    }
    this.#view.setUint32(position, length, false);
  }

  /** The bytes written, as a view of the internal buffer; do not write after calling this. */
  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  #ensure(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.byteLength) return;
    let capacity = this.#buffer.byteLength * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
    this.#view = new DataView(grown.buffer);
  }
}
