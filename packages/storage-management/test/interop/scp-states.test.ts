// Production states of the Inventory Creation SCP driven by N-ACTIONs and by the SCP itself
// (PS3.4 KK.2, KK.2.3.2): pause, resume and cancel in the middle of a production held at a gated
// sink, periodic status reports, several transactions at once, failures mid-run.
import { afterEach, describe, expect, it } from 'vitest';
import type { DimseClient } from '@dicomnet/dimse';
import { tempDir } from '@dicomnet/test-utils';
import { makeRepositoryFixture, useRepositoryFixture } from '../helpers/repository-fixture.js';
import {
  action,
  cancelInformation,
  EventLog,
  FaultySink,
  GatedSink,
  initiateInformation,
  openRequester,
  serveScp,
  transactionInformation,
  type ServedScp,
  uidSequence,
} from '../helpers/scp-harness.js';
import { repositorySink } from '../../src/sink/repository-sink.js';
import type { InventoryScpEvent } from '../../src/scp/scp-events.js';
import { Tag } from '../../src/tags.js';

const STUDIES = 6;
const fixture = useRepositoryFixture('dicomnet-scp-states-', STUDIES, 1, 1);
const freshUid = uidSequence('1.2.826.0.1.3680043.10.1138');

/** What the tests' set-ups leave behind, undone after each test. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

/** An SCP writing one study per leaf through a gate, and a requester on it; closed after the test. */
async function setUp(
  options: {
    readonly sink?: 'gated' | 'faulty-first' | 'faulty-third';
    readonly maxConcurrent?: number;
  } = {},
): Promise<{
  served: ServedScp;
  gate: GatedSink;
  client: DimseClient;
  log: EventLog;
  notices: InventoryScpEvent[];
}> {
  const own = await tempDir('dicomnet-scp-states-store-');
  const gate = new GatedSink(repositorySink(fixture.repository));
  const sink =
    options.sink === 'faulty-first'
      ? new FaultySink(gate, 1)
      : options.sink === 'faulty-third'
        ? new FaultySink(gate, 3)
        : gate;
  if (options.sink !== undefined && options.sink !== 'gated') gate.open();
  const served = await serveScp(fixture.repository, own.path, {
    sink,
    maxRecordsPerInstance: 1,
    ...(options.maxConcurrent !== undefined && { maxConcurrent: options.maxConcurrent }),
  });
  const notices: InventoryScpEvent[] = [];
  served.scp.on((notice) => notices.push(notice));
  const log = new EventLog();
  const client = await openRequester(served.port, log);
  cleanups.push(async () => {
    gate.open();
    await client.abort();
    await served.close();
    await own.remove();
  });
  return { served, gate, client, log, notices };
}

/**
 * Initiates a production on `client` with a fresh Transaction UID, lets `leaves` leaves through
 * the gate, and returns once the next waits there.
 */
async function initiateHeld(
  { client, gate }: { client: DimseClient; gate: GatedSink },
  leaves = 0,
  options: Parameters<typeof initiateInformation>[1] = {},
): Promise<string> {
  const uid = freshUid();
  expect((await action(client, 11, initiateInformation(uid, options))).status).toBe(0);
  await gate.held();
  for (let stored = 0; stored < leaves; stored++) {
    gate.releaseOne();
    await gate.held();
  }
  return uid;
}

const statesOf = (log: EventLog, uid: string): string[] =>
  log.of(uid).map((event) => `${event.eventTypeId}:${event.status ?? ''}`);

