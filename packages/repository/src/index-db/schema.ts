// The index schema and its migrations. `PRAGMA user_version` holds the version reached and
// `schema_migrations` says when each step ran; a database newer than this code is refused rather
// than written with a schema it does not know.
import { SchemaTooNewError } from '../errors.js';
import type { SqliteDatabase } from '../sqlite/database.js';

/** One schema step: applied in a transaction together with its row in `schema_migrations`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

// Columns hold what PS3.4 C.6 Query/Retrieve keys and the Inventory IOD's study, series and
// instance records (PS3.3 C.38.1) need. Text as decoded (Unicode); PN as its DICOM string
// (`Alphabetic=Ideographic=Phonetic`); dates, times and IS numbers as their DICOM strings (range
// matching compares DA/TM/DT strings); date-times of our own as DICOM DT in UTC
// (`YYYYMMDDHHMMSS.FFFFFF+0000`), which sorts as it reads. Counts and sizes are of the instances
// stored, removed from operational use or not.
const V1 = `
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL,
  issuer_of_patient_id TEXT NOT NULL,
  patient_name TEXT,
  patient_birth_date TEXT,
  patient_sex TEXT,
  number_of_studies INTEGER NOT NULL DEFAULT 0,
  number_of_instances INTEGER NOT NULL DEFAULT 0,
  UNIQUE (patient_id, issuer_of_patient_id)
);
CREATE INDEX patients_name ON patients (patient_name);

CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  patient_pk INTEGER NOT NULL REFERENCES patients (id),
  study_instance_uid TEXT NOT NULL UNIQUE,
  study_date TEXT,
  study_time TEXT,
  accession_number TEXT,
  study_id TEXT,
  study_description TEXT,
  referring_physician_name TEXT,
  modalities_in_study TEXT NOT NULL DEFAULT '',
  number_of_series INTEGER NOT NULL DEFAULT 0,
  number_of_instances INTEGER NOT NULL DEFAULT 0,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  received_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX studies_patient ON studies (patient_pk);
CREATE INDEX studies_date ON studies (study_date);
CREATE INDEX studies_accession ON studies (accession_number);
CREATE INDEX studies_updated ON studies (updated_at);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  study_pk INTEGER NOT NULL REFERENCES studies (id),
  series_instance_uid TEXT NOT NULL UNIQUE,
  modality TEXT,
  series_number TEXT,
  series_description TEXT,
  series_date TEXT,
  series_time TEXT,
  body_part_examined TEXT,
  number_of_instances INTEGER NOT NULL DEFAULT 0,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  received_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX series_study ON series (study_pk);

CREATE TABLE instances (
  id INTEGER PRIMARY KEY,
  series_pk INTEGER NOT NULL REFERENCES series (id),
  sop_instance_uid TEXT NOT NULL UNIQUE,
  sop_class_uid TEXT NOT NULL,
  transfer_syntax_uid TEXT NOT NULL,
  instance_number TEXT,
  content_date TEXT,
  content_time TEXT,
  size_bytes INTEGER NOT NULL,
  -- Not UNIQUE, not indexed: a hash of the SOP Instance UID (storage-path.ts), so unique with
  -- it, and an index of random keys made every batched insert several times slower.
  stored_path TEXT NOT NULL,
  file_mtime_ms INTEGER NOT NULL,
  source_ae_title TEXT,
  received_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX instances_series ON instances (series_pk);

CREATE TABLE repository_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

// Version 2: the forms the matcher compares (PS3.4 C.2.2.2), as virtual generated columns so that
// every writer of v1 rows fills them without knowing them. The reader keeps leading spaces, which
// are insignificant for LO, SH, CS and PN (PS3.5 Table 6.2-1), and PN may end in empty components
// (PS3.5 6.2.1): the `_key` columns drop both. A `_key` date is NULL unless it has the shape of a
// DA (YYYYMMDD). These forms describe a single value; the matcher checks in memory every row SQL
// selects and lets rows whose value holds a backslash (several values) or a PN component group
// (`=`) through SQL whatever their column says.
const V2 = `
ALTER TABLE patients ADD COLUMN patient_id_key TEXT GENERATED ALWAYS AS (trim(patient_id, ' ')) VIRTUAL;
ALTER TABLE patients ADD COLUMN patient_name_key TEXT
  GENERATED ALWAYS AS (rtrim(trim(patient_name, ' '), '^')) VIRTUAL;
ALTER TABLE patients ADD COLUMN patient_name_folded TEXT
  GENERATED ALWAYS AS (upper(rtrim(trim(patient_name, ' '), '^'))) VIRTUAL;
CREATE INDEX patients_id_key ON patients (patient_id_key);
CREATE INDEX patients_name_folded ON patients (patient_name_folded);

ALTER TABLE studies ADD COLUMN study_date_key TEXT GENERATED ALWAYS AS (
  CASE WHEN study_date GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN study_date END) VIRTUAL;
ALTER TABLE studies ADD COLUMN accession_number_key TEXT
  GENERATED ALWAYS AS (trim(accession_number, ' ')) VIRTUAL;
ALTER TABLE studies ADD COLUMN study_id_key TEXT GENERATED ALWAYS AS (trim(study_id, ' ')) VIRTUAL;
CREATE INDEX studies_date_key ON studies (study_date_key);
CREATE INDEX studies_accession_key ON studies (accession_number_key);

ALTER TABLE series ADD COLUMN modality_key TEXT GENERATED ALWAYS AS (trim(modality, ' ')) VIRTUAL;
ALTER TABLE series ADD COLUMN series_date_key TEXT GENERATED ALWAYS AS (
  CASE WHEN series_date GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN series_date END) VIRTUAL;
`;

// Version 3: Inventory instances (Inventory Storage, PS3.4 GG.6.6). The Inventory IOD is
// non-patient (PS3.3 A.88: no Patient, Study or Series module), so it has no place under a series:
// its own table, one row per instance, with the keys Inventory FIND matches and returns (PS3.4
// JJ.2; the directory record keys of PS3.3 F.5.48 plus Transaction UID and Number of Study
// Records in Instance, C.38.1). UV and UL counts are kept as decimal strings (UV reaches 2^64-1,
// beyond SQLite's INTEGER); Scope of Inventory Sequence (0008,0400) as its DICOM JSON (PS3.18
// F.2), returned as stored.
const V3 = `
CREATE TABLE inventories (
  id INTEGER PRIMARY KEY,
  sop_instance_uid TEXT NOT NULL UNIQUE,
  sop_class_uid TEXT NOT NULL,
  transfer_syntax_uid TEXT NOT NULL,
  specific_character_set TEXT,
  content_date TEXT,
  content_time TEXT,
  inventory_level TEXT,
  inventory_completion_status TEXT,
  inventory_purpose TEXT,
  transaction_uid TEXT,
  total_number_of_study_records TEXT,
  number_of_study_records_in_instance TEXT,
  scope_of_inventory TEXT,
  size_bytes INTEGER NOT NULL,
  stored_path TEXT NOT NULL,
  file_mtime_ms INTEGER NOT NULL,
  source_ae_title TEXT,
  received_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX inventories_transaction ON inventories (transaction_uid);
CREATE INDEX inventories_content ON inventories (content_date, content_time);
`;

/** Every migration, in order; the last one's version is {@link SCHEMA_VERSION}. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial index', sql: V1 },
  { version: 2, name: 'matching forms', sql: V2 },
  { version: 3, name: 'inventory instances', sql: V3 },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Sets the connection up (WAL, `synchronous=NORMAL`, foreign keys) and brings the schema to
 * {@link SCHEMA_VERSION}.
 *
 * Why `synchronous=NORMAL` is enough: in WAL mode it never corrupts the database, but the last
 * transactions before a power loss may roll back. The repository fsyncs each instance's FILE
 * before a store succeeds, and the recovery pass at open indexes files that have no row, so an
 * index row lost this way comes back from its file.
 * @returns The versions applied now (empty when the schema was current).
 * @throws {@link SchemaTooNewError} when the database was written by a newer schema.
 */
export function prepareSchema(
  db: SqliteDatabase,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const current = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  if (current > latest) throw new SchemaTooNewError(current, latest);
  const applied: number[] = [];
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run([
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
      // PRAGMA takes no parameters; the version is an integer of ours.
      db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
    });
    applied.push(migration.version);
  }
  return applied;
}
