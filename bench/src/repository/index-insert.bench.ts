/**
 * Index insert rate (issue 16: ≥ 100,000 rows/s batched): synthesised instance rows put into the
 * repository's SQLite index (`InstanceIndex.put`, one transaction per batch, patient / study /
 * series rows and their counts kept in step), beside the same number of rows inserted into a bare
 * 10-column table with one prepared statement, one transaction per batch: the floor SQLite
 * itself sets on this machine. Both on files in one temporary folder, through the same adapter
 * (`openSqlite`: same driver, WAL, synchronous=NORMAL), in the same run, so the ratio holds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  InstanceIndex,
  openSqlite,
  prepareSchema,
  storedPathOf,
  type IndexRecord,
  type SqliteDatabase,
} from '@dicomnet/repository';
import type { Benchmark, BenchmarkOptions, BenchmarkResult } from '../benchmark.js';
import { median, now, secondsSince } from '../measure.js';

/** Rows per transaction: the repository's own batcher commits at most this many at once. */
const BATCH = 1000;
/** Instances per series and series per study of the synthesised rows (a CT-like archive). */
const INSTANCES_PER_SERIES = 100;
const SERIES_PER_STUDY = 4;
const STUDIES_PER_PATIENT = 2;
const NOW = '20260101120000.000000+0000';

/** The index record of the `n`th synthesised instance. */
function recordOf(n: number): IndexRecord {
  const series = Math.floor(n / INSTANCES_PER_SERIES);
  const study = Math.floor(series / SERIES_PER_STUDY);
  const patient = Math.floor(study / STUDIES_PER_PATIENT);
  const sopInstanceUid = `1.2.826.0.1.3680043.10.3.${n}`;
  return {
    patient: {
      patientId: `PID${patient}`,
      issuerOfPatientId: '',
      patientName: `Patient^${patient}`,
      patientBirthDate: '19700101',
      patientSex: patient % 2 === 0 ? 'F' : 'M',
    },
    study: {
      studyInstanceUid: `1.2.826.0.1.3680043.10.1.${study}`,
      studyDate: '20250101',
      studyTime: '120000',
      accessionNumber: `ACC${study}`,
      studyId: String(study),
      studyDescription: 'CHEST',
    },
    series: {
      seriesInstanceUid: `1.2.826.0.1.3680043.10.2.${series}`,
      modality: series % 2 === 0 ? 'CT' : 'SR',
      seriesNumber: String(series % SERIES_PER_STUDY),
    },
    instance: {
      sopInstanceUid,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      instanceNumber: String(n % INSTANCES_PER_SERIES),
    },
    sizeBytes: 2048 + (n % 512),
    // The path the repository gives it: a SHA-256 of the UID, so these inserts scatter.
    storedPath: storedPathOf(sopInstanceUid),
    fileMtimeMs: 1_700_000_000_000,
  };
}

/** The ten values of the bare table's `n`th row: the same kind of text and numbers. */
function bareRowOf(n: number): (string | number)[] {
  return [
    `1.2.826.0.1.3680043.10.3.${n}`,
    '1.2.840.10008.5.1.4.1.1.2',
    '1.2.840.10008.1.2.1',
    `1.2.826.0.1.3680043.10.2.${Math.floor(n / INSTANCES_PER_SERIES)}`,
    String(n % INSTANCES_PER_SERIES),
    '20250101',
    '120000',
    2048 + (n % 512),
    storedPathOf(`1.2.826.0.1.3680043.10.3.${n}`),
    NOW,
  ];
}

/**
 * Rows per second putting `rows` synthesised instances into a fresh index, `BATCH` at a time:
 * over all of them, and over the last tenth (the rate falls as the index's B-trees grow).
 */
function timeIndex(db: SqliteDatabase, rows: number): { rate: number; tailRate: number } {
  prepareSchema(db);
  const index = new InstanceIndex(db);
  // Records are built before the clock starts: the figure is the index's, not the generator's.
  const batches: IndexRecord[][] = [];
  for (let start = 0; start < rows; start += BATCH) {
    const batch: IndexRecord[] = [];
    for (let n = start; n < Math.min(rows, start + BATCH); n++) batch.push(recordOf(n));
    batches.push(batch);
  }
  const started = now();
  const tail = Math.max(1, Math.floor(batches.length / 10));
  let tailStarted = started;
  for (const [i, batch] of batches.entries()) {
    if (i === batches.length - tail) tailStarted = now();
    index.put(batch, NOW);
  }
  const tailRows = batches.slice(-tail).reduce((sum, batch) => sum + batch.length, 0);
  return { rate: rows / secondsSince(started), tailRate: tailRows / secondsSince(tailStarted) };
}

