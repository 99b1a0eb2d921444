import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexBatcher } from './index-batcher.js';
import { InstanceIndex } from './index-db/instance-index.js';
import { prepareSchema } from './index-db/schema.js';
import type { IndexRecord } from './index-record.js';
import type { SqliteDatabase } from './sqlite/database.js';
import { openSqlite } from './sqlite/open-sqlite.js';

function record(
  sop: string,
  sopClassUid: string | null = '1.2.840.10008.5.1.4.1.1.7',
): IndexRecord {
  return {
    patient: { patientId: 'P', issuerOfPatientId: '' },
    study: { studyInstanceUid: '1.2' },
    series: { seriesInstanceUid: '1.3', modality: 'OT' },
    instance: {
      sopInstanceUid: sop,
      sopClassUid: sopClassUid as string, // null only to make SQLite refuse the row
      transferSyntaxUid: '1.2.840.10008.1.2.1',
    },
    sizeBytes: 1,
    storedPath: `aa/bb/${sop}.dcm`,
    fileMtimeMs: 0,
  };
}

describe('IndexBatcher', () => {
  let db: SqliteDatabase;
  let index: InstanceIndex;
  let commits: number;

  beforeEach(async () => {
    db = await openSqlite(':memory:');
    prepareSchema(db);
    index = new InstanceIndex(db);
    commits = 0;
    const put = index.put.bind(index);
    // Count the transactions the batcher opens (each put is one).
    index.put = (records, now) => {
      commits++;
      put(records, now);
    };
  });
  afterEach(() => db.close());

  it('commits the rows of stores that finish together in one transaction', async () => {
    const batcher = new IndexBatcher(index, () => '20260101000000.000000+0000');
    await Promise.all(Array.from({ length: 50 }, (_, i) => batcher.put(record(`1.${i}`))));
    expect(commits).toBe(1);
    expect(db.prepare('SELECT count(*) AS c FROM instances').get()?.c).toBe(50);
  });

  it('fails only the row that cannot be stored when a batch fails', async () => {
    const batcher = new IndexBatcher(index, () => '20260101000000.000000+0000');
    const results = await Promise.allSettled([
      batcher.put(record('1.1')),
      batcher.put(record('1.2')),
      batcher.put(record('1.3', null)), // a NOT NULL violation
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(index.get('1.1')).toBeDefined();
    expect(index.get('1.2')).toBeDefined();
    expect(index.get('1.3')).toBeUndefined();
  });
});
