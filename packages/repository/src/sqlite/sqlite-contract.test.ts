// One contract, run against every SQLite driver this runtime can load: better-sqlite3 on Node 20,
// node:sqlite on Node 22.13+ and 24 (and better-sqlite3 there too when its addon matches).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteDatabase, SqliteDriverName } from './database.js';
import { openSqlite, probeSqliteDriver } from './open-sqlite.js';

const probes = await Promise.all(
  (['node:sqlite', 'better-sqlite3'] as const).map((driver) => probeSqliteDriver(driver)),
);
const loadable = probes.filter((probe) => 'opener' in probe).map((probe) => probe.driver);
const hasBuiltIn = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.(
  'node:sqlite',
);

describe('the drivers this runtime loads', () => {
  it('include node:sqlite where it is built in, better-sqlite3 otherwise', () => {
    if (hasBuiltIn !== undefined) expect(loadable).toContain('node:sqlite');
    else expect(loadable).toEqual(['better-sqlite3']);
  });
});

describe.each(loadable)('SQLite contract: %s', (driver: SqliteDriverName) => {
  let dir: string;
  let db: SqliteDatabase;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dicomnet-sqlite-'));
    db = await openSqlite(path.join(dir, 'index.sqlite'), { driver });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER, r REAL, b BLOB)');
  });
  afterAll(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reports its driver', () => {
    expect(db.driver).toBe(driver);
  });

  it('binds positional and named parameters and reports changes and rowids', () => {
    const positional = db.prepare('INSERT INTO t (name, n, r, b) VALUES (?, ?, ?, ?)');
    const first = positional.run(['Ünïcode^名前', 42, 1.5, new Uint8Array([1, 2, 3])]);
    expect(first.changes).toBe(1);
    const named = db.prepare('INSERT INTO t (name, n, r, b) VALUES (:name, :n, :r, :b)');
    const second = named.run({ name: 'second', n: 2n ** 40n, r: null, b: null });
    expect(Number(second.lastInsertRowid)).toBe(Number(first.lastInsertRowid) + 1);
    const row = db.prepare('SELECT name, n, r, b FROM t WHERE id = ?').get([first.lastInsertRowid]);
    expect(row?.name).toBe('Ünïcode^名前');
    expect(row?.n).toBe(42);
    expect(row?.r).toBe(1.5);
    expect([...(row?.b as Uint8Array)]).toEqual([1, 2, 3]);
    // Integers come back as numbers (both drivers' default); bigints bind.
    const big = db.prepare('SELECT n, r FROM t WHERE name = ?').get(['second']);
    expect(big?.n).toBe(2 ** 40);
    expect(big?.r).toBeNull();
    expect(db.prepare('UPDATE t SET n = n + 1 WHERE id < 0').run().changes).toBe(0);
  });

  it('answers get with undefined when there is no row, all with every row', () => {
    const select = db.prepare('SELECT id FROM t WHERE name = ?');
    expect(select.get(['absent'])).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS c FROM t').get()?.c).toBe(2);
    expect(db.prepare('SELECT id FROM t ORDER BY id').all()).toHaveLength(2);
  });

  it('iterates rows lazily and lets go of the statement when the loop breaks', () => {
    const insert = db.prepare('INSERT INTO t (name, n) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) insert.run([`row${i}`, i]);
    });
    let seen = 0;
    for (const row of db
      .prepare('SELECT n FROM t WHERE name LIKE ? ORDER BY n')
      .iterate(['row%'])) {
      expect(row.n).toBe(seen);
      if (++seen === 10) break;
    }
    expect(seen).toBe(10);
    // The database is usable again after the early break (no statement left busy).
    db.prepare('DELETE FROM t WHERE name LIKE ?').run(['row%']);
    expect(db.prepare('SELECT count(*) AS c FROM t').get()?.c).toBe(2);
  });

  it('commits a transaction, rolls it back when the body throws', () => {
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    const count = db.prepare('SELECT count(*) AS c FROM t');
    expect(db.transaction(() => insert.run(['kept']).changes)).toBe(1);
    expect(() =>
      db.transaction(() => {
        insert.run(['lost']);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(count.get()?.c).toBe(3);
    expect(db.prepare('SELECT id FROM t WHERE name = ?').get(['lost'])).toBeUndefined();
  });

  it('nests transactions as savepoints: an inner failure undoes only the inner work', () => {
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    db.transaction(() => {
      insert.run(['outer']);
      expect(() =>
        db.transaction(() => {
          insert.run(['inner']);
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    const names = db
      .prepare("SELECT name FROM t WHERE name IN ('outer', 'inner')")
      .all()
      .map((row) => row.name);
    expect(names).toEqual(['outer']);
  });

  it('runs in WAL mode on a file', () => {
    db.exec('PRAGMA journal_mode = WAL');
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
  });

  it('reports SQL errors as exceptions and stays usable', () => {
    expect(() => db.prepare('SELECT * FROM missing_table')).toThrow(/missing_table/);
    expect(() => db.prepare('INSERT INTO t (id) VALUES (?)').run([1])).toThrow(
      /UNIQUE|constraint/i,
    );
    expect(db.prepare('SELECT 1 AS one').get()?.one).toBe(1);
  });

  it('closes once; a second close does nothing', async () => {
    const other = await openSqlite(':memory:', { driver });
    other.close();
    expect(() => other.close()).not.toThrow();
  });
});
