import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The vitest setup installs reportProperty as fast-check's global reporter: these go through it.
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the global property reporter', () => {
  it('lets a property that ran its cases pass', () => {
    expect(() =>
      fc.assert(
        fc.property(fc.integer(), (n) => n === n),
        { numRuns: 50 },
      ),
    ).not.toThrow();
  });

  it('fails a property the time limit cut to a handful of cases', async () => {
    await expect(
      fc.assert(
        fc.asyncProperty(fc.integer(), async () => sleep(25)),
        { numRuns: 100, interruptAfterTimeLimit: 100 },
      ),
    ).rejects.toThrow(/only \d+ of 100 runs before the time limit; at least 20 must run/);
  });

  it('still reports a counterexample as a failure, with the property error as its cause', () => {
    let thrown: unknown;
    try {
      fc.assert(
        fc.property(fc.integer({ min: 5 }), (n) => n < 5),
        { numRuns: 10 },
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/Counterexample: \[5\]/);
  });
});
