import fc from 'fast-check';

/** How long a property may run, and how many cases it must reach all the same. */
export interface Bounds {
  /** Cases to try when time allows. */
  readonly numRuns: number;
  /** Fewest cases that count as a test; fewer (a loaded machine) fails instead of passing. */
  readonly minRuns: number;
  /** Milliseconds after which no new case starts. */
  readonly timeLimit: number;
  /** Names the property in the printed count. */
  readonly label: string;
}

/**
 * Runs an async property bounded by time and count: fails on a counterexample, and also when the
 * time limit cut it below `minRuns`, so a starved run cannot pass by checking a handful of cases.
 * Prints the number of cases run (to stderr: library code may not use the console).
 */
export async function checkBounded<T>(
  property: fc.IAsyncPropertyWithHooks<T> | fc.IAsyncProperty<T>,
  bounds: Bounds,
): Promise<number> {
  const details = await fc.check(property, {
    numRuns: bounds.numRuns,
    interruptAfterTimeLimit: bounds.timeLimit,
  });
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
  process.stderr.write(`${bounds.label}: ${details.numRuns} runs\n`);
  if (details.numRuns < bounds.minRuns) {
    throw new Error(
      `${bounds.label}: only ${details.numRuns} of at least ${bounds.minRuns} runs in ${bounds.timeLimit} ms`,
    );
  }
  return details.numRuns;
}
