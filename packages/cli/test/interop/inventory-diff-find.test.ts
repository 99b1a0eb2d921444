// `dicomnet inventory diff A --find HOST:PORT --called AET` (dist/bin.js) against DCMTK's
// dcmqrscp, an archive that produces no inventories: enumerated with Study Root C-FIND and
// compared with inventories the real producer wrote of a repository holding the same files.
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import { FileRepository, parseInventoryScope } from '@dicomnet/repository';
import {
  folderSink,
  produceInventory,
  repositorySource,
  type InventoryLevel,
} from '@dicomnet/storage-management';
import {
  generateInstances,
  runTool,
  startDcmqrscp,
  tempDir,
  type Dcmqrscp,
  type GeneratedInstance,
} from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { dicomnet } from '../bin-child.js';

let work: { path: string; remove(): Promise<void> };
let repo: string;
let qrscp: Dcmqrscp;
let archived: GeneratedInstance[];
let missing: GeneratedInstance;

/** An inventory of the repository as it is now, into `folder`; the root file's path. */
async function produce(folder: string, level: InventoryLevel, scope?: DataSet): Promise<string> {
  const repository = await FileRepository.open({ root: repo, fsync: false });
  try {
    const root = await produceInventory({
      source: repositorySource(repository),
      sink: folderSink(folder),
      request: {
        level,
        query: parseInventoryScope(scope),
        ...(scope !== undefined && { scope }),
        startedAt: new Date(),
      },
      maxRecordsPerInstance: 4,
    });
    return path.join(folder, `${root.sopInstanceUid}.dcm`);
  } finally {
    await repository.close();
  }
}

async function importFolder(folder: string): Promise<void> {
  const run = await dicomnet(['import', folder, '--storage', repo, '--no-fsync']);
  expect(run.code, run.stderr).toBe(ExitCode.Ok);
}

function diffFind(inventory: string, ...more: string[]): ReturnType<typeof dicomnet> {
  return dicomnet([
    'inventory',
    'diff',
    inventory,
    '--find',
    `127.0.0.1:${qrscp.port}`,
    '--called',
    qrscp.aeTitle,
    '--timeout',
    '10',
    ...more,
  ]);
}

beforeAll(async () => {
  work = await tempDir('dicomnet-cli-diff-find-');
  repo = path.join(work.path, 'repo');
  archived = [
    ...(await generateInstances(path.join(work.path, 'in', 'a'), { count: 3, pixelBytes: 64 })),
    ...(await generateInstances(path.join(work.path, 'in', 'b'), {
      count: 2,
      pixelBytes: 64,
      patientName: 'Other^Patient',
      // dcmqrscp's database is patient-rooted: one Patient ID, one Patient's Name.
      patientId: 'PID0002',
    })),
  ];
  [missing] = await generateInstances(path.join(work.path, 'late'), {
    count: 1,
    pixelBytes: 64,
  }).then((late) => late as [GeneratedInstance]);
  await importFolder(path.join(work.path, 'in'));
  qrscp = await startDcmqrscp();
  for (const instance of archived) {
    const indexed = await runTool('dcmqridx', [qrscp.storageDir, instance.path]);
    expect(indexed.code, indexed.stderr).toBe(0);
  }
}, 60_000);

afterAll(async () => {
  await qrscp?.stop();
  await work?.remove();
});

