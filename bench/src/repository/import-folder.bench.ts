/**
 * `importFolder` over a folder of 10,000 small Part 10 files (issue 16): files/s into a fresh
 * repository, durable (each file and folder fsynced) and with `fsync: false`, and in the same run
 * the reading alone, to give the share of the import spent reading: the index attributes of every
 * file read with the streaming element reader (`readPart10Attributes`, the repository's
 * `INDEX_TAGS`), and every file read whole (`readFile`), each four files at a time as the import
 * runs. The files are in the page cache throughout (written just before): the figures are the
 * CPU and system-call cost, not the disk's read speed.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readPart10Attributes } from '@dicomnet/data';
import {
  DEFAULT_IMPORT_CONCURRENCY,
  FileRepository,
  importFolder,
  INDEX_TAGS,
} from '@dicomnet/repository';
import { generateInstances } from '@dicomnet/test-utils';
import type { Benchmark, BenchmarkOptions, BenchmarkResult } from '../benchmark.js';
import { median, now, secondsSince } from '../measure.js';

/** Instances per generated series folder (each folder a study and series of its own). */
const PER_FOLDER = 1000;
const PIXEL_BYTES = 512;

/** Runs `work` over every file, `DEFAULT_IMPORT_CONCURRENCY` at a time; seconds taken. */
async function timeEach(files: readonly string[], work: (file: string) => Promise<unknown>) {
  const started = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: DEFAULT_IMPORT_CONCURRENCY }, async () => {
      while (next < files.length) await work(files[next++]!);
    }),
  );
  return secondsSince(started);
}

/** Seconds to import `folder` into a fresh repository under `root`. */
async function timeImport(folder: string, root: string, fsync: boolean): Promise<number> {
  const repository = await FileRepository.open({ root, fsync });
  try {
    const started = now();
    const totals = await importFolder(repository, folder).done();
    const seconds = secondsSince(started);
    if (totals.imported !== totals.filesSeen)
      throw new Error(`imported ${totals.imported} of ${totals.filesSeen} files`);
    return seconds;
  } finally {
    await repository.close();
    await rm(root, { recursive: true, force: true });
  }
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const started = now();
  const count = options.quick ? 1000 : 10_000;
  const rounds = options.quick ? 1 : 3;
  const work = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-import-'));
  try {
    const folder = path.join(work, 'folder');
    const files: string[] = [];
    for (let made = 0; made < count; made += PER_FOLDER) {
      const instances = await generateInstances(path.join(folder, `series-${made / PER_FOLDER}`), {
        count: Math.min(PER_FOLDER, count - made),
        pixelBytes: PIXEL_BYTES,
      });
      files.push(...instances.map((instance) => instance.path));
    }
    const bytes = (await Promise.all(files.map((file) => readFile(file)))).reduce(
      (sum, data) => sum + data.byteLength,
      0,
    );
    const timings = {
      attributes: [] as number[],
      whole: [] as number[],
      relaxed: [] as number[],
      durable: [] as number[],
    };
    // Rounds alternate the lines, so that a burst of load hits all of them.
    for (let round = 0; round < rounds; round++) {
      timings.attributes.push(
        await timeEach(files, (file) => readPart10Attributes(file, INDEX_TAGS)),
      );
      timings.whole.push(await timeEach(files, (file) => readFile(file)));
      timings.relaxed.push(await timeImport(folder, path.join(work, `relaxed-${round}`), false));
      timings.durable.push(await timeImport(folder, path.join(work, `durable-${round}`), true));
    }
    const seconds = {
      attributes: median(timings.attributes),
      whole: median(timings.whole),
      relaxed: median(timings.relaxed),
      durable: median(timings.durable),
    };
    const line = (what: string, taken: number, share: boolean) => ({
      line: what,
      filesPerSecond: Math.round(count / taken),
      mbPerSecond: bytes / 1e6 / taken,
      readShareRelaxed: share ? seconds.attributes / seconds.relaxed : '',
      readShareDurable: share ? seconds.attributes / seconds.durable : '',
    });
    return {
      name: 'repository-import',
      title: `importFolder of ${count.toLocaleString('en')} files of ${Math.round(bytes / count)} bytes, ${DEFAULT_IMPORT_CONCURRENCY} at a time, median of ${rounds}`,
      columns: [
        { key: 'line', header: 'what' },
        { key: 'filesPerSecond', header: 'files/s' },
        { key: 'mbPerSecond', header: 'MB/s', digits: 1 },
        { key: 'readShareRelaxed', header: 'reading ÷ import (no fsync)', digits: 2 },
        { key: 'readShareDurable', header: 'reading ÷ import (fsync)', digits: 2 },
      ],
      rows: [
        line('import, fsync: false', seconds.relaxed, false),
        line('import, durable (fsync)', seconds.durable, false),
        line('reading alone: index attributes (readPart10Attributes)', seconds.attributes, true),
        line('reading alone: whole files (readFile)', seconds.whole, false),
      ],
      notes: [
        'Import: probe each file (layout, transfer syntax, SOP UIDs), look its SOP Instance UID up, store it through FileRepository.store (staged, written atomically, its attributes read back with the streaming element reader, renamed, its row batched into the index).',
        'The share is the attribute reading alone (what indexing a file costs) over the whole import; the files are in the page cache.',
      ],
      seconds: secondsSince(started),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export const repositoryImportBenchmark: Benchmark = {
  name: 'repository-import',
  suite: 'repository',
  run,
};
