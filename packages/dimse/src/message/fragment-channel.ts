import { MessageTooLargeError } from '../errors.js';
import type { DataSink } from './data-sink.js';
import { FRAGMENT_OVERHEAD_BYTES } from './fragment-cost.js';

/**
 * A data set arriving fragment by fragment, as an async iterable for its consumer and as a
 * {@link DataSink} for the receiver. What waits in the channel costs at most `highWaterMark`
 * (bytes plus `FRAGMENT_OVERHEAD_BYTES` per fragment, so tiny fragments count too) and one
 * fragment more; beyond that `write` returns a promise that settles when the consumer has
 * taken them, which pauses the socket. Empty fragments are dropped. Fragments are handed on as
 * received (views into the PDU), never copied. A data set longer than `maxBytes` in total is
 * refused with {@link MessageTooLargeError}: a peer cannot fill a disk through a streaming
 * handler with a data set that never ends.
 */
export class FragmentChannel implements DataSink, AsyncIterable<Uint8Array> {
  readonly #highWaterMark: number;
  readonly #maxBytes: number;
  readonly #queue: Uint8Array[] = [];
  /** Bytes plus overhead of the queued fragments. */
  #queued = 0;
  /** Bytes received in total. */
  #received = 0;
  #ended = false;
  #error: Error | undefined;
  #consumed = false;
  #wakeConsumer: (() => void) | undefined;
  #wakeProducer: (() => void) | undefined;

  constructor(highWaterMark = 1 << 20, maxBytes = Number.POSITIVE_INFINITY) {
    this.#highWaterMark = highWaterMark;
    this.#maxBytes = maxBytes;
  }

  /** Fragments waiting for the consumer. */
  get queuedFragments(): number {
    return this.#queue.length;
  }

  /** What the waiting fragments cost: bytes plus `FRAGMENT_OVERHEAD_BYTES` each. */
  get queuedCost(): number {
    return this.#queued;
  }

  /** True once the last fragment has been written (whether or not it was read). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * @throws {@link MessageTooLargeError} once the data set passes `maxBytes` in total; the
   *   receiver then ends the association and fails the channel.
   */
  write(fragment: Uint8Array): void | Promise<void> {
    this.#received += fragment.byteLength;
    if (this.#received > this.#maxBytes) {
      throw new MessageTooLargeError('streamed data set', this.#maxBytes);
    }
    if (this.#error !== undefined || this.#consumed) return undefined; // nobody reads: drop
    if (fragment.byteLength === 0) return undefined;
    this.#queue.push(fragment);
    this.#queued += fragment.byteLength + FRAGMENT_OVERHEAD_BYTES;
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
          this.#queued -= fragment.byteLength + FRAGMENT_OVERHEAD_BYTES;
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
