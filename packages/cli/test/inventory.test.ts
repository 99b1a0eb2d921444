// `dicomnet inventory show` and `diff` as users run them: dist/bin.js in a child process, on
// inventories the real producer wrote (produceInventory over a repository filled by
// `dicomnet import`, split into trees, stored by folderSink).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { FileRepository } from '@dicomnet/repository';
import {
  folderSink,
  produceInventory,
  repositorySink,
  repositorySource,
  type InventoryEntry,
  type InventoryLevel,
  type InventorySource,
} from '@dicomnet/storage-management';
import { generateInstances, tempDir, type GeneratedInstance } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { dicomnet, startServe, stopServe } from './bin-child.js';

let work: { path: string; remove(): Promise<void> };
let repo: string;
let first: GeneratedInstance[];
let second: GeneratedInstance[];

/**
 * Produces an inventory of the repository now into `folder` (a tree of at most 4 records per
 * leaf), or into the repository itself.
 */
async function produce(
  folder: string | 'repository',
  level: InventoryLevel,
  wrap: (source: InventorySource) => InventorySource = (source) => source,
): Promise<string> {
  const repository = await FileRepository.open({ root: repo, fsync: false });
  try {
    const root = await produceInventory({
      source: wrap(repositorySource(repository)),
      sink: folder === 'repository' ? repositorySink(repository) : folderSink(folder),
      request: {
        level,
        query: { conditions: [], returnKeys: [], ignoredKeys: [] },
        startedAt: new Date(),
        transactionUid: '1.2.826.0.1.3680043.10.1.99',
      },
      maxRecordsPerInstance: 4,
    });
    return root.sopInstanceUid;
  } finally {
    await repository.close();
  }
}

async function importFolder(folder: string): Promise<void> {
  const run = await dicomnet(['import', folder, '--storage', repo, '--no-fsync']);
  expect(run.code, run.stderr).toBe(ExitCode.Ok);
}

beforeAll(async () => {
  work = await tempDir('dicomnet-cli-inventory-');
  repo = path.join(work.path, 'repo');
  first = [
    ...(await generateInstances(path.join(work.path, 'first', 'a'), { count: 3, pixelBytes: 64 })),
    ...(await generateInstances(path.join(work.path, 'first', 'b'), {
      count: 2,
      pixelBytes: 64,
      patientName: 'Other^Patient',
    })),
  ];
  second = await generateInstances(path.join(work.path, 'second'), { count: 2, pixelBytes: 64 });
  await importFolder(path.join(work.path, 'first'));
}, 120_000);

afterAll(async () => {
  await work?.remove();
});

describe('dicomnet inventory show', () => {
  it('prints the records, then level, completion, transaction, totals and the tree', async () => {
    const folder = path.join(work.path, 'show');
    const root = await produce(folder, 'INSTANCE');
    const run = await dicomnet(['inventory', 'show', folder]);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    for (const instance of first)
      expect(run.stdout).toContain(`instance ${instance.sopInstanceUid}`);
    expect(run.stdout).toContain(`inventory ${root}`);
    expect(run.stdout).toMatch(/level +INSTANCE/);
    expect(run.stdout).toMatch(/completion +COMPLETE/);
    expect(run.stdout).toMatch(/transaction +1\.2\.826\.0\.1\.3680043\.10\.1\.99/);
    // A study split over two leaves is two study items (PS3.17 YYYY.7.10): the stated total
    // counts items too.
    expect(run.stdout).toMatch(
      /records +(\d+) studies, \d+ series, 5 instances \(stated total: \1 studies\)/,
    );
    const files = await readdir(folder);
    expect(run.stdout).toContain(`tree           ${files.length} instance(s)`);
    expect(run.stderr).toBe('');
  });

  it('prints JSON lines: one per record, then the summary; and reads a root file', async () => {
    const folder = path.join(work.path, 'show-json');
    const root = await produce(folder, 'SERIES');
    const run = await dicomnet(['inventory', 'show', path.join(folder, `${root}.dcm`), '--json']);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; records?: unknown; tree?: unknown[] });
    expect(lines.filter((line) => line.kind === 'study')).toHaveLength(2);
    expect(lines.filter((line) => line.kind === 'series')).toHaveLength(2);
    expect(lines.filter((line) => line.kind === 'instance')).toHaveLength(0);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({
      kind: 'summary',
      root,
      level: 'SERIES',
      records: { study: 2, series: 2, instance: 0 },
    });
    expect(summary?.tree?.length).toBe((await readdir(folder)).length);
  });

  it('fails with exit 1 on a file that is not an inventory, and 2 on an unknown subcommand', async () => {
    const run = await dicomnet(['inventory', 'show', first[0]?.path ?? '']);
    expect(run.code).toBe(ExitCode.Failed);
    expect(run.stderr).toMatch(/not an Inventory instance/);
    const usage = await dicomnet(['inventory', 'frobnicate']);
    expect(usage.code).toBe(ExitCode.Usage);
    expect(usage.stderr).toMatch(/unknown inventory subcommand 'frobnicate'/);
  });
});

