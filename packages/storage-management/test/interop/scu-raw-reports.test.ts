// N-EVENT-REPORT statuses that only a peer breaking the rules can provoke, sent by a raw
// requestor (PS3.8 PDUs by hand): 0x0118, 0x0211 and 0x0210 (PS3.7 10.1.1.1.8). 0x0211 and
// 0x0210 are answered by @dicomnet/dimse for every SCU; tested here end to end.
import { afterEach, describe, expect, it } from 'vitest';
import type { InventoryScu, InventoryScuOptions } from '../../src/index.js';
import {
  createInventoryScu,
  INVENTORY_CREATION_SOP_CLASS,
  STORAGE_MANAGEMENT_SOP_INSTANCE,
} from '../../src/index.js';
import { RawRequestor } from '../helpers/raw-association.js';
import { statusEvent } from './scu-scripted-scp.js';

const T1 = '2.25.3003';
const N_EVENT_REPORT_RQ = 0x0100;
const opened: { scus: InventoryScu[]; raws: RawRequestor[] } = { scus: [], raws: [] };
afterEach(async () => {
  for (const raw of opened.raws.splice(0)) raw.close();
  await Promise.all(opened.scus.splice(0).map((scu) => scu.close()));
});

async function listening(options: Partial<InventoryScuOptions> = {}): Promise<number> {
  const scu = createInventoryScu({ aeTitle: 'INVSCU', ...options });
  opened.scus.push(scu);
  scu.transaction(T1);
  return (await scu.listen({ port: 0, host: '127.0.0.1' })).port;
}

async function raw(
  port: number,
  proposal: Partial<Parameters<typeof RawRequestor.open>[1]> = {},
): Promise<RawRequestor> {
  const { requestor, result } = await RawRequestor.open(port, {
    calledAeTitle: 'INVSCU',
    abstractSyntax: INVENTORY_CREATION_SOP_CLASS,
    roles: { scu: false, scp: true },
    ...proposal,
  });
  opened.raws.push(requestor);
  expect(result).toBe(0); // context accepted
  return requestor;
}

const eventReport = (messageId: number, sopClassUid = INVENTORY_CREATION_SOP_CLASS) => ({
  commandField: N_EVENT_REPORT_RQ,
  messageId,
  affectedSopClassUid: sopClassUid,
  affectedSopInstanceUid: STORAGE_MANAGEMENT_SOP_INSTANCE,
  eventTypeId: 12,
});

describe('N-EVENT-REPORT statuses from a raw requestor', () => {
  it('0x0118 for an Affected SOP Class that is not Inventory Creation', async () => {
    const requestor = await raw(await listening());
    requestor.send(eventReport(3, '1.2.840.10008.1.20.1'), statusEvent(T1, 'PROCESSING', 1));
    expect(await requestor.next()).toMatchObject({ messageIdBeingRespondedTo: 3, status: 0x0118 });
    requestor.send(eventReport(4), statusEvent(T1, 'PROCESSING', 1));
    expect(await requestor.next()).toMatchObject({ messageIdBeingRespondedTo: 4, status: 0x0000 });
  });

  it('0x0115 echoing the invalid value as the response data set (PS3.7 C.5.10)', async () => {
    const requestor = await raw(await listening());
    requestor.send(eventReport(6), statusEvent(T1, 'RUNNING', 1));
    expect(await requestor.next()).toMatchObject({
      messageIdBeingRespondedTo: 6,
      status: 0x0115,
      eventTypeId: 12,
      dataSet: { '00080417': { vr: 'CS', Value: ['RUNNING'] } },
    });
    requestor.send(eventReport(8), statusEvent('2.25.404', 'PROCESSING', 1));
    expect(await requestor.next()).toMatchObject({
      status: 0x0115,
      dataSet: { '00081195': { vr: 'UI', Value: ['2.25.404'] } },
    });
  });

  it('0x0211 for a report from a requestor that did not take the SCP role', async () => {
    const requestor = await raw(await listening(), { roles: undefined }); // default roles: it is SCU
    requestor.send(eventReport(5), statusEvent(T1, 'PROCESSING', 1));
    expect(await requestor.next()).toMatchObject({ messageIdBeingRespondedTo: 5, status: 0x0211 });
  });

  it('0x0210 for a report whose Message ID is still outstanding', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const port = await listening({ maxOperationsPerformed: 2, onEvent: () => held });
    const requestor = await raw(port, { window: 2 });
    requestor.send(eventReport(7), statusEvent(T1, 'PROCESSING', 1));
    requestor.send(eventReport(7), statusEvent(T1, 'PROCESSING', 2));
    expect(await requestor.next()).toMatchObject({ messageIdBeingRespondedTo: 7, status: 0x0210 });
    release();
    expect(await requestor.next()).toMatchObject({ messageIdBeingRespondedTo: 7, status: 0x0000 });
  });
});
