// Every N-ACTION status of the Inventory Creation SCP a real request can reach, over TCP on
// 127.0.0.1, with the Annex C fields each carries (PS3.4 KK.2.2.3, Table KK.2.2.3-1; PS3.7
// 10.1.4.1.10, Annex C).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { DimseClient, DimseMessageEvent } from '@dicomnet/dimse';
import { DIMSE_DIAGNOSTICS_CHANNELS, DimseStatusError } from '@dicomnet/dimse';
import { tempDir } from '@dicomnet/test-utils';
import { useRepositoryFixture } from '../helpers/repository-fixture.js';
import {
  action,
  cancelInformation,
  EventLog,
  GatedSink,
  initiateInformation,
  openRequester,
  SCP_AE,
  serveScp,
  STORAGE_COMMITMENT,
  transactionInformation,
  type ServedScp,
  uidSequence,
} from '../helpers/scp-harness.js';
import type { InventoryCreationScpOptions } from '../../src/scp/inventory-creation-scp.js';
import { repositorySink } from '../../src/sink/repository-sink.js';
import { repositorySource } from '../../src/source/repository-source.js';
import { Tag } from '../../src/tags.js';
import { INVENTORY_CREATION_SOP_CLASS, INVENTORY_STORAGE_SOP_CLASS } from '../../src/uids.js';

const fixture = useRepositoryFixture('dicomnet-scp-', 3, 2, 2);
let served: ServedScp;
let client: DimseClient;
const log = new EventLog();
const freshUid = uidSequence('1.2.826.0.1.3680043.10.1137');