describe('dicomnet inventory diff', () => {
  let before: string;
  let after: string;
  let changed: string;
  beforeAll(async () => {
    before = path.join(work.path, 'before');
    await produce(before, 'INSTANCE');
    // The same content with one series' modality changed: a migration that rewrote a value.
    changed = path.join(work.path, 'changed');
    const series = first[0]?.seriesInstanceUid;
    await produce(changed, 'INSTANCE', (source) => ({
      isMatchable: (tag) => source.isMatchable(tag),
      async *entries(scope, options) {
        for await (const entry of source.entries(scope, options)) {
          if (entry.kind === 'series' && entry.attributes['0020000E']?.Value?.[0] === series)
            yield {
              ...entry,
              attributes: { ...entry.attributes, '00080060': { vr: 'CS', Value: ['MR'] } },
            };
          else yield entry;
        }
      },
    }));
    await importFolder(path.join(work.path, 'second'));
    after = path.join(work.path, 'after');
    await produce(after, 'INSTANCE');
  }, 120_000);

  it('exits 0 for equal inventories', async () => {
    const run = await dicomnet(['inventory', 'diff', before, before]);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    expect(run.stdout).toMatch(/^equal \(compared at INSTANCE level\)/);
    expect(run.stderr).toBe(''); // merged as read: both in UID order
  });

  it('compares an inventory out of UID order through the table', async () => {
    const reversed = path.join(work.path, 'reversed');
    // The same studies, last first: another producer's order.
    await produce(reversed, 'INSTANCE', (source) => ({
      isMatchable: (tag) => source.isMatchable(tag),
      async *entries(scope, options) {
        const studies: InventoryEntry[][] = [];
        for await (const entry of source.entries(scope, options)) {
          if (entry.kind === 'study') studies.unshift([]);
          studies[0]?.push(entry);
        }
        for (const study of studies) yield* study;
      },
    }));
    const run = await dicomnet(['inventory', 'diff', reversed, after]);
    expect(run.stderr).toMatch(/not in UID order/);
    expect(run.code, run.stderr).toBe(ExitCode.Ok);
    const differ = await dicomnet(['inventory', 'diff', reversed, before, '--summary']);
    expect(differ.code).toBe(ExitCode.Failed);
    expect(differ.stdout).toContain('removed  1 studies, 1 series, 2 instances');
  });

  it('lists what was added and removed, and exits 1', async () => {
    const added = await dicomnet(['inventory', 'diff', before, after]);
    expect(added.code, added.stderr).toBe(ExitCode.Failed);
    const study = second[0]?.studyInstanceUid ?? '';
    expect(added.stdout).toContain(`+ study ${study}\n`);
    expect(added.stdout).toContain(`+ series ${second[0]?.seriesInstanceUid} (study ${study})`);
    for (const instance of second)
      expect(added.stdout).toContain(`+ instance ${instance.sopInstanceUid} (study ${study})`);
    expect(added.stdout).toContain('added    1 studies, 1 series, 2 instances');
    expect(added.stdout).toContain('removed  0 studies, 0 series, 0 instances');
    const removed = await dicomnet(['inventory', 'diff', after, before, '--json']);
    expect(removed.code).toBe(ExitCode.Failed);
    const lines = removed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line['change'] === 'removed')).toHaveLength(4);
    expect(lines.at(-1)).toMatchObject({
      kind: 'summary',
      equal: false,
      removed: { study: 1, series: 1, instance: 2 },
      added: { study: 0, series: 0, instance: 0 },
    });
  });

  it('says which attribute changed', async () => {
    const run = await dicomnet(['inventory', 'diff', before, changed]);
    expect(run.code).toBe(ExitCode.Failed);
    expect(run.stdout).toContain(
      `~ series ${first[0]?.seriesInstanceUid} (study ${first[0]?.studyInstanceUid}): (0008,0060) OT -> MR`,
    );
    expect(run.stdout).toContain('changed  0 studies, 1 series, 0 instances');
  });

  it('compares an inventory with the repository as it is now (--storage)', async () => {
    const stale = await dicomnet(['inventory', 'diff', before, '--storage', repo, '--summary']);
    expect(stale.code, stale.stderr).toBe(ExitCode.Failed);
    expect(stale.stdout).toContain('added    1 studies, 1 series, 2 instances');
    const current = await dicomnet(['inventory', 'diff', after, '--storage', repo]);
    expect(current.code, current.stderr + current.stdout).toBe(ExitCode.Ok);
  });
});

