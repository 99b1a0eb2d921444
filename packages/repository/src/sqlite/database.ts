// The small synchronous SQLite surface the index needs, shared by node:sqlite's DatabaseSync and
// better-sqlite3 (both synchronous, both prepared-statement based). Nothing outside src/sqlite/
// and the index knows which driver runs.

/** A value bound to a parameter or read from a column. Booleans are not SQLite values: use 0/1. */
export type SqliteValue = string | number | bigint | Uint8Array | null;

/** Parameters of one statement: positional (`?`) or named (`:name`, given without the prefix). */
export type SqliteParameters = readonly SqliteValue[] | Readonly<Record<string, SqliteValue>>;

/** One result row, by column name. */
export type SqliteRow = Readonly<Record<string, SqliteValue>>;

/** What {@link SqliteStatement.run} reports. */
export interface SqliteRunResult {
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  readonly changes: number;
  /** The rowid of the last inserted row. */
  readonly lastInsertRowid: number | bigint;
}

/** A prepared statement, reusable until its database closes. */
export interface SqliteStatement {
  run(parameters?: SqliteParameters): SqliteRunResult;
  /** The first row, or undefined when there is none. */
  get(parameters?: SqliteParameters): SqliteRow | undefined;
  all(parameters?: SqliteParameters): SqliteRow[];
  /** Rows one at a time: a large result never sits in memory whole. */
  iterate(parameters?: SqliteParameters): IterableIterator<SqliteRow>;
}

/** Names of the drivers behind {@link SqliteDatabase}. */
export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3';

/** An open database. Synchronous: every call blocks the thread for the time SQLite takes. */
export interface SqliteDatabase {
  /** Which driver this is. */
  readonly driver: SqliteDriverName;
  /** Runs one or more statements without parameters (DDL, PRAGMA). */
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  /**
   * Runs `body` in a transaction (`BEGIN IMMEDIATE`: the write lock is taken at once, so two
   * writers fail fast rather than deadlock on the upgrade); nested calls become savepoints.
   * Commits when `body` returns, rolls back and rethrows when it throws.
   */
  transaction<T>(body: () => T): T;
  /** Closes the database; statements become unusable. Idempotent. */
  close(): void;
}

/** The part of each driver's native object {@link SqliteDatabase} is built on. */
export interface NativeDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): NativeStatement;
  close(): unknown;
}

/** The part of each driver's native statement {@link SqliteStatement} is built on. */
export interface NativeStatement {
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
}

/**
 * Wraps a driver's native database: both drivers take positional parameters spread and named ones
 * as one object whose keys carry no prefix, and return rows as plain objects.
 */
export function wrapNativeDatabase(
  driver: SqliteDriverName,
  native: NativeDatabase,
): SqliteDatabase {
  let depth = 0;
  let closed = false;
  return {
    driver,
    exec: (sql) => void native.exec(sql),
    prepare: (sql) => wrapStatement(native.prepare(sql)),
    transaction<T>(body: () => T): T {
      const savepoint = `sp${depth}`;
      native.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
      depth++;
      try {
        const result = body();
        depth--;
        native.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
        return result;
      } catch (error) {
        depth--;
        native.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        throw error;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      native.close();
    },
  };
}

function argumentsOf(parameters: SqliteParameters | undefined): unknown[] {
  if (parameters === undefined) return [];
  return Array.isArray(parameters) ? [...(parameters as readonly SqliteValue[])] : [parameters];
}

function wrapStatement(statement: NativeStatement): SqliteStatement {
  return {
    run(parameters) {
      const result = statement.run(...argumentsOf(parameters));
      return { changes: Number(result.changes), lastInsertRowid: result.lastInsertRowid };
    },
    get: (parameters) => statement.get(...argumentsOf(parameters)) as SqliteRow | undefined,
    all: (parameters) => statement.all(...argumentsOf(parameters)) as SqliteRow[],
    iterate: (parameters) =>
      statement.iterate(...argumentsOf(parameters)) as IterableIterator<SqliteRow>,
  };
}
