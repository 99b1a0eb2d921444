// Groups the index rows of concurrent stores into one transaction: each store waits for the
// commit that holds its row, and a busy server pays one commit per batch instead of per row.
import type { InstanceIndex } from './index-db/instance-index.js';
import type { IndexRecord } from './index-record.js';

interface Pending {
  readonly record: IndexRecord;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Largest batch written in one transaction. */
const MAX_BATCH = 1000;

export class IndexBatcher {
  readonly #index: InstanceIndex;
  readonly #now: () => string;
  #pending: Pending[] = [];
  #scheduled = false;

  constructor(index: InstanceIndex, now: () => string) {
    this.#index = index;
    this.#now = now;
  }

  /** Resolves once the row is committed. */
  put(record: IndexRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ record, resolve, reject });
      if (this.#pending.length >= MAX_BATCH) this.flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        // After the I/O callbacks of this turn, so that stores finishing together share a commit.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is pending now. */
  flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    const now = this.#now();
    try {
      this.#index.put(
        batch.map((entry) => entry.record),
        now,
      );
      for (const entry of batch) entry.resolve();
    } catch {
      // One bad row must not fail the others: retry them one by one, each in its own transaction.
      for (const entry of batch) {
        try {
          this.#index.put([entry.record], now);
          entry.resolve();
        } catch (error) {
          entry.reject(error);
        }
      }
    }
  }
}
