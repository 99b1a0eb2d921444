// Libraries never print (STYLE.md §10): a test whose code under test calls console.* fails.
import { availableParallelism, loadavg } from 'node:os';
import fc from 'fast-check';
import { afterAll, afterEach, vi } from 'vitest';
import { reportProperty } from './property-reporter.js';
import { stopAllPeers } from './spawn-peer.js';

const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const calls: string[] = [];

for (const method of methods) {
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    calls.push(`console.${method}(${args.map(String).join(' ')})`);
  });
}

afterEach(() => {
  if (calls.length > 0) {
    const printed = calls.splice(0);
    throw new Error(`library code printed to the console:\n${printed.join('\n')}`);
  }
});

// Every test file stops the peers it started, even when a test failed half-way.
afterAll(async () => {
  await stopAllPeers();
});

// Property tests stop after a time budget as well as a run count, so a loaded CI machine makes
// them check fewer cases rather than time out (STYLE.md §13: bounded fuzzing); the reporter fails
// a property cut to a handful of cases and prints every property's count. The budget grows with
// the machine's load (up to 3×, read as each test file starts): at a load of 7 per core a 4 s
// budget let a dcmjs round-trip property run 18 cases, too few to count.
const busy = Math.min(3, Math.max(1, (loadavg()[0] ?? 0) / availableParallelism()));
fc.configureGlobal({ interruptAfterTimeLimit: Math.round(4_000 * busy), reporter: reportProperty });
