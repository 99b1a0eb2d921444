// The two sides of `inventory diff`, merged by key in a temporary SQLite database: inventories
// are not always in UID order (a tree's leaves, a source's own order), and a million records
// must not sit in memory. Rows come back in (study, series, instance) UID order, each study
// before its series before their instances.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqlite, type SqliteDatabase, type SqliteStatement } from '@dicomnet/repository';

/** A record as the diff keeps it: its UIDs ('' below its level) and comparable attributes. */
export interface DiffRow {
  readonly study: string;
  readonly series: string;
  readonly instance: string;
  /** JSON of the comparable attributes; undefined when the side does not have the record. */
  readonly a: string | undefined;
  readonly b: string | undefined;
}

const BATCH = 5000;

/** Records of both sides, keyed by their UIDs. */
export class DiffTable {
  readonly #db: SqliteDatabase;
  readonly #dir: string;
  readonly #insert: { readonly a: SqliteStatement; readonly b: SqliteStatement };
  #pending: { side: 'a' | 'b'; row: [string, string, string, string] }[] = [];

  private constructor(db: SqliteDatabase, dir: string) {
    this.#db = db;
    this.#dir = dir;
    // A record met twice on one side (PS3.3 C.38.1 allows a study in several items of a tree):
    // the last one read stands.
    const upsert = (side: 'a' | 'b'): SqliteStatement =>
      db.prepare(
        `INSERT INTO rec (study, series, instance, ${side}) VALUES (?, ?, ?, ?)
         ON CONFLICT (study, series, instance) DO UPDATE SET ${side} = excluded.${side}`,
      );
    this.#insert = { a: upsert('a'), b: upsert('b') };
  }

  /** A new table in a new temporary folder; {@link close} removes both. */
  static async create(): Promise<DiffTable> {
    const dir = await mkdtemp(path.join(tmpdir(), 'dicomnet-inventory-diff-'));
    try {
      const db = await openSqlite(path.join(dir, 'diff.sqlite'));
      db.exec(`PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE TABLE rec (study TEXT NOT NULL, series TEXT NOT NULL, instance TEXT NOT NULL,
          a TEXT, b TEXT, PRIMARY KEY (study, series, instance)) WITHOUT ROWID;`);
      return new DiffTable(db, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Adds a record of one side; written in batches. */
  add(side: 'a' | 'b', uids: readonly [string, string, string], attributes: string): void {
    this.#pending.push({ side, row: [uids[0], uids[1], uids[2], attributes] });
    if (this.#pending.length >= BATCH) this.flush();
  }

  /** Writes the records added so far. */
  flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    this.#db.transaction(() => {
      for (const { side, row } of pending) this.#insert[side].run(row);
    });
  }

  /** The records one side lacks or whose attributes differ, in key order. */
  *differences(): Generator<DiffRow> {
    this.flush();
    const rows = this.#db
      .prepare(
        `SELECT study, series, instance, a, b FROM rec
         WHERE a IS NULL OR b IS NULL OR a <> b ORDER BY study, series, instance`,
      )
      .iterate();
    for (const row of rows) {
      yield {
        study: String(row['study']),
        series: String(row['series']),
        instance: String(row['instance']),
        a: row['a'] === null ? undefined : String(row['a']),
        b: row['b'] === null ? undefined : String(row['b']),
      };
    }
  }

  async close(): Promise<void> {
    this.#db.close();
    await rm(this.#dir, { recursive: true, force: true });
  }
}