describe('Pause (14) and Resume (15) mid-production (PS3.4 KK.2)', () => {
  it('pauses with event 12 PAUSED, ignores a second Pause, resumes from the checkpoint and completes', async () => {
    const { served, gate, client, log } = await setUp();
    // The first leaf is written and checkpointed, the second waits.
    const uid = await initiateHeld({ client, gate }, 1);
    expect((await action(client, 14, transactionInformation(uid))).status).toBe(0);
    await log.waitFor((event) => event.transactionUid === uid && event.status === 'PAUSED');
    const paused = served.scp.transactions().find((t) => t.transactionUid === uid);
    expect(paused).toMatchObject({ state: 'PAUSED' });
    expect(paused?.studyRecords).toBeGreaterThanOrEqual(1);
    // No state change, no event: the next report is the one Request Status asks for.
    expect((await action(client, 14, transactionInformation(uid))).status).toBe(0);
    expect((await action(client, 12, transactionInformation(uid))).status).toBe(0);
    await log.waitFor((event) => log.of(uid).length === 3 && event.transactionUid === uid);
    expect(statesOf(log, uid)).toEqual(['12:PROCESSING', '12:PAUSED', '12:PAUSED']);
    const storedWhilePaused = gate.stored;
    gate.open();
    expect((await action(client, 15, transactionInformation(uid))).status).toBe(0);
    // Resume on PROCESSING: accepted, nothing changes.
    const terminal = await log.terminal(uid);
    expect(statesOf(log, uid)).toEqual([
      '12:PROCESSING',
      '12:PAUSED',
      '12:PAUSED',
      '12:PROCESSING',
      '11:COMPLETE',
    ]);
    expect(terminal.information[Tag.TotalNumberOfStudyRecords]?.Value).toEqual([BigInt(STUDIES)]);
    // Resumed after the checkpoint: each study's leaf written once more at most, plus the root.
    expect(gate.stored - storedWhilePaused).toBeLessThanOrEqual(STUDIES);
  });

  it('resumes a PROCESSING production as a no-op, and pauses and resumes by itself (SCP-internal)', async () => {
    const { served, gate, client, log, notices } = await setUp();
    const uid = await initiateHeld({ client, gate });
    expect((await action(client, 15, transactionInformation(uid))).status).toBe(0);
    await served.scp.pause(uid);
    await log.waitFor((event) => event.transactionUid === uid && event.status === 'PAUSED');
    await served.scp.resume(uid);
    gate.open();
    await log.terminal(uid);
    expect(statesOf(log, uid)).toEqual([
      '12:PROCESSING',
      '12:PAUSED',
      '12:PROCESSING',
      '11:COMPLETE',
    ]);
    expect(
      notices
        .filter((n) => n.type === 'state' && n.transactionUid === uid)
        .map((n) => n.type === 'state' && n.state),
    ).toEqual(['PROCESSING', 'PAUSED', 'PROCESSING', 'COMPLETE']);
  });
});

describe('Cancel (13) (PS3.4 KK.2, KK.2.3.2)', () => {
  it('Retain Instances NO removes what was produced and ends with event 13 CANCELED', async () => {
    const { gate, client, log } = await setUp();
    const uid = await initiateHeld({ client, gate }, 1);
    expect((await action(client, 13, cancelInformation(uid, 'NO'))).status).toBe(0);
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([13, 'CANCELED']);
    expect(gate.removed.length).toBeGreaterThanOrEqual(1);
    for (const removed of gate.removed)
      expect(await fixture.repository.get(removed)).toBeUndefined();
  });

  it('Retain Instances YES keeps the leaves under a root and ends with event 11 CANCELED', async () => {
    const { gate, client, log } = await setUp();
    const uid = await initiateHeld({ client, gate }, 2);
    expect((await action(client, 13, cancelInformation(uid, 'YES'))).status).toBe(0);
    gate.open(); // the root is written after the cancel
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([11, 'CANCELED']);
    const total = terminal.information[Tag.TotalNumberOfStudyRecords]?.Value?.[0];
    expect(total).toBeGreaterThanOrEqual(2n);
    expect(total).toBeLessThan(BigInt(STUDIES));
    const root = terminal.information[Tag.ReferencedSOPInstanceUID]?.Value?.[0] as string;
    expect(await fixture.repository.get(root)).toBeDefined();
  });

  it('cancels a PAUSED production', async () => {
    const { gate, client, log } = await setUp();
    const uid = await initiateHeld({ client, gate });
    await action(client, 14, transactionInformation(uid));
    await log.waitFor((event) => event.transactionUid === uid && event.status === 'PAUSED');
    expect((await action(client, 13, cancelInformation(uid, 'NO'))).status).toBe(0);
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([13, 'CANCELED']);
  });
});

