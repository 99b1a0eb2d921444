/** One timed round of one side of the `data` benchmarks: wall time and CPU time. */
import { now, secondsSince } from '../measure.js';
import type { Side } from './index-sides.js';

/** One timed round of one side. */
export interface RoundFigures {
  /** Files per second of wall time. */
  readonly rate: number;
  /** CPU milliseconds per file: this process's (all threads) plus its children's. */
  readonly cpuMsPerFile: number;
}

/**
 * One round of one side: whole passes over the files until `roundMs` have passed (at least one).
 * No full collection is forced before it: after `gc()`, the next 200 ms of the dicomnet side
 * cost two to three times the CPU of a steady run (measured on 2026-12-05, with or without a
 * pause after the collection): that would measure what V8 rebuilds after a full collection
 * rather than the reader. Each side collects its own garbage as it goes.
 */
export async function timeRound(
  side: Side,
  files: readonly string[],
  roundMs: number,
): Promise<RoundFigures> {
  const cpuStart = process.cpuUsage();
  const start = now();
  let passes = 0;
  let childCpuSeconds = 0;
  do {
    const run = await side.extract(files);
    if (run.records.length !== files.length) throw new Error(`${side.id} lost files`);
    childCpuSeconds += run.childCpuSeconds;
    passes++;
  } while (secondsSince(start) * 1000 < roundMs);
  const seconds = secondsSince(start);
  const cpu = process.cpuUsage(cpuStart); // microseconds
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 + childCpuSeconds;
  return {
    rate: (passes * files.length) / seconds,
    cpuMsPerFile: (cpuSeconds * 1000) / (passes * files.length),
  };
}
