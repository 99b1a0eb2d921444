import { appendFile, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeFileMetaInformation } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import type { StoreInstance } from '../client/dimse-client.js';
import { openInstanceFile } from './instance-file.js';
import { openInstanceFiles } from './store-files.js';

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

/** A Part 10 file of `dataSetBytes` patterned bytes after its header (never parsed as sent). */
async function writeInstance(
  name: string,
  dataSetBytes: number,
): Promise<{ path: string; dataSet: Uint8Array }> {
  const header = encodeFileMetaInformation({
    mediaStorageSopClassUid: SECONDARY_CAPTURE,
    mediaStorageSopInstanceUid: `1.2.3.${dataSetBytes}`,
    transferSyntaxUid: EXPLICIT,
  });
  const dataSet = new Uint8Array(dataSetBytes).map((_, index) => (index * 7) % 256);
  const file = path.join(dir.path, name);
  await writeFile(file, Buffer.concat([header, dataSet]));
  return { path: file, dataSet };
}

async function bytesOf(instance: StoreInstance): Promise<Buffer> {
  if (instance.dataSet instanceof Uint8Array) return Buffer.from(instance.dataSet);
  const chunks: Uint8Array[] = [];
  for await (const chunk of instance.dataSet) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('openInstanceFile', () => {
  it('serves a small file from the read that found its header', async () => {
    const { path: file, dataSet } = await writeInstance('small.dcm', 17_000);
    const opened = await openInstanceFile(file);
    expect(opened.loaded).toBe(true);
    expect(opened.size).toBe(dataSet.byteLength);
    await rm(file); // nothing more is read from disk
    expect(await bytesOf(opened.instance())).toEqual(Buffer.from(dataSet));
    expect(await bytesOf(await opened.load())).toEqual(Buffer.from(dataSet));
    expect((await opened.load()).sopInstanceUid).toBe('1.2.3.17000');
  });

  it('streams a file larger than 256 KiB from disk, in chunks, as often as asked', async () => {
    const { path: file, dataSet } = await writeInstance('large.dcm', 600_000);
    const opened = await openInstanceFile(file);
    expect(opened.loaded).toBe(false);
    const chunks: Uint8Array[] = [];
    const instance = opened.instance();
    if (instance.dataSet instanceof Uint8Array) throw new TypeError('expected a stream');
    for await (const chunk of instance.dataSet) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    // Buffer.equals: a deep comparison of 600,000 elements takes seconds.
    expect(Buffer.concat(chunks).equals(dataSet)).toBe(true);
    expect((await bytesOf(await opened.load())).equals(dataSet)).toBe(true);
  });

  it('reads only the header when asked not to keep the data set', async () => {
    const { path: file, dataSet } = await writeInstance('small.dcm', 1000);
    const opened = await openInstanceFile(file, { keepDataSet: false });
    expect(opened.loaded).toBe(false);
    expect(await bytesOf(await opened.load())).toEqual(Buffer.from(dataSet));
  });

  it.each([
    ['shrinks', 'streamed', 600_000],
    ['grows', 'streamed', 600_000],
    ['shrinks', 'loaded', 1000],
    ['grows', 'loaded', 1000],
  ] as const)(
    'refuses to send a file that %s after it was opened (%s)',
    async (change, how, bytes) => {
      const { path: file } = await writeInstance('changing.dcm', bytes);
      const opened = await openInstanceFile(file, { keepDataSet: false });
      const { size } = await readFile(file).then((all) => ({ size: all.byteLength }));
      if (change === 'shrinks') await truncate(file, size - 10);
      else await appendFile(file, Uint8Array.of(1, 2));
      const sent = how === 'loaded' ? opened.load() : bytesOf(opened.instance());
      await expect(sent).rejects.toMatchObject({
        code: 'DICOMNET_PART10_FILE_CHANGED',
        path: file,
        expectedSize: size,
      });
    },
  );

  it('refuses a file cut inside its header', async () => {
    const { path: file } = await writeInstance('cut.dcm', 1000);
    await truncate(file, 150);
    await expect(openInstanceFile(file)).rejects.toMatchObject({
      code: 'DICOMNET_PART10_MALFORMED',
    });
  });
});

describe('openInstanceFiles', () => {
  it('opens the same files to the same result with blocking calls (sync)', async () => {
    const small = await writeInstance('small.dcm', 1000);
    const other = await writeInstance('other.dcm', 2000);
    const large = await writeInstance('large.dcm', 600_000);
    const notDicom = path.join(dir.path, 'note.txt');
    await writeFile(notDicom, 'hello');
    const leftover = path.join(dir.path, '.1.2.3.dcm.0123456789ab.part');
    await writeFile(leftover, await readFile(small.path));
    const paths = [
      small.path,
      notDicom,
      large.path,
      path.join(dir.path, 'missing.dcm'),
      leftover,
      other.path,
    ];
    const summary = async (
      entries: Awaited<ReturnType<typeof openInstanceFiles>>,
    ): Promise<unknown[]> =>
      Promise.all(
        entries.map(async (entry) =>
          'error' in entry
            ? (entry.error as { code?: string }).code
            : [entry.loaded, entry.size, (await bytesOf(await entry.load())).toString('hex')],
        ),
      );
    const expected = await summary(await openInstanceFiles(paths, { keepBytes: 1500 }));
    expect(expected.slice(1, 5)).toEqual([
      'DICOMNET_PART10_NOT_PART10',
      [false, 600_000, Buffer.from(large.dataSet).toString('hex')],
      'ENOENT',
      'DICOMNET_PART10_UNFINISHED',
    ]);
    expect(await summary(await openInstanceFiles(paths, { keepBytes: 1500, sync: true }))).toEqual(
      expected,
    );
    expect([expected[0], expected[5]].map((entry) => (entry as unknown[])[0])).toEqual([
      true,
      true,
    ]);
  });

  it('lets the event loop run between files opened with blocking calls, keeping their order', async () => {
    const files = [];
    for (let index = 0; index < 70; index++) files.push(await writeInstance(`s${index}.dcm`, 100));
    let served = false;
    setImmediate(() => (served = true));
    const opened = await openInstanceFiles(
      files.map((file) => file.path),
      { sync: true },
    );
    expect(served).toBe(true);
    expect(opened.map((entry) => ('error' in entry ? 'error' : entry.path))).toEqual(
      files.map((file) => file.path),
    );
  });

  it('keeps data sets in memory up to keepBytes, and reads the others again when sent', async () => {
    const files = [];
    for (let index = 0; index < 4; index++) files.push(await writeInstance(`f${index}.dcm`, 1000));
    const opened = await openInstanceFiles(
      files.map((file) => file.path),
      { concurrency: 1, keepBytes: 1500 },
    );
    // The first two are kept (the second passes the budget), the rest are not.
    expect(opened.map((entry) => ('error' in entry ? 'error' : entry.loaded))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    for (const [index, entry] of opened.entries()) {
      if ('error' in entry) throw entry.error;
      expect(await bytesOf(await entry.load())).toEqual(Buffer.from(files[index]?.dataSet ?? []));
    }
  });

  it('reads a data set into memory it is given when opened with blocking calls', async () => {
    const { path: file, dataSet } = await writeInstance('small.dcm', 17_000);
    const [opened] = await openInstanceFiles([file], { sync: true, keepBytes: 0 });
    if (opened === undefined || 'error' in opened) throw new Error('not opened');
    expect(opened.loaded).toBe(false);
    const target = new Uint8Array(64 * 1024).fill(0xee);
    const read = opened.readDataSetSync?.(target);
    expect(read?.buffer).toBe(target.buffer);
    expect(Buffer.from(read ?? []).equals(dataSet)).toBe(true);
    // Room for the data set and one byte more, which finds a file that grew.
    expect(() => opened.readDataSetSync?.(new Uint8Array(17_000))).toThrow(RangeError);
    await appendFile(file, Buffer.alloc(2));
    expect(() => opened.readDataSetSync?.(target)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_FILE_CHANGED' }),
    );
    await truncate(file, 1000);
    expect(() => opened.readDataSetSync?.(target)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_FILE_CHANGED' }),
    );
    // Only files opened with blocking calls, and only those without their data set in memory.
    const [kept] = await openInstanceFiles([file], { sync: true });
    expect(kept !== undefined && !('error' in kept) && kept.readDataSetSync).toBe(undefined);
    expect((await openInstanceFile(file, { keepDataSet: false })).readDataSetSync).toBe(undefined);
  });
});
