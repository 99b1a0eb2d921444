// Test fixture: a small index table of our own, filled with storedValue, to run toSql's output
// on a real SQLite (through the package's adapter) next to matches().
import { openSqlite } from '../../src/sqlite/index.js';
import type { SqliteDatabase } from '../../src/sqlite/index.js';
import { matches } from '../../src/match/matches.js';
import type { MatchRecord, Query } from '../../src/match/query.js';
import { TAG } from './test-elements.js';
import { storedValue, toSql } from '../../src/match/to-sql.js';
import type { ColumnForm, ColumnMap } from '../../src/match/to-sql.js';

interface FixtureColumn {
  readonly tag: string;
  readonly vr: string;
  readonly name: string;
  readonly form: ColumnForm;
}

/** The columns of the fixture table: PN both as written and folded. */
export const FIXTURE_COLUMNS: readonly FixtureColumn[] = [
  { tag: TAG.patientId, vr: 'LO', name: 'patient_id', form: 'text' },
  { tag: TAG.patientName, vr: 'PN', name: 'patient_name', form: 'text' },
  { tag: TAG.patientName, vr: 'PN', name: 'patient_name_folded', form: 'folded' },
  { tag: TAG.studyDate, vr: 'DA', name: 'study_date', form: 'date' },
  { tag: TAG.studyTime, vr: 'TM', name: 'study_time', form: 'time' },
  { tag: TAG.acquisitionDateTime, vr: 'DT', name: 'acquisition_date_time', form: 'datetime' },
  { tag: TAG.studyUid, vr: 'UI', name: 'study uid"; --', form: 'text' }, // a hostile column name
  { tag: TAG.accessionNumber, vr: 'SH', name: 'accession_number', form: 'text' },
  { tag: TAG.retrieveAe, vr: 'AE', name: 'retrieve_ae', form: 'text' },
  { tag: TAG.modalitiesInStudy, vr: 'CS', name: 'modalities_in_study', form: 'multi-text' },
];

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The column maps to query through: PN as written, or PN folded. */
export function columnMap(personName: 'text' | 'folded'): ColumnMap {
  const map: Record<string, { name: string; form: ColumnForm; table: string }> = {};
  for (const column of FIXTURE_COLUMNS) {
    if (column.tag === TAG.patientName && column.form !== personName) continue;
    map[column.tag] = { table: 'record', name: column.name, form: column.form };
  }
  return map;
}

/** An in-memory database holding the empty fixture table. */
export async function openFixtureDatabase(): Promise<SqliteDatabase> {
  const db = await openSqlite(':memory:');
  const columns = FIXTURE_COLUMNS.map((column) => `${quote(column.name)} TEXT`).join(', ');
  db.exec(`CREATE TABLE record (id INTEGER PRIMARY KEY, ${columns})`);
  return db;
}

/** Replaces the table's rows with `records` (row id = index). */
export function fillFixtureTable(db: SqliteDatabase, records: readonly MatchRecord[]): void {
  const names = FIXTURE_COLUMNS.map((column) => quote(column.name));
  const insert = db.prepare(
    `INSERT INTO record (id, ${names.join(', ')}) VALUES (?, ${names.map(() => '?').join(', ')})`,
  );
  db.transaction(() => {
    db.exec('DELETE FROM record');
    records.forEach((record, index) => {
      const values = FIXTURE_COLUMNS.map((column) => {
        const value = record[column.tag];
        const strings = value?.filter((entry): entry is string => typeof entry === 'string');
        return storedValue(column.form, column.vr, strings);
      });
      insert.run([index, ...values]);
    });
  });
}

/** Indexes of `records` the query selects: SQL first, then the residual in memory. */
export function selectWithSql(
  db: SqliteDatabase,
  query: Query,
  records: readonly MatchRecord[],
  personName: 'text' | 'folded',
): number[] {
  const filter = toSql(query, columnMap(personName));
  const rows = db
    .prepare(`SELECT id FROM record WHERE ${filter.where} ORDER BY id`)
    .all(filter.parameters);
  return rows
    .map((row) => Number(row.id))
    .filter((index) => {
      const record = records[index];
      return record !== undefined && matches(filter.residual, record);
    });
}

/** Indexes of `records` matches() selects. */
export function selectInMemory(query: Query, records: readonly MatchRecord[]): number[] {
  return records.flatMap((record, index) => (matches(query, record) ? [index] : []));
}