/** Rows per second inserting `rows` into a bare 10-column table, `BATCH` per transaction. */
function timeBare(db: SqliteDatabase, rows: number): number {
  // The pragmas prepareSchema sets on the index.
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec(`CREATE TABLE bare (id INTEGER PRIMARY KEY, c1 TEXT, c2 TEXT, c3 TEXT, c4 TEXT,
    c5 TEXT, c6 TEXT, c7 TEXT, c8 INTEGER, c9 TEXT, c10 TEXT)`);
  const insert = db.prepare(
    'INSERT INTO bare (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const batches: (string | number)[][][] = [];
  for (let start = 0; start < rows; start += BATCH) {
    const batch: (string | number)[][] = [];
    for (let n = start; n < Math.min(rows, start + BATCH); n++) batch.push(bareRowOf(n));
    batches.push(batch);
  }
  const started = now();
  for (const batch of batches)
    db.transaction(() => {
      for (const row of batch) insert.run(row);
    });
  return rows / secondsSince(started);
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const started = now();
  const rows = options.quick ? 20_000 : 500_000;
  const rounds = options.quick ? 1 : 3;
  const root = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-index-'));
  const bare: number[] = [];
  const indexed: number[] = [];
  const indexedTail: number[] = [];
  let driver = '';
  try {
    // Alternating, each round on fresh databases, so that a burst of load hits both lines.
    for (let round = 0; round < rounds; round++) {
      const bareDb = await openSqlite(path.join(root, `bare-${round}.sqlite`));
      try {
        driver = bareDb.driver;
        bare.push(timeBare(bareDb, rows));
      } finally {
        bareDb.close();
      }
      const indexDb = await openSqlite(path.join(root, `index-${round}.sqlite`));
      try {
        const { rate, tailRate } = timeIndex(indexDb, rows);
        indexed.push(rate);
        indexedTail.push(tailRate);
      } finally {
        indexDb.close();
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  const bareRate = median(bare);
  const indexRate = median(indexed);
  const tailRate = median(indexedTail);
  return {
    name: 'repository-index-insert',
    title: `Index insert rate: ${rows.toLocaleString('en')} rows in batches of ${BATCH}, median of ${rounds}`,
    columns: [
      { key: 'line', header: 'what' },
      { key: 'rate', header: 'rows/s' },
      { key: 'ratio', header: '÷ bare table', digits: 2 },
      { key: 'millionIn', header: 's per 1M rows', digits: 1 },
    ],
    rows: [
      {
        line: 'bare 10-column table, one prepared INSERT',
        rate: Math.round(bareRate),
        ratio: 1,
        millionIn: 1_000_000 / bareRate,
      },
      {
        line: 'repository index (InstanceIndex.put)',
        rate: Math.round(indexRate),
        ratio: indexRate / bareRate,
        millionIn: 1_000_000 / indexRate,
      },
      {
        line: '  the same, its last tenth of rows only',
        rate: Math.round(tailRate),
        ratio: tailRate / bareRate,
        millionIn: 1_000_000 / tailRate,
      },
    ],
    notes: [
      `SQLite driver ${driver}; WAL, synchronous=NORMAL; files in ${tmpdir()}.`,
      `Synthesised rows: ${INSTANCES_PER_SERIES} instances per series, ${SERIES_PER_STUDY} series per study, ${STUDIES_PER_PATIENT} studies per patient; the index also writes those rows and their counts.`,
      "SOP Instance UIDs are consecutive numbers (close together in their UNIQUE index; real ones may scatter more); stored paths are the repository's own (SHA-256 of the UID), the bare table's 9th column the same text.",
      'Issue 16 goal: the index at 100,000 rows/s or more.',
    ],
    seconds: secondsSince(started),
  };
}

export const repositoryIndexInsertBenchmark: Benchmark = {
  name: 'repository-index-insert',
  suite: 'repository',
  run,
};
