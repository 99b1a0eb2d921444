// Inventory Query/Retrieve (PS3.4 JJ) on a real FileRepository over real associations: our own
// SCU sends Inventory FIND, GET and MOVE; answers are compared key by key and byte for byte with
// what was stored. DCMTK: test/interop/inventory-dcmtk.test.ts.
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import type { DataElement, DataSet } from '@dicomnet/data';
import { connect, createServer, DimseStatusError } from '@dicomnet/dimse';
import type { DimseClient, DimseServer, StoreRequest } from '@dicomnet/dimse';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstances, readAll, storeRequestOf, type TestInstance } from '../../test/instances.js';
import {
  EXPLICIT_LE,
  INVENTORY_STORAGE,
  inventoryBytes,
  type InventoryFixture,
} from '../../test/inventory-instance.js';
import { FileRepository } from '../file-repository.js';
import {
  createInventoryQueryRetrieveHandlers,
  INVENTORY_QUERY_RETRIEVE_SOP_CLASSES as INV,
  withInventoryQueryRetrieve,
} from './inventory-query-retrieve.js';
import { createQueryRetrieveHandlers } from './query-retrieve.js';
import { QUERY_RETRIEVE_SOP_CLASSES as QR } from './query-retrieve-models.js';

const IMPLICIT = '1.2.840.10008.1.2';
const ROOT = '1.2.826.0.1.3680043.10.543.';
/** Enough rows that a C-CANCEL after the first match stops well before the end. */
const MANY = 60;

const ui = (...values: string[]): DataElement =>
  values.length === 0 ? { vr: 'UI' } : { vr: 'UI', Value: values };
const cs = (...values: string[]): DataElement =>
  values.length === 0 ? { vr: 'CS' } : { vr: 'CS', Value: values };

async function bytesOf(request: StoreRequest): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of request.dataSet) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function drain<T, R>(operation: AsyncGenerator<T, R>): Promise<R> {
  for (;;) {
    const step = await operation.next();
    if (step.done === true) return step.value;
  }
}

