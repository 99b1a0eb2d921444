// `dicomnet import` as users run it: dist/bin.js in a child process on a generated folder (nested
// folders, a file without its preamble, a non-DICOM file), then again ("already there"), and
// stopped with Ctrl-C (SIGINT) midway, then resumed.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateInstances, tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { dicomnet } from './bin-child.js';

interface ImportJson {
  ok: boolean;
  interrupted: boolean;
  totals: {
    filesSeen: number;
    imported: number;
    alreadyThere: number;
    skipped: number;
    skippedByReason: Record<string, number>;
  };
  skipped: { path: string; reason: string }[];
}

let work: { path: string; remove(): Promise<void> };
let folder: string;

beforeAll(async () => {
  work = await tempDir('dicomnet-cli-import-');
  folder = path.join(work.path, 'folder');
  await generateInstances(path.join(folder, 'study', 'series-1'), { count: 3, pixelBytes: 512 });
  await generateInstances(path.join(folder, 'study', 'series-2'), {
    count: 2,
    pixelBytes: 512,
    transferSyntax: 'implicit-vr-little-endian',
  });
  const [single] = await generateInstances(path.join(work.path, 'single'), { pixelBytes: 512 });
  // The same Part 10 file without its 128-byte preamble: "DICM" at byte 0.
  await writeFile(
    path.join(folder, 'no-preamble.dcm'),
    (await readFile(single!.path)).subarray(128),
  );
  await writeFile(path.join(folder, 'README.txt'), 'scanned on Tuesday\n');
}, 60_000);
afterAll(() => work.remove());

describe('dicomnet import', () => {
  it('imports a folder, skips a non-DICOM file, and a second run finds everything there', async () => {
    const storage = path.join(work.path, 'storage-1');
    const first = await dicomnet(['import', folder, '--storage', storage, '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(ExitCode.Ok);
    const result = JSON.parse(first.stdout) as ImportJson;
    expect(result).toMatchObject({
      ok: true,
      interrupted: false,
      totals: { filesSeen: 7, imported: 6, alreadyThere: 0, skipped: 1 },
      skipped: [{ path: path.join(folder, 'README.txt'), reason: 'not-dicom' }],
    });
    // Six instances, each in its own file under the repository's instances folder.
    const stored = (await readdir(path.join(storage, 'instances'), { recursive: true })).filter(
      (name) => name.endsWith('.dcm'),
    );
    expect(stored).toHaveLength(6);

    const second = await dicomnet(['import', folder, '--storage', storage]);
    expect(second.code).toBe(ExitCode.Ok);
    expect(second.stdout).toMatch(/^0 imported \(0\.0 MB\), 6 already there, 1 skipped;/);
    expect(second.stdout).toContain('skipped, not DICOM (not-dicom): 1\n  README.txt:');
  });

  it('exits 1 for a DICOM file it cannot parse, and names it', async () => {
    const bad = path.join(work.path, 'bad');
    await mkdir(bad);
    const broken = Buffer.alloc(200);
    broken.write('DICM', 128, 'latin1');
    broken.write('\x02\x00\x10\x00ZZ', 132, 'latin1');
    await writeFile(path.join(bad, 'broken.dcm'), broken);
    const run = await dicomnet(['import', bad, '--storage', path.join(work.path, 'storage-2')]);
    expect(run.code).toBe(ExitCode.Failed);
    expect(run.stdout).toContain('skipped, DICOM that cannot be parsed (malformed): 1');
    expect(run.stdout).toContain('broken.dcm');
  });

  it('stops cleanly on Ctrl-C, and the next run imports the rest', async () => {
    const many = path.join(work.path, 'many');
    await generateInstances(many, { count: 400, pixelBytes: 256 });
    const storage = path.join(work.path, 'storage-3');
    const interrupted = await dicomnet(
      ['import', many, '--storage', storage, '--json', '--concurrency', '1'],
      async (interrupt) => {
        // Ctrl-C once the first instance is in the repository (bounded: 30 s).
        for (let i = 0; i < 1500; i++) {
          const names = await readdir(path.join(storage, 'instances'), {
            recursive: true,
          }).catch(() => []);
          if (names.some((name) => name.endsWith('.dcm'))) break;
          await sleep(20);
        }
        interrupt();
      },
    );
    expect(interrupted.code).toBe(ExitCode.Failed);
    expect(interrupted.stderr).toContain('interrupted; run the same command again');
    const partial = JSON.parse(interrupted.stdout) as ImportJson;
    expect(partial.interrupted).toBe(true);
    expect(partial.totals.imported).toBeGreaterThan(0);
    expect(partial.totals.imported).toBeLessThan(400);
    // Nothing left half-written in the staging folder.
    expect(await readdir(path.join(storage, 'incoming'))).toEqual([]);

    const resumed = await dicomnet(['import', many, '--storage', storage, '--json']);
    expect(resumed.code).toBe(ExitCode.Ok);
    const rest = JSON.parse(resumed.stdout) as ImportJson;
    expect(rest.totals.alreadyThere).toBeGreaterThanOrEqual(partial.totals.imported);
    expect(rest.totals.imported + rest.totals.alreadyThere).toBe(400);
    await rm(many, { recursive: true });
  }, 120_000);
});
