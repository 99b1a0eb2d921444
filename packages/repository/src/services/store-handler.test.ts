// The Storage SCP handler on a real FileRepository, over a real association: each case sends a
// C-STORE with @dicomnet/dimse's client and checks the status and what the repository holds.
import path from 'node:path';
import type { DimseClient, DimseServer, StoreRequest as CStoreRequest } from '@dicomnet/dimse';
import { connect, createServer, DimseStatusError, isStorageSopClass } from '@dicomnet/dimse';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeInstances, readAll, type TestInstance } from '../../test/instances.js';
import { FileRepository } from '../file-repository.js';
import type { DuplicatePolicy, StoreResult } from '../repository.js';
import { createStoreHandler, type StoreHandlerOptions } from './store-handler.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const INVENTORY_STORAGE = '1.2.840.10008.5.1.4.1.1.201.1'; // PS3.4 Table B.5-1

let work: { path: string; remove(): Promise<void> };
let instances: TestInstance[];
beforeAll(async () => {
  work = await tempDir('dicomnet-store-handler-');
  instances = await makeInstances(path.join(work.path, 'instances'), 3);
}, 60_000);
afterAll(() => work.remove());

const open: { repo?: FileRepository; server?: DimseServer; client?: DimseClient }[] = [];
afterEach(async () => {
  for (const { client, server, repo } of open.splice(0)) {
    await client?.abort();
    await server?.close();
    await repo?.close();
  }
});

let roots = 0;
/** A fresh repository served by the handler, and a client associated with it. */
async function serve(
  options: StoreHandlerOptions & { policy?: DuplicatePolicy } = {},
): Promise<{ repo: FileRepository; client: DimseClient; stored: StoreResult[] }> {
  const entry: (typeof open)[number] = {};
  open.push(entry);
  const repo = await FileRepository.open({
    root: path.join(work.path, `root-${++roots}`),
    fsync: false,
    ...(options.policy !== undefined && { duplicate: options.policy }),
  });
  entry.repo = repo;
  const stored: StoreResult[] = [];
  const server = createServer({
    contexts: [{ abstractSyntax: isStorageSopClass, transferSyntaxes: [EXPLICIT] }],
    handlers: {
      store: createStoreHandler(repo, { ...options, onStored: (result) => stored.push(result) }),
    },
  });
  entry.server = server;
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  const client = await connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'SENDER',
    calledAeTitle: 'SCP',
    contexts: [SECONDARY_CAPTURE, CT_IMAGE, INVENTORY_STORAGE].map((abstractSyntax) => ({
      abstractSyntax,
      transferSyntaxes: [EXPLICIT],
    })),
  });
  entry.client = client;
  return { repo, client, stored };
}

/** The status of a C-STORE, whether it succeeded or failed. */
async function statusOfStore(
  client: DimseClient,
  request: { sopClassUid: string; sopInstanceUid: string; dataSet: Uint8Array },
): Promise<{ status: number; offendingElement?: readonly number[] | undefined }> {
  try {
    const result = await client.store({ ...request, transferSyntaxUid: EXPLICIT });
    return { status: result.status };
  } catch (error) {
    if (!(error instanceof DimseStatusError)) throw error;
    return { status: error.status, offendingElement: error.details.offendingElement };
  }
}

/** A data set of UI elements in Explicit VR Little Endian, tags ascending. */
function uiDataSet(elements: Readonly<Record<number, string>>): Uint8Array {
  const parts: Buffer[] = [];
  for (const [tag, value] of Object.entries(elements).sort(([a], [b]) => Number(a) - Number(b))) {
    const padded = value.length % 2 === 0 ? value : `${value}\0`;
    const header = Buffer.alloc(8);
    header.writeUInt16LE(Number(tag) >>> 16, 0);
    header.writeUInt16LE(Number(tag) & 0xffff, 2);
    header.write('UI', 4, 'latin1');
    header.writeUInt16LE(padded.length, 6);
    parts.push(header, Buffer.from(padded, 'latin1'));
  }
  return Buffer.concat(parts);
}

function request(instance: TestInstance) {
  return {
    sopClassUid: instance.sopClassUid,
    sopInstanceUid: instance.sopInstanceUid,
    dataSet: instance.dataSetBytes,
  };
}

