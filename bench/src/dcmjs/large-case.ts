/** The 50 MB case's parent side: forks one child per codec and operation. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the child measures. */
export interface LargeCaseConfig {
  readonly codec: 'raw' | 'adapter';
  readonly operation: 'encode' | 'decode';
  /** Bytes of OW Pixel Data beside the 53 small elements. */
  readonly pixelBytes: number;
}

/** What the child reports. */
export interface LargeCaseResult {
  /** Each repetition's time. */
  readonly milliseconds: readonly number[];
  /** RSS with the input built, just before the first repetition. */
  readonly rssBeforeBytes: number;
  /** resourceUsage().maxRSS at the end, in bytes. */
  readonly peakRssBytes: number;
}

/** The built child entry, beside this module's chunk in dist/. */
const ENTRY = fileURLToPath(new URL('./dcmjs-large.js', import.meta.url));

/** Runs one case in a fresh child (with --expose-gc) and returns its report. */
export function runLargeCase(config: LargeCaseConfig): Promise<LargeCaseResult> {
  const child = fork(ENTRY, [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv.filter((arg) => arg !== '--expose-gc'), '--expose-gc'],
  });
  return new Promise((resolve, reject) => {
    let result: LargeCaseResult | undefined;
    child.once('message', (message: LargeCaseResult) => {
      result = message;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`dcmjs large case ${JSON.stringify(config)} exited with ${code}`));
    });
  });
}
