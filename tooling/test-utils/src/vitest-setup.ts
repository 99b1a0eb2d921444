// Libraries never print (STYLE.md §10): a test whose code under test calls console.* fails.
import { afterEach, vi } from 'vitest';

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
