// Groups index rows into transactions. A store is acknowledged before its row is committed: rows
// wait in memory and are committed in groups (by count, by a short timer, and whenever a reader
// needs the index: `flush`, `has`), off the path of the next store's file and its syncs.
import type { InstanceIndex } from './index-db/instance-index.js';
import type { IndexRecord } from './index-record.js';

interface Pending {
  readonly record: IndexRecord;
  /** The row's date-time: when its store was acknowledged. */
  readonly at: string;
}

/** Options of {@link IndexBatcher}. */
export interface IndexBatcherOptions {
  /** Most deferred rows held before they are committed; default 256. */
  readonly deferredRows?: number;
  /**
   * Longest a deferred row waits for its commit, in ms; default 50: at storescu's pace (a store
   * every 1.5-5 ms) a group then holds tens of rows rather than a few, each commit writing the
   * same patient, study and series pages once for all of them.
   */
  readonly deferredDelayMs?: number;
  /**
   * Told of a deferred row whose commit failed (its store was already acknowledged): its file is
   * in place without a row, which the recovery pass at the next open indexes.
   */
  readonly onDeferredFailure?: (record: IndexRecord, error: unknown) => void;
}

export class IndexBatcher {
  readonly #index: InstanceIndex;
  readonly #now: () => string;
  readonly #deferredRows: number;
  readonly #deferredDelayMs: number;
  readonly #onDeferredFailure: ((record: IndexRecord, error: unknown) => void) | undefined;
  #pending: Pending[] = [];
  /** SOP Instance UIDs of the pending rows. */
  readonly #uids = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(index: InstanceIndex, now: () => string, options: IndexBatcherOptions = {}) {
    this.#index = index;
    this.#now = now;
    this.#deferredRows = options.deferredRows ?? 256;
    this.#deferredDelayMs = options.deferredDelayMs ?? 50;
    this.#onDeferredFailure = options.onDeferredFailure;
  }

  /**
   * Queues a row whose store is acknowledged without waiting for it: committed with up to
   * `deferredRows` others, within `deferredDelayMs`, or at the next {@link flush}. `at` is its
   * received (or updated) date-time, the one its store reported.
   */
  defer(record: IndexRecord, at: string): void {
    this.#pending.push({ record, at });
    this.#uids.add(record.instance.sopInstanceUid);
    if (this.#pending.length >= this.#deferredRows) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#deferredDelayMs);
  }

  /** Whether a row of this SOP Instance UID waits for its commit. */
  has(sopInstanceUid: string): boolean {
    return this.#uids.has(sopInstanceUid);
  }

  /** How many rows wait for their commit. */
  get size(): number {
    return this.#pending.length;
  }

  /** Commits what is pending now; a no-op when nothing is. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    this.#uids.clear();
    const now = this.#now();
    try {
      this.#index.put(
        batch.map((entry) => entry.record),
        now,
        batch.map((entry) => entry.at),
      );
    } catch {
      // One bad row must not fail the others: retry them one by one, each in its own transaction.
      for (const entry of batch) {
        try {
          this.#index.put([entry.record], now, [entry.at]);
        } catch (error) {
          this.#onDeferredFailure?.(entry.record, error);
        }
      }
    }
  }
}
