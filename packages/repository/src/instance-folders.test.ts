import { cp, mkdir, readdir, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstances, readAll, storeRequestOf, type TestInstance } from '../test/instances.js';
import { FileRepository } from './file-repository.js';
import { InstanceFolders } from './instance-folders.js';
import { INSTANCE_FOLDERS, storedPathOf } from './storage-path.js';

let work: { path: string; remove(): Promise<void> };
let instances: TestInstance[];

beforeAll(async () => {
  work = await tempDir('dicomnet-folders-');
  instances = await makeInstances(path.join(work.path, 'source'), 3);
}, 60_000);
afterAll(() => work.remove());

let roots = 0;
const newRoot = (): string => path.join(work.path, `root-${++roots}`);

/** The legacy two-level path (`ab/cd/<hash>.dcm`) of a UID. */
function legacyPathOf(uid: string): string {
  const hash = path.posix.basename(storedPathOf(uid), '.dcm');
  return `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}.dcm`;
}

describe('InstanceFolders', () => {
  it('makes the 256 folders once, and only the missing ones later', async () => {
    const root = path.join(newRoot(), 'instances');
    await mkdir(root, { recursive: true });
    const first = await InstanceFolders.open(root, true);
    expect((await readdir(root)).sort()).toEqual([...INSTANCE_FOLDERS]);
    const before = (await stat(path.join(root, '7f'))).ino;
    await first.close();
    await rm(path.join(root, 'a0'), { recursive: true });
    const second = await InstanceFolders.open(root, false);
    try {
      expect((await readdir(root)).sort()).toEqual([...INSTANCE_FOLDERS]);
      expect((await stat(path.join(root, '7f'))).ino).toBe(before);
      expect(second.durable(path.join(root, '7f'))).toBeUndefined();
    } finally {
      await second.close();
    }
  });

  it('shares one DurableFolder per folder, and drops it with a forgotten folder', async () => {
    const root = path.join(newRoot(), 'instances');
    await mkdir(root, { recursive: true });
    const folders = await InstanceFolders.open(root, true);
    try {
      const folder = path.join(root, '3c');
      const durable = folders.durable(folder);
      expect(durable?.path).toBe(folder);
      expect(folders.durable(folder)).toBe(durable);
      await folders.sync(folder);
      folders.forget(folder);
      expect(folders.durable(folder)).not.toBe(durable);
    } finally {
      await folders.close();
    }
  });
});

describe('the instances tree of a FileRepository', () => {
  it('stores into the folders made at open, and makes one again that was removed', async () => {
    const root = newRoot();
    const repo = await FileRepository.open({ root });
    try {
      const [first, second] = instances as [TestInstance, TestInstance];
      const folder = path.join(root, 'instances', storedPathOf(first.sopInstanceUid).slice(0, 2));
      await rm(folder, { recursive: true });
      // The first store into it fails (the folder is gone) and forgets it; the next makes it.
      const failed = await repo.store(storeRequestOf(first)).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (failed !== undefined) await repo.store(storeRequestOf(first));
      await repo.store(storeRequestOf(second));
      for (const instance of [first, second]) {
        const file = path.join(
          root,
          'instances',
          ...storedPathOf(instance.sopInstanceUid).split('/'),
        );
        expect((await stat(file)).isFile()).toBe(true);
        expect(await readAll(await repo.read(instance.sopInstanceUid))).toHaveLength(
          (await stat(file)).size,
        );
      }
    } finally {
      await repo.close();
    }
  });

  it('reads, replaces in place and deletes an instance at a legacy two-level path', async () => {
    const root = newRoot();
    const instance = instances[2]!;
    const repo = await FileRepository.open({ root });
    await repo.close();
    // A file left by the first layout, found by a full recovery pass.
    const legacy = legacyPathOf(instance.sopInstanceUid);
    const legacyFile = path.join(root, 'instances', ...legacy.split('/'));
    await mkdir(path.dirname(legacyFile), { recursive: true });
    await cp(instance.path, legacyFile);
    const reopened = await FileRepository.open({ root, recovery: 'full' });
    try {
      expect(reopened.recovery).toMatchObject({ filesIndexed: 1, unindexable: [] });
      expect((await readAll(await reopened.read(instance.sopInstanceUid))).byteLength).toBe(
        (await stat(legacyFile)).size,
      );
      const replaced = await reopened.store(storeRequestOf(instance, 'AGAIN'));
      expect(replaced.outcome).toBe('replaced');
      // Replaced where it was: no second file at the new path.
      await expect(
        stat(path.join(root, 'instances', ...storedPathOf(instance.sopInstanceUid).split('/'))),
      ).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await stat(legacyFile)).isFile()).toBe(true);
      expect(await reopened.delete(instance.sopInstanceUid)).toBe(true);
      await expect(unlink(legacyFile)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await reopened.close();
    }
  });
});
