import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWriterTargetOf } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBehindRecord, writeSmallFile } from './small-file.js';

let work: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  work = await tempDir('dicomnet-small-file-');
});
afterEach(async () => {
  await work.remove();
});

/** A record whose sync the test ends by hand. */
function pendingRecord(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve: () => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

const parts = [Buffer.from('header-'), Buffer.from('data set')];

describe('writeSmallFile', () => {
  it('writes the parts under a temporary name renamed into place, returning its mtime', async () => {
    const final = path.join(work.path, 'ab.dcm');
    await writeFile(final, 'replaced instance');
    const mtimeMs = writeSmallFile(final, parts);
    expect(await readFile(final, 'latin1')).toBe('header-data set');
    expect(await readdir(work.path)).toEqual(['ab.dcm']);
    expect(mtimeMs).toBe(Math.trunc((await stat(final)).mtimeMs));
  });

  it('throws an AtomicWriteError and leaves nothing when the file cannot be made', () => {
    const final = path.join(work.path, 'missing-folder', 'ab.dcm');
    expect(() => writeSmallFile(final, parts)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_WRITE_FAILED', operation: 'open' }),
    );
  });
});

describe('writeBehindRecord', () => {
  it('writes the file under a temporary name and renames it only once the record is durable', async () => {
    const final = path.join(work.path, 'ab.dcm');
    await writeFile(final, 'replaced instance');
    const record = pendingRecord();
    const writing = writeBehindRecord(final, parts, record.promise);
    await new Promise((resolve) => setImmediate(resolve));
    // The instance's name still holds what it held: the new bytes wait beside it.
    expect(await readFile(final, 'latin1')).toBe('replaced instance');
    const names = await readdir(work.path);
    expect(names).toHaveLength(2);
    const temporary = names.find((name) => name !== 'ab.dcm') ?? '';
    expect(atomicWriterTargetOf(temporary)).toBe('ab.dcm');
    expect(await readFile(path.join(work.path, temporary), 'latin1')).toBe('header-data set');
    record.resolve();
    await writing;
    expect(await readFile(final, 'latin1')).toBe('header-data set');
    expect(await readdir(work.path)).toEqual(['ab.dcm']);
  });

  it('leaves nothing when the record fails, and rejects with its failure', async () => {
    const final = path.join(work.path, 'cd.dcm');
    const failure = new Error('sync failed');
    await expect(writeBehindRecord(final, parts, Promise.reject(failure))).rejects.toBe(failure);
    expect(await readdir(work.path)).toEqual([]);
  });

  it('reports a file that cannot be made once the record is durable, and leaves nothing', async () => {
    const final = path.join(work.path, 'missing-folder', 'ef.dcm');
    const record = pendingRecord();
    let settled = false;
    const writing = writeBehindRecord(final, parts, record.promise).finally(() => {
      settled = true;
    });
    writing.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    record.resolve();
    await expect(writing).rejects.toMatchObject({
      code: 'DICOMNET_PART10_WRITE_FAILED',
      operation: 'open',
    });
    expect(existsSync(path.dirname(final))).toBe(false);
  });
});
