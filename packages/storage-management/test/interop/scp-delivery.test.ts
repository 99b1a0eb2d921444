// N-EVENT-REPORTs on a new association (PS3.4 KK.2.3.2; storage-management.md §8): once the
// requester's association is gone, the SCP opens one to the requester's AE proposing Inventory
// Creation with SCP/SCU Role Selection (we are SCP), and reacts to each status the requester
// answers: 0000 done, 0213H and 0110H retried later, every other failure given up and reported.
import { afterEach, describe, expect, it } from 'vitest';
import type { DimseServer } from '@dicomnet/dimse';
import { createServer } from '@dicomnet/dimse';
import { TransferSyntax } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { useRepositoryFixture } from '../helpers/repository-fixture.js';
import {
  action,
  EventLog,
  GatedSink,
  initiateInformation,
  openRequester,
  SCP_AE,
  SCU_AE,
  serveScp,
  type ReceivedEvent,
  type ServedScp,
  uidSequence,
} from '../helpers/scp-harness.js';
import { repositorySink } from '../../src/sink/repository-sink.js';
import type { InventoryScpEvent } from '../../src/scp/scp-events.js';
import type { InventoryCreationScpOptions } from '../../src/scp/inventory-creation-scp.js';
import { INVENTORY_CREATION_SOP_CLASS } from '../../src/uids.js';

const fixture = useRepositoryFixture('dicomnet-scp-delivery-', 2, 1, 1);
const freshUid = uidSequence('1.2.826.0.1.3680043.10.1139');

/** What a test leaves behind, undone after it in reverse order. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

/**
 * The requester's own listener: accepts Inventory Creation with the requestor as SCP (role
 * selection) and answers each event with what `answer` says.
 */
