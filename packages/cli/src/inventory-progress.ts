import { SingleBar } from 'cli-progress';
import type { Output } from './output.js';

/**
 * Progress of an inventory production from its Inventory Status events (PS3.4 KK.2.3.2): the
 * state and the study records so far on one live line of stderr, on a terminal only (nothing in
 * JSON mode or when stdout is not a terminal). The SCP does not say how many studies the scope
 * holds, so the line counts up instead of filling a bar towards a total.
 */
export class InventoryProgress {
  readonly #out: Output;
  readonly #isTty: boolean;
  readonly #started = performance.now();
  #bar: SingleBar | undefined;
  #stopped = false;

  constructor(out: Output, isTty: boolean) {
    this.#out = out;
    this.#isTty = isTty;
  }

  /** Seconds since the request went out. */
  get seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /**
   * A status event: its Transaction Status and Total Number of Study Records (0008,0428). The
   * line appears with the first one, so that the lines printed before it stay above it.
   */
  update(state: string, studyRecords: number): void {
    if (this.#stopped) return;
    const payload = { state, seconds: this.seconds.toFixed(1) };
    const total = Math.max(studyRecords, 1);
    if (this.#bar === undefined) {
      if (!this.#isTty || this.#out.json) return;
      this.#bar = new SingleBar({
        stream: this.#out.stderr,
        format: ' inventory {state} | {value} study records | {seconds} s',
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
      });
      this.#bar.start(total, studyRecords, payload);
      return;
    }
    this.#bar.setTotal(total);
    this.#bar.update(studyRecords, payload);
  }

  /** Ends the line; later updates are ignored. */
  stop(): void {
    this.#stopped = true;
    this.#bar?.stop();
  }
}
