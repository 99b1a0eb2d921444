// What one synchronous step of a walk may cost, whatever the index's size: no query hands back
// more than a batch of rows (each `all()` holds the event loop for all of them), a page lists at
// most the default number of studies, and after each page the SQLite page cache it filled is given
// back (else the index's 64 MiB cache fills as a walk reads, and memory grows with the repository).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@dicomnet/test-utils';
import { instanceRecord as record } from '../../test/helpers/index-records.js';
import type { IndexRecord } from '../index-record.js';
import { InstanceIndex } from '../index-db/instance-index.js';
import { prepareSchema } from '../index-db/schema.js';
import type { SqliteDatabase, SqliteRow } from '../sqlite/database.js';
import { openSqlite } from '../sqlite/index.js';
import { walkIndex } from './walk-index.js';

const STUDIES = 120; // more than two pages of the default 50
const SERIES_PER_STUDY = 2;
const PER_SERIES = 10;
const BIG_SERIES = 2500; // more than two batches of the default 1,000 rows
const MAX_ROWS = 1000;
const MAX_STUDIES = 50;

let dir: { path: string; remove(): Promise<void> };
let db: SqliteDatabase;

beforeAll(async () => {
  dir = await tempDir('repository-walk-bounds-');
  db = await openSqlite(path.join(dir.path, 'index.sqlite'));
  prepareSchema(db);
  const records: IndexRecord[] = [];
  for (let s = 0; s < STUDIES; s++)
    for (let r = 0; r < SERIES_PER_STUDY; r++)
      for (let i = 0; i < PER_SERIES; i++)
        records.push(record(`1.2.${s}`, `1.2.${s}.${r}`, `1.2.${s}.${r}.${i}`));
  for (let i = 0; i < BIG_SERIES; i++) records.push(record('1.3', '1.3.1', `1.3.1.${i}`));
  const index = new InstanceIndex(db);
  for (let from = 0; from < records.length; from += 1000)
    index.put(records.slice(from, from + 1000), '20260101000000.000000+0000');
}, 60_000);

afterAll(async () => {
  db?.close();
  await dir?.remove();
});

/** `db` with every `all()` result size and every `exec` recorded. */
function observed(): { db: SqliteDatabase; results: number[]; execs: string[] } {
  const results: number[] = [];
  const execs: string[] = [];
  const wrapped: SqliteDatabase = {
    driver: db.driver,
    exec: (sql) => {
      execs.push(sql);
      db.exec(sql);
    },
    prepare: (sql) => {
      const statement = db.prepare(sql);
      return {
        run: (parameters) => statement.run(parameters),
        get: (parameters) => statement.get(parameters),
        all: (parameters): SqliteRow[] => {
          const rows = statement.all(parameters);
          results.push(rows.length);
          return rows;
        },
        iterate: (parameters) => statement.iterate(parameters),
      };
    },
    transaction: (body) => db.transaction(body),
    close: () => db.close(),
  };
  return { db: wrapped, results, execs };
}

describe('walkIndex bounds', () => {
  it('reads at most a batch of rows per query and gives the cache back after each page', async () => {
    const { db: watched, results, execs } = observed();
    const query = { conditions: [], returnKeys: [], ignoredKeys: [] };
    const source = { db: watched, checkOpen: () => undefined, pathOf: (stored: string) => stored };
    let studies = 0;
    let instances = 0;
    for await (const walked of walkIndex(source, query, { depth: 'IMAGE' })) {
      if (walked.level === 'STUDY') studies++;
      if (walked.level === 'IMAGE') instances++;
    }
    expect(studies).toBe(STUDIES + 1);
    expect(instances).toBe(STUDIES * SERIES_PER_STUDY * PER_SERIES + BIG_SERIES);
    expect(Math.max(...results)).toBeLessThanOrEqual(MAX_ROWS);
    const pages = Math.ceil((STUDIES + 1) / MAX_STUDIES);
    expect(execs.filter((sql) => sql === 'PRAGMA shrink_memory')).toHaveLength(pages);
  });
});
