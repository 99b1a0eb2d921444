import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstances, readAll, type TestInstance } from '../../test/instances.js';
import { FileRepository } from '../file-repository.js';
import { importFolder, type ImportEvent } from './import-folder.js';

let work: { path: string; remove(): Promise<void> };
let source: string;
let explicit: TestInstance[];
let implicit: TestInstance[];
let deflated: TestInstance[];
let large: TestInstance[];
/** SOP Instance UID → the data set bytes the repository must hold for it. */
const expected = new Map<string, Uint8Array>();

beforeAll(async () => {
  work = await tempDir('dicomnet-import-');
  source = path.join(work.path, 'source');
  [explicit, implicit, deflated, large] = await Promise.all([
    makeInstances(path.join(source, 'explicit', 'nested'), 5),
    makeInstances(path.join(source, 'implicit'), 2, 'implicit-vr-little-endian'),
    makeInstances(path.join(source, 'deflated'), 1, 'deflated-explicit-vr-little-endian'),
    // Larger than the probe's first read: stored from a second read of the file, as a stream.
    makeInstances(path.join(source, 'large'), 1, 'explicit-vr-little-endian', 100_000),
  ]);
  for (const instance of [...explicit.slice(0, 3), ...implicit, ...deflated, ...large])
    expected.set(instance.sopInstanceUid, instance.dataSetBytes);
  const odd = path.join(source, 'odd');
  await mkdir(odd);
  // Part 10 without its preamble: "DICM" at byte 0.
  const withoutPreamble = explicit[3]!;
  const whole = await readFile(withoutPreamble.path);
  await writeFile(path.join(odd, 'no-preamble.dcm'), whole.subarray(128));
  expected.set(withoutPreamble.sopInstanceUid, withoutPreamble.dataSetBytes);
  // A bare data set (Explicit VR Little Endian, no meta).
  await writeFile(path.join(odd, 'bare-data-set'), explicit[4]!.dataSetBytes);
  expected.set(explicit[4]!.sopInstanceUid, explicit[4]!.dataSetBytes);
  // Remove the originals of those two so that only the odd layouts bring them.
  await rm(withoutPreamble.path);
  await rm(explicit[4]!.path);
  // Not DICOM, a broken meta, a second copy of an instance, a link.
  await writeFile(path.join(odd, 'notes.txt'), 'not DICOM at all\n'.repeat(20));
  const broken = Buffer.alloc(200);
  broken.write('DICM', 128, 'latin1');
  broken.write('\x02\x00\x10\x00ZZ', 132, 'latin1');
  await writeFile(path.join(odd, 'broken.dcm'), broken);
  await copyFile(explicit[0]!.path, path.join(odd, 'copy-of-explicit-1.dcm'));
  await symlink(explicit[1]!.path, path.join(odd, 'link.dcm'));
}, 60_000);
afterAll(() => work.remove());

