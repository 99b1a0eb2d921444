/** Default cap on what a peer's output buffer keeps: the last 256 KiB. */
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024;

/**
 * Keeps the last `maxBytes` bytes written to it, so a chatty peer (Orthanc with
 * `--trace-dicom`, storescp with `-d`) cannot grow a test's memory without bound.
 */
export class BoundedOutput {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #dropped = 0;

  constructor(maxBytes = DEFAULT_MAX_OUTPUT_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** Appends a chunk, then drops whole or partial chunks from the front beyond the cap. */
  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
    while (this.#bytes > this.#maxBytes) {
      const first = this.#chunks[0];
      if (first === undefined) break;
      const excess = this.#bytes - this.#maxBytes;
      if (first.byteLength <= excess) {
        this.#chunks.shift();
        this.#bytes -= first.byteLength;
        this.#dropped += first.byteLength;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#bytes -= excess;
        this.#dropped += excess;
      }
    }
  }

  /** Number of bytes dropped from the front so far. */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /** The kept bytes as UTF-8 text (a cut multi-byte character shows as U+FFFD). */
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}
