import { readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '@dicomnet/test-utils';
import { AtomicFileWriter, writeFileAtomically } from './atomic-file-writer.js';
import { atomicWriterTargetOf } from './temporary-file.js';

let folder: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  folder = await tempDir('dicomnet-atomic-');
});
afterEach(() => folder.remove());

const target = (): string => path.join(folder.path, 'instance.dcm');
const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

/** A source that yields `count` chunks and then waits forever. */
async function* stalled(count: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield bytes(1000, i);
  await new Promise<never>(() => undefined);
}

describe('writeFileAtomically', () => {
  it('writes every chunk and leaves nothing else behind', async () => {
    const chunks = [bytes(10, 1), bytes(0, 0), bytes(70_000, 2), bytes(3, 3)];
    await expect(writeFileAtomically(target(), chunks)).resolves.toEqual({ bytes: 70_013 });
    expect(await readdir(folder.path)).toEqual(['instance.dcm']);
    expect(new Uint8Array(await readFile(target()))).toEqual(new Uint8Array(Buffer.concat(chunks)));
  });

  it('replaces an existing file only when complete', async () => {
    await writeFile(target(), 'old');
    await writeFileAtomically(target(), [bytes(4, 7)]);
    expect(new Uint8Array(await readFile(target()))).toEqual(bytes(4, 7));
  });

  it('leaves no file when the source fails mid-stream', async () => {
    const failure = new Error('peer aborted');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield bytes(100_000, 1);
      yield bytes(100_000, 2);
      throw failure;
    }
    await expect(writeFileAtomically(target(), failing(), { bufferBytes: 1024 })).rejects.toBe(
      failure,
    );
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('leaves no file when the signal aborts while the source waits', async () => {
    const controller = new AbortController();
    const reason = new Error('association released');
    const writing = writeFileAtomically(target(), stalled(3), { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(writing).rejects.toBe(reason);
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('leaves no file when the signal aborts between chunks of an array', async () => {
    const controller = new AbortController();
    const reason = new Error('association released');
    // An array whose iteration aborts once the first chunk is handed over.
    class AbortingChunks extends Array<Uint8Array> {
      override *[Symbol.iterator](): ArrayIterator<Uint8Array> {
        yield bytes(100_000, 1);
        controller.abort(reason);
        yield bytes(100_000, 2);
      }
    }
    const chunks = new AbortingChunks();
    expect(Array.isArray(chunks)).toBe(true);
    await expect(
      writeFileAtomically(target(), chunks, { signal: controller.signal, bufferBytes: 1024 }),
    ).rejects.toBe(reason);
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('creates nothing for an aborted signal', async () => {
    const reason = new Error('too late');
    await expect(
      writeFileAtomically(target(), [bytes(1, 1)], { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('reports a file system failure with a typed error and cleans up', async () => {
    await mkdir(target()); // renaming a file onto a folder fails
    await writeFile(path.join(target(), 'keep'), 'x');
    await expect(writeFileAtomically(target(), [bytes(10, 1)])).rejects.toMatchObject({
      code: 'DICOMNET_PART10_WRITE_FAILED',
      operation: 'rename',
    });
    expect(await readdir(folder.path)).toEqual(['instance.dcm']);
    for (const blockingSmallFiles of [true, false]) {
      // An empty file too: nothing written, but a temporary file created and removed.
      await expect(writeFileAtomically(target(), [], { blockingSmallFiles })).rejects.toMatchObject(
        { operation: 'rename' },
      );
      expect(await readdir(folder.path)).toEqual(['instance.dcm']);
    }
    await expect(
      writeFileAtomically(path.join(folder.path, 'missing', 'x.dcm'), [bytes(1, 1)]),
    ).rejects.toMatchObject({
      code: 'DICOMNET_PART10_WRITE_FAILED',
      operation: 'open',
    });
  });

  it('writes a small array without fsync before it returns, and leaves nothing on a failure', async () => {
    const writing = writeFileAtomically(target(), [bytes(10, 1), bytes(5, 2)], { fsync: false });
    expect(readdirSync(folder.path)).toEqual(['instance.dcm']); // no writer, no thread pool
    await expect(writing).resolves.toEqual({ bytes: 15 });
    expect(new Uint8Array(await readFile(target()))).toEqual(
      new Uint8Array([...bytes(10, 1), ...bytes(5, 2)]),
    );
    const reason = new Error('too late');
    const aborted = { fsync: false, signal: AbortSignal.abort(reason) };
    await expect(writeFileAtomically(target(), [bytes(1, 9)], aborted)).rejects.toBe(reason);
    expect(new Uint8Array(await readFile(target()))).toHaveLength(15);
    const other = path.join(folder.path, 'other.dcm');
    await mkdir(other); // renaming a file onto a folder fails
    await writeFile(path.join(other, 'keep'), 'x');
    await expect(
      writeFileAtomically(other, [bytes(10, 1)], { fsync: false }),
    ).rejects.toMatchObject({ code: 'DICOMNET_PART10_WRITE_FAILED', operation: 'rename' });
    expect((await readdir(folder.path)).sort()).toEqual(['instance.dcm', 'other.dcm']);
    const missing = path.join(folder.path, 'missing', 'x.dcm');
    await expect(
      writeFileAtomically(missing, [bytes(1, 1)], { fsync: false }),
    ).rejects.toMatchObject({ operation: 'open' });
  });

  it('keeps memory bounded for a 256 MiB stream', async () => {
    const chunk = bytes(1024 * 1024, 0x5a);
    async function* big(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 256; i++) yield chunk;
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      await expect(writeFileAtomically(target(), big(), { fsync: false })).resolves.toEqual({
        bytes: 256 * 1024 * 1024,
      });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    expect(await readdir(folder.path)).toEqual(['instance.dcm']);
  }, 60_000);
});

describe('AtomicFileWriter', () => {
  it('writes, commits and reports its byte count', async () => {
    const writer = await AtomicFileWriter.open(target(), { bufferBytes: 8 });
    await writer.write(bytes(5, 1));
    expect(await readdir(folder.path)).toEqual([]); // buffered: nothing created yet
    await writer.write(bytes(5, 2));
    expect(await readdir(folder.path)).toEqual([path.basename(writer.temporaryPath)]);
    expect(atomicWriterTargetOf(path.basename(writer.temporaryPath))).toBe('instance.dcm');
    expect(writer.bytes).toBe(10);
    await expect(writer.commit()).resolves.toEqual({ bytes: 10 });
    expect(await readdir(folder.path)).toEqual(['instance.dcm']);
    await writer.abort(); // a no-op after commit
    expect(await readdir(folder.path)).toEqual(['instance.dcm']);
  });

  it('removes the temporary file on abort and then refuses writes', async () => {
    const writer = await AtomicFileWriter.open(target());
    await writer.write(bytes(100_000, 1));
    await writer.abort();
    await writer.abort();
    expect(await readdir(folder.path)).toEqual([]);
    await expect(writer.write(bytes(1, 1))).rejects.toMatchObject({ name: 'AbortError' });
    await expect(writer.commit()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses to commit a buffered file once its signal has aborted, creating nothing', async () => {
    const controller = new AbortController();
    const writer = await AtomicFileWriter.open(target(), { signal: controller.signal });
    await writer.write(bytes(100, 1)); // buffered: no file yet
    const reason = new Error('association gone');
    controller.abort(reason);
    await expect(writer.commit()).rejects.toBe(reason);
    await expect(writer.write(bytes(1, 1))).rejects.toBe(reason);
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('listens on its signal only while a file may wait on disk', async () => {
    const signal = new AbortController().signal;
    const added = vi.spyOn(signal, 'addEventListener');
    const removed = vi.spyOn(signal, 'removeEventListener');
    // A small file without fsync is created, written and renamed within commit().
    const small = await AtomicFileWriter.open(target(), { signal, fsync: false });
    await small.write(bytes(100, 1));
    await small.commit();
    expect(added).not.toHaveBeenCalled();
    // A streamed one exists between writes: an abort must reach it, until it is committed.
    const streamed = await AtomicFileWriter.open(target(), {
      signal,
      fsync: false,
      bufferBytes: 8,
    });
    await streamed.write(bytes(10, 2));
    expect(added).toHaveBeenCalledTimes(1);
    await streamed.commit();
    expect(removed).toHaveBeenCalledTimes(1);
    expect(await readFile(target())).toEqual(Buffer.from(bytes(10, 2)));
  });

  it('cleans up when its signal aborts between writes', async () => {
    const controller = new AbortController();
    const writer = await AtomicFileWriter.open(target(), { signal: controller.signal });
    await writer.write(bytes(100_000, 1));
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(writer.commit()).rejects.toBe(reason);
    expect(await readdir(folder.path)).toEqual([]);
  });
});
