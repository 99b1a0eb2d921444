// DCMTK with Inventory instances against createServer + the repository's Storage SCP and
// Inventory Query/Retrieve handlers (PS3.4 GG.6.6, JJ):
//  - storescu, with a configuration profile (`-xf`) that proposes Inventory Storage, stores
//    Inventory files; they are indexed and read back byte for byte;
//  - our SCU's Inventory MOVE sends them to DCMTK's storescp (promiscuous, `-pm`), which writes
//    what it received; compared byte for byte.
// findscu, getscu and movescu of DCMTK 3.6.7 cannot take part: their Information Model is one of
// fixed options (-W/-P/-S/-O, getscu/movescu -P/-S/-O) with no option or configuration file to
// propose another abstract syntax, so they never propose Inventory FIND/GET/MOVE (…201.2/.4/.3).
// odil does (packages/cli/test/interop/inventory-odil.test.ts, against `dicomnet serve`).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeFileMetaInformation, readPart10Header } from '@dicomnet/data';
import type { DataElement } from '@dicomnet/data';
import { connect, createServer } from '@dicomnet/dimse';
import type { DimseClient, DimseServer } from '@dicomnet/dimse';
import { runTool, startStorescp, tempDir } from '@dicomnet/test-utils';
import type { DcmtkScp } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRepository } from '../../src/index.js';
import {
  createInventoryQueryRetrieveHandlers,
  createStoreHandler,
  INVENTORY_QUERY_RETRIEVE_SOP_CLASSES as INV,
} from '../../src/services/index.js';
import { readAll } from '../instances.js';
import { EXPLICIT_LE, INVENTORY_STORAGE, inventoryBytes } from '../inventory-instance.js';

const IMPLICIT = '1.2.840.10008.1.2';
const TIMEOUTS = ['-to', '5', '-ta', '10', '-td', '30'];
const ROOT = '1.2.826.0.1.3680043.10.543.7';
const UIDS = [`${ROOT}1`, `${ROOT}2`, `${ROOT}3`];

// A storescu configuration (PS: DCMTK's storescu.cfg format) whose one profile proposes Inventory
// Storage, which DCMTK 3.6.7's built-in storage lists lack.
const STORESCU_CONFIG = `[[TransferSyntaxes]]
[Uncompressed]
TransferSyntax1 = LittleEndianExplicit
TransferSyntax2 = LittleEndianImplicit

[[PresentationContexts]]
[Inventory]
PresentationContext1 = ${INVENTORY_STORAGE}\\Uncompressed

[[Profiles]]
[Inventory]
PresentationContexts = Inventory
`;

let work: Awaited<ReturnType<typeof tempDir>>;
let repository: FileRepository;
let server: DimseServer;
let port: number;
let storescp: DcmtkScp;
let storescpDir: string;
const files = new Map<string, Buffer>();

beforeAll(async () => {
  work = await tempDir('dicomnet-inventory-dcmtk-');
  repository = await FileRepository.open({ root: path.join(work.path, 'repo') });
  for (const [i, uid] of UIDS.entries()) {
    const header = encodeFileMetaInformation({
      mediaStorageSopClassUid: INVENTORY_STORAGE,
      mediaStorageSopInstanceUid: uid,
      transferSyntaxUid: EXPLICIT_LE,
    });
    const bytes = Buffer.concat([
      header,
      // storescu sends sequences with explicit lengths: so are they here, for a byte compare.
      inventoryBytes(
        { sopInstanceUid: uid, purpose: `inventory ${i}`, transactionUid: `${uid}.9` },
        true,
      ),
    ]);
    files.set(uid, bytes);
    await writeFile(path.join(work.path, `inv-${i}.dcm`), bytes);
  }
  storescpDir = path.join(work.path, 'storescp');
  storescp = await startStorescp({ outputDir: storescpDir, extraArgs: ['-pm'] });
  server = createServer({
    aeTitles: ['OURQR'],
    contexts: [
      ...Object.values(INV).map((abstractSyntax) => ({
        abstractSyntax,
        transferSyntaxes: [EXPLICIT_LE, IMPLICIT],
      })),
      {
        abstractSyntax: INVENTORY_STORAGE,
        transferSyntaxes: [EXPLICIT_LE, IMPLICIT],
        requestorRoles: { scu: true, scp: true },
      },
    ],
    handlers: {
      store: createStoreHandler(repository),
      ...createInventoryQueryRetrieveHandlers(repository, { retrieveAeTitle: 'OURQR' }),
    },
    moveDestinations: { STORESCP: { host: '127.0.0.1', port: storescp.port } },
  });
  port = (await server.listen({ port: 0, host: '127.0.0.1' })).port;
}, 60_000);

afterAll(async () => {
  await server?.abortAll();
  await server?.close();
  await storescp?.stop();
  await repository?.close();
  await work?.remove();
});

const dataSetOf = (bytes: Buffer): Buffer => bytes.subarray(readPart10Header(bytes).dataSetOffset);

describe('Inventory instances with DCMTK', () => {
  it('storescu (-xf profile with Inventory Storage) stores Inventory files; indexed and read back byte for byte', async () => {
    const config = path.join(work.path, 'storescu.cfg');
    await writeFile(config, STORESCU_CONFIG);
    const sent = await runTool('storescu', [
      ...TIMEOUTS,
      '-aec',
      'OURQR',
      '-xf',
      config,
      'Inventory',
      '127.0.0.1',
      String(port),
      ...UIDS.map((_, i) => path.join(work.path, `inv-${i}.dcm`)),
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    for (const uid of UIDS) {
      expect(await repository.get(uid)).toMatchObject({
        sopClassUid: INVENTORY_STORAGE,
        studyInstanceUid: '',
      });
      const stored = await readAll(await repository.read(uid));
      expect(dataSetOf(stored)).toEqual(dataSetOf(files.get(uid)!));
    }
    const purposes: string[] = [];
    for await (const match of repository.matchInventories({
      conditions: [],
      returnKeys: [],
      ignoredKeys: [],
    }))
      purposes.push(String(match.attributes['00080401']?.[0]));
    expect(purposes).toEqual(['inventory 0', 'inventory 1', 'inventory 2']);
  });

  it('Inventory MOVE of a list of UIDs to storescp: what storescp wrote is what was stored', async () => {
    const client: DimseClient = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'STORESCP',
      calledAeTitle: 'OURQR',
      contexts: [{ abstractSyntax: INV.move, transferSyntaxes: [EXPLICIT_LE] }],
    });
    try {
      const wanted = UIDS.slice(0, 2);
      const uid: DataElement = { vr: 'UI', Value: wanted };
      const operation = client.move({
        sopClassUid: INV.move,
        destination: 'STORESCP',
        identifier: { '00080018': uid },
      });
      let result;
      for (;;) {
        const step = await operation.next();
        if (step.done === true) {
          result = step.value;
          break;
        }
      }
      expect(result).toMatchObject({ status: 0, completed: 2, failed: 0 });
      const written = (await readdir(storescpDir)).sort();
      expect(written).toHaveLength(2);
      const received = new Map<string, Buffer>();
      for (const name of written) {
        const bytes = await readFile(path.join(storescpDir, name));
        received.set(readPart10Header(bytes).meta.mediaStorageSopInstanceUid, bytes);
      }
      expect([...received.keys()].sort()).toEqual(wanted);
      for (const each of wanted)
        expect(dataSetOf(received.get(each)!)).toEqual(dataSetOf(files.get(each)!));
    } finally {
      await client.release();
    }
  });
});
