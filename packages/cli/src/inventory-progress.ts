import { SingleBar } from 'cli-progress';
import type { Output } from './output.js';

/**
 * Progress of an inventory production from its Inventory Status events (PS3.4 KK.2.3.2): the
 * state and the study records so far on one live line of stderr, on a terminal only (nothing in
 * JSON mode or when stdout is not a terminal). The SCP does not say how many studies the scope
 * holds, so the line counts up instead of filling a bar towards a total.
 */
export class InventoryProgress {
  readonly #bar: SingleBar | undefined;
  readonly #started = performance.now();

  constructor(out: Output, isTty: boolean) {
    if (!isTty || out.json) return;
    this.#bar = new SingleBar({
      stream: out.stderr,
      format: ' inventory {state} | {value} study records | {seconds} s',
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
      // No total: keep the ETA out of cli-progress's arithmetic.
      etaBuffer: 1,
    });
    this.#bar.start(0, 0, { state: 'requested', seconds: '0.0' });
  }

  /** Seconds since the request went out. */
  get seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /** A status event: its Transaction Status and Total Number of Study Records (0008,0428). */
  update(state: string, studyRecords: number): void {
    this.#bar?.setTotal(Math.max(studyRecords, 1));
    this.#bar?.update(studyRecords, { state, seconds: this.seconds.toFixed(1) });
  }

  stop(): void {
    this.#bar?.stop();
  }
}
