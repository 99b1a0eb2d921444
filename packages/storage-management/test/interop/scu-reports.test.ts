// Reports on a later association (PS3.4 KK.2.2.2 "over the same or different Associations"): the
// SCP calls the SCU's listener as requestor in the SCP role (PS3.7 D.3.3.4). Every
// N-EVENT-REPORT status the SCU returns (PS3.7 10.1.1.1.8), each from a real report.
import { afterEach, describe, expect, it } from 'vitest';
import type { DataSet } from '@dicomnet/data';
import type { DimseClient } from '@dicomnet/dimse';
import { createServer } from '@dicomnet/dimse';
import type { InventoryScu, InventoryScuOptions, RefusedEvent } from '../../src/index.js';
import { createInventoryScu } from '../../src/index.js';
import type { ScriptedScp } from './scu-scripted-scp.js';
import {
  abandonedEvent,
  callScu,
  completedEvent,
  IMPLICIT,
  report,
  startScriptedScp,
  statusEvent,
  transactionOf,
} from './scu-scripted-scp.js';

const T1 = '2.25.1001';
const ROOT = '2.25.2002';
const opened: { scus: InventoryScu[]; clients: DimseClient[]; scps: ScriptedScp[] } = {
  scus: [],
  clients: [],
  scps: [],
};
afterEach(async () => {
  await Promise.all(opened.clients.splice(0).map((client) => client.abort()));
  await Promise.all(opened.scus.splice(0).map((scu) => scu.close()));
  await Promise.all(opened.scps.splice(0).map((scp) => scp.close()));
});

async function listening(
  options: Partial<InventoryScuOptions> = {},
  before: (scu: InventoryScu) => void = () => {},
): Promise<{ scu: InventoryScu; port: number; refused: RefusedEvent[] }> {
  const refused: RefusedEvent[] = [];
  const scu = createInventoryScu({
    aeTitle: 'INVSCU',
    onRefused: (event) => refused.push(event),
    ...options,
  });
  opened.scus.push(scu);
  before(scu);
  const { port } = await scu.listen({ port: 0, host: '127.0.0.1' });
  return { scu, port, refused };
}

async function scp(port: number, transferSyntaxes?: string[]): Promise<DimseClient> {
  const client = await callScu(port, 'INVSCU', transferSyntaxes);
  opened.clients.push(client);
  return client;
}

describe('reports on an association the SCP opens', () => {
  it('delivers them to a re-attached transaction (an SCU restarted mid-production)', async () => {
    const { scu, port } = await listening({}, (scu) => scu.transaction(T1));
    const transaction = scu.transaction(T1);
    const client = await scp(port);
    expect(client.negotiated.contexts[0]?.localIsScp).toBe(true);
    expect(await report(client, 12, statusEvent(T1, 'PROCESSING', 5))).toMatchObject({ status: 0 });
    expect(await report(client, 11, completedEvent(T1, ROOT, 9))).toMatchObject({ status: 0 });
    await expect(transaction.done).resolves.toMatchObject({
      totalStudyRecords: 9,
      access: { sopInstanceUid: ROOT },
    });
    // A repeat of the terminal event (its response was lost) is acknowledged, not delivered twice.
    expect(await report(client, 11, completedEvent(T1, ROOT, 9))).toMatchObject({ status: 0 });
    expect(scu.size).toBe(0);
  });

  it('follows a transaction initiated with the association released after the response', async () => {
    const { scu, port } = await listening();
    const peer = await startScriptedScp(() => undefined);
    opened.scps.push(peer);
    const transaction = await scu.initiate({
      peer: { host: '127.0.0.1', port: peer.port, calledAeTitle: 'INVSCP' },
      holdAssociation: false,
    });
    const uid = transactionOf(peer.actions[0]?.information);
    const client = await scp(port, [IMPLICIT]);
    expect(await report(client, 12, statusEvent(uid, 'PAUSED', 1))).toMatchObject({ status: 0 });
    expect(transaction.state).toBe('PAUSED');
    expect(await report(client, 13, abandonedEvent(uid, 'CANCELED'))).toMatchObject({ status: 0 });
    await expect(transaction.done).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_CANCELED' });
  });
});

