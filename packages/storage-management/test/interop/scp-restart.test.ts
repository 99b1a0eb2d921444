// An Inventory Creation SCP closed in the middle and started again on the same store (PS3.4
// KK.2, KK.2.3.2): productions resume from their checkpoints (or end in FAILURE when they cannot),
// paused ones stay paused, and owed events, the terminal one above all, are still delivered under
// the same Transaction UID on a new association.
import { afterEach, describe, expect, it } from 'vitest';
import type { DimseServer } from '@dicomnet/dimse';
import { createServer } from '@dicomnet/dimse';
import { TransferSyntax } from '@dicomnet/data';
import { freePort, tempDir } from '@dicomnet/test-utils';
import { useRepositoryFixture } from '../helpers/repository-fixture.js';
import {
  action,
  cancelInformation,
  EventLog,
  GatedSink,
  initiateInformation,
  openRequester,
  SCP_AE,
  SCU_AE,
  serveScp,
  transactionInformation,
  uidSequence,
  type ServedScp,
} from '../helpers/scp-harness.js';
import { repositorySink } from '../../src/sink/repository-sink.js';
import { repositorySource } from '../../src/source/repository-source.js';
import { Tag } from '../../src/tags.js';
import type { InventoryCreationScpOptions } from '../../src/scp/inventory-creation-scp.js';
import { INVENTORY_CREATION_SOP_CLASS } from '../../src/uids.js';

const STUDIES = 5;
const fixture = useRepositoryFixture('dicomnet-scp-restart-', STUDIES, 1, 1);
const freshUid = uidSequence('1.2.826.0.1.3680043.10.1140');
const fast = { initialDelay: 30, maxDelay: 100, maxAttempts: 50, timeout: 5_000 };

/** What a test leaves behind, undone after it in reverse order (the store last). */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

/** The requester's listener for events on new associations. */
async function listen(log: EventLog, port = 0): Promise<{ server: DimseServer; port: number }> {
  const server = createServer({
    aeTitles: [SCU_AE],
    contexts: [
      {
        abstractSyntax: INVENTORY_CREATION_SOP_CLASS,
        transferSyntaxes: [TransferSyntax.ExplicitVrLittleEndian],
        requestorRoles: { scu: false, scp: true },
      },
    ],
    handlers: { eventReport: log.handler() },
  });
  const address = await server.listen({ port, host: '127.0.0.1' });
  cleanups.push(() => server.close());
  return { server, port: address.port };
}

/** A first SCP writing through `gate`, the store it leaves, and the SCP started after it. */
interface Restart {
  readonly gate: GatedSink;
  readonly first: ServedScp;
  /** A fresh Transaction UID for the test's production. */
  readonly uid: string;
  /** Starts the second SCP on the first one's store, with its peers. */
  again(options?: Partial<InventoryCreationScpOptions>): Promise<ServedScp>;
}

/**
 * Starts the first SCP on a new store with a gated repository sink; with `requesterPort`, it
 * reports to the requester there (and so will the second), retrying fast.
 */
async function startFirst(
  requesterPort: number | undefined,
  options: Partial<InventoryCreationScpOptions> = {},
): Promise<Restart> {
  const store = await tempDir('dicomnet-scp-restart-store-');
  cleanups.push(() => store.remove());
  const gate = new GatedSink(repositorySink(fixture.repository));
  cleanups.push(() => gate.open());
  const reports =
    requesterPort === undefined
      ? {}
      : { peers: { [SCU_AE]: { host: '127.0.0.1', port: requesterPort } }, delivery: fast };
  const first = await serveScp(fixture.repository, store.path, {
    sink: gate,
    ...reports,
    ...options,
  });
  return {
    gate,
    first,
    uid: freshUid(),
    async again(more = {}) {
      const second = await serveScp(fixture.repository, store.path, { ...reports, ...more });
      cleanups.push(() => second.close());
      return second;
    },
  };
}

