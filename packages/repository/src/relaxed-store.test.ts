// A store resolves before its index row is committed, durable or relaxed (`fsync: false`). Every
// read must still see it, duplicate policies must still hold, and close must commit what waits.
// The deferred rows wait a minute here, so only a read, a count or close can have committed them.
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstances, readAll, storeRequestOf, type TestInstance } from '../test/instances.js';
import { FileRepository } from './file-repository.js';
import type { Query } from './match/index.js';
import { openSqlite } from './sqlite/open-sqlite.js';

let work: { path: string; remove(): Promise<void> };
let instances: TestInstance[];

beforeAll(async () => {
  work = await tempDir('dicomnet-relaxed-');
  instances = await makeInstances(path.join(work.path, 'source'), 6);
}, 60_000);
afterAll(() => work.remove());

let rootCount = 0;
async function openDeferred(fsync: boolean, duplicate: 'replace' | 'keep' | 'reject' = 'replace') {
  const root = path.join(work.path, `root-${++rootCount}`);
  const repo = await FileRepository.open({
    root,
    fsync,
    duplicate,
    deferredIndex: { delayMs: 60_000 },
  });
  return { root, repo };
}

/** A query matching every record of a level, returning its SOP Instance UID. */
function everything(level: 'STUDY' | 'IMAGE'): Query {
  return { level, conditions: [], returnKeys: ['00080018'], ignoredKeys: [] };
}

/** Instance rows committed to the index file, read by another connection after close. */
async function committedRows(root: string): Promise<number> {
  const db = await openSqlite(path.join(root, 'index.sqlite'));
  try {
    return Number(db.prepare('SELECT count(*) AS c FROM instances').get()?.c);
  } finally {
    db.close();
  }
}

for (const fsync of [false, true])
  describe(`FileRepository, rows committed after the store (fsync: ${fsync})`, () => {
    it('get and read see an instance whose row waits, with what the store reported', async () => {
      const { repo } = await openDeferred(fsync);
      try {
        const instance = instances[0]!;
        const result = await repo.store(storeRequestOf(instance, 'SENDER'));
        expect(result.outcome).toBe('stored');
        expect(await repo.get(instance.sopInstanceUid)).toEqual(result.instance);
        const file = await readAll(await repo.read(instance.sopInstanceUid));
        expect(file.byteLength).toBe(result.instance.sizeBytes);
        expect(readPart10Header(file).meta.sourceApplicationEntityTitle).toBe('SENDER');
      } finally {
        await repo.close();
      }
    });

    it('match, instancesOf and walk see every store that resolved before them', async () => {
      const { repo } = await openDeferred(fsync);
      try {
        for (const instance of instances) await repo.store(storeRequestOf(instance));
        const uids = instances.map((instance) => instance.sopInstanceUid).sort();
        const matched: string[] = [];
        for await (const record of repo.match(everything('IMAGE')))
          matched.push(String(record.attributes['00080018']));
        expect(matched.sort()).toEqual(uids);
        const set = await repo.instancesOf(everything('STUDY'));
        expect(set.total).toBe(instances.length);
        // One more after the reads above: the next reader sees it too.
        const extra = (await makeInstances(path.join(work.path, 'extra'), 1))[0]!;
        await repo.store(storeRequestOf(extra));
        const walked: string[] = [];
        for await (const record of repo.walk(everything('STUDY'), { depth: 'IMAGE' }))
          if (record.level === 'IMAGE') walked.push(String(record.attributes['00080018']));
        expect(walked.sort()).toEqual([...uids, extra.sopInstanceUid].sort());
      } finally {
        await repo.close();
      }
    });

    it('keeps, rejects or replaces an instance stored again while its row waits', async () => {
      const instance = instances[1]!;
      for (const policy of ['keep', 'reject', 'replace'] as const) {
        const { root, repo } = await openDeferred(fsync, policy);
        try {
          const first = await repo.store(storeRequestOf(instance, 'FIRST'));
          const again = repo.store(storeRequestOf(instance, 'AGAIN'));
          if (policy === 'reject') {
            await expect(again).rejects.toMatchObject({ code: 'DICOMNET_REPOSITORY_DUPLICATE' });
          } else {
            const second = await again;
            expect(second.outcome).toBe(policy === 'keep' ? 'kept' : 'replaced');
            if (policy === 'keep') expect(second.instance).toEqual(first.instance);
            expect(second.instance.receivedAt).toBe(first.instance.receivedAt);
            expect(await repo.get(instance.sopInstanceUid)).toEqual(second.instance);
          }
          const file = await readAll(await repo.read(instance.sopInstanceUid));
          expect(readPart10Header(file).meta.sourceApplicationEntityTitle).toBe(
            policy === 'replace' ? 'AGAIN' : 'FIRST',
          );
        } finally {
          await repo.close();
        }
        expect(await committedRows(root)).toBe(1);
      }
    });

    it('delete and markRemoved act on an instance whose row waits', async () => {
      const { repo } = await openDeferred(fsync);
      try {
        const [a, b] = [instances[2]!, instances[3]!];
        await repo.store(storeRequestOf(a));
        await repo.store(storeRequestOf(b));
        expect(await repo.delete(a.sopInstanceUid)).toBe(true);
        expect(await repo.get(a.sopInstanceUid)).toBeUndefined();
        await repo.store(storeRequestOf(a));
        expect(await repo.markRemoved('IMAGE', a.sopInstanceUid)).toBe(1);
        expect((await repo.get(a.sopInstanceUid))?.removed).toBe(true);
      } finally {
        await repo.close();
      }
    });

    it('close commits the rows that wait and marks the shutdown clean', async () => {
      const { root, repo } = await openDeferred(fsync);
      await Promise.all(instances.map((instance) => repo.store(storeRequestOf(instance))));
      await repo.close();
      expect(await committedRows(root)).toBe(instances.length);
      const reopened = await FileRepository.open({ root, fsync });
      try {
        expect(reopened.recovery.full).toBe(false);
        for (const instance of instances)
          expect(await reopened.get(instance.sopInstanceUid)).toBeDefined();
      } finally {
        await reopened.close();
      }
    });
  });
