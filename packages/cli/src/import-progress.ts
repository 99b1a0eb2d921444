import { SingleBar } from 'cli-progress';
import type { Output } from './output.js';
import { formatMegabytes } from './output.js';

/** The counts an import's progress shows. */
export interface ImportCounts {
  readonly filesSeen: number;
  readonly imported: number;
  readonly alreadyThere: number;
  readonly skipped: number;
  readonly bytesSeen: number;
}

/**
 * Progress of an import: a bar of files with imported / already there / skipped counts and MB/s
 * on a terminal, nothing in JSON mode or when stdout is not a terminal.
 */
export class ImportProgress {
  readonly #bar: SingleBar | undefined;
  readonly #started = performance.now();
  #stopped = false;

  constructor(out: Output, isTty: boolean, totalFiles: number) {
    if (isTty && !out.json && totalFiles > 0) {
      this.#bar = new SingleBar({
        stream: out.stderr,
        format:
          ' {bar} {percentage}% | {value}/{total} files | {imported} imported, {already} already there, {skipped} skipped | {speed} MB/s',
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
      });
      this.#bar.start(totalFiles, 0, { imported: 0, already: 0, skipped: 0, speed: '0.0' });
    }
  }

  get seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  update(counts: ImportCounts): void {
    this.#bar?.update(counts.imported + counts.alreadyThere + counts.skipped, {
      imported: counts.imported,
      already: counts.alreadyThere,
      skipped: counts.skipped,
      speed: (counts.bytesSeen / 1_000_000 / Math.max(this.seconds, 0.001)).toFixed(1),
    });
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#bar?.stop();
  }

  /** "12.3 MB in 1.2 s, 840 files/s" */
  summary(counts: ImportCounts): string {
    const seconds = Math.max(this.seconds, 0.001);
    return `${formatMegabytes(counts.bytesSeen)} in ${seconds.toFixed(1)} s, ${Math.round(counts.filesSeen / seconds)} files/s`;
  }
}