describe('restart in the middle', () => {
  it('resumes a PROCESSING production from its checkpoint and delivers the terminal event', async () => {
    const log = new EventLog();
    const requester = await listen(log);
    const { gate, first, uid, again } = await startFirst(requester.port, {
      maxRecordsPerInstance: 1,
    });
    const client = await openRequester(first.port, new EventLog());
    expect((await action(client, 11, initiateInformation(uid))).status).toBe(0);
    await gate.held();
    gate.releaseOne();
    await gate.held();
    await client.release();
    await first.close(); // the second leaf never gets written by this SCP
    expect(gate.stored).toBe(1);

    const second = await again({ maxRecordsPerInstance: 1 });
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status, terminal.callingAeTitle]).toEqual([
      11,
      'COMPLETE',
      SCP_AE,
    ]);
    expect(terminal.information[Tag.TotalNumberOfStudyRecords]?.Value).toEqual([BigInt(STUDIES)]);
    expect(second.scp.transactions().find((t) => t.transactionUid === uid)).toMatchObject({
      state: 'COMPLETE',
      studyRecords: STUDIES,
    });
  });

  it('keeps a PAUSED production paused until a Resume reaches the new SCP', async () => {
    const log = new EventLog();
    const { gate, first, uid, again } = await startFirst(undefined, { maxRecordsPerInstance: 1 });
    const client = await openRequester(first.port, log);
    await action(client, 11, initiateInformation(uid));
    await gate.held();
    await action(client, 14, transactionInformation(uid));
    await log.waitFor((event) => event.transactionUid === uid && event.status === 'PAUSED');
    await client.abort();
    await first.close();

    const second = await again({ maxRecordsPerInstance: 1 });
    expect(second.scp.transactions().find((t) => t.transactionUid === uid)?.state).toBe('PAUSED');
    const resumer = await openRequester(second.port, log);
    expect((await action(resumer, 15, transactionInformation(uid))).status).toBe(0);
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([11, 'COMPLETE']);
    await resumer.abort();
  });

  it('delivers an event still owed when the SCP closed (the requester was away)', async () => {
    const log = new EventLog();
    const port = await freePort();
    const { gate, first, uid, again } = await startFirst(port);
    const notices: string[] = [];
    first.scp.on((notice) => {
      if (notice.type === 'event-retry' && notice.eventTypeId === 11)
        notices.push(notice.transactionUid);
    });
    const client = await openRequester(first.port, new EventLog());
    await action(client, 11, initiateInformation(uid));
    await gate.held();
    await client.release();
    gate.open();
    await expect.poll(() => notices.includes(uid), { timeout: 10_000 }).toBe(true); // nobody listens yet
    await first.close();

    await listen(log, port);
    await again();
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([11, 'COMPLETE']);
  });

  it('finishes a Cancel keeping instances that a close cut short, and delivers event 11', async () => {
    const log = new EventLog();
    const requester = await listen(log);
    const { gate, first, uid, again } = await startFirst(requester.port, {
      maxRecordsPerInstance: 1,
    });
    const client = await openRequester(first.port, new EventLog());
    await action(client, 11, initiateInformation(uid));
    await gate.held();
    gate.releaseOne();
    await gate.held();
    expect((await action(client, 13, cancelInformation(uid, 'YES'))).status).toBe(0);
    await gate.held(); // the root over the kept leaf waits to be written
    await client.abort();
    await first.close();
    expect(log.of(uid).some((event) => event.eventTypeId === 11)).toBe(false);

    await again();
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([11, 'CANCELED']);
    expect(terminal.information[Tag.TotalNumberOfStudyRecords]?.Value).toEqual([1n]);
  });

  it('ends in FAILURE, with the terminal event, a production the new SCP cannot resume', async () => {
    const log = new EventLog();
    const requester = await listen(log);
    const { gate, first, uid, again } = await startFirst(requester.port);
    const client = await openRequester(first.port, new EventLog());
    const scope = { '00080061': { vr: 'CS', Value: ['OT'] } };
    await action(client, 11, initiateInformation(uid, { scope }));
    await gate.held();
    await client.release();
    await first.close();

    // The new SCP's source cannot say what it matches: the stored scope cannot be applied.
    const source = repositorySource(fixture.repository);
    await again({
      source: {
        isMatchable: () => {
          throw new Error('index schema changed');
        },
        entries: (query, options) => source.entries(query, options),
      },
    });
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([13, 'FAILURE']);
    expect(terminal.information[Tag.TransactionStatusComment]?.Value).toEqual([
      'index schema changed',
    ]);
  });
});