describe('Inventory Query/Retrieve SCP handlers over a FileRepository (PS3.4 JJ)', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let repository: FileRepository;
  let patient: TestInstance;
  let server: DimseServer;
  let destination: DimseServer;
  let client: DimseClient;
  const moved = new Map<string, Buffer>();
  const stored = new Map<string, Uint8Array>();
  const fixtures: InventoryFixture[] = [
    {
      sopInstanceUid: `${ROOT}1`,
      contentDate: '20261101',
      level: 'STUDY',
      completion: 'COMPLETE',
      purpose: 'nightly',
      transactionUid: `${ROOT}901`,
    },
    {
      sopInstanceUid: `${ROOT}2`,
      contentDate: '20261201',
      contentTime: '083000',
      level: 'SERIES',
      completion: 'PARTIAL',
      purpose: 'migration to Zürich',
      transactionUid: `${ROOT}902`,
      studies: ['1.2.3.1', '1.2.3.2', '1.2.3.3'],
    },
    {
      sopInstanceUid: `${ROOT}3`,
      contentDate: '20261202',
      level: 'INSTANCE',
      purpose: 'audit',
      scope: [{ '00080061': { vr: 'CS', Value: ['MR'] } }],
    },
  ];

  beforeAll(async () => {
    work = await tempDir('dicomnet-inventory-qr-');
    repository = await FileRepository.open({ root: path.join(work.path, 'repo'), fsync: false });
    [patient] = (await makeInstances(path.join(work.path, 'patients'), 1)) as [TestInstance];
    await repository.store(storeRequestOf(patient));
    for (const fixture of fixtures) {
      const bytes = inventoryBytes(fixture);
      stored.set(fixture.sopInstanceUid, bytes);
      await repository.store({
        dataSet: bytes,
        sopClassUid: INVENTORY_STORAGE,
        sopInstanceUid: fixture.sopInstanceUid,
        transferSyntaxUid: EXPLICIT_LE,
      });
    }
    for (let i = 0; i < MANY; i++) {
      const sopInstanceUid = `${ROOT}5${String(i).padStart(3, '0')}`;
      await repository.store({
        dataSet: inventoryBytes({ sopInstanceUid, purpose: 'bulk' }),
        sopClassUid: INVENTORY_STORAGE,
        sopInstanceUid,
        transferSyntaxUid: EXPLICIT_LE,
      });
    }
    destination = createServer({
      contexts: [{ abstractSyntax: INVENTORY_STORAGE, transferSyntaxes: [EXPLICIT_LE, IMPLICIT] }],
      handlers: {
        store: async (request) => void moved.set(request.sopInstanceUid, await bytesOf(request)),
      },
    });
    const destinationPort = (await destination.listen({ port: 0, host: '127.0.0.1' })).port;
    const syntaxes = [EXPLICIT_LE, IMPLICIT];
    server = createServer({
      aeTitles: ['OURQR'],
      contexts: [
        ...[...Object.values(QR), ...Object.values(INV)].map((abstractSyntax) => ({
          abstractSyntax,
          transferSyntaxes: syntaxes,
        })),
        {
          abstractSyntax: INVENTORY_STORAGE,
          transferSyntaxes: syntaxes,
          requestorRoles: { scu: true, scp: true },
        },
      ],
      handlers: withInventoryQueryRetrieve(
        createQueryRetrieveHandlers(repository, { retrieveAeTitle: 'OURQR' }),
        createInventoryQueryRetrieveHandlers(repository, { retrieveAeTitle: 'OURQR' }),
      ),
      moveDestinations: { STORE: { host: '127.0.0.1', port: destinationPort } },
    });
    const port = (await server.listen({ port: 0, host: '127.0.0.1' })).port;
    client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'STORE',
      calledAeTitle: 'OURQR',
      contexts: [
        ...[...Object.values(QR), ...Object.values(INV)].map((abstractSyntax) => ({
          abstractSyntax,
          transferSyntaxes: [EXPLICIT_LE],
        })),
        {
          abstractSyntax: INVENTORY_STORAGE,
          transferSyntaxes: [EXPLICIT_LE],
          roles: { scu: false, scp: true },
        },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await client?.release();
    await server?.close();
    await destination?.close();
    await repository?.close();
    await work?.remove();
  });

  async function find(identifier: DataSet, sopClassUid: string = INV.find): Promise<DataSet[]> {
    const found: DataSet[] = [];
    for await (const match of client.find({ sopClassUid, identifier })) found.push(match);
    return found;
  }

  async function refusalOf(run: () => Promise<unknown>): Promise<DimseStatusError> {
    const error = await run().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof DimseStatusError)) throw new Error(`not refused: ${String(error)}`);
    return error;
  }

  const dataSetOf = (bytes: Buffer): Buffer =>
    bytes.subarray(readPart10Header(bytes).dataSetOffset);

  it('FIND answers each match with exactly the requested keys, as stored, in UID order', async () => {
    const found = await find({
      '00080018': ui(),
      '00080023': { vr: 'DA', Value: ['20261101-20261231'] },
      '00080033': { vr: 'TM' },
      '00080403': cs(),
      '00080426': cs(),
      '00080401': { vr: 'LT' },
      '00081195': ui(),
      '00080427': { vr: 'UL' },
      '00080428': { vr: 'UV' },
      '00080400': { vr: 'SQ' },
      '00080054': { vr: 'AE' },
      '00080402': { vr: 'LT' }, // Inventory Instance Description: not indexed
    });
    // The bulk ones have the fixture's default Content Date 20261205.
    expect(found.map((match) => match['00080018']?.Value?.[0])).toEqual([
      ...fixtures.map((fixture) => fixture.sopInstanceUid),
      ...Array.from({ length: MANY }, (_, i) => `${ROOT}5${String(i).padStart(3, '0')}`),
    ]);
    const second = found[1]!;
    expect(second).toEqual({
      '00080005': { vr: 'CS', Value: ['ISO_IR 192'] }, // the purpose is not ASCII
      '00080018': ui(`${ROOT}2`),
      '00080023': { vr: 'DA', Value: ['20261201'] },
      '00080033': { vr: 'TM', Value: ['083000'] },
      '00080054': { vr: 'AE', Value: ['OURQR'] },
      '00080400': {
        vr: 'SQ',
        Value: [
          {
            '00080020': { vr: 'DA', Value: ['20200101-20201231'] },
            '00080061': { vr: 'CS', Value: ['CT'] },
          },
        ],
      },
      '00080401': { vr: 'LT', Value: ['migration to Zürich'] },
      '00080402': { vr: 'LT' },
      '00080403': cs('SERIES'),
      '00080426': cs('PARTIAL'),
      '00080427': { vr: 'UL', Value: [3] },
      '00080428': { vr: 'UV', Value: [3n] },
      '00081195': ui(`${ROOT}902`),
    });
    expect(found[0]?.['00080052']).toBeUndefined(); // single level: no Query/Retrieve Level
  });

  it('FIND matches single values, UID lists, wild cards and Scope of Inventory items (C.2.2.2)', async () => {
    const uids = async (identifier: DataSet) =>
      (await find({ '00080018': ui(), ...identifier })).map((m) => m['00080018']?.Value?.[0]);
    expect(await uids({ '00080403': cs('SERIES') })).toEqual([`${ROOT}2`]);
    expect(await uids({ '00081195': ui(`${ROOT}901`, `${ROOT}902`) })).toEqual([
      `${ROOT}1`,
      `${ROOT}2`,
    ]);
    expect(await uids({ '00080401': { vr: 'LT', Value: ['au*'] } })).toEqual([`${ROOT}3`]);
    expect(await uids({ '00080426': cs('PARTIAL') })).toEqual([`${ROOT}2`]);
    expect(await uids({ '00080400': { vr: 'SQ', Value: [{ '00080061': cs('MR') }] } })).toEqual([
      `${ROOT}3`,
    ]);
    expect(await uids({ '00080018': ui(`${ROOT}3`) })).toEqual([`${ROOT}3`]);
    // Study Root on the same association finds the patient instance and no Inventory.
    const studies = await find({ '00080052': cs('STUDY'), '0020000D': ui() }, QR.studyRootFind);
    expect(studies.map((m) => m['0020000D']?.Value?.[0])).toEqual([patient.studyInstanceUid]);
  });

  it('refuses an Identifier with Query/Retrieve Level, or a malformed key, with 0xA900', async () => {
    const withLevel = await refusalOf(() => find({ '00080052': cs('IMAGE'), '00080018': ui() }));
    expect(withLevel.status).toBe(0xa900);
    expect(withLevel.details.offendingElement).toEqual([0x00080052]);
    const reversed = await refusalOf(() =>
      find({ '00080023': { vr: 'DA', Value: ['20261231-20260101'] } }),
    );
    expect(reversed.status).toBe(0xa900);
  });

  it('C-CANCEL stops a FIND (0xFE00); the association goes on', async () => {
    const cancel = new AbortController();
    const seen: DataSet[] = [];
    const failure = await (async () => {
      for await (const match of client.find(
        { sopClassUid: INV.find, identifier: { '00080018': ui() } },
        { cancel: cancel.signal, highWaterMark: 1 },
      )) {
        seen.push(match);
        cancel.abort();
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DimseStatusError);
    expect((failure as DimseStatusError).status).toBe(0xfe00);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(fixtures.length + MANY);
    expect(await find({ '00080018': ui() })).toHaveLength(fixtures.length + MANY);
  });

  it('GET sends one or a list of Inventory instances byte for byte (JJ.3.2 rules)', async () => {
    const received = new Map<string, Buffer>();
    const wanted = [`${ROOT}1`, `${ROOT}3`];
    const result = await drain(
      client.get(
        { sopClassUid: INV.get, identifier: { '00080018': ui(...wanted) } },
        {
          store: async (request) =>
            void received.set(request.sopInstanceUid, await bytesOf(request)),
        },
      ),
    );
    expect(result).toMatchObject({ status: 0, completed: 2, failed: 0 });
    expect([...received.keys()].sort()).toEqual(wanted);
    for (const uid of wanted) {
      expect(received.get(uid)).toEqual(Buffer.from(stored.get(uid)!));
      const file = await readAll(await repository.read(uid));
      expect(received.get(uid)).toEqual(dataSetOf(file));
    }
  });

  it('GET and MOVE refuse with 0xA900 without SOP Instance UID or with Query/Retrieve Level', async () => {
    const noKey = await refusalOf(() =>
      drain(client.get({ sopClassUid: INV.get, identifier: { '00080403': cs('STUDY') } }, {})),
    );
    expect(noKey.status).toBe(0xa900);
    expect(noKey.details.offendingElement).toEqual([0x00080018]);
    const wildcard = await refusalOf(() =>
      drain(
        client.move({
          sopClassUid: INV.move,
          destination: 'STORE',
          identifier: { '00080018': ui() },
        }),
      ),
    );
    expect(wildcard.status).toBe(0xa900);
    const withLevel = await refusalOf(() =>
      drain(
        client.move({
          sopClassUid: INV.move,
          destination: 'STORE',
          identifier: { '00080052': cs('IMAGE'), '00080018': ui(`${ROOT}1`) },
        }),
      ),
    );
    expect(withLevel.status).toBe(0xa900);
    expect(withLevel.details.offendingElement).toEqual([0x00080052]);
  });

  it('MOVE sends the named Inventory instance to the destination of the AE table', async () => {
    moved.clear();
    const result = await drain(
      client.move({
        sopClassUid: INV.move,
        destination: 'STORE',
        identifier: { '00080018': ui(`${ROOT}2`) },
      }),
    );
    expect(result).toMatchObject({ status: 0, completed: 1, failed: 0 });
    expect([...moved.keys()]).toEqual([`${ROOT}2`]);
    expect(moved.get(`${ROOT}2`)).toEqual(Buffer.from(stored.get(`${ROOT}2`)!));
    // A UID that is not there: nothing to send, success with no sub-operations.
    const none = await drain(
      client.move({
        sopClassUid: INV.move,
        destination: 'STORE',
        identifier: { '00080018': ui(`${ROOT}999`) },
      }),
    );
    expect(none).toMatchObject({ status: 0, completed: 0 });
  });
});
