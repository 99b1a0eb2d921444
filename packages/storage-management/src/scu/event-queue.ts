// The events of one transaction waiting for their reader: bounded, so an SCP cannot make a slow
// or absent reader hold an unbounded backlog (PS3.7 C.5.22 Resource limitation is the answer).
import type { InventoryEvent } from './inventory-event.js';

/** Default of `maxQueuedEvents`: events of one transaction held for its reader. */
export const DEFAULT_MAX_QUEUED_EVENTS = 256;

/**
 * A single-reader queue of events. While no reader is attached, a full queue drops its oldest
 * Inventory Status event to take the new one (progress reports supersede each other; terminal
 * events are never dropped). While a reader is attached and has fallen `max` events behind,
 * {@link offer} refuses: the SCU answers 0x0213 and the SCP reports again later.
 */
export class EventQueue {
  readonly #max: number;
  readonly #items: InventoryEvent[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;
  #attached = false;

  constructor(max: number) {
    this.#max = max;
  }

  /** Whether the event can be queued now. */
  canTake(): boolean {
    if (this.#items.length < this.#max) return true;
    return !this.#attached && this.#items.some((event) => event.type === 'status');
  }

  /** Queues the event; call {@link canTake} first. */
  push(event: InventoryEvent): void {
    if (this.#ended) return;
    if (this.#items.length >= this.#max) {
      const oldest = this.#items.findIndex((item) => item.type === 'status');
      if (oldest >= 0) this.#items.splice(oldest, 1);
    }
    this.#items.push(event);
    this.#notify();
  }

  /** No more events: the reader finishes after what is queued (with `error`, if given). */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** The events, from the oldest queued; one reader at a time. */
  async *read(): AsyncGenerator<InventoryEvent, void, undefined> {
    this.#attached = true;
    try {
      for (;;) {
        const next = this.#items.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.#ended) {
          if (this.#error !== undefined) throw this.#error;
          return;
        }
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      this.#attached = false;
    }
  }
}
