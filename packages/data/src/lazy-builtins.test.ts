import crypto from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nodeCrypto, nodeZlib } from './lazy-builtins.js';

const SRC = fileURLToPath(new URL('.', import.meta.url));

/** Every non-test TypeScript file under src/. */
async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(SRC, { recursive: true });
  return entries
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => path.join(SRC, name));
}

describe('lazy built-ins', () => {
  it('are the modules a static import gives', () => {
    expect(nodeZlib()).toBe(zlib);
    expect(nodeCrypto()).toBe(crypto);
  });

  it('are the only way src/ reaches node:zlib and node:crypto at run time', async () => {
    const files = await sourceFiles();
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      // A value import (not `import type`) or a require evaluates the module at load time.
      if (/^import (?!type\b)[^;]*from '(node:)?(zlib|crypto|tls)';/m.test(text))
        offenders.push(file);
      if (/^[^*/\n]*\brequire\('(node:)?(zlib|crypto|tls)'\)/m.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
