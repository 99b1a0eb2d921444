/**
 * Hands Pending responses from the association to the loop that consumes them, holding at most
 * `highWaterMark` of them: past that, `push` returns a promise that holds the peer's input until
 * the consumer has taken some, so a fast peer cannot fill memory with matches nobody reads.
 * With `latestOnly`, an item replaces the one not yet taken (progress, where only the last
 * counts matter) and nothing is ever held back.
 */
export class ResponseHandoff<T> {
  readonly #highWaterMark: number;
  readonly #latestOnly: boolean;
  #items: T[] = [];
  #ended = false;
  #discarding = false;
  /** The consumer waiting for an item or the end. */
  #wakeConsumer: (() => void) | undefined;
  /** The producer waiting for room. */
  #wakeProducer: (() => void) | undefined;

  constructor(highWaterMark: number, options: { readonly latestOnly?: boolean } = {}) {
    this.#highWaterMark = highWaterMark;
    this.#latestOnly = options.latestOnly ?? false;
  }

  /** Adds an item; a promise when the consumer must take some before more are read. */
  push(item: T): void | Promise<void> {
    if (this.#discarding) return;
    if (this.#latestOnly) this.#items = [];
    this.#items.push(item);
    this.#wake('consumer');
    if (this.#items.length < this.#highWaterMark) return;
    return new Promise<void>((resolve) => {
      this.#wakeProducer = resolve;
    });
  }

  /** No more items will come. */
  end(): void {
    this.#ended = true;
    this.#wake('consumer');
  }

  /** Drops what is held and whatever comes after, and lets the producer go on. */
  discard(): void {
    this.#discarding = true;
    this.#items = [];
    this.#wake('producer');
  }

  /** The next item, or undefined once the handoff has ended and is empty. */
  async next(): Promise<T | undefined> {
    while (this.#items.length === 0) {
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => {
        this.#wakeConsumer = resolve;
      });
    }
    const item = this.#items.shift();
    if (this.#items.length < this.#highWaterMark) this.#wake('producer');
    return item;
  }

  #wake(side: 'consumer' | 'producer'): void {
    const wake = side === 'consumer' ? this.#wakeConsumer : this.#wakeProducer;
    if (side === 'consumer') this.#wakeConsumer = undefined;
    else this.#wakeProducer = undefined;
    wake?.();
  }
}
