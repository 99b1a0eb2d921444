// retrieveInventory against a real DIMSE peer over TCP: a dimse server whose Inventory GET and
// MOVE handlers serve Part 10 files from a folder by SOP Instance UID (PS3.4 JJ.3.2), and which
// checks the identifier as JJ.3.2 wants it (no Query/Retrieve Level).
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import {
  createServer,
  openInstanceFile,
  type DimseServer,
  type RetrieveAnswer,
} from '@dicomnet/dimse';
import { freePort, tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryTreeItem } from '../../src/read/read-inventory-tree.js';
import {
  retrieveInventory,
  type RetrieveInventoryProgress,
} from '../../src/retrieve/retrieve-inventory.js';
import {
  INVENTORY_GET_SOP_CLASS,
  INVENTORY_MOVE_SOP_CLASS,
  INVENTORY_STORAGE_SOP_CLASS,
} from '../../src/uids.js';
import { writeInventoryFixture } from '../inventory-fixture.js';

const SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];
let folder: { path: string; remove(): Promise<void> };
let server: DimseServer;
let port: number;
let movePort: number;
const identifiers: DataSet[] = [];

async function answer(identifier: DataSet): Promise<RetrieveAnswer> {
  identifiers.push(identifier);
  // PS3.4 JJ.3.2: Query/Retrieve Level shall not be present.
  if ('00080052' in identifier) return { status: 0xa900 };
  const uids = (identifier['00080018']?.Value ?? []) as string[];
  const files = await Promise.all(
    uids
      .map((uid) => path.join(folder.path, `${uid}.dcm`))
      .filter((file) => existsSync(file)) // no match: Success with no sub-operations
      .map(async (file) => (await openInstanceFile(file)).instance()),
  );
  return files;
}

beforeAll(async () => {
  folder = await tempDir('retrieve-inventory-');
  const study = (uid: string) => ({
    uid,
    series: [{ uid: `${uid}.1`, instances: [{ uid: `${uid}.1.1` }] }],
  });
  // A root with two leaves; the second leaf incorporates a third (C.38.2.3).
  await writeInventoryFixture(path.join(folder.path, '5.1.dcm'), {
    sopInstanceUid: '5.1',
    level: 'INSTANCE',
    studies: [study('1.1')],
    incorporated: [{ uid: '5.2' }, { uid: '5.3', incorporated: [{ uid: '5.4' }] }],
    totalStudyRecords: 4,
  });
  await writeInventoryFixture(path.join(folder.path, '5.2.dcm'), {
    sopInstanceUid: '5.2',
    level: 'INSTANCE',
    studies: [study('1.2')],
  });
  await writeInventoryFixture(path.join(folder.path, '5.3.dcm'), {
    sopInstanceUid: '5.3',
    level: 'INSTANCE',
    studies: [study('1.3')],
    incorporated: [{ uid: '5.4' }],
  });
  await writeInventoryFixture(path.join(folder.path, '5.4.dcm'), {
    sopInstanceUid: '5.4',
    level: 'INSTANCE',
    studies: [study('1.4')],
    transferSyntaxUid: '1.2.840.10008.1.2',
  });
  movePort = await freePort();
  server = createServer({
    aeTitles: ['ARCHIVE'],
    contexts: [
      { abstractSyntax: INVENTORY_GET_SOP_CLASS, transferSyntaxes: SYNTAXES },
      { abstractSyntax: INVENTORY_MOVE_SOP_CLASS, transferSyntaxes: SYNTAXES },
      {
        abstractSyntax: INVENTORY_STORAGE_SOP_CLASS,
        transferSyntaxes: SYNTAXES,
        requestorRoles: { scu: false, scp: true },
      },
    ],
    handlers: {
      get: (request) => answer(request.identifier),
      move: (request) => answer(request.identifier),
    },
    moveDestinations: { RECONCILER: { host: '127.0.0.1', port: movePort } },
  });
  port = (await server.listen({ port: 0 })).port;
});

afterAll(async () => {
  await server.close();
  await folder.remove();
});

