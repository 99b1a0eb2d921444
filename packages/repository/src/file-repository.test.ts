import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chunked,
  makeInstances,
  readAll,
  storeRequestOf,
  type TestInstance,
} from '../test/instances.js';
import { FileRepository } from './file-repository.js';

let work: { path: string; remove(): Promise<void> };
let explicit: TestInstance[];
let implicit: TestInstance[];
let deflated: TestInstance[];
/** Larger than a small store (64 KiB): these stream through the staging folder. */
let large: TestInstance[];

beforeAll(async () => {
  work = await tempDir('dicomnet-repo-');
  [explicit, implicit, deflated, large] = await Promise.all([
    makeInstances(path.join(work.path, 'explicit'), 6),
    makeInstances(path.join(work.path, 'implicit'), 1, 'implicit-vr-little-endian'),
    makeInstances(path.join(work.path, 'deflated'), 1, 'deflated-explicit-vr-little-endian'),
    makeInstances(path.join(work.path, 'large'), 2, 'explicit-vr-little-endian', 100_000),
  ]);
}, 60_000);
afterAll(() => work.remove());

let rootCount = 0;
async function openFresh(options: { duplicate?: 'replace' | 'keep' | 'reject' } = {}) {
  const root = path.join(work.path, `root-${++rootCount}`);
  return { root, repo: await FileRepository.open({ root, ...options }) };
}

