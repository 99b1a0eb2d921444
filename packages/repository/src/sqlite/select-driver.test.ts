import { describe, expect, it } from 'vitest';
import { NoSqliteError } from '../errors.js';
import { DEFAULT_SQLITE_LOADERS, type SqliteDriverLoaders } from './drivers.js';
import { openSqlite, selectSqliteDriver } from './open-sqlite.js';

/** The real loaders, counting how often each one runs. */
function countingLoaders(): { loaders: SqliteDriverLoaders; calls: Record<string, number> } {
  const calls: Record<string, number> = { 'node:sqlite': 0, 'better-sqlite3': 0 };
  return {
    calls,
    loaders: {
      'node:sqlite': () => {
        calls['node:sqlite']!++;
        return DEFAULT_SQLITE_LOADERS['node:sqlite']();
      },
      'better-sqlite3': () => {
        calls['better-sqlite3']!++;
        return DEFAULT_SQLITE_LOADERS['better-sqlite3']();
      },
    },
  };
}

const builtIn = DEFAULT_SQLITE_LOADERS['node:sqlite']() !== undefined;

describe('selectSqliteDriver', () => {
  it.runIf(builtIn)(
    'takes node:sqlite where the runtime has it and never loads better-sqlite3',
    async () => {
      const { loaders, calls } = countingLoaders();
      const { driver } = await selectSqliteDriver({ loaders });
      expect(driver).toBe('node:sqlite');
      expect(calls['better-sqlite3']).toBe(0);
      const db = await openSqlite(':memory:', { loaders });
      expect(db.driver).toBe('node:sqlite');
      db.close();
      expect(calls['better-sqlite3']).toBe(0);
    },
  );

  it.runIf(!builtIn)('falls back to better-sqlite3 where node:sqlite is absent', async () => {
    const { loaders, calls } = countingLoaders();
    const { driver } = await selectSqliteDriver({ loaders });
    expect(driver).toBe('better-sqlite3');
    expect(calls['node:sqlite']).toBe(1);
    expect(calls['better-sqlite3']).toBe(1);
  });

  it('loads only the driver asked for', async () => {
    const { loaders, calls } = countingLoaders();
    const asked = builtIn ? 'node:sqlite' : 'better-sqlite3';
    const { driver } = await selectSqliteDriver({ driver: asked, loaders });
    expect(driver).toBe(asked);
    expect(calls[asked === 'node:sqlite' ? 'better-sqlite3' : 'node:sqlite']).toBe(0);
  });

  it('throws DICOMNET_REPOSITORY_NO_SQLITE with each reason when no driver loads', async () => {
    const cause = Object.assign(new Error("Cannot find package 'better-sqlite3'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const loaders: SqliteDriverLoaders = {
      'node:sqlite': () => undefined,
      'better-sqlite3': () => Promise.reject(cause),
    };
    const error = await selectSqliteDriver({ loaders }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoSqliteError);
    expect((error as NoSqliteError).code).toBe('DICOMNET_REPOSITORY_NO_SQLITE');
    expect((error as NoSqliteError).message).toContain('node:sqlite is not built into this Node');
    expect((error as NoSqliteError).message).toContain("Cannot find package 'better-sqlite3'");
    expect((error as NoSqliteError).cause).toBe(cause);
  });

  it('reports a driver whose addon cannot load (a wrong ABI shows at the first open)', async () => {
    const loaders: SqliteDriverLoaders = {
      'node:sqlite': () => undefined,
      'better-sqlite3': () =>
        Promise.resolve(() => {
          throw new Error('was compiled against a different Node.js version');
        }),
    };
    await expect(openSqlite(':memory:', { loaders })).rejects.toMatchObject({
      code: 'DICOMNET_REPOSITORY_NO_SQLITE',
    });
  });
});
