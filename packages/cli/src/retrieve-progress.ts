import { SingleBar } from 'cli-progress';
import type { Output } from './output.js';

/** Sub-operation counts of a C-GET or C-MOVE (PS3.4 C.4.2.3.1). */
export interface RetrieveCounts {
  readonly remaining: number | undefined;
  readonly completed: number;
  readonly failed: number;
  readonly warning: number;
}

/** `3 completed, 0 failed, 0 warning, 47 remaining` (remaining only when the peer sent it). */
export function describeCounts(counts: RetrieveCounts): string {
  const remaining = counts.remaining === undefined ? '' : `, ${counts.remaining} remaining`;
  return `${counts.completed} completed, ${counts.failed} failed, ${counts.warning} warning${remaining}`;
}

/**
 * Progress of a C-GET or C-MOVE from the counts of its Pending responses: a bar on a terminal,
 * nothing in JSON mode or when stdout is not a terminal. The total is known once the peer sends
 * Number of Remaining Sub-operations.
 */
export class RetrieveProgress {
  readonly #out: Output;
  readonly #isTty: boolean;
  #bar: SingleBar | undefined;

  constructor(out: Output, isTty: boolean) {
    this.#out = out;
    this.#isTty = isTty;
  }

  update(counts: RetrieveCounts): void {
    const done = counts.completed + counts.failed + counts.warning;
    if (this.#bar === undefined) {
      if (!this.#isTty || this.#out.json || counts.remaining === undefined) return;
      this.#bar = new SingleBar({
        stream: this.#out.stderr,
        format: ' {bar} {percentage}% | {value}/{total} instances | {failed} failed',
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
      });
      this.#bar.start(done + counts.remaining, done, { failed: counts.failed });
      return;
    }
    if (counts.remaining !== undefined) this.#bar.setTotal(done + counts.remaining);
    this.#bar.update(done, { failed: counts.failed });
  }

  stop(): void {
    this.#bar?.stop();
  }
}
