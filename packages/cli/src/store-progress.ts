import { SingleBar } from 'cli-progress';
import type { Output } from './output.js';
import { formatMegabytes } from './output.js';

/**
 * Progress of a store run: a bar with files, megabytes and MB/s on a terminal, nothing in JSON
 * mode or when stdout is not a terminal.
 */
export class StoreProgress {
  readonly #bar: SingleBar | undefined;
  readonly #started = performance.now();
  readonly #totalFiles: number;
  #files = 0;
  #bytes = 0;
  #stopped = false;

  constructor(out: Output, isTty: boolean, totalFiles: number, totalBytes: number) {
    this.#totalFiles = totalFiles;
    if (isTty && !out.json && totalFiles > 0) {
      this.#bar = new SingleBar({
        stream: out.stderr,
        format: ' {bar} {percentage}% | {files}/{totalFiles} files | {mb} | {speed} MB/s',
        hideCursor: true,
        clearOnComplete: false,
        fps: 10,
      });
      this.#bar.start(totalBytes, 0, {
        files: 0,
        totalFiles,
        mb: formatMegabytes(0),
        speed: '0.0',
      });
    }
  }

  /** Bytes handed to the network so far. */
  get bytes(): number {
    return this.#bytes;
  }

  get seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  update(bytes: number): void {
    this.#bytes = bytes;
    this.#bar?.update(bytes, this.#payload());
  }

  fileDone(bytes: number): void {
    this.#files++;
    this.update(bytes);
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#bar?.stop();
  }

  /** "12.3 MB in 1.2 s, 10.1 MB/s" */
  summary(): string {
    return `${formatMegabytes(this.#bytes)} in ${this.seconds.toFixed(1)} s, ${this.#speed()} MB/s`;
  }

  #speed(): string {
    return (this.#bytes / 1_000_000 / Math.max(this.seconds, 0.001)).toFixed(1);
  }

  #payload(): Record<string, string | number> {
    return {
      files: this.#files,
      totalFiles: this.#totalFiles,
      mb: formatMegabytes(this.#bytes),
      speed: this.#speed(),
    };
  }
}
