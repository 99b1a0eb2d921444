// Libraries never print (STYLE.md §10): a test whose code under test calls console.* fails.
import { afterAll, afterEach, vi } from 'vitest';
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
