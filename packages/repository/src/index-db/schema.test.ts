import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaTooNewError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/database.js';
import { openSqlite } from '../sqlite/open-sqlite.js';
import { MIGRATIONS, prepareSchema, SCHEMA_VERSION, type Migration } from './schema.js';

describe('prepareSchema', () => {
  let dir: string;
  let file: string;
  const open: SqliteDatabase[] = [];
  const openDb = async (): Promise<SqliteDatabase> => {
    const db = await openSqlite(file);
    open.push(db);
    return db;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dicomnet-schema-'));
    file = path.join(dir, 'index.sqlite');
  });
  afterEach(async () => {
    for (const db of open.splice(0)) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the schema in WAL with synchronous=NORMAL and records the migrations', async () => {
    const db = await openDb();
    expect(prepareSchema(db)).toEqual([1, 2, 3]);
    expect(SCHEMA_VERSION).toBe(3);
    expect(db.prepare('PRAGMA user_version').get()?.user_version).toBe(3);
    expect(db.prepare('PRAGMA journal_mode').get()?.journal_mode).toBe('wal');
    expect(db.prepare('PRAGMA synchronous').get()?.synchronous).toBe(1); // NORMAL
    expect(db.prepare('PRAGMA foreign_keys').get()?.foreign_keys).toBe(1);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => row.name);
    expect(tables).toEqual([
      'instances',
      'inventories',
      'patients',
      'repository_state',
      'schema_migrations',
      'series',
      'studies',
    ]);
    const migrations = db.prepare('SELECT version, name FROM schema_migrations').all();
    expect(migrations).toEqual([
      { version: 1, name: 'initial index' },
      { version: 2, name: 'matching forms' },
      { version: 3, name: 'inventory instances' },
    ]);
  });

  it('v3 adds the inventory table to an index of v2 and keeps its rows', async () => {
    const db = await openDb();
    prepareSchema(db, MIGRATIONS.slice(0, 2));
    db.exec(`INSERT INTO patients (patient_id, issuer_of_patient_id) VALUES ('P', '')`);
    expect(prepareSchema(db)).toEqual([3]);
    expect(db.prepare('SELECT patient_id FROM patients').all()).toEqual([{ patient_id: 'P' }]);
    expect(db.prepare('SELECT count(*) AS n FROM inventories').get()).toEqual({ n: 0 });
  });

  it('v2 fills the matching forms of rows written by v1 code (generated columns)', async () => {
    const db = await openDb();
    prepareSchema(db, MIGRATIONS.slice(0, 1));
    db.exec(`INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name)
      VALUES ('  PID-1', '', ' doe^john^^');
      INSERT INTO studies (patient_pk, study_instance_uid, study_date, accession_number, received_at, updated_at)
      VALUES (1, '1.2.3', '2020.01.01', ' ACC', 'x', 'x'), (1, '1.2.4', '20200101', NULL, 'x', 'x');`);
    expect(prepareSchema(db, MIGRATIONS.slice(0, 2))).toEqual([2]);
    expect(
      db
        .prepare('SELECT patient_id_key, patient_name_key, patient_name_folded FROM patients')
        .get(),
    ).toEqual({
      patient_id_key: 'PID-1',
      patient_name_key: 'doe^john',
      patient_name_folded: 'DOE^JOHN',
    });
    expect(
      db.prepare('SELECT study_date_key, accession_number_key FROM studies ORDER BY id').all(),
    ).toEqual([
      { study_date_key: null, accession_number_key: 'ACC' },
      { study_date_key: '20200101', accession_number_key: null },
    ]);
  });

  it('applies nothing to a current database and only the new steps to an older one', async () => {
    prepareSchema(await openDb());
    const db = await openDb();
    expect(prepareSchema(db)).toEqual([]);
    const next: Migration = {
      version: SCHEMA_VERSION + 1,
      name: 'a column',
      sql: 'ALTER TABLE studies ADD COLUMN note TEXT',
    };
    expect(prepareSchema(db, [...MIGRATIONS, next])).toEqual([SCHEMA_VERSION + 1]);
    expect(db.prepare('PRAGMA user_version').get()?.user_version).toBe(SCHEMA_VERSION + 1);
    expect(db.prepare('SELECT count(*) AS c FROM schema_migrations').get()?.c).toBe(
      MIGRATIONS.length + 1,
    );
  });

  it('rolls a failing step back whole: version, tables and its migrations row', async () => {
    const db = await openDb();
    prepareSchema(db);
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      name: 'broken',
      sql: 'CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => prepareSchema(db, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    expect(db.prepare('PRAGMA user_version').get()?.user_version).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS c FROM schema_migrations').get()?.c).toBe(
      MIGRATIONS.length,
    );
  });

  it('refuses a database written by a newer schema and leaves it as it is', async () => {
    const db = await openDb();
    prepareSchema(db);
    db.exec('PRAGMA user_version = 7');
    const error = (() => {
      try {
        prepareSchema(db);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as SchemaTooNewError).code).toBe('DICOMNET_REPOSITORY_SCHEMA_TOO_NEW');
    expect(db.prepare('PRAGMA user_version').get()?.user_version).toBe(7);
  });
});