async function collect(run: AsyncIterable<ImportEvent>): Promise<ImportEvent[]> {
  const events: ImportEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

async function dataSetOf(repo: FileRepository, uid: string): Promise<Buffer> {
  const file = await readAll(await repo.read(uid));
  return file.subarray(readPart10Header(file).dataSetOffset);
}

let roots = 0;
const freshRoot = (): string => path.join(work.path, `root-${++roots}`);

describe('importFolder', () => {
  it('imports every layout, skips the rest with reasons, and a second run finds all there', async () => {
    const repo = await FileRepository.open({ root: freshRoot(), fsync: false });
    try {
      const events = await collect(importFolder(repo, source));
      const byKind = (kind: string): string[] =>
        events
          .filter((event) => event.kind === kind)
          .map((event) => path.relative(source, event.path))
          .sort();
      expect(byKind('imported')).toHaveLength(9);
      expect(byKind('already-there')).toHaveLength(1); // the copy, or its original
      const skipped = Object.fromEntries(
        events.flatMap((event) =>
          event.kind === 'skipped' ? [[path.relative(source, event.path), event.reason]] : [],
        ),
      );
      expect(skipped).toEqual({
        'odd/notes.txt': 'not-dicom',
        'odd/broken.dcm': 'malformed',
        'odd/link.dcm': 'not-a-file',
      });
      const last = events.at(-1)!.totals;
      expect(last).toMatchObject({
        filesSeen: 13,
        imported: 9,
        alreadyThere: 1,
        skipped: 3,
        skippedByReason: { 'not-dicom': 1, malformed: 1, 'not-a-file': 1 },
      });
      const layouts = new Map(
        events.flatMap((event) =>
          event.kind === 'imported' ? [[path.basename(event.path), event.layout]] : [],
        ),
      );
      expect(layouts.get('no-preamble.dcm')).toBe('part10-no-preamble');
      expect(layouts.get('bare-data-set')).toBe('data-set');
      // The repository holds each instance's data set byte for byte.
      for (const [uid, bytes] of expected)
        expect(Buffer.compare(await dataSetOf(repo, uid), Buffer.from(bytes))).toBe(0);

      const again = importFolder(repo, source);
      const totals = await again.done();
      expect(totals).toMatchObject({ imported: 0, alreadyThere: 10, skipped: 3 });
    } finally {
      await repo.close();
    }
  });

  it('stops when aborted, leaves nothing half-done, and the next run imports the rest', async () => {
    const repo = await FileRepository.open({ root: freshRoot(), fsync: false });
    try {
      const controller = new AbortController();
      const seen: ImportEvent[] = [];
      await expect(
        (async () => {
          for await (const event of importFolder(repo, source, {
            signal: controller.signal,
            concurrency: 2,
          })) {
            seen.push(event);
            if (seen.length === 2) controller.abort(new Error('stop'));
          }
        })(),
      ).rejects.toThrow('stop');
      const firstImported = seen.filter((event) => event.kind === 'imported').length;
      expect(firstImported).toBeLessThan(9);
      const totals = await importFolder(repo, source).done();
      // Stores under way when the signal fired were abandoned or finished; either way the two
      // runs together hold every instance exactly once.
      expect(totals.imported + totals.alreadyThere).toBe(10);
      for (const [uid, bytes] of expected)
        expect(Buffer.compare(await dataSetOf(repo, uid), Buffer.from(bytes))).toBe(0);
    } finally {
      await repo.close();
    }
  });

  it('does not import the repository it imports into when its root is inside the folder', async () => {
    const folder = path.join(work.path, 'with-root');
    await makeInstances(folder, 2);
    const repo = await FileRepository.open({ root: path.join(folder, 'archive'), fsync: false });
    try {
      expect(await importFolder(repo, folder).done()).toMatchObject({
        filesSeen: 2,
        imported: 2,
      });
      expect(await importFolder(repo, folder).done()).toMatchObject({
        filesSeen: 2,
        alreadyThere: 2,
      });
    } finally {
      await repo.close();
    }
  });

  it("ends with the repository's own error when the repository fails under it", async () => {
    const repo = await FileRepository.open({ root: freshRoot(), fsync: false });
    const run = importFolder(repo, source, { concurrency: 3 });
    await expect(
      (async () => {
        // Closed after the first file: the stores of the files after it fail, which is not
        // about any file, so the run ends with that error.
        for await (const event of run) {
          void event;
          void repo.close();
        }
      })(),
    ).rejects.toMatchObject({ code: 'DICOMNET_REPOSITORY_CLOSED' });
    await repo.close();
  });

  it('fails when the folder does not exist', async () => {
    const repo = await FileRepository.open({ root: freshRoot(), fsync: false });
    try {
      await expect(importFolder(repo, path.join(work.path, 'missing')).done()).rejects.toThrow(
        /ENOENT/,
      );
    } finally {
      await repo.close();
    }
  });
});