async function failure(promise: Promise<unknown>): Promise<DimseStatusError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DimseStatusError))
    throw new Error(`expected a failure status, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  served = await serveScp(fixture.repository, fixture.dir);
  client = await openRequester(served.port, log, { contexts: 'commitment-too' });
}, 60_000);

afterAll(async () => {
  await client?.abort();
  await served?.close();
});

/** What a test with an SCP of its own leaves behind, undone after it in reverse order. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

/** An SCP of the test's own on a new store; closed after the test. */
async function serveOwn(options: Partial<InventoryCreationScpOptions>): Promise<ServedScp> {
  const store = await tempDir('dicomnet-scp-own-');
  cleanups.push(() => store.remove());
  const scp = await serveScp(fixture.repository, store.path, options);
  cleanups.push(() => scp.close());
  return scp;
}

/** A requester on `scp` reporting to the file's log; aborted after the test. */
async function requesterOn(
  scp: ServedScp,
  options?: Parameters<typeof openRequester>[2],
): Promise<DimseClient> {
  const requester = await openRequester(scp.port, log, options);
  cleanups.push(() => requester.abort());
  return requester;
}

describe('Initiate (11) to the end of production (PS3.4 KK.2.2.3, KK.2.3.2)', () => {
  it('answers 0000, reports PROCESSING, then event 11 COMPLETE with the root and its access', async () => {
    const transactionUid = freshUid();
    // The reports follow the N-ACTION response on the wire, never precede it (KK.2.3.2).
    const order: string[] = [];
    const onReceived = (message: unknown): void => {
      const { kind } = message as DimseMessageEvent; // what this channel publishes
      if (kind === 'N-ACTION-RSP' || kind === 'N-EVENT-REPORT-RQ') order.push(kind);
    };
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, onReceived);
    const ordered = new EventLog();
    const own = await openRequester(served.port, ordered);
    const result = await action(own, 11, initiateInformation(transactionUid));
    expect(result.status).toBe(0x0000);
    const terminal = await ordered.terminal(transactionUid);
    unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, onReceived);
    expect(order).toEqual(['N-ACTION-RSP', 'N-EVENT-REPORT-RQ', 'N-EVENT-REPORT-RQ']);
    const events = ordered.of(transactionUid);
    expect(events.map((event) => [event.eventTypeId, event.status])).toEqual([
      [12, 'PROCESSING'],
      [11, 'COMPLETE'],
    ]);
    const info = terminal.information;
    expect(info[Tag.ReferencedSOPClassUID]?.Value).toEqual([INVENTORY_STORAGE_SOP_CLASS]);
    expect(info[Tag.RetrieveAETitle]?.Value).toEqual([SCP_AE]);
    expect(info[Tag.TotalNumberOfStudyRecords]?.Value).toEqual([3n]);
    const root = info[Tag.ReferencedSOPInstanceUID]?.Value?.[0];
    expect(typeof root).toBe('string');
    expect(await fixture.repository.get(root as string)).toMatchObject({
      sopClassUid: INVENTORY_STORAGE_SOP_CLASS,
    });
    // The reports came on the N-ACTION's association, from the SCP (it is the acceptor here).
    expect(events.every((event) => event.callingAeTitle !== SCP_AE)).toBe(true);
    const transaction = served.scp.transactions().find((t) => t.transactionUid === transactionUid);
    expect(transaction).toMatchObject({
      state: 'COMPLETE',
      rootSopInstanceUid: root,
      studyRecords: 3,
    });
    await own.release();
  });

  it('answers 0xB010 listing the keys it cannot match, and still produces the inventory', async () => {
    const transactionUid = freshUid();
    const scope = {
      '00080061': { vr: 'CS', Value: [] },
      '00081080': { vr: 'LO', Value: ['x*'] }, // Admitting Diagnoses: not in the index
    };
    const result = await action(client, 11, initiateInformation(transactionUid, { scope }));
    expect(result.status).toBe(0xb010);
    expect(result.attributeIdentifierList).toEqual([0x00081080]);
    expect((await log.terminal(transactionUid)).status).toBe('COMPLETE');
  });

  it('refuses a Transaction UID already used with 0x0115, echoing it (not 0x0210)', async () => {
    const transactionUid = freshUid();
    await action(client, 11, initiateInformation(transactionUid));
    await log.terminal(transactionUid);
    const error = await failure(action(client, 11, initiateInformation(transactionUid)));
    expect(error.status).toBe(0x0115);
    expect(error.details.actionTypeId).toBe(11);
  });

  it('answers Request Status (12) of an ended transaction 0000 with event 12 in its final state', async () => {
    const transactionUid = freshUid();
    await action(client, 11, initiateInformation(transactionUid));
    await log.terminal(transactionUid);
    expect((await action(client, 12, transactionInformation(transactionUid))).status).toBe(0);
    const report = await log.waitFor(
      (event) =>
        event.transactionUid === transactionUid &&
        event.eventTypeId === 12 &&
        event.status === 'COMPLETE',
    );
    expect(report.information[Tag.TotalNumberOfStudyRecords]?.Value).toEqual([3n]);
  });
});

describe('access to the produced inventory in event 11 (KK.2.3.1.1, KK.2.3.2)', () => {
  it('carries Retrieve URL, File Access URI and Expiration DateTime as configured', async () => {
    const scp = await serveOwn({
      retrieveAeTitles: [],
      retrieveUrl: (root) => `http://127.0.0.1:8042/dicom-web/instances/${root.sopInstanceUid}`,
      fileAccessUri: (root) => `file:///inventories/${root.sopInstanceUid}.dcm`,
      retentionMs: 7 * 24 * 3600 * 1000,
    });
    const requester = await requesterOn(scp);
    const transactionUid = freshUid();
    const before = Date.now();
    await action(requester, 11, initiateInformation(transactionUid));
    const info = (await log.terminal(transactionUid)).information;
    const root = String(info[Tag.ReferencedSOPInstanceUID]?.Value?.[0]);
    expect(info[Tag.RetrieveAETitle]).toBeUndefined();
    expect(info[Tag.RetrieveURL]?.Value).toEqual([
      `http://127.0.0.1:8042/dicom-web/instances/${root}`,
    ]);
    expect(info[Tag.FileAccessURI]?.Value).toEqual([`file:///inventories/${root}.dcm`]);
    const expiration = String(info[Tag.ExpirationDateTime]?.Value?.[0]);
    const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.\d{3}\+0000$/.exec(expiration);
    expect(match).not.toBeNull();
    const [, y, mo, d, h, mi, se] = (match ?? []).map(Number);
    const at = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0, se ?? 0);
    expect(at).toBeGreaterThanOrEqual(before + 7 * 24 * 3600 * 1000 - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 7 * 24 * 3600 * 1000);
  });

  it('refuses options that leave event 11 without Retrieve AE Title and Retrieve URL', async () => {
    await expect(
      serveScp(fixture.repository, fixture.dir, { retrieveAeTitles: [] }),
    ).rejects.toMatchObject({ code: 'DICOMNET_INVENTORY_SCP_INVALID_OPTION' });
  });
});

