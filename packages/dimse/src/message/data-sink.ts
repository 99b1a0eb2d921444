import { MessageTooLargeError } from '../errors.js';
import { FRAGMENT_OVERHEAD_BYTES } from './fragment-cost.js';

/**
 * Where the data-set fragments of one received message go. `write` may return a promise: input
 * from the peer is paused until it settles (backpressure down to the socket).
 */
export interface DataSink {
  write(fragment: Uint8Array): void | Promise<void>;
  /** The last fragment has been written. */
  end(): void | Promise<void>;
  /** The association ended before the data set was complete. */
  fail(error: Error): void;
}

/**
 * Collects a data set in memory while what it holds costs at most `limit`: bytes plus
 * `FRAGMENT_OVERHEAD_BYTES` per fragment (empty fragments are not kept). Beyond that it lets go
 * of everything and only counts, so the message can still be answered (with a failure) without
 * holding its bytes.
 */
export class MemorySink implements DataSink {
  readonly #limit: number;
  readonly #maxTotal: number;
  #total = 0;
  readonly #onDone: (result: Uint8Array | MessageTooLargeError) => void | Promise<void>;
  readonly #onFail: (error: Error) => void;
  #pieces: Uint8Array[] = [];
  #cost = 0;
  #overflow = false;

  constructor(
    limit: number,
    onDone: (result: Uint8Array | MessageTooLargeError) => void | Promise<void>,
    onFail: (error: Error) => void,
    maxTotal = Number.POSITIVE_INFINITY,
  ) {
    this.#limit = limit;
    this.#maxTotal = maxTotal;
    this.#onDone = onDone;
    this.#onFail = onFail;
  }

  /** Fragments held. */
  get heldFragments(): number {
    return this.#pieces.length;
  }

  /** What the held fragments cost: bytes plus `FRAGMENT_OVERHEAD_BYTES` each. */
  get heldCost(): number {
    return this.#overflow ? 0 : this.#cost;
  }

  /**
   * @throws {@link MessageTooLargeError} once the data set passes `maxTotal` bytes, held or
   *   not: a data set that never ends ends the association.
   */
  write(fragment: Uint8Array): void {
    this.#total += fragment.byteLength;
    if (this.#total > this.#maxTotal) throw new MessageTooLargeError('data set', this.#maxTotal);
    if (this.#overflow || fragment.byteLength === 0) return;
    this.#cost += fragment.byteLength + FRAGMENT_OVERHEAD_BYTES;
    if (this.#cost > this.#limit) {
      this.#overflow = true;
      this.#pieces = [];
      return;
    }
    this.#pieces.push(fragment);
  }

  /** Hands the data set to its consumer; a promise it returns holds the peer's input. */
  end(): void | Promise<void> {
    if (this.#overflow) return this.#onDone(new MessageTooLargeError('data set', this.#limit));
    const pieces = this.#pieces;
    this.#pieces = [];
    return this.#onDone(
      pieces.length === 1 && pieces[0] !== undefined ? pieces[0] : Buffer.concat(pieces),
    );
  }

  fail(error: Error): void {
    this.#pieces = [];
    this.#onFail(error);
  }
}

/**
 * Reads and forgets a data set nobody wants (a late response, a refused request), up to
 * `maxTotal` bytes: past that a data set that never ends ends the association.
 */
export class DiscardSink implements DataSink {
  readonly #maxTotal: number;
  #total = 0;

  constructor(maxTotal = Number.POSITIVE_INFINITY) {
    this.#maxTotal = maxTotal;
  }

  /** @throws {@link MessageTooLargeError} once more than `maxTotal` bytes arrived. */
  write(fragment: Uint8Array): void {
    this.#total += fragment.byteLength;
    if (this.#total > this.#maxTotal) throw new MessageTooLargeError('data set', this.#maxTotal);
  }

  end(): void {}

  fail(): void {}
}
