/**
 * Collects the writer's output: small pieces (headers, short values) are copied into blocks of up
 * to `maxBlock` bytes, so the consumer gets a few large chunks rather than one tiny array per
 * element; a large piece is kept by reference (a view of the caller's bytes, never copied).
 * Blocks start small and double, so a collector that holds one short item costs little.
 */
export class ByteCollector {
  /** Bytes appended so far. */
  total = 0;
  #done: Uint8Array[] = [];
  #block: Uint8Array;
  #view: DataView;
  /** Start of the bytes of `#block` not yet moved to `#done`. */
  #start = 0;
  #used = 0;

  /**
   * @param maxBlock - Largest block; pieces of at least a quarter of it are kept by reference.
   * @param firstBlock - Size of the first block.
   */
  constructor(
    readonly maxBlock: number,
    firstBlock: number = maxBlock,
  ) {
    this.#block = uninitialized(Math.min(firstBlock, maxBlock));
    this.#view = new DataView(this.#block.buffer, this.#block.byteOffset, this.#block.byteLength);
  }

  /**
   * Room for `length` bytes (at most 16) in the current block: write them through the returned
   * view at the returned offset, then call {@link commit}.
   */
  reserve(length: number): { readonly view: DataView; readonly offset: number } {
    if (this.#block.byteLength - this.#used < length) this.#nextBlock(length);
    return { view: this.#view, offset: this.#used };
  }

  /** Counts `length` bytes written after {@link reserve}. */
  commit(length: number): void {
    this.#used += length;
    this.total += length;
  }

  /** Appends `bytes`: copied when small, kept as a view when large. */
  append(bytes: Uint8Array): void {
    const length = bytes.byteLength;
    if (length === 0) return;
    this.total += length;
    if (length >= this.maxBlock >>> 2) {
      this.#cut();
      this.#done.push(bytes);
      return;
    }
    if (length <= this.#block.byteLength - this.#used) {
      this.#block.set(bytes, this.#used); // the common case: no subarray to make
      this.#used += length;
      return;
    }
    let from = 0;
    while (from < length) {
      if (this.#used === this.#block.byteLength) this.#nextBlock(length - from);
      const count = Math.min(length - from, this.#block.byteLength - this.#used);
      this.#block.set(bytes.subarray(from, from + count), this.#used);
      this.#used += count;
      from += count;
    }
  }

  /** Appends every chunk of `chunks` (another collector's {@link finish}). */
  appendAll(chunks: readonly Uint8Array[]): void {
    for (const chunk of chunks) this.append(chunk);
  }

  /** The chunks completed since the last call, or undefined when there are none. */
  take(): Uint8Array[] | undefined {
    if (this.#done.length === 0) return undefined;
    const done = this.#done;
    this.#done = [];
    return done;
  }

  /** Every chunk, the partly filled block included; the collector is then empty. */
  finish(): Uint8Array[] {
    this.#cut();
    const done = this.#done;
    this.#done = [];
    return done;
  }

  /** Moves the filled part of the current block to the completed chunks. */
  #cut(): void {
    if (this.#used > this.#start) this.#done.push(this.#block.subarray(this.#start, this.#used));
    this.#start = this.#used;
  }

  #nextBlock(atLeast: number): void {
    this.#cut();
    const size = Math.min(this.maxBlock, Math.max(this.#block.byteLength * 2, atLeast));
    // A new block every time: completed chunks are handed out and must never change. Not zeroed:
    // only the bytes written (#start to #used) ever leave the collector.
    this.#block = uninitialized(Math.max(size, 16));
    this.#view = new DataView(this.#block.buffer, this.#block.byteOffset, this.#block.byteLength);
    this.#start = 0;
    this.#used = 0;
  }
}

/** A plain Uint8Array over unzeroed memory (maybe a slice of Node's shared pool: mind byteOffset). */
function uninitialized(size: number): Uint8Array {
  const buffer = Buffer.allocUnsafe(size);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, size);
}
