// The input of the element reader: the chunks pushed and not yet consumed, read without copying
// when what is asked for lies in one chunk (the ws receiver's approach, STYLE.md part 1).

/** Chunks of input, consumed from the front. */
export class ChunkQueue {
  readonly #chunks: Uint8Array[] = [];
  /** Offset of the next unread byte in `#chunks[0]`. */
  #first = 0;
  #available = 0;

  /** Bytes pushed and not consumed. */
  get available(): number {
    return this.#available;
  }

  /** The chunk holding the next byte (undefined when empty), and where in it that byte is. */
  get head(): Uint8Array | undefined {
    return this.#chunks[0];
  }

  get headOffset(): number {
    return this.#first;
  }

  /** Appends a chunk; it is kept (not copied) until consumed. */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#available += chunk.byteLength;
  }

  /** The next `length` bytes as a view, consumed, when one chunk holds them all; else undefined. */
  view(length: number): Uint8Array | undefined {
    const chunk = this.#chunks[0];
    if (chunk === undefined || chunk.byteLength - this.#first < length) return undefined;
    const value = chunk.subarray(this.#first, this.#first + length);
    this.consume(length);
    return value;
  }

  /** Copies up to `target.length - at` bytes of the first chunk into `target`; consumes them. */
  copyInto(target: Uint8Array, at: number): number {
    const chunk = this.#chunks[0];
    if (chunk === undefined) return 0;
    const take = Math.min(chunk.byteLength - this.#first, target.byteLength - at);
    target.set(chunk.subarray(this.#first, this.#first + take), at);
    this.consume(take);
    return take;
  }

  /** Copies the next `size` bytes (across chunks) into `target`, without consuming them. */
  peekInto(target: Uint8Array, size: number): number {
    let filled = 0;
    let first = this.#first;
    for (const chunk of this.#chunks) {
      const take = Math.min(chunk.byteLength - first, size - filled);
      target.set(chunk.subarray(first, first + take), filled);
      filled += take;
      first = 0;
      if (filled === size) break;
    }
    return filled;
  }

  /** Drops `count` bytes (at most {@link available}). */
  consume(count: number): void {
    this.#available -= count;
    let left = count;
    while (left > 0) {
      const chunk = this.#chunks[0] as Uint8Array; // count <= available
      const rest = chunk.byteLength - this.#first;
      if (left < rest) {
        this.#first += left;
        return;
      }
      left -= rest;
      this.#chunks.shift();
      this.#first = 0;
    }
  }
}
