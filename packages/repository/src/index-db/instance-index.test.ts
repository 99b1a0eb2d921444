import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IndexRecord } from '../index-record.js';
import type { SqliteDatabase } from '../sqlite/database.js';
import { openSqlite } from '../sqlite/open-sqlite.js';
import { InstanceIndex } from './instance-index.js';
import { prepareSchema } from './schema.js';

const NOW = '20261205100000.000000+0000';
const LATER = '20261205110000.000000+0000';

function record(
  sop: string,
  seriesUid: string,
  modality: string,
  sizeBytes = 100,
  studyUid = '1.2.3',
): IndexRecord {
  return {
    patient: { patientId: 'P1', issuerOfPatientId: '', patientName: 'Doe^Jane' },
    study: { studyInstanceUid: studyUid, studyDate: '20260101', accessionNumber: 'A1' },
    series: { seriesInstanceUid: seriesUid, modality, seriesNumber: '1' },
    instance: {
      sopInstanceUid: sop,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      instanceNumber: '1',
    },
    sizeBytes,
    storedPath: `aa/bb/${sop}.dcm`,
    fileMtimeMs: 1_700_000_000_000,
  };
}

describe('InstanceIndex', () => {
  let db: SqliteDatabase;
  let index: InstanceIndex;
  const study = () =>
    db
      .prepare(
        'SELECT number_of_series AS s, number_of_instances AS n, size_bytes AS b, modalities_in_study AS m, removed AS r FROM studies',
      )
      .all();
  const patient = () =>
    db
      .prepare(
        'SELECT number_of_studies AS s, number_of_instances AS n, patient_name AS name FROM patients',
      )
      .all();

  beforeEach(async () => {
    db = await openSqlite(':memory:');
    prepareSchema(db);
    index = new InstanceIndex(db);
  });
  afterEach(() => db.close());

  it('keeps counts, sizes and Modalities in Study in step with the rows', () => {
    index.put(
      [
        record('1.1', '2.1', 'MR', 10),
        record('1.2', '2.1', 'MR', 20),
        record('1.3', '2.2', 'CT', 30),
      ],
      NOW,
    );
    expect(study()).toEqual([{ s: 2, n: 3, b: 60, m: 'CT\\MR', r: 0 }]);
    expect(patient()).toEqual([{ s: 1, n: 3, name: 'Doe^Jane' }]);
    expect(db.prepare('SELECT number_of_instances AS n FROM series ORDER BY id').all()).toEqual([
      { n: 2 },
      { n: 1 },
    ]);
    const row = index.get('1.3');
    expect(row).toMatchObject({
      sopInstanceUid: '1.3',
      seriesInstanceUid: '2.2',
      studyInstanceUid: '1.2.3',
      storedPath: 'aa/bb/1.3.dcm',
      sizeBytes: 30,
      receivedAt: NOW,
      removed: false,
    });
    expect(index.get('1.2')?.storedPath).toBe('aa/bb/1.2.dcm');
  });

  it('replaces a row stored again, keeping its first received date-time', () => {
    index.put([record('1.1', '2.1', 'MR', 10)], NOW);
    index.put([record('1.1', '2.1', 'MR', 15)], LATER);
    expect(study()).toEqual([{ s: 1, n: 1, b: 15, m: 'MR', r: 0 }]);
    expect(index.get('1.1')).toMatchObject({ receivedAt: NOW, updatedAt: LATER, sizeBytes: 15 });
  });

  it('keeps counts right when a batch stores an instance twice or moves it to another series', () => {
    index.put([record('1.1', '2.1', 'MR', 10), record('1.2', '2.1', 'MR', 20)], NOW);
    index.put(
      [
        record('1.3', '2.2', 'CT', 5),
        record('1.1', '2.2', 'CT', 7), // moves from series 2.1 to the new series 2.2
        record('1.3', '2.2', 'CT', 6), // twice in one batch
        record('1.2', '2.3', 'PT', 1), // empties series 2.1, which goes
      ],
      LATER,
    );
    expect(study()).toEqual([{ s: 2, n: 3, b: 14, m: 'CT\\PT', r: 0 }]);
    expect(patient()).toEqual([{ s: 1, n: 3, name: 'Doe^Jane' }]);
    expect(
      db
        .prepare(
          'SELECT series_instance_uid AS uid, number_of_instances AS n, size_bytes AS b FROM series ORDER BY uid',
        )
        .all(),
    ).toEqual([
      { uid: '2.2', n: 2, b: 13 },
      { uid: '2.3', n: 1, b: 1 },
    ]);
    expect(index.get('1.1')).toMatchObject({ seriesInstanceUid: '2.2', receivedAt: NOW });
    expect(index.get('1.3')).toMatchObject({ sizeBytes: 6, receivedAt: LATER });
    const counted = db.prepare('SELECT count(*) AS n, sum(size_bytes) AS b FROM instances').get();
    expect(counted).toEqual({ n: 3, b: 14 });
  });

  it('removes rows, and with the last instance its series, study and patient', () => {
    index.put([record('1.1', '2.1', 'MR'), record('1.2', '2.2', 'CT')], NOW);
    expect(index.remove('1.2', LATER)?.storedPath).toBe('aa/bb/1.2.dcm');
    expect(study()).toEqual([{ s: 1, n: 1, b: 100, m: 'MR', r: 0 }]);
    expect(index.remove('1.2', LATER)).toBeUndefined();
    index.remove('1.1', LATER);
    expect(study()).toEqual([]);
    expect(patient()).toEqual([]);
    expect(db.prepare('SELECT count(*) AS c FROM series').get()?.c).toBe(0);
  });

  it('marks removed from operational use per instance, series and study', () => {
    index.put([record('1.1', '2.1', 'MR'), record('1.2', '2.2', 'CT')], NOW);
    expect(index.setRemoved('IMAGE', '1.1', true, LATER)).toBe(1);
    expect(index.get('1.1')?.removed).toBe(true);
    expect(study()[0]?.r).toBe(0);
    expect(index.setRemoved('SERIES', '2.2', true, LATER)).toBe(1);
    expect(study()[0]?.r).toBe(1);
    expect(index.setRemoved('STUDY', '1.2.3', true, LATER)).toBe(0); // already all removed
    expect(index.setRemoved('STUDY', '1.2.3', false, LATER)).toBe(2);
    expect(study()[0]?.r).toBe(0);
    expect(db.prepare('SELECT removed FROM series').all()).toEqual([
      { removed: 0 },
      { removed: 0 },
    ]);
  });

  it('recounts everything from the instance rows', () => {
    index.put([record('1.1', '2.1', 'MR'), record('1.2', '2.2', 'CT')], NOW);
    db.exec("UPDATE studies SET number_of_instances = 99, modalities_in_study = 'XX'");
    db.exec("DELETE FROM instances WHERE sop_instance_uid = '1.2'");
    index.recount();
    expect(study()).toEqual([{ s: 1, n: 1, b: 100, m: 'MR', r: 0 }]);
  });

  it('stores a batch of 5,000 rows in one transaction and rolls a failing batch back whole', () => {
    const batch = Array.from({ length: 5000 }, (_, i) =>
      record(`1.${i + 1}`, `2.${i % 10}`, i % 2 === 0 ? 'CT' : 'MR', 1, `3.${i % 10}`),
    );
    index.put(batch, NOW);
    expect(db.prepare('SELECT count(*) AS c FROM instances').get()?.c).toBe(5000);
    expect(db.prepare('SELECT sum(number_of_instances) AS c FROM studies').get()?.c).toBe(5000);
    const good = record('9.1', '2.0', 'CT');
    // A row SQLite refuses (NOT NULL): the whole batch goes, the good row with it.
    const refused = {
      ...good,
      instance: { ...good.instance, sopClassUid: null as unknown as string },
    };
    expect(() => index.put([record('9.2', '2.0', 'CT'), refused], LATER)).toThrow(/NOT NULL/);
    expect(index.get('9.2')).toBeUndefined();
    expect(db.prepare('SELECT count(*) AS c FROM instances').get()?.c).toBe(5000);
  });

  it('keeps the repository state', () => {
    expect(index.getState('open')).toBeUndefined();
    index.setState('open', '1');
    index.setState('open', '0');
    expect(index.getState('open')).toBe('0');
  });
});
