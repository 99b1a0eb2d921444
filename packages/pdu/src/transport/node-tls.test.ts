import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeTls } from './node-tls.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));

/** Every non-test TypeScript file under src/. */
async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(SRC, { recursive: true });
  return entries
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => path.join(SRC, name));
}

describe('nodeTls', () => {
  it('is the module a static import gives', () => {
    expect(nodeTls()).toBe(tls);
    expect(nodeTls().connect).toBe(tls.connect);
  });

  it('is the only way src/ reaches node:tls at run time (type-only imports are free)', async () => {
    const files = await sourceFiles();
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      // A value import (not `import type`) or a require of node:tls evaluates it at load time.
      if (/^import (?!type\b)[^;]*from '(node:)?tls';/m.test(text)) offenders.push(file);
      if (/^[^*/\n]*\brequire\('(node:)?tls'\)/m.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
