// The statuses only a malformed, overlapping or misdirected request reaches, sent by a raw
// requester on bare TCP: 0117H Invalid SOP Instance (PS3.7 C.5.12), 0210H Duplicate invocation
// (C.5.9) and 0211H Unrecognized operation (C.5.23), answered by the DIMSE layer before (or
// beside) the Inventory Creation handler.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useRepositoryFixture } from '../helpers/repository-fixture.js';
import { encodeCommand, encodeElements, RawRequestor } from '../helpers/raw-association.js';
import { SCP_AE, SCU_AE, serveScp, type ServedScp } from '../helpers/scp-harness.js';
import { INVENTORY_CREATION_SOP_CLASS, STORAGE_MANAGEMENT_SOP_INSTANCE } from '../../src/uids.js';

const fixture = useRepositoryFixture('dicomnet-scp-raw-', 1, 1, 1);
let served: ServedScp;
let release: () => void = () => {};

beforeAll(async () => {
  served = await serveScp(fixture.repository, fixture.dir, {
    // A slow authorization keeps the first request outstanding while the second arrives.
    authorize: () => new Promise<boolean>((resolve) => (release = () => resolve(true))),
  });
}, 60_000);

afterAll(async () => {
  release();
  await served?.close();
});

const raws: RawRequestor[] = [];
afterEach(() => {
  for (const raw of raws.splice(0)) raw.close();
});

/** A raw association to the SCP in Implicit VR LE (as the hand encoders write), accepted. */
async function openRaw(): Promise<RawRequestor> {
  const { requestor, result } = await RawRequestor.open(served.port, {
    callingAeTitle: SCU_AE,
    calledAeTitle: SCP_AE,
    abstractSyntax: INVENTORY_CREATION_SOP_CLASS,
    transferSyntax: '1.2.840.10008.1.2',
    window: 4,
  });
  raws.push(requestor);
  expect(result).toBe(0); // context accepted
  return requestor;
}

/** N-ACTION-RQ (PS3.7 Table 10.3-7), hand-encoded. */
function actionRq(
  messageId: number,
  instance: string,
  actionTypeId: number,
  withData: boolean,
): Buffer {
  return encodeCommand([
    [0x0000, 0x0003, INVENTORY_CREATION_SOP_CLASS],
    [0x0000, 0x0100, 0x0130],
    [0x0000, 0x0110, messageId],
    [0x0000, 0x0800, withData ? 0x0000 : 0x0101],
    [0x0000, 0x1001, instance],
    [0x0000, 0x1008, actionTypeId],
  ]);
}

describe('statuses the DIMSE layer gives an Inventory Creation N-ACTION', () => {
  it('0x0117 for a Requested SOP Instance UID that breaks the UID rules', async () => {
    const raw = await openRaw();
    raw.sendEncoded(actionRq(7, '1.02.abc', 12, false));
    const response = await raw.next();
    expect(response).toMatchObject({
      commandField: 0x8130,
      messageIdBeingRespondedTo: 7,
      status: 0x0117,
    });
  });

  it('0x0210 for a second request under a Message ID still outstanding', async () => {
    const raw = await openRaw();
    // Pause of a transaction nobody started: held in the authorization hook, then 0115H.
    const pause = encodeElements([[0x0008, 0x1195, '1.2.826.0.1.3680043.10.1142.1']]);
    raw.sendEncoded(actionRq(9, STORAGE_MANAGEMENT_SOP_INSTANCE, 14, true), pause);
    raw.sendEncoded(actionRq(9, STORAGE_MANAGEMENT_SOP_INSTANCE, 14, true), pause);
    const duplicate = await raw.next();
    expect(duplicate).toMatchObject({ messageIdBeingRespondedTo: 9, status: 0x0210 });
    release();
    const first = await raw.next();
    expect(first).toMatchObject({
      messageIdBeingRespondedTo: 9,
      status: 0x0115,
      actionTypeId: 14,
    });
  });

  it("0x0211 for an N-EVENT-REPORT sent to the SCP by its SCU (the operation is the SCP's)", async () => {
    const raw = await openRaw();
    raw.sendEncoded(
      encodeCommand([
        [0x0000, 0x0002, INVENTORY_CREATION_SOP_CLASS],
        [0x0000, 0x0100, 0x0100],
        [0x0000, 0x0110, 11],
        [0x0000, 0x0800, 0x0101],
        [0x0000, 0x1000, STORAGE_MANAGEMENT_SOP_INSTANCE],
        [0x0000, 0x1002, 12],
      ]),
    );
    expect(await raw.next()).toMatchObject({
      commandField: 0x8100,
      messageIdBeingRespondedTo: 11,
      status: 0x0211,
    });
  });
});
