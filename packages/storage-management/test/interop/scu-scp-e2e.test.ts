// The SCU against dicomnet's own Inventory Creation SCP over a real FileRepository, on
// 127.0.0.1: every action, reports on the N-ACTION's association and on one the SCP opens with
// role selection, pause/resume/cancel during a slowed production, and the inventory retrieved
// through Inventory GET from the Retrieve AE Title of event 11 (PS3.4 KK.2, JJ.3).
import path from 'node:path';
import { createServer } from '@dicomnet/dimse';
import type { DimseServer } from '@dicomnet/dimse';
import { createInventoryQueryRetrieveHandlers } from '@dicomnet/repository/services';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  InventoryCreationScp,
  InventoryCreationScpOptions,
  InventoryEvent,
  InventoryScu,
  InventorySource,
} from '../../src/index.js';
import {
  createInventoryCreationScp,
  createInventoryScu,
  INVENTORY_GET_SOP_CLASS,
  INVENTORY_STORAGE_SOP_CLASS,
  repositorySink,
  repositorySource,
} from '../../src/index.js';
import { useRepositoryFixture } from '../helpers/repository-fixture.js';
import { waitUntil } from './scu-scripted-scp.js';

const SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];
const fixture = useRepositoryFixture('scu-scp-e2e-', 4, 2, 1);
let studyUids: string[];
const running: {
  scus: InventoryScu[];
  scps: { scp: InventoryCreationScp; server: DimseServer }[];
} = {
  scus: [],
  scps: [],
};

beforeAll(async () => {
  studyUids = [...new Set(fixture.instances.map((instance) => instance.studyInstanceUid))].sort();
}, 60_000);

afterEach(async () => {
  await Promise.all(running.scus.splice(0).map((scu) => scu.close()));
  for (const { scp, server } of running.scps.splice(0)) {
    await server.abortAll();
    await server.close();
    await scp.close();
  }
});

/** The repository's studies, each after `delayMs`: a production slow enough to steer. */
function slowed(source: InventorySource, delayMs: number): InventorySource {
  return {
    isMatchable: (tag) => source.isMatchable(tag),
    async *entries(scope, options) {
      for await (const entry of source.entries(scope, options)) {
        if (entry.kind === 'study') await new Promise((resolve) => setTimeout(resolve, delayMs));
        yield entry;
      }
    },
  };
}

let stores = 0;
async function serveScp(options: Partial<InventoryCreationScpOptions> = {}): Promise<number> {
  const repository = fixture.repository;
  const scp = await createInventoryCreationScp({
    aeTitle: 'INVSCP',
    source: repositorySource(repository),
    sink: repositorySink(repository),
    storePath: path.join(fixture.dir, `transactions-${stores++}.sqlite`),
    ...options,
  });
  const server = createServer({
    aeTitles: ['INVSCP'],
    contexts: [
      ...scp.contexts,
      { abstractSyntax: INVENTORY_GET_SOP_CLASS, transferSyntaxes: SYNTAXES },
      {
        abstractSyntax: INVENTORY_STORAGE_SOP_CLASS,
        transferSyntaxes: SYNTAXES,
        requestorRoles: { scu: false, scp: true },
      },
    ],
    handlers: { ...scp.handlers, ...createInventoryQueryRetrieveHandlers(repository) },
  });
  running.scps.push({ scp, server });
  return (await server.listen({ port: 0, host: '127.0.0.1' })).port;
}

function newScu(): InventoryScu {
  const scu = createInventoryScu({ aeTitle: 'INVSCU' });
  running.scus.push(scu);
  return scu;
}

const peer = (port: number) => ({ host: '127.0.0.1', port, calledAeTitle: 'INVSCP' });