describe('options', () => {
  it('refuses a maxQueuedEvents that is not a positive integer', () => {
    expect(() => createInventoryScu({ aeTitle: 'INVSCU', maxQueuedEvents: 0 })).toThrow(
      expect.objectContaining({ code: 'DICOMNET_INVENTORY_REQUEST_INVALID' }),
    );
  });
});

describe('listen', () => {
  it('may be tried again after the port was taken', async () => {
    const { port } = await listening();
    const second = createInventoryScu({ aeTitle: 'INVSCU' });
    opened.scus.push(second);
    await expect(second.listen({ port, host: '127.0.0.1' })).rejects.toThrow();
    await expect(second.listen({ port: 0, host: '127.0.0.1' })).resolves.toMatchObject({
      port: expect.any(Number),
    });
  });
});

describe('reports into a server of ones own', () => {
  it('serves the SCU handlers and context from createServer, and accepts unknown transactions by policy', async () => {
    const seen: string[] = [];
    const scu = createInventoryScu({
      aeTitle: 'INVSCU',
      unknownTransactions: 'accept',
      onEvent: (event) => {
        seen.push(`${event.transactionUid} ${event.transactionStatus}`);
      },
    });
    opened.scus.push(scu);
    const server = createServer({ contexts: scu.contexts, handlers: { ...scu.handlers } });
    try {
      const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
      const client = await scp(port);
      expect(await report(client, 12, statusEvent('2.25.404', 'PROCESSING', 1))).toMatchObject({
        status: 0,
      });
      expect(seen).toEqual(['2.25.404 PROCESSING']);
    } finally {
      await server.abortAll();
      await server.close();
    }
  });
});