describe('createStoreHandler', () => {
  it('answers 0x0000 and stores the data set as sent, with the caller as source AE', async () => {
    const { repo, client, stored } = await serve();
    const instance = instances[0]!;
    expect(await statusOfStore(client, request(instance))).toEqual({ status: 0x0000 });
    expect(stored.map((result) => result.outcome)).toEqual(['stored']);
    const file = await readAll(await repo.read(instance.sopInstanceUid));
    expect(file.subarray(file.byteLength - instance.dataSetBytes.byteLength)).toEqual(
      Buffer.from(instance.dataSetBytes),
    );
    expect(file.includes(Buffer.from('SENDER'))).toBe(true); // (0002,0016)
  });

  it('stores Inventory Storage (PS3.4 Table B.5-1) like any storage SOP class', async () => {
    expect(isStorageSopClass(INVENTORY_STORAGE)).toBe(true);
    const { repo, client } = await serve();
    const uids = { sop: '1.2.3.201.1', study: '1.2.3.201.2', series: '1.2.3.201.3' };
    const dataSet = uiDataSet({
      0x00080016: INVENTORY_STORAGE,
      0x00080018: uids.sop,
      0x0020000d: uids.study,
      0x0020000e: uids.series,
    });
    const status = await statusOfStore(client, {
      sopClassUid: INVENTORY_STORAGE,
      sopInstanceUid: uids.sop,
      dataSet,
    });
    expect(status).toEqual({ status: 0x0000 });
    // Non-patient (PS3.3 A.88): indexed as an Inventory instance, under no study.
    expect(await repo.get(uids.sop)).toMatchObject({
      sopClassUid: INVENTORY_STORAGE,
      studyInstanceUid: '',
    });
  });

  it('answers 0xA900 with the offending element when the data set is not the command', async () => {
    const { repo, client } = await serve();
    const instance = instances[0]!;
    // PS3.4 B.2.3 Error: Data Set does not match SOP Class.
    expect(await statusOfStore(client, { ...request(instance), sopClassUid: CT_IMAGE })).toEqual({
      status: 0xa900,
      offendingElement: [0x00080016],
    });
    // A different SOP Instance UID has no status of its own in B.2.3: A9xx too.
    expect(
      await statusOfStore(client, { ...request(instance), sopInstanceUid: '1.2.3.999' }),
    ).toEqual({ status: 0xa900, offendingElement: [0x00080018] });
    expect(await repo.get(instance.sopInstanceUid)).toBeUndefined();
    expect(await repo.get('1.2.3.999')).toBeUndefined();
  });

  it('answers 0xC000 for a data set that cannot be read or lacks a Study Instance UID', async () => {
    const { repo, client } = await serve();
    const garbage = Buffer.from([0x08, 0x00, 0x16, 0x00, 0x55, 0x49, 0xff, 0x7f, 1, 2, 3, 4]);
    const unreadable = await statusOfStore(client, {
      sopClassUid: SECONDARY_CAPTURE,
      sopInstanceUid: '1.2.3.4',
      dataSet: garbage,
    });
    expect(unreadable.status).toBe(0xc000);
    const noStudy = uiDataSet({
      0x00080016: SECONDARY_CAPTURE,
      0x00080018: '1.2.3.5',
      0x0020000e: '1.2.3.6',
    });
    const missing = await statusOfStore(client, {
      sopClassUid: SECONDARY_CAPTURE,
      sopInstanceUid: '1.2.3.5',
      dataSet: noStudy,
    });
    expect(missing.status).toBe(0xc000);
    expect(await repo.get('1.2.3.4')).toBeUndefined();
    expect(await repo.get('1.2.3.5')).toBeUndefined();
  });

  it('answers 0x0117 for an Affected SOP Instance UID that is not a UID', async () => {
    // Our client will not send such a UID, so the handler is called directly; it answers before
    // it touches anything but the UID, and the repository is never asked.
    const { repo } = await serve();
    const handler = createStoreHandler(repo);
    const reply = await handler({ sopInstanceUid: '../x' } as unknown as CStoreRequest);
    expect(reply.status).toBe(0x0117);
  });

  it('answers by the duplicate policy: replace and keep succeed, reject fails with 0xC000', async () => {
    const instance = instances[1]!;
    for (const [policy, second, outcomes] of [
      ['replace', 0x0000, ['stored', 'replaced']],
      ['keep', 0x0000, ['stored', 'kept']],
      ['reject', 0xc000, ['stored']],
    ] as const) {
      const { client, stored, repo } = await serve({ policy });
      expect((await statusOfStore(client, request(instance))).status).toBe(0x0000);
      expect((await statusOfStore(client, request(instance))).status).toBe(second);
      expect(stored.map((result) => result.outcome)).toEqual(outcomes);
      expect(await repo.get(instance.sopInstanceUid)).toBeDefined();
    }
  });

  it('answers 0xA700 below the free-space floor, reading free space at most once a second', async () => {
    let free = 1000;
    const readings: string[] = [];
    const freeSpacePath = work.path;
    const { client, repo } = await serve({
      minFreeBytes: 4096,
      freeSpacePath,
      freeSpaceCacheMs: 60_000,
      statfs: (where) => {
        readings.push(where);
        return Promise.resolve({ bavail: BigInt(free), bsize: 1n });
      },
    });
    const [first, second] = [instances[0]!, instances[2]!];
    expect((await statusOfStore(client, request(first))).status).toBe(0xa700);
    free = 1 << 30; // cached: still refused
    expect((await statusOfStore(client, request(first))).status).toBe(0xa700);
    expect(readings).toEqual([freeSpacePath]);
    expect(await repo.get(first.sopInstanceUid)).toBeUndefined();

    const { client: other } = await serve({
      minFreeBytes: 4096,
      freeSpacePath,
      statfs: () => Promise.resolve({ bavail: 1 << 20, bsize: 4096 }),
    });
    expect((await statusOfStore(other, request(second))).status).toBe(0x0000);
  });

  it('answers 0xA700 when free space cannot be read', async () => {
    const { client } = await serve({
      minFreeBytes: 1,
      freeSpacePath: path.join(work.path, 'no-such-folder'),
    });
    expect((await statusOfStore(client, request(instances[0]!))).status).toBe(0xa700);
  });
});