async function listen(
  log: EventLog,
  answer: (event: ReceivedEvent) => number,
): Promise<{ server: DimseServer; port: number; roles: string[] }> {
  const roles: string[] = [];
  const server = createServer({
    aeTitles: [SCU_AE],
    contexts: [
      {
        abstractSyntax: INVENTORY_CREATION_SOP_CLASS,
        transferSyntaxes: [
          TransferSyntax.ExplicitVrLittleEndian,
          TransferSyntax.ImplicitVrLittleEndian,
        ],
        requestorRoles: { scu: false, scp: true },
      },
    ],
    handlers: { eventReport: log.handler(answer) },
    onAssociation: (client) => {
      const context = client.negotiated.contexts.find(
        (c) => c.abstractSyntax === INVENTORY_CREATION_SOP_CLASS,
      );
      roles.push(`${client.negotiated.callingAeTitle} scu=${String(context?.localIsScu)}`);
    },
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => server.close());
  return { server, port, roles };
}

/** Initiates on an association released at once; the production waits at the gate till then. */
async function initiateAndLeave(
  served: ServedScp,
  gate: GatedSink,
  transactionUid: string,
): Promise<void> {
  const client = await openRequester(served.port, new EventLog());
  expect((await action(client, 11, initiateInformation(transactionUid))).status).toBe(0);
  await gate.held();
  await client.release();
  gate.open();
}

const fast = { initialDelay: 30, maxDelay: 100, maxAttempts: 4, timeout: 5_000 };

/** An SCP on a store of its own writing through `gate`, and the notices it gave. */
interface GatedScp {
  readonly served: ServedScp;
  readonly gate: GatedSink;
  readonly notices: InventoryScpEvent[];
}

/**
 * Serves an SCP with a gated repository sink that reports to the requester at `requesterPort`
 * (none: no AE table), retrying fast; closed after the test.
 */
async function serveGated(
  requesterPort: number | undefined,
  options: Partial<InventoryCreationScpOptions> = {},
): Promise<GatedScp> {
  const own = await tempDir('dicomnet-scp-delivery-store-');
  cleanups.push(() => own.remove());
  const gate = new GatedSink(repositorySink(fixture.repository));
  const served = await serveScp(fixture.repository, own.path, {
    sink: gate,
    ...(requesterPort === undefined
      ? {}
      : { peers: { [SCU_AE]: { host: '127.0.0.1', port: requesterPort } } }),
    delivery: fast,
    ...options,
  });
  cleanups.push(() => served.close());
  const notices: InventoryScpEvent[] = [];
  served.scp.on((notice) => notices.push(notice));
  return { served, gate, notices };
}

describe('events on a new association with role selection', () => {
  it('opens an association as SCP of Inventory Creation and delivers the terminal event there', async () => {
    const log = new EventLog();
    const requester = await listen(log, () => 0x0000);
    const { served, gate, notices } = await serveGated(requester.port);
    const uid = freshUid();
    await initiateAndLeave(served, gate, uid);
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status, terminal.callingAeTitle]).toEqual([
      11,
      'COMPLETE',
      SCP_AE,
    ]);
    // The requester saw us as the SCP: it is SCU on that context.
    expect(requester.roles).toContain(`${SCP_AE} scu=true`);
    // Our side learns of the answer a moment after the requester handled the event.
    await expect
      .poll(
        () =>
          notices.find(
            (n) => n.type === 'event-delivered' && n.transactionUid === uid && n.eventTypeId === 11,
          ),
        { timeout: 5_000 },
      )
      .toMatchObject({ via: 'new-association', status: 0 });
  });

  it('tries again after 0213H and 0110H, then delivers on 0000', async () => {
    const log = new EventLog();
    const answers = [0x0213, 0x0110];
    const requester = await listen(log, (event) =>
      event.eventTypeId === 11 ? (answers.shift() ?? 0) : 0,
    );
    const { served, gate, notices } = await serveGated(requester.port);
    const uid = freshUid();
    await initiateAndLeave(served, gate, uid);
    await log.waitFor(
      (event) =>
        event.transactionUid === uid &&
        log.of(uid).filter((e) => e.eventTypeId === 11).length === 3,
    );
    const retries = notices.filter((n) => n.type === 'event-retry' && n.transactionUid === uid);
    expect(retries.map((n) => (n.type === 'event-retry' ? n.status : undefined))).toEqual([
      0x0213, 0x0110,
    ]);
    await expect
      .poll(
        () =>
          notices.some(
            (n) => n.type === 'event-delivered' && n.transactionUid === uid && n.eventTypeId === 11,
          ),
        { timeout: 5_000 },
      )
      .toBe(true);
  });

  it('gives up at once on every other failure status, and reports it', async () => {
    const refusals = [
      0x0112, 0x0113, 0x0114, 0x0115, 0x0117, 0x0118, 0x0119, 0x0210, 0x0211, 0x0212,
    ];
    const log = new EventLog();
    const byTransaction = new Map<string, number>();
    const requester = await listen(
      log,
      (event) => byTransaction.get(event.transactionUid ?? '') ?? 0,
    );
    const { served, gate, notices } = await serveGated(requester.port, {
      maxConcurrent: refusals.length,
    });
    gate.open();
    const uids = refusals.map(() => freshUid());
    refusals.forEach((status, i) => byTransaction.set(uids[i] ?? '', status));
    // Events go to the listener: each initiating association is released before any is due.
    for (const uid of uids) {
      const again = await openRequester(served.port, new EventLog());
      gate.close();
      expect((await action(again, 11, initiateInformation(uid))).status).toBe(0);
      await gate.held();
      await again.release();
      gate.open();
    }
    await expect
      .poll(
        () => notices.filter((n) => n.type === 'event-given-up' && n.eventTypeId !== 12).length,
        { timeout: 10_000 },
      )
      .toBe(refusals.length);
    for (const [i, uid] of uids.entries()) {
      const givenUp = notices.filter(
        (n) => n.type === 'event-given-up' && n.transactionUid === uid,
      );
      expect(givenUp.length).toBeGreaterThanOrEqual(1);
      for (const notice of givenUp) {
        expect(notice).toMatchObject({ status: refusals[i], attempts: 1 });
      }
      // Given up, not retried: each event reached the requester once.
      const terminals = log.of(uid).filter((event) => event.eventTypeId === 11);
      expect(terminals).toHaveLength(1);
    }
    expect(notices.some((n) => n.type === 'event-retry')).toBe(false);
  });

  it('gives up after maxAttempts when the requester cannot be reached', async () => {
    const { served, gate, notices } = await serveGated(undefined); // no AE table
    const uid = freshUid();
    await initiateAndLeave(served, gate, uid);
    await expect
      .poll(
        () =>
          notices.find(
            (n) => n.type === 'event-given-up' && n.transactionUid === uid && n.eventTypeId === 11,
          ),
        { timeout: 10_000 },
      )
      .toMatchObject({ attempts: fast.maxAttempts, status: undefined });
    expect(
      notices.filter(
        (n) => n.type === 'event-retry' && n.transactionUid === uid && n.eventTypeId === 11,
      ),
    ).toHaveLength(fast.maxAttempts - 1);
  });
});
