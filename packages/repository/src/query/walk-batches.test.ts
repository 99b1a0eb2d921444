// Repository.walk over an index bigger than its read batches: a series of more instances than
// one batch (read alone, in keyset pages) and many small series (read several at a time). Rows
// go in through the index itself, as bulk loaders write them; no file is read by a walk.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '@dicomnet/test-utils';
import { instanceRecord as record } from '../../test/helpers/index-records.js';
import type { IndexRecord } from '../index-record.js';
import { FileRepository } from '../file-repository.js';
import { InstanceIndex } from '../index-db/instance-index.js';
import { prepareSchema } from '../index-db/schema.js';
import { openSqlite } from '../sqlite/index.js';
import type { WalkedRecord } from './walk-index.js';

const BIG_SERIES = 6001; // more than one batch of 1,000, not a multiple of it
const SMALL_SERIES = 300;
const PER_SMALL_SERIES = 30; // 9,000 instances, several batches of series

let dir: { path: string; remove(): Promise<void> };
let repository: FileRepository;
const expected: string[] = [];

beforeAll(async () => {
  dir = await tempDir('repository-walk-batches-');
  const root = path.join(dir.path, 'repo');
  await (await FileRepository.open({ root, fsync: false })).close();
  const db = await openSqlite(path.join(root, 'index.sqlite'));
  const records: IndexRecord[] = [];
  for (let i = 0; i < BIG_SERIES; i++) records.push(record('1.1', '1.1.1', `1.1.1.${i}`));
  for (let s = 0; s < SMALL_SERIES; s++) {
    const study = `1.2.${Math.floor(s / 10)}`;
    for (let i = 0; i < PER_SMALL_SERIES; i++)
      records.push(record(study, `${study}.${s}`, `${study}.${s}.${i}`));
  }
  try {
    prepareSchema(db);
    const index = new InstanceIndex(db);
    for (let from = 0; from < records.length; from += 1000)
      index.put(records.slice(from, from + 1000), '20260101000000.000000+0000');
  } finally {
    db.close();
  }
  // Depth first in UID order, as the walk lists it.
  const tree = new Map<string, Map<string, string[]>>();
  for (const r of records) {
    const study = tree.get(r.study.studyInstanceUid) ?? new Map<string, string[]>();
    tree.set(r.study.studyInstanceUid, study);
    const list = study.get(r.series.seriesInstanceUid) ?? [];
    study.set(r.series.seriesInstanceUid, list);
    list.push(r.instance.sopInstanceUid);
  }
  for (const study of [...tree.keys()].sort()) {
    expected.push(`STUDY:${study}`);
    const seriesMap = tree.get(study)!;
    for (const series of [...seriesMap.keys()].sort()) {
      expected.push(`SERIES:${series}`);
      for (const sop of seriesMap.get(series)!.sort()) expected.push(`IMAGE:${sop}`);
    }
  }
  repository = await FileRepository.open({ root, fsync: false });
}, 60_000);

afterAll(async () => {
  await repository?.close();
  await dir?.remove();
});

const uidOf = (record: WalkedRecord): string =>
  String(
    record.attributes[
      record.level === 'STUDY' ? '0020000D' : record.level === 'SERIES' ? '0020000E' : '00080018'
    ]?.[0],
  );

describe('FileRepository.walk in batches', () => {
  it('lists a series bigger than a batch and many small ones whole, in order', async () => {
    const listed: string[] = [];
    const query = { conditions: [], returnKeys: [], ignoredKeys: [] };
    for await (const record of repository.walk(query, { depth: 'IMAGE', pageSize: 7 }))
      listed.push(`${record.level}:${uidOf(record)}`);
    expect(listed.length).toBe(expected.length);
    expect(listed).toEqual(expected);
  });
});
