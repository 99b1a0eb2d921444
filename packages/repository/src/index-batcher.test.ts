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

/** When a deferred row's store was acknowledged (the batch's own time is later). */
const AT = '20260101000001.000000+0000';

describe('IndexBatcher', () => {
  let db: SqliteDatabase;
  let index: InstanceIndex;
  let commits: number[];

  beforeEach(async () => {
    db = await openSqlite(':memory:');
    prepareSchema(db);
    index = new InstanceIndex(db);
    commits = [];
    const put = index.put.bind(index);
    index.put = (records, now, times) => {
      commits.push(records.length);
      put(records, now, times);
    };
  });
  afterEach(() => db.close());

  const rows = (): unknown => db.prepare('SELECT count(*) AS c FROM instances').get()?.c;

  it('commits a group when it reaches the row count', () => {
    const batcher = new IndexBatcher(index, () => '20260101000000.000000+0000', {
      deferredRows: 10,
      deferredDelayMs: 60_000,
    });
    for (let i = 0; i < 25; i++) batcher.defer(record(`1.5.${i}`), AT);
    expect(commits).toEqual([10, 10]);
    expect(batcher.size).toBe(5);
    expect(batcher.has('1.5.24')).toBe(true);
    expect(batcher.has('1.5.3')).toBe(false);
    batcher.flush();
    expect(commits).toEqual([10, 10, 5]);
    expect(rows()).toBe(25);
    expect(batcher.has('1.5.24')).toBe(false);
  });

  it('commits what waits when the timer fires', async () => {
    const batcher = new IndexBatcher(index, () => '20260101000009.000000+0000', {
      deferredDelayMs: 5,
    });
    batcher.defer(record('1.6.1'), AT);
    batcher.defer(record('1.6.2'), AT);
    expect(rows()).toBe(0);
    for (let waited = 0; batcher.size > 0 && waited < 2_000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(commits).toEqual([2]);
    expect(rows()).toBe(2);
    // The row carries the time its store reported, not the commit's.
    expect(index.get('1.6.1')).toMatchObject({ receivedAt: AT, updatedAt: AT });
  });

  it('tells of a deferred row that cannot be committed and commits the others', () => {
    const lost: string[] = [];
    const batcher = new IndexBatcher(index, () => '20260101000000.000000+0000', {
      deferredDelayMs: 60_000,
      onDeferredFailure: (r) => lost.push(r.instance.sopInstanceUid),
    });
    batcher.defer(record('1.7.1'), AT);
    batcher.defer(record('1.7.2', null), AT); // a NOT NULL violation
    batcher.defer(record('1.7.3'), AT);
    batcher.flush();
    expect(lost).toEqual(['1.7.2']);
    expect(index.get('1.7.1')).toBeDefined();
    expect(index.get('1.7.3')).toBeDefined();
  });
});