describe('refusals (PS3.7 Annex C)', () => {
  it('0x0112 for an instance that is not the well-known one', async () => {
    const error = await failure(
      action(client, 11, initiateInformation(freshUid()), { sopInstanceUid: '1.2.3.4' }),
    );
    expect(error.status).toBe(0x0112);
    expect(error.details.affectedSopInstanceUid).toBe('1.2.3.4');
  });

  it('0x0119 for the well-known instance of another SOP Class', async () => {
    const error = await failure(
      action(client, 11, initiateInformation(freshUid()), {
        sopInstanceUid: '1.2.840.10008.1.20.1.1',
      }),
    );
    expect(error.status).toBe(0x0119);
    expect(error.details.affectedSopClassUid).toBe(INVENTORY_CREATION_SOP_CLASS);
  });

  it('0x0118 for an N-ACTION of a SOP Class that is not Inventory Creation', async () => {
    const error = await failure(
      action(
        client,
        1,
        {},
        { sopClassUid: STORAGE_COMMITMENT, sopInstanceUid: '1.2.840.10008.1.20.1.1' },
      ),
    );
    expect(error.status).toBe(0x0118);
    expect(error.details.affectedSopClassUid).toBe(STORAGE_COMMITMENT);
  });

  it('0x0123 with the Action Type ID for an action type outside 11-15', async () => {
    for (const actionTypeId of [1, 16]) {
      const error = await failure(action(client, actionTypeId, {}));
      expect(error.status).toBe(0x0123);
      expect(error.details.actionTypeId).toBe(actionTypeId);
    }
  });

  it('0x0114 with the Action Type ID for an argument the action does not define', async () => {
    const information = {
      ...transactionInformation(freshUid()),
      [Tag.RetainInstances]: { vr: 'CS', Value: ['YES'] },
    };
    const error = await failure(action(client, 14, information));
    expect(error.status).toBe(0x0114);
    expect(error.details.actionTypeId).toBe(14);
  });

  it('0x0120 with the Attribute Identifier List for missing mandatory arguments', async () => {
    const error = await failure(action(client, 13, transactionInformation(freshUid())));
    expect(error.status).toBe(0x0120);
    expect(error.details.attributeIdentifierList).toEqual([0x00080415]);
    const initiate = await failure(
      action(client, 11, { [Tag.InventoryLevel]: { vr: 'CS', Value: ['STUDY'] } }),
    );
    expect(initiate.details.attributeIdentifierList).toEqual([0x00081195, 0x00080400]);
  });

  it('0x0121 for a mandatory argument sent empty', async () => {
    const error = await failure(action(client, 14, { [Tag.TransactionUID]: { vr: 'UI' } }));
    expect(error.status).toBe(0x0121);
  });

  it('0x0115 for Retain Instances MAYBE, an unknown transaction, and steering an ended one', async () => {
    const maybe = await failure(action(client, 13, cancelInformation(freshUid(), 'MAYBE')));
    expect(maybe.status).toBe(0x0115);
    expect(maybe.details.actionTypeId).toBe(13);
    for (const actionTypeId of [12, 14, 15]) {
      expect(
        (await failure(action(client, actionTypeId, transactionInformation(freshUid())))).status,
      ).toBe(0x0115);
    }
    const ended = freshUid();
    await action(client, 11, initiateInformation(ended));
    await log.terminal(ended);
    expect((await failure(action(client, 14, transactionInformation(ended)))).status).toBe(0x0115);
    expect((await failure(action(client, 15, transactionInformation(ended)))).status).toBe(0x0115);
    expect((await failure(action(client, 13, cancelInformation(ended, 'NO')))).status).toBe(0x0115);
  });

  it('0x0212 with an Error Comment for an unsupported level, character set or mechanism', async () => {
    const level = await failure(
      action(client, 11, initiateInformation(freshUid(), { level: 'PATIENT' })),
    );
    expect(level.status).toBe(0x0212);
    expect(level.details.errorComment).toContain('PATIENT');
    const charset = await failure(
      action(
        client,
        11,
        initiateInformation(freshUid(), {
          scope: { '00080005': { vr: 'CS', Value: ['ISO_IR 999'] } },
        }),
      ),
    );
    expect(charset.status).toBe(0x0212); // answered by the DIMSE layer: the data set cannot be decoded
    const mechanism = await failure(
      action(
        client,
        11,
        initiateInformation(freshUid(), {
          scope: { '0008040F': { vr: 'CS', Value: ['TIMEZONE_ADJUST'] } },
        }),
      ),
    );
    expect(mechanism.status).toBe(0x0212);
  });

  it('0x0211 for an N-service Inventory Creation does not define (N-GET)', async () => {
    const error = await failure(
      client.nGet({
        sopClassUid: INVENTORY_CREATION_SOP_CLASS,
        sopInstanceUid: '1.2.840.10008.5.1.4.1.1.201.1.1',
      }),
    );
    expect(error.status).toBe(0x0211);
  });
});

