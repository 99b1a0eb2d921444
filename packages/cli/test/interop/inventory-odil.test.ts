// Inventory FIND, GET and MOVE (PS3.4 JJ) of `dicomnet serve` by another implementation: odil
// (Debian's python3-odil, through test/interop/odil/inventory_qr.py), whose query and retrieve
// SCUs take any SOP class. DCMTK 3.6.7's findscu, getscu and movescu cannot: their information
// models are fixed options. The inventory is produced by serve on request (PS3.4 KK), split into
// a tree; odil finds its instances, gets them (in Implicit VR, the only syntax odil 0.12 can
// read them in, so serve converts them on the way) and moves them to DCMTK's storescp. What
// arrives is read back as a tree whose instance records are exactly what the repository holds.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createInventoryScu,
  readInventoryFolder,
  readInventoryTree,
} from '@dicomnet/storage-management';
import { runTool, startStorescp, tempDir, type DcmtkScp } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoStudies } from '../../src/actions/demo-studies.js';
import { startServe, stopServe, type Serving } from '../bin-child.js';
import { fillRepository } from '../fill-repository.js';

const SCRIPT = fileURLToPath(new URL('odil/inventory_qr.py', import.meta.url));
/** Debian's interpreter, where python3-odil is installed (not a virtual environment's). */
const PYTHON = '/usr/bin/python3';

/** Runs the odil script; its JSON lines. */
async function odil(args: readonly string[]): Promise<Record<string, unknown>[]> {
  const result = await runTool(PYTHON, [SCRIPT, ...args], { timeoutMs: 30_000 });
  expect(result.code, `${result.stderr}${result.stdout}`).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The SOP Instance UIDs of the instance records of the tree under the folder's one root. */
async function instancesOfTree(dir: string, root: string): Promise<string[]> {
  const folder = await readInventoryFolder(dir);
  expect(folder.skipped).toEqual([]);
  expect(folder.roots.map((header) => header.sopInstanceUid)).toEqual([root]);
  const uids: string[] = [];
  for await (const item of readInventoryTree(root, folder.open))
    if (item.kind === 'instance') uids.push(item.sopInstanceUid);
  return uids.sort();
}

describe('odil finds, gets and moves the Inventory instances dicomnet serve produced', () => {
  const instances = makeDemoStudies(4);
  const stored = instances.map((instance) => instance.sopInstanceUid).sort();
  let dir: { path: string; remove: () => Promise<void> };
  let storescp: DcmtkScp;
  let serving: Serving | undefined;
  let root: string;
  let produced: string[];

  beforeAll(async () => {
    dir = await tempDir('dicomnet-inventory-odil-');
    await fillRepository(path.join(dir.path, 'repository'), instances);
    storescp = await startStorescp({
      outputDir: path.join(dir.path, 'moved'),
      extraArgs: ['-pm'], // DCMTK 3.6.7 knows no Inventory Storage: accept any SOP class
    });
    serving = await startServe([
      '--storage',
      path.join(dir.path, 'repository'),
      '--peer',
      `${storescp.aeTitle}=127.0.0.1:${storescp.port}`,
      '--max-records-per-instance',
      '8',
    ]);
    const scu = createInventoryScu({ aeTitle: 'ODILTEST' });
    try {
      const transaction = await scu.initiate({
        peer: { host: '127.0.0.1', port: serving.port, calledAeTitle: 'ARCHIVE' },
        level: 'INSTANCE',
      });
      root = (await transaction.done).access.sopInstanceUid;
    } finally {
      await scu.close();
    }
  }, 60_000);

  afterAll(async () => {
    expect(await stopServe(serving)).toBe(0);
    await storescp?.stop();
    await dir?.remove();
  }, 60_000);

  it('Inventory FIND: every instance of the tree, at the level asked for', async () => {
    const matches = await odil(['find', '127.0.0.1', String(serving?.port), 'ARCHIVE']);
    produced = matches.map((match) => String(match.sopInstanceUid)).sort();
    expect(produced).toContain(root);
    expect(produced.length).toBeGreaterThan(2); // leaves, and the root above them
    expect(new Set(matches.map((match) => match.level))).toEqual(new Set(['INSTANCE']));
  });

  it('Inventory GET in Implicit VR: the whole tree, records equal to the repository', async () => {
    const out = path.join(dir.path, 'got');
    await mkdir(out);
    const lines = await odil([
      'get',
      '127.0.0.1',
      String(serving?.port),
      'ARCHIVE',
      out,
      ...produced,
    ]);
    expect(lines.at(-1)).toEqual({
      final: { status: 0, completed: produced.length, remaining: 0, failed: 0, warning: 0 },
    });
    expect(await instancesOfTree(out, root)).toEqual(stored);
  });

  it('Inventory MOVE to storescp: the whole tree, records equal to the repository', async () => {
    const lines = await odil([
      'move',
      '127.0.0.1',
      String(serving?.port),
      'ARCHIVE',
      storescp.aeTitle,
      ...produced,
    ]);
    expect(lines.at(-1)).toEqual({
      final: { status: 0, completed: produced.length, remaining: 0, failed: 0, warning: 0 },
    });
    expect(await instancesOfTree(path.join(dir.path, 'moved'), root)).toEqual(stored);
  });
});