/** Every file under `dir`, relative. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

describe('FileRepository', () => {
  it('stores data sets of several transfer syntaxes as Part 10 files, byte for byte', async () => {
    const { repo } = await openFresh();
    try {
      for (const instance of [explicit[0]!, implicit[0]!, deflated[0]!]) {
        const result = await repo.store(storeRequestOf(instance, 'SENDER'));
        expect(result.outcome).toBe('stored');
        expect(result.instance).toMatchObject({
          sopInstanceUid: instance.sopInstanceUid,
          sopClassUid: instance.sopClassUid,
          transferSyntaxUid: instance.transferSyntaxUid,
          studyInstanceUid: instance.studyInstanceUid,
          seriesInstanceUid: instance.seriesInstanceUid,
          removed: false,
        });
        expect(result.instance.receivedAt).toMatch(/^\d{14}\.\d{6}\+0000$/);
        const file = await readAll(await repo.read(instance.sopInstanceUid));
        expect(result.instance.sizeBytes).toBe(file.byteLength);
        const header = readPart10Header(file);
        expect(header.meta.mediaStorageSopInstanceUid).toBe(instance.sopInstanceUid);
        expect(header.meta.transferSyntaxUid).toBe(instance.transferSyntaxUid);
        expect(header.meta.sourceApplicationEntityTitle).toBe('SENDER');
        expect(Buffer.from(file.subarray(header.dataSetOffset)).equals(instance.dataSetBytes)).toBe(
          true,
        );
        expect(await repo.get(instance.sopInstanceUid)).toEqual(result.instance);
      }
    } finally {
      await repo.close();
    }
  });

  it('replaces, keeps or rejects an instance already stored, by policy', async () => {
    const { root, repo } = await openFresh({ duplicate: 'keep' });
    try {
      const instance = explicit[1]!;
      const first = await repo.store(storeRequestOf(instance));
      const kept = await repo.store(storeRequestOf(instance));
      expect(kept).toEqual({ outcome: 'kept', instance: first.instance });
      let consumed = false;
      const source = (async function* () {
        yield* chunked(instance.dataSetBytes);
        consumed = true;
      })();
      await expect(
        repo.store({ ...storeRequestOf(instance), dataSet: source }, { duplicate: 'reject' }),
      ).rejects.toMatchObject({ code: 'DICOMNET_REPOSITORY_DUPLICATE' });
      expect(consumed).toBe(true); // the sender's bytes were read to their end
      // The data set given whole, as bytes, rather than as a stream.
      const replaced = await repo.store(
        { ...storeRequestOf(instance, 'AGAIN'), dataSet: instance.dataSetBytes },
        { duplicate: 'replace' },
      );
      expect(replaced.outcome).toBe('replaced');
      expect(replaced.instance.receivedAt).toBe(first.instance.receivedAt);
      const file = await readAll(await repo.read(instance.sopInstanceUid));
      expect(readPart10Header(file).meta.sourceApplicationEntityTitle).toBe('AGAIN');
      expect(await filesUnder(path.join(root, 'incoming'))).toEqual([]);
      expect(await filesUnder(path.join(root, 'instances'))).toHaveLength(1);
    } finally {
      await repo.close();
    }
  });

  it('refuses a data set that is not the instance the request names, leaving nothing', async () => {
    const { root, repo } = await openFresh();
    try {
      const request = storeRequestOf(explicit[2]!);
      await expect(
        repo.store({ ...request, sopInstanceUid: explicit[3]!.sopInstanceUid }),
      ).rejects.toMatchObject({
        code: 'DICOMNET_REPOSITORY_INVALID_INSTANCE',
        reason: 'sop-instance-mismatch',
      });
      await expect(
        repo.store({ ...storeRequestOf(explicit[2]!), sopClassUid: '1.2.840.10008.5.1.4.1.1.2' }),
      ).rejects.toMatchObject({
        code: 'DICOMNET_REPOSITORY_INVALID_INSTANCE',
        reason: 'sop-class-mismatch',
      });
      await expect(
        repo.store({ ...request, dataSet: chunked(new Uint8Array([1, 2, 3, 4, 5, 6, 7])) }),
      ).rejects.toMatchObject({ code: 'DICOMNET_REPOSITORY_INVALID_INSTANCE' });
      expect(await repo.get(explicit[3]!.sopInstanceUid)).toBeUndefined();
      expect(await repo.get(explicit[2]!.sopInstanceUid)).toBeUndefined();
      expect(await filesUnder(path.join(root, 'incoming'))).toEqual([]);
      expect(await filesUnder(path.join(root, 'instances'))).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it.each([
    '../../../../tmp/escaped',
    '1.2.3\0.4',
    '9'.repeat(4096),
    '1.2.3/../../x',
    'Ünïcode',
    '',
  ])('refuses the hostile UID %j without writing outside the root', async (uid) => {
    const { root, repo } = await openFresh();
    try {
      const before = await filesUnder(work.path);
      await expect(
        repo.store({ ...storeRequestOf(explicit[0]!), sopInstanceUid: uid }),
      ).rejects.toMatchObject({ code: 'DICOMNET_REPOSITORY_INVALID_INSTANCE' });
      await expect(repo.read(uid)).rejects.toMatchObject({
        code: 'DICOMNET_REPOSITORY_NOT_FOUND',
      });
      expect(await repo.delete(uid)).toBe(false);
      const after = await filesUnder(work.path);
      const added = after.filter((file) => !before.includes(file));
      expect(added.every((file) => file.startsWith(path.basename(root)))).toBe(true);
      expect(await filesUnder(path.join(root, 'instances'))).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it('deletes an instance (file and row) and marks instances removed from operational use', async () => {
    const { root, repo } = await openFresh();
    try {
      await repo.store(storeRequestOf(explicit[4]!));
      await repo.store(storeRequestOf(explicit[5]!));
      expect(await repo.markRemoved('SERIES', explicit[4]!.seriesInstanceUid)).toBe(2);
      expect((await repo.get(explicit[5]!.sopInstanceUid))?.removed).toBe(true);
      expect(await repo.markRemoved('IMAGE', explicit[5]!.sopInstanceUid, false)).toBe(1);
      expect((await repo.get(explicit[5]!.sopInstanceUid))?.removed).toBe(false);
      expect(await repo.delete(explicit[4]!.sopInstanceUid)).toBe(true);
      expect(await repo.delete(explicit[4]!.sopInstanceUid)).toBe(false);
      await expect(repo.read(explicit[4]!.sopInstanceUid)).rejects.toMatchObject({
        code: 'DICOMNET_REPOSITORY_NOT_FOUND',
      });
      expect(await filesUnder(path.join(root, 'instances'))).toHaveLength(1);
    } finally {
      await repo.close();
    }
  });

  it('stores concurrently (rows batched), closes cleanly and reopens without a full check', async () => {
    const { root, repo } = await openFresh();
    const results = await Promise.all(
      explicit.map((instance) => repo.store(storeRequestOf(instance))),
    );
    expect(results.map((result) => result.outcome)).toEqual(explicit.map(() => 'stored'));
    await repo.close();
    await repo.close();
    await expect(repo.get(explicit[0]!.sopInstanceUid)).rejects.toMatchObject({
      code: 'DICOMNET_REPOSITORY_CLOSED',
    });
    const again = await FileRepository.open({ root });
    try {
      expect(again.recovery.full).toBe(false);
      for (const instance of explicit) {
        const file = await readAll(await again.read(instance.sopInstanceUid));
        const header = readPart10Header(file);
        expect(Buffer.from(file.subarray(header.dataSetOffset)).equals(instance.dataSetBytes)).toBe(
          true,
        );
      }
    } finally {
      await again.close();
    }
  });

  it('leaves nothing of a store aborted mid-stream', async () => {
    const { root, repo } = await openFresh();
    try {
      const controller = new AbortController();
      const instance = explicit[0]!;
      const source = (async function* () {
        yield instance.dataSetBytes.subarray(0, 500);
        controller.abort(new Error('peer went away'));
        await new Promise((resolve) => setTimeout(resolve, 10));
        yield instance.dataSetBytes.subarray(500);
      })();
      await expect(
        repo.store({ ...storeRequestOf(instance), dataSet: source }, { signal: controller.signal }),
      ).rejects.toThrow('peer went away');
      expect(await repo.get(instance.sopInstanceUid)).toBeUndefined();
      expect(await filesUnder(path.join(root, 'incoming'))).toEqual([]);
      expect((await stat(path.join(root, 'instances'))).isDirectory()).toBe(true);
      expect(await filesUnder(path.join(root, 'instances'))).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it('stores atomically without fsync when asked (fsync: false)', async () => {
    const root = path.join(work.path, `root-${++rootCount}`);
    const repo = await FileRepository.open({ root, fsync: false });
    try {
      const instance = explicit[0]!;
      expect((await repo.store(storeRequestOf(instance))).outcome).toBe('stored');
      const file = await readAll(await repo.read(instance.sopInstanceUid));
      const header = readPart10Header(file);
      expect(Buffer.from(file.subarray(header.dataSetOffset)).equals(instance.dataSetBytes)).toBe(
        true,
      );
      expect(await filesUnder(path.join(root, 'incoming'))).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it('streams a data set larger than a small store, checked as a small one is', async () => {
    const { root, repo } = await openFresh();
    try {
      const [first, second] = [large[0]!, large[1]!];
      expect(first.dataSetBytes.byteLength).toBeGreaterThan(64 * 1024);
      await expect(
        repo.store({ ...storeRequestOf(first), sopInstanceUid: second.sopInstanceUid }),
      ).rejects.toMatchObject({ reason: 'sop-instance-mismatch' });
      expect(await filesUnder(path.join(root, 'instances'))).toEqual([]);
      const streamed = await repo.store({
        ...storeRequestOf(first),
        dataSet: chunked(first.dataSetBytes, 16_000),
      });
      const whole = await repo.store({ ...storeRequestOf(second), dataSet: second.dataSetBytes });
      for (const [instance, result] of [
        [first, streamed],
        [second, whole],
      ] as const) {
        expect(result.outcome).toBe('stored');
        const file = await readAll(await repo.read(instance.sopInstanceUid));
        expect(result.instance.sizeBytes).toBe(file.byteLength);
        const header = readPart10Header(file);
        expect(Buffer.from(file.subarray(header.dataSetOffset)).equals(instance.dataSetBytes)).toBe(
          true,
        );
      }
      expect(await filesUnder(path.join(root, 'incoming'))).toEqual([]);
      expect(await filesUnder(path.join(root, 'instances'))).toHaveLength(2);
    } finally {
      await repo.close();
    }
  });

  it('writes a small store straight into the instances tree, leaving no temporary file', async () => {
    const { root, repo } = await openFresh();
    try {
      // Concurrent stores, some into folders made by an earlier store (each folder made once).
      await Promise.all(explicit.map((instance) => repo.store(storeRequestOf(instance))));
      await Promise.all(explicit.map((instance) => repo.store(storeRequestOf(instance))));
      const files = await filesUnder(path.join(root, 'instances'));
      expect(files).toHaveLength(explicit.length);
      expect(files.every((file) => !path.basename(file).startsWith('.'))).toBe(true);
      expect(await filesUnder(path.join(root, 'incoming'))).toEqual([]);
    } finally {
      await repo.close();
    }
  });

  it('keeps its index in WAL mode next to the files', async () => {
    const { root, repo } = await openFresh();
    await repo.close();
    const header = await readFile(path.join(root, 'index.sqlite'));
    expect(header.subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
    expect(header[18]).toBe(2); // file format read/write versions 2: WAL
  });
});
