import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFolder,
  FolderCache,
  joinChunks,
  KeyedQueue,
  takeUpTo,
  type ReadyFolder,
} from './file-support.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'dicomnet-file-support-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('createFolder', () => {
  it('creates a folder with its parents and tells when their entries are durable', async () => {
    const folder = path.join(work, 'made', 'ab', 'cd');
    const ready = await createFolder(work, folder, true);
    expect((await stat(folder)).isDirectory()).toBe(true);
    await expect(ready.durable).resolves.toBeUndefined();
    // Already there: nothing created, nothing to sync.
    await expect((await createFolder(work, folder, true)).durable).resolves.toBeUndefined();
  });
});

describe('FolderCache', () => {
  it('creates each folder once, concurrent callers sharing the creation', async () => {
    const made: string[] = [];
    const cache = new FolderCache((folder) => {
      made.push(folder);
      return createFolder(work, folder, true);
    });
    const a = path.join(work, 'cache', '01', '02');
    const b = path.join(work, 'cache', '01', '03');
    await Promise.all([cache.ensure(a), cache.ensure(a), cache.ensure(b)]);
    await cache.ensure(a);
    await cache.ensure(b);
    expect(made).toEqual([a, b]);
    expect((await readdir(path.join(work, 'cache', '01'))).sort()).toEqual(['02', '03']);
    cache.forget(a); // removed behind its back: made again on the next ensure
    await rm(a, { recursive: true });
    await cache.ensure(a);
    expect(made).toEqual([a, b, a]);
    expect((await stat(a)).isDirectory()).toBe(true);
  });

  it('does not remember a failed creation or a failed sync', async () => {
    let calls = 0;
    const cache = new FolderCache((): Promise<ReadyFolder> => {
      calls++;
      if (calls === 1) return Promise.reject(new Error('mkdir failed'));
      if (calls === 2)
        return Promise.resolve({ durable: Promise.reject(new Error('fsync failed')) });
      return Promise.resolve({ durable: Promise.resolve() });
    });
    const folder = path.join(work, 'never');
    await expect(cache.ensure(folder)).rejects.toThrow('mkdir failed');
    await expect((await cache.ensure(folder)).durable).rejects.toThrow('fsync failed');
    await expect((await cache.ensure(folder)).durable).resolves.toBeUndefined();
    await cache.ensure(folder);
    expect(calls).toBe(3);
  });
});

describe('takeUpTo', () => {
  async function* source(sizes: number[]): AsyncGenerator<Uint8Array> {
    let value = 0;
    for (const size of sizes) {
      await Promise.resolve();
      yield new Uint8Array(size).fill(++value);
    }
  }

  it('reads a source that ends within the limit whole', async () => {
    const taken = await takeUpTo(source([3, 4]), 7);
    expect(taken.rest).toBeUndefined();
    expect(Array.from(joinChunks(taken.chunks, taken.bytes))).toEqual([1, 1, 1, 2, 2, 2, 2]);
    const single = await takeUpTo([new Uint8Array([9, 9])], 10);
    expect(joinChunks(single.chunks, single.bytes)).toBe(single.chunks[0]);
  });

  it('stops past the limit and leaves the rest of the source to read', async () => {
    const taken = await takeUpTo(source([3, 4, 5, 6]), 6);
    expect(taken.chunks.map((chunk) => chunk.byteLength)).toEqual([3, 4]);
    expect(taken.bytes).toBe(7);
    const rest: number[] = [];
    for (let next = await taken.rest!.next(); next.done !== true; next = await taken.rest!.next())
      rest.push(next.value.byteLength);
    expect(rest).toEqual([5, 6]);
  });
});

describe('KeyedQueue', () => {
  it('starts a task of a free key at once and runs tasks of one key one after the other', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    let release: () => void = () => {};
    const first = queue.run('a', async () => {
      order.push('a1 start');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('a1 end');
      throw new Error('a1 failed');
    });
    expect(order).toEqual(['a1 start']); // no turn of promises before a free key's task
    const second = queue.run('a', () => {
      order.push('a2');
      return Promise.resolve(2);
    });
    const other = queue.run('b', () => {
      order.push('b');
      return Promise.resolve(3);
    });
    expect(order).toEqual(['a1 start', 'b']);
    release();
    await expect(first).rejects.toThrow('a1 failed');
    await expect(second).resolves.toBe(2); // runs after a failed task too
    await expect(other).resolves.toBe(3);
    expect(order).toEqual(['a1 start', 'b', 'a1 end', 'a2']);
  });

  it('frees a key once its tasks are done, and turns a task that throws into a rejection', async () => {
    const queue = new KeyedQueue();
    await queue.run('a', () => Promise.resolve());
    await new Promise(setImmediate);
    let started = false;
    void queue.run('a', () => {
      started = true;
      return Promise.resolve();
    });
    expect(started).toBe(true);
    const thrown = queue.run('b', () => {
      throw new Error('no promise');
    });
    await expect(thrown).rejects.toThrow('no promise');
  });
});