describe('a study split over several leaves (PS3.3 C.38.1.1.5)', () => {
  it('a Cancel that removes also removes the stored first part no checkpoint names yet', async () => {
    const own = await tempDir('dicomnet-scp-split-');
    const big = await makeRepositoryFixture(own.path, 1, 1, 6);
    const gate = new GatedSink(repositorySink(big.repository));
    const served = await serveScp(big.repository, own.path, {
      sink: gate,
      maxRecordsPerInstance: 3,
    });
    const log = new EventLog();
    const client = await openRequester(served.port, log);
    try {
      // The study's first part: stored, but the study is not finished.
      const uid = await initiateHeld({ client, gate }, 1, { level: 'INSTANCE' });
      expect((await action(client, 13, cancelInformation(uid, 'NO'))).status).toBe(0);
      expect((await log.terminal(uid)).eventTypeId).toBe(13);
      expect(gate.storedUids).toHaveLength(1);
      expect(gate.removed).toEqual(gate.storedUids);
      expect(await big.repository.get(gate.storedUids[0] ?? '')).toBeUndefined();
    } finally {
      gate.open();
      await client.abort();
      await served.close();
      await big.repository.close();
      await own.remove();
    }
  }, 60_000);
});

describe('reports and concurrency', () => {
  it('sends Inventory Status every Requested Status Interval (seconds) while PROCESSING', async () => {
    const { gate, client, log } = await setUp();
    const uid = await initiateHeld({ client, gate }, 0, { interval: 1 });
    await log.waitFor((event) => event.transactionUid === uid && log.of(uid).length >= 3, 8_000);
    expect(
      log.of(uid).every((event) => event.eventTypeId === 12 && event.status === 'PROCESSING'),
    ).toBe(true);
    gate.open();
    await log.terminal(uid);
  });

  it('changes the interval on Request Status: 0 stops the periodic reports, 1 starts them again', async () => {
    const { gate, client, log } = await setUp();
    const interval = (seconds: number) => ({ vr: 'US', Value: [seconds] });
    const uid = await initiateHeld({ client, gate }, 0, { interval: 1 });
    await log.waitFor(() => log.of(uid).length >= 2, 8_000);
    const before = log.of(uid).length;
    const stop = { ...transactionInformation(uid), [Tag.RequestedStatusInterval]: interval(0) };
    expect((await action(client, 12, stop)).status).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // The report Request Status asks for, and at most one periodic one already on its way:
    // at 1 s, 2.5 s more would have brought at least two more.
    const count = log.of(uid).length;
    expect(count - before).toBeGreaterThanOrEqual(1);
    expect(count - before).toBeLessThanOrEqual(2);
    const again = { ...transactionInformation(uid), [Tag.RequestedStatusInterval]: interval(1) };
    expect((await action(client, 12, again)).status).toBe(0);
    await log.waitFor(() => log.of(uid).length >= count + 3, 8_000);
    gate.open();
    await log.terminal(uid);
  });

  it('runs several transactions at once, each reported under its own Transaction UID', async () => {
    const { client, log, gate } = await setUp({ maxConcurrent: 3 });
    const uids = [freshUid(), freshUid(), freshUid()];
    for (const uid of uids)
      expect((await action(client, 11, initiateInformation(uid))).status).toBe(0);
    gate.open();
    const terminals = await Promise.all(uids.map((uid) => log.terminal(uid)));
    const roots = terminals.map(
      (event) => event.information[Tag.ReferencedSOPInstanceUID]?.Value?.[0],
    );
    expect(terminals.map((event) => event.status)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect(new Set(roots).size).toBe(3);
  });
});

describe('failures mid-run (KK.2: FAILURE)', () => {
  it('ends with event 13 FAILURE and the reason when nothing was stored', async () => {
    const { client, log } = await setUp({ sink: 'faulty-first' });
    const uid = freshUid();
    await action(client, 11, initiateInformation(uid));
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([13, 'FAILURE']);
    expect(terminal.information[Tag.TransactionStatusComment]?.Value).toEqual(['disk full']);
  });

  it('ends with event 11 FAILURE over the leaves stored before the failure', async () => {
    const { client, log } = await setUp({ sink: 'faulty-third' });
    const uid = freshUid();
    await action(client, 11, initiateInformation(uid));
    const terminal = await log.terminal(uid);
    expect([terminal.eventTypeId, terminal.status]).toEqual([11, 'FAILURE']);
    expect(terminal.information[Tag.TotalNumberOfStudyRecords]?.Value).toEqual([2n]);
  });
});
