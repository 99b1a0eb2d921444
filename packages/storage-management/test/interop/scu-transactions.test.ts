// The Inventory Creation SCU's transactions (PS3.4 KK.2.2.2) against a scripted SCP over TCP:
// every action, its Action Information, its statuses, and the reports on the N-ACTION's own
// association, including one sent before the N-ACTION-RSP (digest §20.2 E9).
import { afterEach, describe, expect, it } from 'vitest';
import type { InventoryEvent, InventoryScu } from '../../src/index.js';
import { createInventoryScu } from '../../src/index.js';
import type { ScriptedScp } from './scu-scripted-scp.js';
import {
  abandonedEvent,
  completedEvent,
  startScriptedScp,
  statusEvent,
  transactionOf,
  waitUntil,
} from './scu-scripted-scp.js';

const ROOT = '2.25.777';
const opened: { scps: ScriptedScp[]; scus: InventoryScu[] } = { scps: [], scus: [] };
afterEach(async () => {
  await Promise.all(opened.scus.splice(0).map((scu) => scu.close()));
  await Promise.all(opened.scps.splice(0).map((scp) => scp.close()));
});

function newScu(options: Partial<Parameters<typeof createInventoryScu>[0]> = {}): InventoryScu {
  const scu = createInventoryScu({ aeTitle: 'INVSCU', ...options });
  opened.scus.push(scu);
  return scu;
}

async function scripted(script: Parameters<typeof startScriptedScp>[0]): Promise<ScriptedScp> {
  const scp = await startScriptedScp(script);
  opened.scps.push(scp);
  return scp;
}

const peerOf = (scp: ScriptedScp) => ({
  host: '127.0.0.1',
  port: scp.port,
  calledAeTitle: 'INVSCP',
});

