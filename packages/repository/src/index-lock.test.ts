import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstances, storeRequestOf, type TestInstance } from '../test/instances.js';
import { FileRepository } from './file-repository.js';
import { openSqlite } from './sqlite/open-sqlite.js';

let work: { path: string; remove(): Promise<void> };
let instances: TestInstance[];

beforeAll(async () => {
  work = await tempDir('dicomnet-index-lock-');
  instances = await makeInstances(path.join(work.path, 'source'), 2);
}, 60_000);
afterAll(() => work.remove());

describe('the index connection', () => {
  it('holds the index to itself while the repository is open (locking_mode=EXCLUSIVE)', async () => {
    const root = path.join(work.path, 'root');
    const repo = await FileRepository.open({ root, fsync: false });
    const other = await openSqlite(path.join(root, 'index.sqlite'));
    try {
      other.exec('PRAGMA busy_timeout = 0');
      await repo.store(storeRequestOf(instances[0]!));
      expect(() => other.prepare('SELECT count(*) AS n FROM instances').get()).toThrow(/locked/i);
      // Its own transactions go on one after the other, the lock never let go.
      await repo.store(storeRequestOf(instances[1]!));
      expect(await repo.get(instances[1]!.sopInstanceUid)).toBeDefined();
      await repo.close();
      expect(other.prepare('SELECT count(*) AS n FROM instances').get()).toEqual({ n: 2 });
    } finally {
      other.close();
      await repo.close();
    }
  });
});
