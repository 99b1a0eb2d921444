// Storage Commitment Push Model (PS3.4 Annex J) with Orthanc, both ways, as PEERS.md §3.4
// observed it on the wire: N-ACTION on one association, the N-EVENT-REPORT on a new one opened
// by the SCP, which takes the SCP role through role selection (PS3.7 D.3.3.4).
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstances, randomUid, startOrthanc, tempDir } from '@dicomnet/test-utils';
import type { GeneratedInstance, OrthancPeer, OrthancRestError } from '@dicomnet/test-utils';
import { connect } from '../../src/index.js';
import type { DataSet } from '@dicomnet/data';
import type {
  ActionRequest,
  DimseClient,
  EventReportRequest,
  HandlerResult,
  ReplyWithDataSet,
} from '../../src/index.js';
import { startOurStoreScp } from './our-store-scp.js';
import type { OurStoreScp } from './our-store-scp.js';
import { EXPLICIT, IMPLICIT, STORAGE_COMMITMENT, STORAGE_COMMITMENT_INSTANCE } from './uids.js';

// PS3.3 C.14.1.1 / PS3.4 J.3: the attributes of the action and event information.
const TRANSACTION_UID = '00081195';
const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_CLASS_UID = '00081150';
const REFERENCED_SOP_INSTANCE_UID = '00081155';
const FAILURE_REASON = '00081197';
/** Failure Reason 0112H: no such object instance (PS3.3 C.14.1.1). */
const NO_SUCH_OBJECT_INSTANCE = 0x0112;

interface Reference {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
}

interface CommitmentReport {
  readonly Status: 'Success' | 'Failure' | 'Pending';
  readonly Success: { SOPClassUID: string; SOPInstanceUID: string }[];
  readonly Failures: { SOPClassUID: string; SOPInstanceUID: string; FailureReason: number }[];
}

function item(reference: Reference, failureReason?: number): DataSet {
  return {
    [REFERENCED_SOP_CLASS_UID]: { vr: 'UI', Value: [reference.sopClassUid] },
    [REFERENCED_SOP_INSTANCE_UID]: { vr: 'UI', Value: [reference.sopInstanceUid] },
    ...(failureReason !== undefined && { [FAILURE_REASON]: { vr: 'US', Value: [failureReason] } }),
  };
}

function referencesIn(
  dataSet: DataSet | undefined,
  key: string,
): (Reference & { failureReason?: number })[] {
  const items = (dataSet?.[key]?.Value ?? []) as DataSet[]; // SQ values are items
  return items.map((entry) => ({
    sopClassUid: String(entry[REFERENCED_SOP_CLASS_UID]?.Value?.[0] ?? ''),
    sopInstanceUid: String(entry[REFERENCED_SOP_INSTANCE_UID]?.Value?.[0] ?? ''),
    ...(entry[FAILURE_REASON] !== undefined && {
      failureReason: Number(entry[FAILURE_REASON]?.Value?.[0]),
    }),
  }));
}

function transactionOf(dataSet: DataSet | undefined): string {
  return String(dataSet?.[TRANSACTION_UID]?.Value?.[0] ?? '');
}