describe('N-EVENT-REPORT statuses of the SCU (PS3.7 10.1.1.1.8)', () => {
  it('0x0000, and 0x0110 when an onEvent handler throws (the event is not taken)', async () => {
    let failures = 1;
    const { scu, port, refused } = await listening(
      {
        onEvent: () => {
          if (failures-- > 0) throw new Error('cannot persist the event');
        },
      },
      (scu) => scu.transaction(T1),
    );
    const client = await scp(port);
    expect(await report(client, 12, statusEvent(T1, 'PROCESSING', 1))).toMatchObject({
      status: 0x0110,
      details: { errorComment: 'cannot persist the event' },
    });
    expect(scu.transaction(T1).state).toBeUndefined();
    expect(await report(client, 12, statusEvent(T1, 'PROCESSING', 1))).toMatchObject({ status: 0 });
    expect(scu.transaction(T1).state).toBe('PROCESSING');
    expect(refused).toMatchObject([
      { status: 0x0110, transactionUid: T1, callingAeTitle: 'INVSCP' },
    ]);
  });

  it('0x0112, 0x0117, 0x0119 for the Affected SOP Instance; 0x0113 echoing the Event Type ID', async () => {
    const { port } = await listening({}, (scu) => scu.transaction(T1));
    const client = await scp(port);
    const event = statusEvent(T1, 'PROCESSING', 1);
    expect(await report(client, 12, event, { sopInstanceUid: '1.2.3.4' })).toMatchObject({
      status: 0x0112,
    });
    expect(await report(client, 12, event, { sopInstanceUid: '1.2.03.4' })).toMatchObject({
      status: 0x0117,
    });
    expect(
      await report(client, 12, event, { sopInstanceUid: '1.2.840.10008.1.20.1.1' }),
    ).toMatchObject({
      status: 0x0119,
    });
    expect(await report(client, 14, event)).toMatchObject({
      status: 0x0113,
      details: { eventTypeId: 14 },
    });
  });

  it('0x0114 for an argument not of the event type, in strict mode only', async () => {
    const extra: DataSet = {
      ...statusEvent(T1, 'PROCESSING', 1),
      '00081155': { vr: 'UI', Value: [ROOT] },
    };
    const strict = await listening({ strict: true }, (scu) => scu.transaction(T1));
    expect(await report(await scp(strict.port), 12, extra)).toMatchObject({
      status: 0x0114,
      details: { eventTypeId: 12 },
    });
    const lenient = await listening({}, (scu) => scu.transaction(T1));
    expect(await report(await scp(lenient.port), 12, extra)).toMatchObject({ status: 0 });
  });

  it('0x0115 for a Transaction Status not of the five, and for an unknown Transaction UID', async () => {
    const { port, refused } = await listening({}, (scu) => scu.transaction(T1));
    const client = await scp(port);
    expect(await report(client, 12, statusEvent(T1, 'RUNNING', 1))).toMatchObject({
      status: 0x0115,
      details: { eventTypeId: 12 },
    });
    expect(await report(client, 12, statusEvent('2.25.404', 'PROCESSING', 1))).toMatchObject({
      status: 0x0115,
    });
    expect(refused.map((event) => event.reason)).toEqual([
      'Transaction Status RUNNING is not defined',
      'unknown Transaction UID 2.25.404',
    ]);
  });

  it('0x0115 for a missing or empty Transaction UID (PS3.7 10.1.1.1.8 lists no 0x0120/0x0121)', async () => {
    const { port } = await listening({}, (scu) => scu.transaction(T1));
    const client = await scp(port);
    const { '00081195': _uid, ...withoutUid } = statusEvent(T1, 'PROCESSING', 1);
    expect(await report(client, 12, withoutUid)).toMatchObject({ status: 0x0115 });
    expect(await report(client, 13, undefined)).toMatchObject({ status: 0x0115 });
    expect(await report(client, 12, { ...withoutUid, '00081195': { vr: 'UI' } })).toMatchObject({
      status: 0x0115,
    });
  });

  it('0x0212 for a Transaction UID sent in another VR than PS3.6 gives it', async () => {
    const { port } = await listening({}, (scu) => scu.transaction(T1));
    const client = await scp(port); // Explicit VR Little Endian: the VR travels with the value
    const mistyped = { ...statusEvent(T1, 'PROCESSING', 1), '00081195': { vr: 'LO', Value: [T1] } };
    expect(await report(client, 12, mistyped)).toMatchObject({ status: 0x0212 });
  });

  it('0x0213 when the reader is maxQueuedEvents behind, and for unknown transactions with retry-later', async () => {
    const { scu, port } = await listening(
      { maxQueuedEvents: 2, unknownTransactions: 'retry-later' },
      (scu) => scu.transaction(T1),
    );
    const reader = scu.transaction(T1).events();
    const client = await scp(port);
    expect(await report(client, 12, statusEvent(T1, 'PROCESSING', 1))).toMatchObject({ status: 0 });
    await expect(reader.next()).resolves.toMatchObject({ value: { totalStudyRecords: 1 } });
    expect(await report(client, 12, statusEvent(T1, 'PROCESSING', 2))).toMatchObject({ status: 0 });
    expect(await report(client, 12, statusEvent(T1, 'PROCESSING', 3))).toMatchObject({ status: 0 });
    expect(await report(client, 12, statusEvent(T1, 'PROCESSING', 4))).toMatchObject({
      status: 0x0213,
    });
    await reader.next();
    expect(await report(client, 12, statusEvent(T1, 'PROCESSING', 4))).toMatchObject({ status: 0 });
    expect(await report(client, 12, statusEvent('2.25.404', 'PROCESSING', 1))).toMatchObject({
      status: 0x0213,
    });
    await reader.return();
  });
});
