import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeInventoryFixture, type FixtureOptions } from '../../test/inventory-fixture.js';
import { readInventoryFolder } from './inventory-folder.js';
import { readInventoryTree, type InventoryTreeItem } from './read-inventory-tree.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'read-tree-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folderOf(name: string, instances: readonly FixtureOptions[]): Promise<string> {
  const folder = path.join(dir, name);
  await mkdir(folder);
  for (const instance of instances)
    await writeInventoryFixture(path.join(folder, `${instance.sopInstanceUid}.dcm`), instance);
  return folder;
}

async function collect(items: AsyncIterable<InventoryTreeItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items)
    if (item.kind === 'study') out.push(`${item.path.join('/')}: ${item.studyInstanceUid}`);
  return out;
}

const study = (uid: string) => ({ uid, series: [{ uid: `${uid}.1` }] });

describe('readInventoryTree (PS3.3 C.38.1.1.5, C.38.2.3)', () => {
  it('reads every record of the tree once, depth first, each node before its children', async () => {
    const folder = await folderOf('tree', [
      {
        sopInstanceUid: '7.1',
        level: 'SERIES',
        studies: [study('1.1')],
        incorporated: [{ uid: '7.2', incorporated: [{ uid: '7.4' }] }, { uid: '7.3' }],
        totalStudyRecords: 5,
      },
      {
        sopInstanceUid: '7.2',
        level: 'SERIES',
        studies: [study('1.2')],
        incorporated: [{ uid: '7.4' }],
      },
      { sopInstanceUid: '7.3', level: 'SERIES', studies: [study('1.3'), study('1.5')] },
      { sopInstanceUid: '7.4', level: 'SERIES', studies: [study('1.4')] },
    ]);
    const found = await readInventoryFolder(folder);
    expect(found.roots.map((root) => root.sopInstanceUid)).toEqual(['7.1']);
    expect(await collect(readInventoryTree('7.1', found.open))).toEqual([
      '7.1: 1.1',
      '7.1/7.2: 1.2',
      '7.1/7.2/7.4: 1.4',
      '7.1/7.3: 1.3',
      '7.1/7.3: 1.5',
    ]);
  });

  it('refuses a cycle, an instance met twice, a level mismatch and a missing instance', async () => {
    const cycle = await readInventoryFolder(
      await folderOf('cycle', [
        { sopInstanceUid: '6.1', level: 'STUDY', studies: [], incorporated: [{ uid: '6.2' }] },
        { sopInstanceUid: '6.2', level: 'STUDY', studies: [], incorporated: [{ uid: '6.1' }] },
      ]),
    );
    await expect(collect(readInventoryTree('6.1', cycle.open))).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_CYCLE',
      path: ['6.1', '6.2', '6.1'],
    });
    const twice = await readInventoryFolder(
      await folderOf('twice', [
        {
          sopInstanceUid: '6.3',
          level: 'STUDY',
          studies: [],
          incorporated: [{ uid: '6.4' }, { uid: '6.4' }],
        },
        { sopInstanceUid: '6.4', level: 'STUDY', studies: [{ uid: '1.1' }] },
      ]),
    );
    await expect(collect(readInventoryTree('6.3', twice.open))).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_CYCLE',
    });
    const levels = await readInventoryFolder(
      await folderOf('levels', [
        { sopInstanceUid: '6.5', level: 'STUDY', studies: [], incorporated: [{ uid: '6.6' }] },
        { sopInstanceUid: '6.6', level: 'SERIES', studies: [] },
      ]),
    );
    await expect(collect(readInventoryTree('6.5', levels.open))).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_LEVEL_MISMATCH',
    });
    const missing = await readInventoryFolder(
      await folderOf('missing', [
        { sopInstanceUid: '6.7', level: 'STUDY', studies: [], incorporated: [{ uid: '6.8' }] },
      ]),
    );
    await expect(collect(readInventoryTree('6.7', missing.open))).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_NOT_FOUND',
    });
    // The opener hands back another instance than the one referenced.
    await expect(
      collect(readInventoryTree('6.7', () => path.join(dir, 'levels', '6.6.dcm'))),
    ).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_NOT_FOUND' });
  });
});