describe('dicomnet inventory diff A --find', () => {
  it('exits 0 when the archive holds what the inventory lists, at every level', async () => {
    for (const level of ['STUDY', 'SERIES', 'INSTANCE'] as const) {
      const inventory = await produce(path.join(work.path, `equal-${level}`), level);
      const run = await diffFind(inventory);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`equal (compared at ${level} level)`);
      expect(run.code).toBe(ExitCode.Ok);
    }
  }, 45_000);

  it('exits 1 and names the instance the archive lacks', async () => {
    await importFolder(path.join(work.path, 'late'));
    const inventory = await produce(path.join(work.path, 'with-late'), 'INSTANCE');
    const run = await diffFind(inventory, '--json');
    expect(run.code, run.stderr).toBe(ExitCode.Failed);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The late instance is in a study of its own (generateInstances makes one per call): its
    // study, series and instance are missing on the archive, nothing else differs.
    expect(lines).toContainEqual({
      change: 'removed',
      kind: 'instance',
      studyInstanceUid: missing.studyInstanceUid,
      seriesInstanceUid: missing.seriesInstanceUid,
      sopInstanceUid: missing.sopInstanceUid,
    });
    expect(lines.at(-1)).toMatchObject({
      kind: 'summary',
      equal: false,
      removed: { study: 1, series: 1, instance: 1 },
      added: { study: 0, series: 0, instance: 0 },
      changed: { study: 0, series: 0, instance: 0 },
    });
  }, 30_000);

  it('names an attribute the archive holds another value of', async () => {
    const [original] = (await generateInstances(path.join(work.path, 'renamed'), {
      count: 1,
      pixelBytes: 64,
      patientId: 'PID0003',
    })) as [GeneratedInstance];
    await importFolder(path.join(work.path, 'renamed'));
    // The archive's copy of the same instance with another Patient's Name.
    const copy = path.join(work.path, 'renamed-copy.dcm');
    await copyFile(original.path, copy);
    const modified = await runTool('dcmodify', ['-nb', '-m', '(0010,0010)=Renamed^Patient', copy]);
    expect(modified.code, modified.stderr).toBe(0);
    const indexed = await runTool('dcmqridx', [qrscp.storageDir, copy]);
    expect(indexed.code, indexed.stderr).toBe(0);
    const inventory = await produce(path.join(work.path, 'renamed-inventory'), 'STUDY');
    const run = await diffFind(inventory);
    expect(run.code, run.stderr).toBe(ExitCode.Failed);
    expect(run.stdout).toContain(
      `~ study ${original.studyInstanceUid}: (0010,0010) Test^Small -> Renamed^Patient`,
    );
    // The late study of the test before is still missing on the archive.
    expect(run.stdout).toContain(`- study ${missing.studyInstanceUid}`);
    expect(run.stdout).toMatch(/changed +1 studies, 0 series, 0 instances/);
    expect(run.stdout).toMatch(/removed +1 studies, 0 series, 0 instances/);
  }, 30_000);

  it("selects the archive's studies by A's Scope of Inventory", async () => {
    // Patient ID and Name are study-level return keys of dcmqrscp; Modalities in Study it lacks.
    const other = { '00100020': { vr: 'LO', Value: ['PID0002'] } } as const satisfies DataSet;
    const inventory = await produce(path.join(work.path, 'scoped'), 'INSTANCE', other);
    const run = await diffFind(inventory);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('equal (compared at INSTANCE level)');
    expect(run.code).toBe(ExitCode.Ok);

    const wildcard = { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Oth*' }] } } as const;
    const byName = await diffFind(
      await produce(path.join(work.path, 'by-name'), 'STUDY', wildcard),
    );
    expect(byName.stdout).toContain('equal (compared at STUDY level)');
    expect(byName.code, byName.stderr).toBe(ExitCode.Ok);

    const modality = { '00080061': { vr: 'CS', Value: ['XA'] } } as const satisfies DataSet;
    const unanswered = await diffFind(
      await produce(path.join(work.path, 'by-modality'), 'STUDY', modality),
    );
    expect(unanswered.code, unanswered.stderr).toBe(ExitCode.Ok); // no study on either side
    expect(unanswered.stderr).toMatch(/no value of ModalitiesInStudy for \d+ studies/);
  }, 45_000);

  it('refuses --find without --called', async () => {
    const run = await dicomnet(['inventory', 'diff', 'a.dcm', '--find', '127.0.0.1:104']);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain('--called');
  });
});
