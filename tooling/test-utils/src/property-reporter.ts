import fc from 'fast-check';
import { expect } from 'vitest';

/** Fewest cases a time-cut property must still have run, whatever it asked for. */
export const MIN_PROPERTY_RUNS = 20;
/** Share of its requested cases a time-cut property must still have run. */
export const MIN_PROPERTY_RUN_SHARE = 0.1;

/**
 * The fast-check reporter of every test (installed by the vitest setup). Property tests stop
 * after a time budget as well as a run count, so a loaded machine makes them check fewer cases
 * rather than time out; this reporter makes sure "fewer" never means "a handful": a property
 * cut short below {@link MIN_PROPERTY_RUN_SHARE} of its runs (and at least
 * {@link MIN_PROPERTY_RUNS}, or all it asked for when that is less) fails. It prints how many
 * cases each property ran, to stderr (library code may not use the console).
 */
export function reportProperty(details: fc.RunDetails<unknown>): void {
  if (details.failed) {
    throw new Error(fc.defaultReportMessage(details) ?? 'property failed', {
      cause: details.errorInstance,
    });
  }
  const asked = details.runConfiguration.numRuns ?? 100;
  const needed = Math.min(
    asked,
    Math.max(MIN_PROPERTY_RUNS, Math.ceil(asked * MIN_PROPERTY_RUN_SHARE)),
  );
  const name = expect.getState().currentTestName ?? 'property';
  process.stderr.write(`[property] ${name}: ${details.numRuns} of ${asked} runs\n`);
  if (details.numRuns < needed) {
    throw new Error(
      `${name}: only ${details.numRuns} of ${asked} runs before the time limit; at least ` +
        `${needed} must run for the property to count`,
    );
  }
}