describe('refusals of policy: 0x0124, 0x0213, 0x0110', () => {
  it('0x0124 with an Error Comment for a calling AE title not allowed, or an authorize hook saying no', async () => {
    const scp = await serveOwn({
      allowedAeTitles: ['INVSCU'],
      authorize: ({ action: requested, userIdentity }) => {
        const user =
          userIdentity === undefined ? '' : new TextDecoder().decode(userIdentity.primaryField);
        if (user !== 'alice') return `user "${user}" may not create inventories`;
        return requested.kind === 'initiate' && requested.level === 'INSTANCE'
          ? 'no INSTANCE inventory today'
          : true;
      },
    });
    const stranger = await requesterOn(scp, {
      callingAeTitle: 'STRANGER',
      username: 'alice',
    });
    const anonymous = await requesterOn(scp);
    const alice = await requesterOn(scp, { username: 'alice' });
    const refused = await failure(action(stranger, 11, initiateInformation(freshUid())));
    expect(refused.status).toBe(0x0124);
    expect(refused.details.errorComment).toContain('STRANGER');
    const nobody = await failure(action(anonymous, 11, initiateInformation(freshUid())));
    expect(nobody.status).toBe(0x0124);
    expect(nobody.details.errorComment).toBe('user "" may not create inventories');
    const hooked = await failure(
      action(alice, 11, initiateInformation(freshUid(), { level: 'INSTANCE' })),
    );
    expect(hooked.status).toBe(0x0124);
    expect(hooked.details.errorComment).toBe('no INSTANCE inventory today');
    const allowed = freshUid();
    expect((await action(alice, 11, initiateInformation(allowed))).status).toBe(0);
    await log.terminal(allowed);
  });

  it('0x0213 with an Error Comment when the concurrent-inventory limit is reached', async () => {
    const sink = new GatedSink(repositorySink(fixture.repository));
    const scp = await serveOwn({ sink, maxConcurrent: 1 });
    const requester = await requesterOn(scp);
    const first = freshUid();
    expect((await action(requester, 11, initiateInformation(first))).status).toBe(0);
    await sink.held();
    const error = await failure(action(requester, 11, initiateInformation(freshUid())));
    expect(error.status).toBe(0x0213);
    expect(error.details.errorComment).toContain('1 inventories');
    sink.open();
    expect((await log.terminal(first)).status).toBe('COMPLETE');
    // Room again once the first one ended.
    const third = freshUid();
    expect((await action(requester, 11, initiateInformation(third))).status).toBe(0);
    await log.terminal(third);
  });

  it('0x0110 with an Error Comment when the source fails under the request', async () => {
    const source = repositorySource(fixture.repository);
    const scp = await serveOwn({
      source: {
        isMatchable: () => {
          throw new Error('index unavailable');
        },
        entries: (scope, options) => source.entries(scope, options),
      },
    });
    const requester = await requesterOn(scp);
    const scope = { '00080061': { vr: 'CS', Value: ['OT'] } };
    const error = await failure(action(requester, 11, initiateInformation(freshUid(), { scope })));
    expect(error.status).toBe(0x0110);
    expect(error.details.errorComment).toBe('index unavailable');
  });
});
