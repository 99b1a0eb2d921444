/** Timing helpers: monotonic clock, medians, and warm-up-then-rounds for synchronous loops. */

/** Bytes in a megabyte as the tables report it (MB/s = 10^6 bytes per second). */
export const MEGABYTE = 1_000_000;

/** Bytes in a mebibyte, for sizes (16 KiB PDUs, 512 MiB transfers). */
export const MIB = 1024 * 1024;

/** Nanoseconds on the monotonic clock (`process.hrtime.bigint()`). */
export function now(): bigint {
  return process.hrtime.bigint();
}

/** Seconds elapsed since `start` (a value of {@link now}). */
export function secondsSince(start: bigint): number {
  return Number(now() - start) / 1e9;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** Rates of the timed rounds of one benchmark, per second, and their median. */
export interface RateMeasurement {
  /** Median over the rounds, in work units per second. */
  readonly median: number;
  /** Each round's rate, in order. */
  readonly rounds: readonly number[];
}

/** How long to warm up and how to time a synchronous loop. */
export interface RoundOptions {
  /** Run the loop this long before timing (JIT, caches, heap growth). Default 300 ms. */
  readonly warmupMs?: number;
  /** Aim for rounds of about this length. Default 150 ms. */
  readonly roundMs?: number;
  /** Timed rounds; the median is reported. Default 7. */
  readonly rounds?: number;
}

/**
 * Times `step` in rounds after a warm-up. `step(iterations)` runs the measured work that many
 * times and returns the work it did (bytes, PDUs); its return value also keeps the optimiser from
 * dropping the work. The iteration count is calibrated during the warm-up so that a round lasts
 * about `roundMs`.
 */
export function measureRounds(
  step: (iterations: number) => number,
  options: RoundOptions = {},
): RateMeasurement {
  const warmupMs = options.warmupMs ?? 300;
  const roundMs = options.roundMs ?? 150;
  const roundCount = options.rounds ?? 7;
  let iterations = 1;
  let rateOfIterations = 0;
  const warmupStart = now();
  while (secondsSince(warmupStart) * 1000 < warmupMs) {
    const start = now();
    step(iterations);
    const seconds = secondsSince(start);
    rateOfIterations = iterations / Math.max(seconds, 1e-9);
    if (seconds * 1000 < roundMs / 4) iterations *= 2;
  }
  iterations = Math.max(1, Math.round((rateOfIterations * roundMs) / 1000));
  const rounds: number[] = [];
  for (let round = 0; round < roundCount; round++) {
    const start = now();
    const work = step(iterations);
    rounds.push(work / secondsSince(start));
  }
  return { median: median(rounds), rounds };
}