/** A promise with its resolver, bounded so that a missing peer action fails the test. */
function later<T>(what: string, ms = 20_000): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}`)), ms);
    resolve = (value) => {
      clearTimeout(timer);
      done(value);
    };
  });
  promise.catch(() => {});
  return { promise, resolve };
}

describe('Storage Commitment with Orthanc', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let orthanc: OrthancPeer;
  let ours: OurStoreScp;
  let stored: GeneratedInstance;
  // The handlers of our server delegate to whatever the running test installs.
  type Handler<R> = (
    request: R,
  ) => HandlerResult<ReplyWithDataSet> | Promise<HandlerResult<ReplyWithDataSet>>;
  let onAction: Handler<ActionRequest> = () => 0x0110;
  let onEventReport: Handler<EventReportRequest> = () => 0x0110;

  beforeAll(async () => {
    work = await tempDir('dicomnet-dimse-commitment-');
    ours = await startOurStoreScp(path.join(work.path, 'received'), {
      extraContexts: [
        {
          abstractSyntax: STORAGE_COMMITMENT,
          transferSyntaxes: [EXPLICIT, IMPLICIT],
          // Orthanc opens the report association proposing the SCP role for itself.
          requestorRoles: { scu: true, scp: true },
        },
      ],
      extraHandlers: {
        action: (request) => onAction(request),
        eventReport: (request) => onEventReport(request),
      },
    });
    orthanc = await startOrthanc({
      modalities: { dicomnet: { aet: 'DICOMNET', port: ours.port, allowStorageCommitment: true } },
    });
    const [instance] = await generateInstances(path.join(work.path, 'sent'), { count: 1 });
    if (instance === undefined) throw new Error('no instance generated');
    stored = instance;
  }, 60_000);
  afterAll(async () => {
    await ours?.close();
    await orthanc?.stop(); // seconds: it holds an SQLite lock until it has exited (PEERS.md §0.5)
    await work?.remove();
  }, 30_000);

  const unknown = (): Reference => ({
    sopClassUid: stored.sopClassUid,
    sopInstanceUid: randomUid(),
  });

  /** Orthanc's view of a transaction once it is no longer Pending (bounded poll). */
  async function reportOf(transactionUid: string): Promise<CommitmentReport> {
    for (let tries = 0; ; tries++) {
      const report = await orthanc.rest<CommitmentReport>(
        'GET',
        `/storage-commitment/${transactionUid}`,
      );
      if (report.Status !== 'Pending' || tries >= 200) return report;
      await sleep(50);
    }
  }

  async function uploadToOrthanc(instance: GeneratedInstance): Promise<string> {
    const answer = await orthanc.rest<{ ID: string }>(
      'POST',
      '/instances',
      new Uint8Array(await readFile(instance.path)),
    );
    return answer.ID;
  }

  async function have(reference: Reference): Promise<boolean> {
    try {
      await access(path.join(ours.dir, `${reference.sopInstanceUid}.dcm`));
      return true;
    } catch {
      return false;
    }
  }

  /** The event information our SCP reports for a request (PS3.4 J.3.3). */
  async function commitmentResult(information: DataSet | undefined) {
    const requested = referencesIn(information, REFERENCED_SOP_SEQUENCE);
    const kept: Reference[] = [];
    const missing: Reference[] = [];
    for (const reference of requested) ((await have(reference)) ? kept : missing).push(reference);
    const eventInformation: DataSet = {
      [TRANSACTION_UID]: { vr: 'UI', Value: [transactionOf(information)] },
      ...(kept.length > 0 && {
        [REFERENCED_SOP_SEQUENCE]: { vr: 'SQ', Value: kept.map((r) => item(r)) },
      }),
      ...(missing.length > 0 && {
        [FAILED_SOP_SEQUENCE]: {
          vr: 'SQ',
          Value: missing.map((r) => item(r, NO_SUCH_OBJECT_INSTANCE)),
        },
      }),
    };
    return { eventTypeId: missing.length === 0 ? 1 : 2, eventInformation, requested };
  }

  /** Opens a new association to Orthanc as SCP of Storage Commitment and reports on it. */
  async function reportOnNewAssociation(result: Awaited<ReturnType<typeof commitmentResult>>) {
    const client: DimseClient = await connect({
      host: '127.0.0.1',
      port: orthanc.dicomPort,
      callingAeTitle: 'DICOMNET',
      calledAeTitle: orthanc.aeTitle,
      contexts: [
        {
          abstractSyntax: STORAGE_COMMITMENT,
          transferSyntaxes: [EXPLICIT, IMPLICIT],
          roles: { scu: false, scp: true },
        },
      ],
      connectTimeout: 5_000,
      artimTimeout: 10_000,
      dimseTimeout: 10_000,
    });
    try {
      return await client.eventReport({
        sopClassUid: STORAGE_COMMITMENT,
        sopInstanceUid: STORAGE_COMMITMENT_INSTANCE,
        eventTypeId: result.eventTypeId,
        eventInformation: result.eventInformation,
      });
    } finally {
      await client.release();
    }
  }

  describe('Orthanc as SCU, we as SCP', () => {
    beforeAll(async () => {
      const id = await uploadToOrthanc(stored);
      const job = await orthanc.rest<{ InstancesCount: number }>(
        'POST',
        '/modalities/dicomnet/store',
        {
          Resources: [id],
          Synchronous: true,
        },
      );
      expect(job.InstancesCount).toBe(1);
      expect(await have(stored)).toBe(true);
    });

    it('reports on a new association: Success for what we have, Failure 0x0112 for the rest', async () => {
      const reports: string[] = [];
      onAction = (request) => {
        expect(request).toMatchObject({
          sopClassUid: STORAGE_COMMITMENT,
          sopInstanceUid: STORAGE_COMMITMENT_INSTANCE,
          actionTypeId: 1,
        });
        // Answer the N-ACTION first (the dispatcher sends our reply when we return), then report.
        setTimeout(() => {
          void commitmentResult(request.actionInformation)
            .then(reportOnNewAssociation)
            .then(
              (result) => reports.push(`status ${result.status}`),
              (error: unknown) => reports.push(`error ${(error as { code?: string }).code}`),
            );
        }, 0);
      };
      const missing = unknown();
      const mixed = await orthanc.rest<{ ID: string }>(
        'POST',
        '/modalities/dicomnet/storage-commitment',
        {
          DicomInstances: [
            { SOPClassUID: stored.sopClassUid, SOPInstanceUID: stored.sopInstanceUid },
            { SOPClassUID: missing.sopClassUid, SOPInstanceUID: missing.sopInstanceUid },
          ],
          Timeout: 10,
        },
      );
      const failure = await reportOf(mixed.ID);
      expect(failure).toMatchObject({
        Status: 'Failure',
        Success: [{ SOPClassUID: stored.sopClassUid, SOPInstanceUID: stored.sopInstanceUid }],
        Failures: [
          {
            SOPClassUID: missing.sopClassUid,
            SOPInstanceUID: missing.sopInstanceUid,
            FailureReason: NO_SUCH_OBJECT_INSTANCE,
          },
        ],
      });

      const all = await orthanc.rest<{ ID: string }>(
        'POST',
        '/modalities/dicomnet/storage-commitment',
        {
          DicomInstances: [
            { SOPClassUID: stored.sopClassUid, SOPInstanceUID: stored.sopInstanceUid },
          ],
          Timeout: 10,
        },
      );
      const success = await reportOf(all.ID);
      expect(success).toMatchObject({
        Status: 'Success',
        Success: [{ SOPClassUID: stored.sopClassUid, SOPInstanceUID: stored.sopInstanceUid }],
        Failures: [],
      });
      // Orthanc records the result before it answers; our side finishes (and releases) after.
      for (let tries = 0; reports.length < 2 && tries < 200; tries++) await sleep(50);
      expect(reports).toEqual(['status 0', 'status 0']);
    });

    // PS3.4 J.3.3 lets the SCP report on the N-ACTION's association if it is still open. Orthanc
    // does not keep it open: it sends A-RELEASE-RQ as soon as it has the N-ACTION-RSP.
    it('records Orthanc: a report on the N-ACTION’s own association comes too late', async () => {
      const outcome = later<string>('the same-association report');
      const before = ours.associations.length;
      onAction = async (request) => {
        const result = await commitmentResult(request.actionInformation);
        // After our N-ACTION-RSP: wait until the association is over, then try.
        request.signal.addEventListener('abort', () => {
          request.peer
            .eventReport({
              sopClassUid: STORAGE_COMMITMENT,
              sopInstanceUid: STORAGE_COMMITMENT_INSTANCE,
              eventTypeId: result.eventTypeId,
              eventInformation: result.eventInformation,
            })
            .then(
              (answer) => outcome.resolve(`status ${answer.status}`),
              (error: unknown) => outcome.resolve(`${(error as { code?: string }).code}`),
            );
        });
      };
      const request = await orthanc.rest<{ ID: string }>(
        'POST',
        '/modalities/dicomnet/storage-commitment',
        {
          DicomInstances: [
            { SOPClassUID: stored.sopClassUid, SOPInstanceUID: stored.sopInstanceUid },
          ],
          Timeout: 5,
        },
      );
      // What our library says for a request on an association that was released normally.
      expect(await outcome.promise).toBe('DICOMNET_INVALID_STATE');
      await ours.associationsEnded(before + 1);
      // Orthanc released normally (no error on our side) right after our answer.
      expect(ours.associations[before]?.error).toBeUndefined();
      const report = await orthanc.rest<CommitmentReport>(
        'GET',
        `/storage-commitment/${request.ID}`,
      );
      expect(report.Status).toBe('Pending');
    });

    it('records Orthanc: a report sent before the N-ACTION-RSP makes it drop the association', async () => {
      const outcome = later<string>('the early report');
      const before = ours.associations.length;
      onAction = async (request) => {
        const result = await commitmentResult(request.actionInformation);
        // Not awaited: the N-EVENT-REPORT-RQ is queued before the N-ACTION-RSP we return.
        request.peer
          .eventReport({
            sopClassUid: STORAGE_COMMITMENT,
            sopInstanceUid: STORAGE_COMMITMENT_INSTANCE,
            eventTypeId: result.eventTypeId,
            eventInformation: result.eventInformation,
          })
          .then(
            (answer) => outcome.resolve(`status ${answer.status}`),
            (error: unknown) => outcome.resolve(`${(error as { code?: string }).code}`),
          );
      };
      const refused = await orthanc
        .rest('POST', '/modalities/dicomnet/storage-commitment', {
          DicomInstances: [
            { SOPClassUID: stored.sopClassUid, SOPInstanceUID: stored.sopInstanceUid },
          ],
          Timeout: 5,
        })
        .then(
          () => 'accepted',
          (error: unknown) => {
            const rest = error as OrthancRestError; // what orthanc.rest throws on HTTP errors
            return `${rest.status} ${rest.body}`;
          },
        );
      // Orthanc expects the N-ACTION-RSP and nothing else: it closes the connection (no A-ABORT).
      expect(refused).toMatch(/^500 [^]*Unable to read N-ACTION response/);
      expect(await outcome.promise).toBe('DICOMNET_TRANSPORT_CLOSED');
      await ours.associationsEnded(before + 1);
      expect(ours.associations[before]?.error?.code).toBe('DICOMNET_TRANSPORT_CLOSED');
    });
  });

  describe('we as SCU, Orthanc as SCP', () => {
    it('sends N-ACTION and receives Orthanc’s N-EVENT-REPORT on a new association', async () => {
      const instance = (
        await generateInstances(path.join(work.path, 'at-orthanc'), { count: 1 })
      )[0];
      if (instance === undefined) throw new Error('no instance generated');
      await uploadToOrthanc(instance);
      const missing = unknown();
      const transactionUid = randomUid();
      const received = later<EventReportRequest>('Orthanc’s N-EVENT-REPORT');
      onEventReport = (request) => {
        received.resolve(request);
      };
      const client = await connect({
        host: '127.0.0.1',
        port: orthanc.dicomPort,
        callingAeTitle: 'DICOMNET',
        calledAeTitle: orthanc.aeTitle,
        contexts: [{ abstractSyntax: STORAGE_COMMITMENT, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
        connectTimeout: 5_000,
        artimTimeout: 10_000,
        dimseTimeout: 10_000,
      });
      const answer = await client.action({
        sopClassUid: STORAGE_COMMITMENT,
        sopInstanceUid: STORAGE_COMMITMENT_INSTANCE,
        actionTypeId: 1,
        actionInformation: {
          [TRANSACTION_UID]: { vr: 'UI', Value: [transactionUid] },
          [REFERENCED_SOP_SEQUENCE]: { vr: 'SQ', Value: [item(instance), item(missing)] },
        },
      });
      expect(answer).toMatchObject({ status: 0, category: 'Success' });
      await client.release();

      const report = await received.promise;
      expect({
        sopClassUid: report.sopClassUid,
        sopInstanceUid: report.sopInstanceUid,
        eventTypeId: report.eventTypeId,
        transactionUid: transactionOf(report.eventInformation),
        succeeded: referencesIn(report.eventInformation, REFERENCED_SOP_SEQUENCE),
        failed: referencesIn(report.eventInformation, FAILED_SOP_SEQUENCE),
      }).toEqual({
        sopClassUid: STORAGE_COMMITMENT,
        sopInstanceUid: STORAGE_COMMITMENT_INSTANCE,
        eventTypeId: 2,
        transactionUid,
        succeeded: [{ sopClassUid: instance.sopClassUid, sopInstanceUid: instance.sopInstanceUid }],
        failed: [{ ...missing, failureReason: NO_SUCH_OBJECT_INSTANCE }],
      });
      // It came on an association Orthanc opened to us, with itself as SCP of the class.
      expect(report.association.callingAeTitle).toBe(orthanc.aeTitle);
      expect(report.association.role).toBe('acceptor');
      const context = report.association.contexts.find(
        (c) => c.id === report.presentationContextId,
      );
      expect(context).toMatchObject({ abstractSyntax: STORAGE_COMMITMENT, localIsScu: true });
    });
  });
});