async function collect(events: AsyncIterable<InventoryEvent>): Promise<InventoryEvent[]> {
  const seen: InventoryEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('Initiate (PS3.4 KK.2.2.2)', () => {
  it('sends the Action Information and ends with the root reference of event 11', async () => {
    const scp = await scripted((request, report) => {
      const uid = transactionOf(request.actionInformation);
      void request.responded.then(async () => {
        await report(12, statusEvent(uid, 'PROCESSING', 1));
        await report(12, statusEvent(uid, 'PROCESSING', 2));
        await report(11, completedEvent(uid, ROOT, 2));
      });
    });
    const scu = newScu();
    const transaction = await scu.initiate({
      peer: peerOf(scp),
      level: 'SERIES',
      scope: { ranges: { '00080020': { vr: 'DA', from: '20240101', to: '20241231' } } },
      purpose: 'migration',
      requestedStatusInterval: 5,
    });
    expect(transaction.initiation).toMatchObject({ status: 0, attributeIdentifierList: [] });
    const events = await collect(transaction.events());
    expect(events.map((event) => event.eventTypeId)).toEqual([12, 12, 11]);
    expect(events.map((event) => event.transactionStatus)).toEqual([
      'PROCESSING',
      'PROCESSING',
      'COMPLETE',
    ]);
    const result = await transaction.done;
    expect(result.access).toMatchObject({ sopInstanceUid: ROOT, retrieveAeTitles: ['INVSCP'] });
    expect(result.totalStudyRecords).toBe(2);
    expect(transaction.state).toBe('COMPLETE');
    const [initiate] = scp.actions;
    expect(initiate?.actionTypeId).toBe(11);
    expect(initiate?.callingAeTitle).toBe('INVSCU');
    const info = initiate?.information ?? {};
    expect(transactionOf(info)).toBe(transaction.transactionUid);
    expect(transaction.transactionUid).toMatch(/^2\.25\.\d+$/);
    expect(info['00080403']?.Value).toEqual(['SERIES']);
    expect(info['00080401']?.Value).toEqual(['migration']);
    expect(info['00080414']?.Value).toEqual([5]);
    const scope = info['00080400']?.Value?.[0] as Record<string, { Value?: unknown[] }>;
    expect(scope['00080410']?.Value).toEqual([
      { '00080020': { vr: 'DA', Value: ['20240101', '20241231'] } },
    ]);
    await waitUntil(() => scp.reportOutcomes.length === 3);
    expect(scp.reportOutcomes).toEqual([0, 0, 0]);
    expect(scu.size).toBe(0);
  });

  it('exposes 0xB010 with the keys the SCP cannot match, and rejects on event 13 FAILURE', async () => {
    const scp = await scripted((request, report) => {
      const uid = transactionOf(request.actionInformation);
      void request.responded.then(() => report(13, abandonedEvent(uid, 'FAILURE', 'disk gone')));
      return { status: 0xb010, attributeIdentifierList: [0x00081030] };
    });
    const transaction = await newScu().initiate({
      peer: peerOf(scp),
      scope: { keys: { '00081030': { vr: 'LO', Value: ['HEAD*'] } } },
    });
    expect(transaction.initiation).toMatchObject({
      status: 0xb010,
      attributeIdentifierList: [0x00081030],
    });
    await expect(transaction.done).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_FAILED',
      transactionStatus: 'FAILURE',
      comment: 'disk gone',
    });
    expect(transaction.state).toBe('FAILURE');
  });

  it('takes events that arrive before the N-ACTION-RSP, and a terminal status before the terminal event', async () => {
    const scp = await scripted(async (request, report) => {
      const uid = transactionOf(request.actionInformation);
      // Before our response: the SCU has its N-ACTION outstanding.
      await report(12, statusEvent(uid, 'PROCESSING', 0));
      void request.responded.then(async () => {
        await report(12, statusEvent(uid, 'CANCELED', 0));
        await report(13, abandonedEvent(uid, 'CANCELED'));
      });
    });
    const transaction = await newScu().initiate({ peer: peerOf(scp), level: 'INSTANCE' });
    const events = await collect(transaction.events());
    expect(events.map((event) => `${event.eventTypeId} ${event.transactionStatus}`)).toEqual([
      '12 PROCESSING',
      '12 CANCELED',
      '13 CANCELED',
    ]);
    await expect(transaction.done).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_CANCELED' });
    await waitUntil(() => scp.reportOutcomes.length === 3);
    expect(scp.reportOutcomes).toEqual([0, 0, 0]);
  });

  it('turns Failure statuses into InventoryActionError with the Annex C fields', async () => {
    const replies = [
      { status: 0x0212, errorComment: 'level not supported' },
      { status: 0x0120, attributeIdentifierList: [0x00080403] },
      { status: 0x0213, errorComment: 'too many inventories' },
    ];
    let next = 0;
    const scp = await scripted(() => replies[next++]);
    const scu = newScu();
    await expect(scu.initiate({ peer: peerOf(scp) })).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_ACTION_FAILED',
      actionTypeId: 11,
      status: 0x0212,
      errorComment: 'level not supported',
    });
    await expect(scu.initiate({ peer: peerOf(scp) })).rejects.toMatchObject({
      status: 0x0120,
      attributeIdentifierList: [0x00080403],
    });
    await expect(scu.initiate({ peer: peerOf(scp) })).rejects.toMatchObject({
      status: 0x0213,
      meaning: expect.stringMatching(/resource/i),
    });
    expect(scu.size).toBe(0);
  });

  it('refuses bad options before anything is sent', async () => {
    const scp = await scripted(() => undefined);
    const scu = newScu();
    await expect(scu.initiate({ peer: peerOf(scp), transactionUid: '1.02' })).rejects.toMatchObject(
      {
        code: 'DICOMNET_INVENTORY_REQUEST_INVALID',
      },
    );
    await expect(
      scu.initiate({ peer: peerOf(scp), scope: { keys: { StudyDate: { vr: 'DA' } } } }),
    ).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_REQUEST_INVALID' });
    expect(scp.actions).toEqual([]);
  });

  it('stops waiting when its signal aborts', async () => {
    const scp = await scripted(() => new Promise<void>(() => {})); // never answers
    const controller = new AbortController();
    const pending = newScu().initiate({ peer: peerOf(scp), signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user gave up')), 100);
    await expect(pending).rejects.toThrow('user gave up');
  });
});

