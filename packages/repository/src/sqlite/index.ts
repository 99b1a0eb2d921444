export type {
  SqliteDatabase,
  SqliteDriverName,
  SqliteParameters,
  SqliteRow,
  SqliteRunResult,
  SqliteStatement,
  SqliteValue,
} from './database.js';
export { openSqlite, probeSqliteDriver, selectSqliteDriver } from './open-sqlite.js';
export type { DriverProbe, OpenSqliteOptions } from './open-sqlite.js';
export type { NativeOpener, SqliteDriverLoaders } from './drivers.js';