/** Reads events until one satisfies `predicate`; fails after `ms`. */
async function until(
  events: AsyncIterator<InventoryEvent>,
  predicate: (event: InventoryEvent) => boolean,
  ms = 10_000,
): Promise<InventoryEvent> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no matching event within ${ms} ms`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no matching event within ${ms} ms`)), left);
    });
    const next = await Promise.race([events.next(), timeout]).finally(() => clearTimeout(timer));
    if (next.done === true) throw new Error('the events ended first');
    if (predicate(next.value)) return next.value;
  }
}

describe('SCU against the dicomnet SCP', () => {
  it('initiates, is reported to on its own association, and retrieves the inventory it was given', async () => {
    const port = await serveScp({
      retentionMs: 86_400_000,
      retrieveUrl: () => 'http://127.0.0.1/dicom-web',
      fileAccessUri: (root) => `file:///inventories/${root.sopInstanceUid}.dcm`,
    });
    const transaction = await newScu().initiate({
      peer: peer(port),
      level: 'SERIES',
      purpose: 'e2e',
    });
    expect(transaction.initiation.status).toBe(0);
    const studies: string[] = [];
    const result = await transaction.done;
    expect(result).toMatchObject({ transactionStatus: 'COMPLETE', totalStudyRecords: 4 });
    expect(result.access).toMatchObject({
      sopClassUid: INVENTORY_STORAGE_SOP_CLASS,
      retrieveAeTitles: ['INVSCP'],
      retrieveUrl: 'http://127.0.0.1/dicom-web',
      fileAccessUri: `file:///inventories/${result.access.sopInstanceUid}.dcm`,
      expirationDateTime: expect.stringMatching(/^\d{14}/),
    });
    // The tree from the Retrieve AE Title at the SCP's address, through Inventory GET.
    const records: string[] = [];
    for await (const item of transaction.retrieve({ signal: AbortSignal.timeout(10_000) })) {
      records.push(item.kind);
      if (item.kind === 'study') studies.push(item.studyInstanceUid);
    }
    expect(studies.sort()).toEqual(studyUids);
    expect(records.filter((kind) => kind === 'series')).toHaveLength(8);
    expect(records).not.toContain('instance');
  });

  it('runs concurrent transactions, each with its own events, scope and root', async () => {
    const port = await serveScp({ source: slowed(repositorySource(fixture.repository), 50) });
    const scu = newScu();
    const chosen = studyUids.slice(0, 2);
    const [all, some] = await Promise.all([
      scu.initiate({ peer: peer(port), level: 'STUDY' }),
      scu.initiate({
        peer: peer(port),
        level: 'STUDY',
        scope: { uidLists: { '0020000D': chosen } },
      }),
    ]);
    expect(scu.size).toBe(2);
    expect(all.transactionUid).not.toBe(some.transactionUid);
    const [everything, part] = await Promise.all([all.done, some.done]);
    expect(everything.totalStudyRecords).toBe(4);
    expect(part.totalStudyRecords).toBe(2);
    expect(everything.access.sopInstanceUid).not.toBe(part.access.sopInstanceUid);
    const retrieved: string[] = [];
    for await (const item of some.retrieve()) {
      if (item.kind === 'study') retrieved.push(item.studyInstanceUid);
    }
    expect(retrieved.sort()).toEqual(chosen);
  });

  it('reports 0xB010 for keys the repository cannot match, and 0x0212 for a level it does not produce', async () => {
    const port = await serveScp({ levels: ['STUDY', 'SERIES'] });
    const scu = newScu();
    const transaction = await scu.initiate({
      peer: peer(port),
      scope: { keys: { '00091010': { vr: 'LO', Value: ['x'] } } },
    });
    expect(transaction.initiation).toMatchObject({
      status: 0xb010,
      attributeIdentifierList: [0x00091010],
    });
    await expect(transaction.done).resolves.toMatchObject({ totalStudyRecords: 4 });
    await expect(scu.initiate({ peer: peer(port), level: 'INSTANCE' })).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_ACTION_FAILED',
      status: 0x0212,
    });
  });

  it('is reported to on an association the SCP opens with role selection, the N-ACTION one released', async () => {
    const scu = newScu();
    const listener = await scu.listen({ port: 0, host: '127.0.0.1' });
    const port = await serveScp({ peers: { INVSCU: { host: '127.0.0.1', port: listener.port } } });
    const delivered: string[] = [];
    running.scps.at(-1)?.scp.on((notice) => {
      if (notice.type === 'event-delivered') delivered.push(`${notice.eventTypeId} ${notice.via}`);
    });
    const transaction = await scu.initiate({ peer: peer(port), holdAssociation: false });
    await expect(transaction.done).resolves.toMatchObject({ transactionStatus: 'COMPLETE' });
    // The SCP learns of our answer to event 11 after we have it.
    await waitUntil(() => delivered.some((entry) => entry.startsWith('11 ')));
    expect(delivered).toContain('11 new-association');
  });

  it('follows a transaction across a restart of the SCU: re-attached by Transaction UID', async () => {
    const first = newScu();
    const { port: listenPort } = await first.listen({ port: 0, host: '127.0.0.1' });
    const port = await serveScp({
      source: slowed(repositorySource(fixture.repository), 200),
      peers: { INVSCU: { host: '127.0.0.1', port: listenPort } },
      delivery: { initialDelay: 50, maxDelay: 200, maxAttempts: 40, timeout: 2_000 },
    });
    const started = await first.initiate({ peer: peer(port), holdAssociation: false });
    const uid = started.transactionUid;
    await first.close(); // the SCU process goes away mid-production
    await expect(started.done).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_SCU_CLOSED' });
    const second = newScu();
    const resumed = second.transaction(uid, { peer: peer(port) });
    await second.listen({ port: listenPort, host: '127.0.0.1' });
    await expect(resumed.wait({ signal: AbortSignal.timeout(15_000) })).resolves.toMatchObject({
      transactionUid: uid,
      transactionStatus: 'COMPLETE',
      totalStudyRecords: 4,
    });
  });

  it('pauses, reports status, resumes and cancels without keeping instances (event 13)', async () => {
    const port = await serveScp({ source: slowed(repositorySource(fixture.repository), 300) });
    const transaction = await newScu().initiate({ peer: peer(port), level: 'STUDY' });
    const events = transaction.events();
    await transaction.pause();
    await until(events, (event) => event.transactionStatus === 'PAUSED');
    expect(transaction.state).toBe('PAUSED');
    await transaction.status();
    await until(events, (event) => event.type === 'status' && event.transactionStatus === 'PAUSED');
    await transaction.resume();
    await until(events, (event) => event.transactionStatus === 'PROCESSING');
    await transaction.cancel({ retainInstances: false });
    await expect(transaction.done).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_CANCELED' });
    await events.return();
    await expect(transaction.pause()).rejects.toMatchObject({ status: 0x0115 });
  });

  it('cancels keeping what was produced: event 11 CANCELED with a partial inventory', async () => {
    const port = await serveScp({
      source: slowed(repositorySource(fixture.repository), 500),
      maxRecordsPerInstance: 1,
    });
    const transaction = await newScu().initiate({ peer: peer(port), level: 'STUDY' });
    const events = transaction.events();
    // Ask for progress until a second study record is out: the first one's leaf is then stored
    // (a leaf is closed when the record after it arrives).
    for (let asked = 0; transaction.totalStudyRecords < 2; asked++) {
      expect(asked).toBeLessThan(100);
      await transaction.status();
      await until(events, (event) => event.type === 'status');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await transaction.cancel({ retainInstances: true });
    const result = await transaction.done;
    expect(result.transactionStatus).toBe('CANCELED');
    expect(result.totalStudyRecords).toBeGreaterThanOrEqual(1);
    expect(result.totalStudyRecords).toBeLessThan(4);
    expect(result.access.sopInstanceUid).toMatch(/^[0-9.]+$/);
    await events.return();
  });
});
