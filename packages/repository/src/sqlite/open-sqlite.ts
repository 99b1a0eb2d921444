import { NoSqliteError } from '../errors.js';
import { wrapNativeDatabase, type SqliteDatabase, type SqliteDriverName } from './database.js';
import { DEFAULT_SQLITE_LOADERS, type NativeOpener, type SqliteDriverLoaders } from './drivers.js';

/** Options of {@link openSqlite}. */
export interface OpenSqliteOptions {
  /**
   * Use this driver only. Default: `node:sqlite` where the runtime has it, else `better-sqlite3`.
   * better-sqlite3 is never loaded when node:sqlite is there: its addon is built for the Node that
   * installed it, and a CI that runs the same install under another Node could not load it.
   */
  readonly driver?: SqliteDriverName;
  /** How the drivers are loaded (tests observe the choice through this). */
  readonly loaders?: SqliteDriverLoaders;
}

/** The loaded, working opener of a driver, or why it cannot be used. */
export type DriverProbe =
  | { readonly driver: SqliteDriverName; readonly opener: NativeOpener }
  | { readonly driver: SqliteDriverName; readonly error: unknown };

/**
 * Loads one driver and opens a private in-memory database with it once: better-sqlite3's addon is
 * loaded only by its first `new Database`, and a wrong ABI shows only there.
 */
export async function probeSqliteDriver(
  driver: SqliteDriverName,
  loaders: SqliteDriverLoaders = DEFAULT_SQLITE_LOADERS,
): Promise<DriverProbe> {
  try {
    const opener =
      driver === 'node:sqlite' ? loaders['node:sqlite']() : await loaders['better-sqlite3']();
    if (opener === undefined)
      return { driver, error: new Error('node:sqlite is not built into this Node') };
    opener(':memory:').close();
    return { driver, opener };
  } catch (error) {
    return { driver, error };
  }
}

/**
 * Chooses the driver for {@link openSqlite}: the one asked for, else node:sqlite when this runtime
 * has it, else better-sqlite3 (loaded only then).
 * @throws {@link NoSqliteError} when the chosen driver cannot load.
 */
export async function selectSqliteDriver(
  options: OpenSqliteOptions = {},
): Promise<{ driver: SqliteDriverName; opener: NativeOpener }> {
  const loaders = options.loaders ?? DEFAULT_SQLITE_LOADERS;
  const order: SqliteDriverName[] =
    options.driver === undefined ? ['node:sqlite', 'better-sqlite3'] : [options.driver];
  const failures: string[] = [];
  let lastError: unknown;
  for (const driver of order) {
    const probe = await probeSqliteDriver(driver, loaders);
    if ('opener' in probe) return probe;
    lastError = probe.error;
    failures.push(
      `${driver}: ${probe.error instanceof Error ? probe.error.message : String(probe.error)}`,
    );
  }
  throw new NoSqliteError(failures.join('; '), { cause: lastError });
}

/**
 * Opens (creating if needed) the SQLite database at `path` with the driver
 * {@link selectSqliteDriver} picks, waiting up to 5 s for another connection's lock.
 * @throws {@link NoSqliteError}; the driver's error when the file cannot be opened.
 */
export async function openSqlite(
  path: string,
  options: OpenSqliteOptions = {},
): Promise<SqliteDatabase> {
  const { driver, opener } = await selectSqliteDriver(options);
  const database = wrapNativeDatabase(driver, opener(path));
  try {
    database.exec('PRAGMA busy_timeout = 5000');
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}
