import type { DataSink } from './data-sink.js';

/**
 * A data set arriving fragment by fragment, as an async iterable for its consumer and as a
 * {@link DataSink} for the receiver. At most `highWaterMark` bytes wait in the channel; beyond
 * that `write` returns a promise that settles when the consumer has taken them, which pauses
 * the socket. Fragments are handed on as received (views into the PDU), never copied.
 */
export class FragmentChannel implements DataSink, AsyncIterable<Uint8Array> {
  readonly #highWaterMark: number;
  readonly #queue: Uint8Array[] = [];
  #queued = 0;
  #ended = false;
  #error: Error | undefined;
  #consumed = false;
  #wakeConsumer: (() => void) | undefined;
  #wakeProducer: (() => void) | undefined;

  constructor(highWaterMark = 1 << 20) {
    this.#highWaterMark = highWaterMark;
  }

  /** True once the last fragment has been written (whether or not it was read). */
  get ended(): boolean {
    return this.#ended;
  }

  write(fragment: Uint8Array): void | Promise<void> {
    if (this.#error !== undefined || this.#consumed) return undefined; // nobody reads: drop
    this.#queue.push(fragment);
    this.#queued += fragment.byteLength;
    this.#wake();
    if (this.#queued <= this.#highWaterMark) return undefined;
    return new Promise<void>((resolve) => (this.#wakeProducer = resolve));
  }

  end(): void {
    this.#ended = true;
    this.#wake();
  }

  fail(error: Error): void {
    this.#error ??= error;
    this.#queue.length = 0;
    this.#queued = 0;
    this.#wake();
    this.#releaseProducer();
  }

  /**
   * Stops reading: the rest of the data set is received and dropped. Called when a consumer
   * leaves its loop early, or by the receiver when a handler returned without reading.
   */
  discard(): void {
    this.#consumed = true;
    this.#queue.length = 0;
    this.#queued = 0;
    this.#releaseProducer();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const fragment = this.#queue.shift();
        if (fragment !== undefined) {
          this.#queued -= fragment.byteLength;
          if (this.#queued <= this.#highWaterMark) this.#releaseProducer();
          yield fragment;
          continue;
        }
        if (this.#error !== undefined) throw this.#error;
        if (this.#ended) return;
        await new Promise<void>((resolve) => (this.#wakeConsumer = resolve));
      }
    } finally {
      if (!this.#ended || this.#queue.length > 0) this.discard();
    }
  }

  #wake(): void {
    const wake = this.#wakeConsumer;
    this.#wakeConsumer = undefined;
    wake?.();
  }

  #releaseProducer(): void {
    const wake = this.#wakeProducer;
    this.#wakeProducer = undefined;
    wake?.();
  }
}
