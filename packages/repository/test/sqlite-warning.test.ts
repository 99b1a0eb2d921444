// Node 22 and 24 print "ExperimentalWarning: SQLite is an experimental feature" when node:sqlite
// first loads; a library must not print, so the built package holds that one warning back.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('loading node:sqlite', () => {
  it.runIf(isBuiltin('node:sqlite'))('prints no ExperimentalWarning', () => {
    expect(existsSync(DIST), 'build the package first: pnpm build').toBe(true);
    const script = `
      import { openSqlite } from ${JSON.stringify(pathToFileURL(DIST).href)};
      const db = await openSqlite(':memory:');
      process.stdout.write(db.driver);
      db.close();
      process.emitWarning('another warning', 'ExperimentalWarning');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('node:sqlite');
    expect(child.stderr).not.toMatch(/SQLite is an experimental feature/);
    // Only the one warning is held back: others still print.
    expect(child.stderr).toMatch(/another warning/);
  });
});