/** Starts `dicomnet serve --storage repo` as ARCHIVE; `stop()` ends it with SIGTERM. */
async function serve(): Promise<{ port: number; stop(): Promise<void> }> {
  const serving = await startServe(['--storage', repo, '--no-fsync']);
  return {
    port: serving.port,
    stop: async () => {
      await stopServe(serving);
    },
  };
}

describe('dicomnet inventory show and diff against a peer (Inventory GET/MOVE, PS3.4 JJ.3.2)', () => {
  it('reads the tree the peer holds, and finds it equal to a copy kept in a folder', async () => {
    const copy = path.join(work.path, 'copy');
    await produce(copy, 'SERIES');
    const root = await produce('repository', 'SERIES');
    const server = await serve();
    try {
      const peer = `ARCHIVE@127.0.0.1:${server.port}`;
      const shown = await dicomnet([
        'inventory',
        'show',
        '--peer',
        peer,
        '--root',
        root,
        '--summary',
      ]);
      expect(shown.code, shown.stderr).toBe(ExitCode.Ok);
      expect(shown.stdout).toContain(`inventory ${root}`);
      expect(shown.stdout).toMatch(/level +SERIES/);
      const diff = await dicomnet(['inventory', 'diff', copy, '--peer', peer, '--root', root]);
      expect(diff.code, diff.stderr + diff.stdout).toBe(ExitCode.Ok);
      expect(diff.stdout).toMatch(/^equal \(compared at SERIES level\)/);
      const missing = await dicomnet(['inventory', 'show', '--peer', peer, '--root', '1.2.3.4.5']);
      expect(missing.code).toBe(ExitCode.Failed);
      expect(missing.stderr).toContain('1.2.3.4.5');
    } finally {
      await server.stop();
    }
  });

  it('refuses --peer without --root, a malformed --peer, and two things to compare A with', async () => {
    const noRoot = await dicomnet(['inventory', 'show', '--peer', 'ARCHIVE@127.0.0.1:104']);
    expect(noRoot.code).toBe(ExitCode.Usage);
    const bad = await dicomnet(['inventory', 'show', '--peer', '127.0.0.1:104', '--root', '1.2']);
    expect(bad.code).toBe(ExitCode.Usage);
    const twoSides = await dicomnet(['inventory', 'diff', 'a', 'b', '--storage', repo]);
    expect(twoSides.code).toBe(ExitCode.Usage);
    expect(twoSides.stderr).toMatch(/diff compares A with B, with --storage DIR, or with --peer/);
  });
});