describe('Request Status, Cancel, Pause, Resume (PS3.4 Table KK.2-1)', () => {
  it('sends each with the Transaction UID and follows the state the events report', async () => {
    let uid = '';
    const scp = await scripted((request, report) => {
      const information = request.actionInformation;
      if (request.actionTypeId === 11) uid = transactionOf(information);
      const send = (eventTypeId: number, data: Parameters<typeof report>[1]) =>
        void request.responded.then(() => report(eventTypeId, data));
      switch (request.actionTypeId) {
        case 12:
          send(12, statusEvent(uid, 'PROCESSING', 4));
          break;
        case 14:
          send(12, statusEvent(uid, 'PAUSED', 4));
          break;
        case 15:
          send(12, statusEvent(uid, 'PROCESSING', 4));
          break;
        case 13:
          send(11, completedEvent(uid, ROOT, 4, 'CANCELED'));
          break;
      }
    });
    const transaction = await newScu().initiate({ peer: peerOf(scp) });
    const events = transaction.events();
    const next = async () => (await events.next()).value as InventoryEvent;
    await transaction.status({ requestedStatusInterval: 2 });
    expect(await next()).toMatchObject({ transactionStatus: 'PROCESSING', totalStudyRecords: 4 });
    await transaction.pause();
    expect(await next()).toMatchObject({ transactionStatus: 'PAUSED' });
    expect(transaction.state).toBe('PAUSED');
    await transaction.resume();
    expect(await next()).toMatchObject({ transactionStatus: 'PROCESSING' });
    await transaction.cancel({ retainInstances: true });
    expect(await next()).toMatchObject({ eventTypeId: 11, transactionStatus: 'CANCELED' });
    await expect(transaction.done).resolves.toMatchObject({
      transactionStatus: 'CANCELED',
      access: { sopInstanceUid: ROOT },
    });
    expect(scp.actions.map((action) => action.actionTypeId)).toEqual([11, 12, 14, 15, 13]);
    for (const action of scp.actions) expect(transactionOf(action.information)).toBe(uid);
    expect(scp.actions[1]?.information['00080414']?.Value).toEqual([2]);
    expect(scp.actions[4]?.information['00080415']?.Value).toEqual(['YES']);
    expect(Object.keys(scp.actions[2]?.information ?? {})).toEqual(['00081195']);
  });

  it('holds one association for all actions until the end; with holdAssociation false, one per action', async () => {
    let uid = '';
    const scp = await scripted((request, report) => {
      if (request.actionTypeId === 11) uid = transactionOf(request.actionInformation);
      if (request.actionTypeId === 13) {
        void request.responded.then(() => report(13, abandonedEvent(uid, 'CANCELED')));
      }
    });
    const held = await newScu().initiate({ peer: peerOf(scp) });
    await held.status();
    await held.pause();
    expect(scp.associations()).toBe(1);
    expect(scp.open()).toBe(1);
    await held.cancel({ retainInstances: false });
    await expect(held.done).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_CANCELED' });
    await waitUntil(() => scp.open() === 0); // released once the terminal event was answered
    const released = await newScu().initiate({ peer: peerOf(scp), holdAssociation: false });
    await released.status();
    await released.resume();
    expect(scp.associations()).toBe(4);
    await waitUntil(() => scp.open() === 0);
  });

  it('rejects a steering action the SCP refuses (0x0115 for a finished transaction)', async () => {
    const scp = await scripted((request) => (request.actionTypeId === 14 ? 0x0115 : undefined));
    const transaction = await newScu().initiate({ peer: peerOf(scp) });
    await expect(transaction.pause()).rejects.toMatchObject({
      code: 'DICOMNET_INVENTORY_ACTION_FAILED',
      actionTypeId: 14,
      status: 0x0115,
    });
  });

  it('waits for the end with a signal that ends only the wait', async () => {
    const scp = await scripted(() => undefined); // accepts, never reports
    const transaction = await newScu().initiate({ peer: peerOf(scp) });
    await expect(transaction.wait({ signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(transaction.ended).toBe(false);
  });

  it('ends the transaction with DICOMNET_INVENTORY_SCU_CLOSED when the SCU closes', async () => {
    const scp = await scripted(() => undefined);
    const scu = newScu();
    const transaction = await scu.initiate({ peer: peerOf(scp) });
    const reading = collect(transaction.events()).catch((error: unknown) => error);
    expect(scp.open()).toBe(1);
    await scu.close();
    await expect(transaction.done).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_SCU_CLOSED' });
    expect(await reading).toMatchObject({ code: 'DICOMNET_INVENTORY_SCU_CLOSED' });
    await waitUntil(() => scp.open() === 0); // the held association was released
  });
});