/**
 * Runs `body` with the system temporary folder (os.tmpdir(), read from TMPDIR) pointing at a
 * folder of its own, and returns what is left in it: other test files, run at the same time,
 * make and remove `dicomnet-inventory-*` folders in the shared one.
 */
async function leftInTemporaryFolder(body: () => Promise<void>): Promise<string[]> {
  const own = await tempDir('retrieve-tmp-');
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = own.path;
  try {
    await body();
    return await readdir(own.path);
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
    await own.remove();
  }
}

/** Where the tests retrieve from: the archive above, as the reconciler. */
const archive = () =>
  ({ host: '127.0.0.1', port, callingAeTitle: 'RECONCILER', calledAeTitle: 'ARCHIVE' }) as const;

async function studies(items: AsyncIterable<InventoryTreeItem>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) if (item.kind === 'study') out.push(item.studyInstanceUid);
  return out;
}

describe('retrieveInventory (PS3.4 JJ.3.2, JJ.3.3)', () => {
  it.each(['get', 'move'] as const)(
    'retrieves the whole tree through Inventory %s and yields every record',
    async (via) => {
      identifiers.length = 0;
      const progress: RetrieveInventoryProgress[] = [];
      const items = retrieveInventory({
        ...archive(),
        root: '5.1',
        via,
        ...(via === 'move' && { destination: { aeTitle: 'RECONCILER', port: movePort } }),
        onProgress: (step) => progress.push(step),
      });
      expect(await studies(items)).toEqual(['1.1', '1.2', '1.3', '1.4']);
      // The root first, then every instance its tree names, in one request.
      expect(identifiers.map((identifier) => identifier['00080018']?.Value)).toEqual([
        ['5.1'],
        ['5.2', '5.3', '5.4'],
      ]);
      expect(progress.at(-1)).toEqual({ phase: 'read', instances: 4 });
      expect(
        progress.filter((step) => step.phase === 'retrieve' && step.suboperations === undefined),
      ).toHaveLength(2);
    },
  );

  it('keeps the instances in the folder asked for, and removes its temporary folder', async () => {
    const kept = await tempDir('retrieve-kept-');
    try {
      const dir = path.join(kept.path, 'tree');
      await mkdir(dir);
      const items = retrieveInventory({
        ...archive(),
        root: '5.3',
        via: 'get',
        dir,
      });
      expect(await studies(items)).toEqual(['1.3', '1.4']);
      expect((await readdir(dir)).sort()).toEqual(['5.3.dcm', '5.4.dcm']);
      const left = await leftInTemporaryFolder(async () => {
        expect(
          await studies(
            retrieveInventory({
              ...archive(),
              root: '5.3',
              via: 'get',
            }),
          ),
        ).toEqual(['1.3', '1.4']);
      });
      expect(left).toEqual([]);
    } finally {
      await kept.remove();
    }
  });

  it('does not take a file an earlier run left in its folder for one the peer sent', async () => {
    const kept = await tempDir('retrieve-stale-');
    try {
      // 5.98 is not on the peer; a stale copy of it sits in the folder.
      await writeInventoryFixture(path.join(kept.path, '5.98.dcm'), {
        sopInstanceUid: '5.98',
        level: 'INSTANCE',
        studies: [],
      });
      const items = retrieveInventory({
        ...archive(),
        root: '5.98',
        via: 'get',
        dir: kept.path,
      });
      await expect(studies(items)).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_NOT_FOUND' });
    } finally {
      await kept.remove();
    }
  });

  it('fails with DICOMNET_INVENTORY_NOT_FOUND when the peer has no such instance', async () => {
    const items = retrieveInventory({
      ...archive(),
      root: '5.99',
      via: 'get',
    });
    await expect(studies(items)).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_NOT_FOUND',
    });
  });

  it('stops on abort with the signal reason', async () => {
    const controller = new AbortController();
    const items = retrieveInventory({
      ...archive(),
      root: '5.1',
      via: 'get',
      signal: controller.signal,
      onProgress: (step) => {
        if (step.phase === 'retrieve' && step.round === 2) controller.abort(new Error('enough'));
      },
    });
    await expect(studies(items)).rejects.toThrow('enough');
  });
});
