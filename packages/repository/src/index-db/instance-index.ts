// The SQLite index of a repository: prepared statements for storing, replacing and removing
// instance rows, with the patient/study/series rows and their counts kept in step.
import type { IndexRecord } from '../index-record.js';
import type {
  SqliteDatabase,
  SqliteRow,
  SqliteStatement,
  SqliteValue,
} from '../sqlite/database.js';

/** One instance row as the repository reads it back. */
export interface InstanceRow {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly storedPath: string;
  readonly sizeBytes: number;
  readonly fileMtimeMs: number;
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly removed: boolean;
}

/** SQLite page cache of an index connection, in KiB (an upper bound; it grows as used). */
const INDEX_CACHE_KIB = 64 * 1024;

/** The level a {@link InstanceIndex.setRemoved} call names. */
export type RemovalLevel = 'STUDY' | 'SERIES' | 'IMAGE';

const INSTANCE_SELECT = `
  SELECT i.id, i.series_pk, i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid,
         i.stored_path, i.size_bytes, i.file_mtime_ms, i.received_at, i.updated_at, i.removed,
         se.series_instance_uid, st.study_instance_uid
  FROM instances i JOIN series se ON se.id = i.series_pk JOIN studies st ON st.id = se.study_pk`;

/** Statements prepared once per database. */
function prepareStatements(db: SqliteDatabase) {
  const p = (sql: string): SqliteStatement => db.prepare(sql);
  return {
    instanceByUid: p(`${INSTANCE_SELECT} WHERE i.sop_instance_uid = ?`),
    allInstances: p(`${INSTANCE_SELECT} ORDER BY i.id`),
    patientByKey: p('SELECT id FROM patients WHERE patient_id = ? AND issuer_of_patient_id = ?'),
    insertPatient: p(
      `INSERT INTO patients (patient_id, issuer_of_patient_id, patient_name, patient_birth_date, patient_sex)
       VALUES (:patientId, :issuer, :name, :birthDate, :sex)`,
    ),
    updatePatient: p(
      `UPDATE patients SET patient_name = :name, patient_birth_date = :birthDate, patient_sex = :sex
       WHERE id = :id`,
    ),
    studyByUid: p('SELECT id, patient_pk FROM studies WHERE study_instance_uid = ?'),
    studyById: p('SELECT id, patient_pk FROM studies WHERE id = ?'),
    insertStudy: p(
      `INSERT INTO studies (patient_pk, study_instance_uid, study_date, study_time, accession_number,
         study_id, study_description, referring_physician_name, received_at, updated_at)
       VALUES (:patientPk, :uid, :date, :time, :accession, :studyId, :description, :referring, :now, :now)`,
    ),
    updateStudy: p(
      `UPDATE studies SET study_date = :date, study_time = :time, accession_number = :accession,
         study_id = :studyId, study_description = :description, referring_physician_name = :referring,
         updated_at = :now
       WHERE id = :id`,
    ),
    seriesByUid: p('SELECT id, study_pk FROM series WHERE series_instance_uid = ?'),
    insertSeries: p(
      `INSERT INTO series (study_pk, series_instance_uid, modality, series_number, series_description,
         series_date, series_time, body_part_examined, received_at, updated_at)
       VALUES (:studyPk, :uid, :modality, :number, :description, :date, :time, :bodyPart, :now, :now)`,
    ),
    updateSeries: p(
      `UPDATE series SET modality = :modality, series_number = :number, series_description = :description,
         series_date = :date, series_time = :time, body_part_examined = :bodyPart, updated_at = :now
       WHERE id = :id`,
    ),
    // Positional parameters (the fastest binding of both drivers); a SOP Instance UID already
    // indexed inserts nothing, and the caller takes the (rare) replace path.
    insertInstance: p(
      `INSERT INTO instances (series_pk, sop_instance_uid, sop_class_uid, transfer_syntax_uid,
         instance_number, content_date, content_time, size_bytes, stored_path, file_mtime_ms,
         source_ae_title, received_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sop_instance_uid) DO NOTHING`,
    ),
    deleteInstance: p('DELETE FROM instances WHERE id = ?'),
    keepReceivedAt: p('UPDATE instances SET received_at = ? WHERE sop_instance_uid = ?'),
    addToSeries: p(
      'UPDATE series SET number_of_instances = number_of_instances + :count, size_bytes = size_bytes + :size, updated_at = :now WHERE id = :id',
    ),
    addToStudy: p(
      `UPDATE studies SET number_of_instances = number_of_instances + :count,
         size_bytes = size_bytes + :size, number_of_series = number_of_series + :series, updated_at = :now
       WHERE id = :id`,
    ),
    addToPatient: p(
      'UPDATE patients SET number_of_instances = number_of_instances + :count, number_of_studies = number_of_studies + :studies WHERE id = :id',
    ),
    seriesCount: p('SELECT number_of_instances AS n, study_pk FROM series WHERE id = ?'),
    studyCount: p('SELECT number_of_instances AS n, patient_pk FROM studies WHERE id = ?'),
    patientCount: p('SELECT number_of_studies AS n FROM patients WHERE id = ?'),
    deleteSeries: p('DELETE FROM series WHERE id = ?'),
    deleteStudy: p('DELETE FROM studies WHERE id = ?'),
    deletePatient: p('DELETE FROM patients WHERE id = ?'),
    // PS3.4 C.6.1.1.3: Modalities in Study is the set of the series' modalities.
    updateModalities: p(
      `UPDATE studies SET modalities_in_study = coalesce((
         SELECT group_concat(modality, '\\') FROM (
           SELECT DISTINCT modality FROM series
           WHERE study_pk = :id AND modality IS NOT NULL AND modality <> '' ORDER BY modality)), '')
       WHERE id = :id`,
    ),
    getState: p('SELECT value FROM repository_state WHERE key = ?'),
    setState: p(
      'INSERT INTO repository_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * The instance index on one SQLite database (schema of {@link prepareSchema}). Synchronous, as
 * SQLite is: each call runs in one transaction, so the rows and counts never disagree.
 */
export class InstanceIndex {
  readonly #db: SqliteDatabase;
  readonly #s: Statements;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    // The unique indexes on SOP Instance UIDs and stored paths (hashes) take inserts at random
    // places: with SQLite's default 2 MB page cache, once they outgrow it each batch rereads and
    // rewrites pages all over them, and the insert rate fell to a quarter by 500,000 rows
    // (bench/, repository-index-insert). A 64 MiB bound keeps them in memory well past that.
    db.exec(`PRAGMA cache_size = -${INDEX_CACHE_KIB}`);
    this.#s = prepareStatements(db);
  }

  /**
   * Stores the rows of `records` in one transaction (batched: one commit for all). A record whose
   * SOP Instance UID is already indexed replaces that row; its first received date-time is kept.
   * `times[i]`, when given, is the date-time of `records[i]` (a store acknowledged before its row
   * was committed), else `now`.
   */
  put(records: readonly IndexRecord[], now: string, times?: readonly string[]): void {
    if (records.length === 0) return;
    this.#db.transaction(() => {
      const batch = newBatchState();
      for (let i = 0; i < records.length; i++) this.#putOne(records[i]!, times?.[i] ?? now, batch);
      this.#applyCounts(batch, now);
    });
  }

  /** Removes an instance's row; empty series, studies and patients go with it. */
  remove(sopInstanceUid: string, now: string): InstanceRow | undefined {
    return this.#db.transaction(() => {
      const row = this.#s.instanceByUid.get([sopInstanceUid]);
      if (row === undefined) return undefined;
      this.#removeRow(row, now);
      return toInstanceRow(row);
    });
  }

  /** The row of one instance. */
  get(sopInstanceUid: string): InstanceRow | undefined {
    const row = this.#s.instanceByUid.get([sopInstanceUid]);
    return row === undefined ? undefined : toInstanceRow(row);
  }

  /** Every instance row, in insertion order, one at a time. */
  *all(): IterableIterator<InstanceRow> {
    for (const row of this.#s.allInstances.iterate()) yield toInstanceRow(row);
  }

  /**
   * Sets or clears Removed from Operational Use (0008,0405) on the instances of a study, a series
   * or one instance; a series or study is removed when all its instances are.
   * @returns The number of instances changed.
   */
  setRemoved(level: RemovalLevel, uid: string, removed: boolean, now: string): number {
    const flag = removed ? 1 : 0;
    const where =
      level === 'STUDY'
        ? 'series_pk IN (SELECT se.id FROM series se JOIN studies st ON st.id = se.study_pk WHERE st.study_instance_uid = :uid)'
        : level === 'SERIES'
          ? 'series_pk = (SELECT id FROM series WHERE series_instance_uid = :uid)'
          : 'sop_instance_uid = :uid';
    return this.#db.transaction(() => {
      const changed = this.#db
        .prepare(
          `UPDATE instances SET removed = :flag, updated_at = :now WHERE removed <> :flag AND ${where}`,
        )
        .run({ flag, now, uid }).changes;
      if (changed === 0) return 0;
      this.#db
        .prepare(
          `UPDATE series SET updated_at = :now, removed = NOT EXISTS (
             SELECT 1 FROM instances i WHERE i.series_pk = series.id AND i.removed = 0)
           WHERE id IN (SELECT series_pk FROM instances WHERE updated_at = :now AND ${where})`,
        )
        .run({ now, uid });
      this.#db
        .prepare(
          `UPDATE studies SET updated_at = :now, removed = NOT EXISTS (
             SELECT 1 FROM series se WHERE se.study_pk = studies.id AND se.removed = 0)
           WHERE id IN (SELECT study_pk FROM series WHERE updated_at = :now)`,
        )
        .run({ now });
      return changed;
    });
  }

  /** Recomputes every count, size and Modalities in Study from the instance rows. */
  recount(): void {
    this.#db.transaction(() => {
      this.#db.exec(`
        UPDATE series SET
          number_of_instances = (SELECT count(*) FROM instances i WHERE i.series_pk = series.id),
          size_bytes = (SELECT coalesce(sum(size_bytes), 0) FROM instances i WHERE i.series_pk = series.id);
        DELETE FROM series WHERE number_of_instances = 0;
        UPDATE studies SET
          number_of_series = (SELECT count(*) FROM series se WHERE se.study_pk = studies.id),
          number_of_instances = (SELECT coalesce(sum(number_of_instances), 0) FROM series se WHERE se.study_pk = studies.id),
          size_bytes = (SELECT coalesce(sum(size_bytes), 0) FROM series se WHERE se.study_pk = studies.id);
        DELETE FROM studies WHERE number_of_series = 0;
        UPDATE patients SET
          number_of_studies = (SELECT count(*) FROM studies st WHERE st.patient_pk = patients.id),
          number_of_instances = (SELECT coalesce(sum(number_of_instances), 0) FROM studies st WHERE st.patient_pk = patients.id);
        DELETE FROM patients WHERE number_of_studies = 0;`);
      for (const row of this.#db.prepare('SELECT id FROM studies').all())
        this.#s.updateModalities.run({ id: row.id ?? null });
    });
  }

  /** A value of the repository's own state (clean-shutdown flag…). */
  getState(key: string): string | undefined {
    const value = this.#s.getState.get([key])?.value;
    return typeof value === 'string' ? value : undefined;
  }

  setState(key: string, value: string): void {
    this.#s.setState.run([key, value]);
  }

  #putOne(record: IndexRecord, now: string, batch: BatchState): void {
    const s = this.#s;
    const { series, instance } = record;

    // A series stays in the study it was first stored in, whatever a later instance says.
    let seriesEntry = batch.series.get(series.seriesInstanceUid);
    if (seriesEntry === undefined) {
      const row = s.seriesByUid.get([series.seriesInstanceUid]);
      const seriesValues = {
        modality: series.modality ?? null,
        number: series.seriesNumber ?? null,
        description: series.seriesDescription ?? null,
        date: series.seriesDate ?? null,
        time: series.seriesTime ?? null,
        bodyPart: series.bodyPartExamined ?? null,
        now,
      };
      const studyEntry =
        row === undefined
          ? this.#studyOf(record, now, batch)
          : { pk: row.study_pk ?? null, patientPk: this.#patientOfStudy(row.study_pk ?? null) };
      if (row === undefined) {
        const pk = s.insertSeries.run({
          studyPk: studyEntry.pk,
          uid: series.seriesInstanceUid,
          ...seriesValues,
        }).lastInsertRowid;
        seriesEntry = { pk, studyPk: studyEntry.pk, patientPk: studyEntry.patientPk };
        count(batch.studyDeltas, studyEntry.pk).series++;
      } else {
        seriesEntry = {
          pk: row.id ?? null,
          studyPk: studyEntry.pk,
          patientPk: studyEntry.patientPk,
        };
        s.updateSeries.run({ id: seriesEntry.pk, ...seriesValues });
      }
      if (seriesValues.modality !== null) batch.modalities.add(studyEntry.pk);
      batch.series.set(series.seriesInstanceUid, seriesEntry);
    }

    const values = (receivedAt: string): SqliteValue[] => [
      seriesEntry.pk,
      instance.sopInstanceUid,
      instance.sopClassUid,
      instance.transferSyntaxUid,
      instance.instanceNumber ?? null,
      instance.contentDate ?? null,
      instance.contentTime ?? null,
      record.sizeBytes,
      record.storedPath,
      Math.trunc(record.fileMtimeMs),
      record.sourceAeTitle ?? null,
      receivedAt,
      now,
    ];
    if (s.insertInstance.run(values(now)).changes === 0) {
      // Already indexed: replace the row, keeping its first received date-time. Rare in a batch,
      // so the batch's counts are settled first (removing reads them: an emptied series goes)
      // and its cached keys forgotten (the removal may delete those rows).
      const existing = s.instanceByUid.get([instance.sopInstanceUid]);
      if (existing === undefined) throw new Error(`no row holds ${instance.sopInstanceUid}`); // a bug
      this.#applyCounts(batch, now);
      batch.patients.clear();
      batch.studies.clear();
      batch.series.clear();
      this.#removeRow(existing, now);
      this.#putOne(record, now, batch);
      s.keepReceivedAt.run([String(existing.received_at), instance.sopInstanceUid]);
      return;
    }
    const seriesDelta = count(batch.seriesDeltas, seriesEntry.pk);
    seriesDelta.count++;
    seriesDelta.size += record.sizeBytes;
    const studyDelta = count(batch.studyDeltas, seriesEntry.studyPk);
    studyDelta.count++;
    studyDelta.size += record.sizeBytes;
    count(batch.patientDeltas, seriesEntry.patientPk).count++;
  }

  /** The study of a record's first instance in this batch: found, or created with its patient. */
  #studyOf(
    record: IndexRecord,
    now: string,
    batch: BatchState,
  ): { pk: SqliteValue; patientPk: SqliteValue } {
    const s = this.#s;
    const { study } = record;
    const cached = batch.studies.get(study.studyInstanceUid);
    if (cached !== undefined) return cached;
    const studyValues = {
      date: study.studyDate ?? null,
      time: study.studyTime ?? null,
      accession: study.accessionNumber ?? null,
      studyId: study.studyId ?? null,
      description: study.studyDescription ?? null,
      referring: study.referringPhysicianName ?? null,
      now,
    };
    const row = s.studyByUid.get([study.studyInstanceUid]);
    let entry: { pk: SqliteValue; patientPk: SqliteValue };
    if (row !== undefined) {
      // A study stays with the patient it was first stored under; the patient's attributes are
      // not rewritten from an instance that names another patient.
      entry = { pk: row.id ?? null, patientPk: row.patient_pk ?? null };
      s.updateStudy.run({ id: entry.pk, ...studyValues });
    } else {
      const patientPk = this.#patientOf(record, batch);
      const pk = s.insertStudy.run({
        patientPk,
        uid: study.studyInstanceUid,
        ...studyValues,
      }).lastInsertRowid;
      entry = { pk, patientPk };
      count(batch.patientDeltas, patientPk).studies++;
    }
    batch.studies.set(study.studyInstanceUid, entry);
    return entry;
  }

  #patientOf(record: IndexRecord, batch: BatchState): SqliteValue {
    const s = this.#s;
    const { patient } = record;
    const key = `${patient.patientId}\0${patient.issuerOfPatientId}`;
    const cached = batch.patients.get(key);
    if (cached !== undefined) return cached;
    const values = {
      name: patient.patientName ?? null,
      birthDate: patient.patientBirthDate ?? null,
      sex: patient.patientSex ?? null,
    };
    const row = s.patientByKey.get([patient.patientId, patient.issuerOfPatientId]);
    let pk: SqliteValue;
    if (row === undefined) {
      pk = s.insertPatient.run({
        patientId: patient.patientId,
        issuer: patient.issuerOfPatientId,
        ...values,
      }).lastInsertRowid;
    } else {
      pk = row.id ?? null;
      s.updatePatient.run({ id: pk, ...values });
    }
    batch.patients.set(key, pk);
    return pk;
  }

  #patientOfStudy(studyPk: SqliteValue): SqliteValue {
    return this.#s.studyById.get([studyPk])?.patient_pk ?? null;
  }

  /** Adds the batch's counts and sizes to their rows, once per row, and clears them. */
  #applyCounts(batch: BatchState, now: string): void {
    const s = this.#s;
    for (const [id, delta] of batch.seriesDeltas)
      s.addToSeries.run({ id, count: delta.count, size: delta.size, now });
    for (const [id, delta] of batch.studyDeltas)
      s.addToStudy.run({ id, count: delta.count, size: delta.size, series: delta.series, now });
    for (const [id, delta] of batch.patientDeltas)
      s.addToPatient.run({ id, count: delta.count, studies: delta.studies });
    for (const id of batch.modalities) s.updateModalities.run({ id });
    batch.seriesDeltas.clear();
    batch.studyDeltas.clear();
    batch.patientDeltas.clear();
    batch.modalities.clear();
  }

  #removeRow(row: SqliteRow, now: string): void {
    const s = this.#s;
    const size = Number(row.size_bytes);
    const seriesPk = row.series_pk ?? null;
    s.deleteInstance.run([row.id ?? null]);
    s.addToSeries.run({ id: seriesPk, count: -1, size: -size, now });
    const series = s.seriesCount.get([seriesPk]);
    const studyPk = series?.study_pk ?? null;
    const seriesGone = series !== undefined && Number(series.n) === 0;
    if (seriesGone) s.deleteSeries.run([seriesPk]);
    s.addToStudy.run({ id: studyPk, count: -1, size: -size, series: seriesGone ? -1 : 0, now });
    if (seriesGone) s.updateModalities.run({ id: studyPk });
    const study = s.studyCount.get([studyPk]);
    const patientPk = study?.patient_pk ?? null;
    const studyGone = study !== undefined && Number(study.n) === 0;
    if (studyGone) s.deleteStudy.run([studyPk]);
    s.addToPatient.run({ id: patientPk, count: -1, studies: studyGone ? -1 : 0 });
    if (studyGone && Number(s.patientCount.get([patientPk])?.n) === 0)
      s.deletePatient.run([patientPk]);
  }
}

/** Counts to add to one row at the end of a batch. */
interface Delta {
  count: number;
  size: number;
  series: number;
  studies: number;
}

/** What one {@link InstanceIndex.put} has looked up and counted so far. */
interface BatchState {
  readonly patients: Map<string, SqliteValue>;
  readonly studies: Map<string, { pk: SqliteValue; patientPk: SqliteValue }>;
  readonly series: Map<string, { pk: SqliteValue; studyPk: SqliteValue; patientPk: SqliteValue }>;
  readonly seriesDeltas: Map<SqliteValue, Delta>;
  readonly studyDeltas: Map<SqliteValue, Delta>;
  readonly patientDeltas: Map<SqliteValue, Delta>;
  readonly modalities: Set<SqliteValue>;
}

function newBatchState(): BatchState {
  return {
    patients: new Map(),
    studies: new Map(),
    series: new Map(),
    seriesDeltas: new Map(),
    studyDeltas: new Map(),
    patientDeltas: new Map(),
    modalities: new Set(),
  };
}

function count(deltas: Map<SqliteValue, Delta>, key: SqliteValue): Delta {
  let delta = deltas.get(key);
  if (delta === undefined) {
    delta = { count: 0, size: 0, series: 0, studies: 0 };
    deltas.set(key, delta);
  }
  return delta;
}

function toInstanceRow(row: SqliteRow): InstanceRow {
  return {
    sopInstanceUid: String(row.sop_instance_uid),
    sopClassUid: String(row.sop_class_uid),
    transferSyntaxUid: String(row.transfer_syntax_uid),
    studyInstanceUid: String(row.study_instance_uid),
    seriesInstanceUid: String(row.series_instance_uid),
    storedPath: String(row.stored_path),
    sizeBytes: Number(row.size_bytes),
    fileMtimeMs: Number(row.file_mtime_ms),
    receivedAt: String(row.received_at),
    updatedAt: String(row.updated_at),
    removed: Number(row.removed) !== 0,
  };
}
