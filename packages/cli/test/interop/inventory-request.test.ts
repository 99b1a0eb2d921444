// `dicomnet inventory request|status|pause|resume|cancel` (dist/bin.js) against a real
// `dicomnet serve --storage` child process serving Inventory Creation (PS3.4 KK) and Inventory
// GET/MOVE (PS3.4 JJ) on a repository filled beforehand with generated studies.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInventoryScu, type InitiatedTransaction } from '@dicomnet/storage-management';
import { freePort, tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoStudies } from '../../src/actions/demo-studies.js';
import { ExitCode } from '../../src/exit-codes.js';
import { BIN, startServe, stopServe, type ServeLine, type Serving } from '../bin-child.js';
import { fillRepository } from '../fill-repository.js';

/** Bound of one CLI run. */
const RUN_TIMEOUT_MS = 60_000;

type Line = ServeLine;

/**
 * Runs dist/bin.js with `args`; its exit code and its stdout as JSON lines. `onOutput` sees the
 * process and its stdout so far after each chunk (to signal it).
 */
function runBin(
  args: readonly string[],
  onOutput?: (child: ChildProcess, stdout: string) => void,
): Promise<{ code: number | null; lines: Line[]; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      onOutput?.(child, stdout);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const killer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(killer);
      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Line);
      resolve({ code, lines, stderr: `${stderr}${stdout}` });
    });
  });
}

function summaryOf(lines: readonly Line[]): Line | undefined {
  return lines.find((line) => line.kind === 'summary');
}

function eventsOf(lines: readonly Line[]): Line[] {
  return lines.filter((line) => line.kind === 'event');
}

describe('dicomnet inventory request against dicomnet serve', { timeout: 90_000 }, () => {
  let dir: { path: string; remove: () => Promise<void> };
  let serving: Serving | undefined;
  let listenPort: number;
  // Six studies (dates 2024-01-15 to 2024-06-15), patients DEMO0001-4 in turn, 2 series × 3.
  const instances = makeDemoStudies(6);
  const studyUids = [...new Set(instances.map((instance) => instance.studyInstanceUid))];

  beforeAll(async () => {
    dir = await tempDir('dicomnet-inventory-request-');
    await fillRepository(path.join(dir.path, 'repository'), instances);
    listenPort = await freePort();
    serving = await startServe(
      [
        '--storage',
        path.join(dir.path, 'repository'),
        '--peer',
        `REQUESTER=127.0.0.1:${listenPort}`,
        '--max-records-per-instance',
        '4',
      ],
      { killAfterMs: 170_000 },
    );
  }, 60_000);

  afterAll(async () => {
    expect(await stopServe(serving)).toBe(0);
    await dir?.remove();
  }, 60_000);

  const base = (): string[] => [
    'inventory',
    'request',
    '127.0.0.1',
    String(serving?.port),
    '--called',
    'ARCHIVE',
    '--json',
  ];

  it('STUDY level, a Study Date range: the studies of February to April, COMPLETE', async () => {
    const result = await runBin([
      ...base(),
      '--level',
      'STUDY',
      '--scope',
      'StudyDate=20240201-20240430',
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    const events = eventsOf(result.lines);
    expect(events.at(-1)).toMatchObject({
      eventTypeId: 11,
      transactionStatus: 'COMPLETE',
      totalStudyRecords: 3,
    });
    expect(summaryOf(result.lines)).toMatchObject({
      level: 'STUDY',
      completion: 'COMPLETE',
      records: { study: 3, series: 0, instance: 0 },
      totalStudyRecords: 3,
    });
    // serve logs each state change of the transaction.
    const uid = events.at(-1)?.transactionUid;
    const states = serving
      ?.log()
      .filter((line) => line.event === 'inventory-state' && line.transactionUid === uid);
    expect(states?.map((line) => line.state)).toEqual(['PROCESSING', 'COMPLETE']);
  });

  it('SERIES level, one patient: its studies and their series, split into a tree', async () => {
    const result = await runBin([
      ...base(),
      '--level',
      'SERIES',
      '--scope',
      'PatientID=DEMO0001',
      '--purpose',
      'audit',
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    const summary = summaryOf(result.lines);
    expect(summary).toMatchObject({
      level: 'SERIES',
      purpose: 'audit',
      records: { study: 2, series: 4, instance: 0 },
    });
    // 6 records, at most 4 per instance: two leaves and the root at least.
    expect((summary?.tree as unknown[]).length).toBeGreaterThan(1);
  });

  it('INSTANCE level, a list of Study Instance UIDs, reports on a later association, Inventory MOVE', async () => {
    const out = path.join(dir.path, 'moved');
    const result = await runBin([
      ...base(),
      '--aet',
      'REQUESTER',
      '--level',
      'INSTANCE',
      '--scope',
      `StudyInstanceUID=${studyUids[0]}\\${studyUids[1]}`,
      '--listen',
      String(listenPort),
      '--via',
      'move',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    // A study split over several Inventory instances has a study record in each of them, so
    // the study and series records are counted per instance: the instances are the measure.
    expect(summaryOf(result.lines)).toMatchObject({ level: 'INSTANCE', records: { instance: 12 } });
    const uid = eventsOf(result.lines).at(-1)?.transactionUid;
    const delivered = serving
      ?.log()
      .filter((line) => line.event === 'inventory-event-delivered' && line.transactionUid === uid);
    expect(
      delivered?.some((line) => line.via === 'new-association' && line.eventTypeId === 11),
    ).toBe(true);
  });

  it('a scope key the SCP cannot match is a warning (0xB010) and production still runs', async () => {
    const result = await runBin([...base(), '--scope', '0009,0010=X']);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    expect(result.lines.find((line) => line.kind === 'response')).toMatchObject({
      status: 0xb010,
      attributeIdentifierList: [0x00090010],
    });
  });

  it('refuses a steering action on an unknown transaction: exit 1 with the status', async () => {
    const result = await runBin([
      'inventory',
      'status',
      '127.0.0.1',
      String(serving?.port),
      '--called',
      'ARCHIVE',
      '--transaction',
      '1.2.3.4',
    ]);
    expect(result.code).toBe(ExitCode.Failed);
    expect(result.stderr).toMatch(/0x0115|0115/);
  });
});

describe('dicomnet inventory status, pause, resume, cancel during a long production', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let serving: Serving | undefined;
  const scu = createInventoryScu({ aeTitle: 'STEERING' });

  beforeAll(async () => {
    dir = await tempDir('dicomnet-inventory-steer-');
    // 200 studies of 6 instances: 1,800 INSTANCE records, one per Inventory instance, each made
    // durable: production lasts seconds, long enough to steer it from other processes.
    await fillRepository(path.join(dir.path, 'repository'), makeDemoStudies(200));
    serving = await startServe(
      ['--storage', path.join(dir.path, 'repository'), '--max-records-per-instance', '1'],
      { killAfterMs: 170_000 },
    );
  }, 120_000);

  afterAll(async () => {
    await scu.close();
    expect(await stopServe(serving)).toBe(0);
    await dir?.remove();
  }, 60_000);

  const steer = (action: string, transaction: InitiatedTransaction, ...more: string[]) =>
    runBin([
      'inventory',
      action,
      '127.0.0.1',
      String(serving?.port),
      '--called',
      'ARCHIVE',
      '--json',
      '--transaction',
      transaction.transactionUid,
      ...more,
    ]);

  const initiate = (): Promise<InitiatedTransaction> =>
    scu.initiate({
      peer: { host: '127.0.0.1', port: serving?.port as number, calledAeTitle: 'ARCHIVE' },
      level: 'INSTANCE',
    });

  it('pause, status, resume; pause, cancel keeping what was produced', async () => {
    const [first, second] = [await initiate(), await initiate()];
    const [paused, pausedToo] = await Promise.all([steer('pause', first), steer('pause', second)]);
    expect(paused.code, paused.stderr).toBe(ExitCode.Ok);
    expect(eventsOf(paused.lines).at(-1)).toMatchObject({
      eventTypeId: 12,
      transactionStatus: 'PAUSED',
    });
    expect(pausedToo.code, pausedToo.stderr).toBe(ExitCode.Ok);

    const status = await steer('status', first);
    expect(status.code, status.stderr).toBe(ExitCode.Ok);
    expect(eventsOf(status.lines)).toMatchObject([
      { eventTypeId: 12, transactionStatus: 'PAUSED' },
    ]);

    const resumed = await steer('resume', first);
    expect(resumed.code, resumed.stderr).toBe(ExitCode.Ok);
    // PROCESSING again (or already COMPLETE on a fast machine: the terminal event ends the wait).
    expect(['PROCESSING', 'COMPLETE']).toContain(eventsOf(resumed.lines).at(-1)?.transactionStatus);

    const canceled = await steer('cancel', second, '--retain', 'yes');
    expect(canceled.code, canceled.stderr).toBe(ExitCode.Ok);
    expect(eventsOf(canceled.lines).at(-1)).toMatchObject({
      eventTypeId: 11,
      transactionStatus: 'CANCELED',
    });

    // A canceled transaction cannot be steered any more (0115H, PS3.7 C.5.10).
    const again = await steer('pause', second);
    expect(again.code).toBe(ExitCode.Failed);
  }, 120_000);

  it('request --interval 1: Inventory Status events come while it runs, then COMPLETE', async () => {
    const result = await runBin([
      'inventory',
      'request',
      '127.0.0.1',
      String(serving?.port),
      '--called',
      'ARCHIVE',
      '--json',
      '--level',
      'SERIES',
      '--interval',
      '1',
    ]);
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    const events = eventsOf(result.lines);
    // The state change to PROCESSING, then one a second (Requested Status Interval, 0008,0414).
    expect(events.filter((event) => event.eventTypeId === 12).length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toMatchObject({ eventTypeId: 11, transactionStatus: 'COMPLETE' });
  }, 120_000);

  it('request: Ctrl-C sends Cancel, the production ends CANCELED without instances, exit 1', async () => {
    let interrupted = false;
    const result = await runBin(
      [
        'inventory',
        'request',
        '127.0.0.1',
        String(serving?.port),
        '--called',
        'ARCHIVE',
        '--json',
        '--level',
        'INSTANCE',
      ],
      (child, stdout) => {
        // After the Initiate's response: the transaction exists at the archive.
        if (!interrupted && stdout.includes('"kind":"response"')) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(interrupted).toBe(true);
    expect(result.code, result.stderr).toBe(ExitCode.Failed);
    expect(result.stderr).toMatch(/cancelling/);
    expect(eventsOf(result.lines).at(-1)).toMatchObject({
      eventTypeId: 13,
      transactionStatus: 'CANCELED',
    });
  }, 120_000);
});

describe('dicomnet serve stopped during a production', () => {
  let dir: { path: string; remove: () => Promise<void> };
  const servings: Serving[] = [];
  const scu = createInventoryScu({ aeTitle: 'RESTART' });

  beforeAll(async () => {
    dir = await tempDir('dicomnet-inventory-restart-');
    await fillRepository(path.join(dir.path, 'repository'), makeDemoStudies(200));
  }, 120_000);

  afterAll(async () => {
    await scu.close();
    for (const serving of servings) if (serving.child.exitCode === null) await stopServe(serving);
    await dir?.remove();
  }, 60_000);

  it('pauses it with its checkpoint and resumes it at the next start, to COMPLETE', async () => {
    const args = [
      '--storage',
      path.join(dir.path, 'repository'),
      '--max-records-per-instance',
      '1',
    ];
    const first = await startServe(args, { killAfterMs: 170_000 });
    servings.push(first);
    const transaction = await scu.initiate({
      peer: { host: '127.0.0.1', port: first.port, calledAeTitle: 'ARCHIVE' },
      level: 'INSTANCE',
      holdAssociation: false,
    });
    const uid = transaction.transactionUid;
    expect(await stopServe(first)).toBe(0);
    const states = (serving: Serving): unknown[] =>
      serving
        .log()
        .filter((line) => line.event === 'inventory-state' && line.transactionUid === uid)
        .map((line) => line.state);
    expect(states(first)).toEqual(['PROCESSING']);

    const second = await startServe(args, { killAfterMs: 170_000 });
    servings.push(second);
    expect(second.log().find((line) => line.event === 'inventory-creation')).toMatchObject({
      transactions: 1,
      carriedOver: [uid],
    });
    // Bounded: 1,800 records one per instance take seconds, not minutes.
    for (let waited = 0; waited < 150 && !states(second).includes('COMPLETE'); waited++)
      await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(states(second).at(-1)).toBe('COMPLETE');
    expect(await stopServe(second)).toBe(0); // the repository is free for the next test
  }, 200_000);

  it('inventory request waits through a restart of serve (Request Status when quiet), then retrieves', async () => {
    const port = await freePort();
    const args = [
      '--storage',
      path.join(dir.path, 'repository'),
      '--max-records-per-instance',
      '1',
    ];
    let serving = await startServe(args, { port, killAfterMs: 170_000 });
    servings.push(serving);
    let restarted: Promise<void> | undefined;
    const result = await runBin(
      [
        'inventory',
        'request',
        '127.0.0.1',
        String(port),
        '--called',
        'ARCHIVE',
        '--json',
        '--level',
        'INSTANCE',
        '--timeout',
        '5',
      ],
      (_child, stdout) => {
        if (restarted !== undefined || !stdout.includes('"kind":"response"')) return;
        restarted = (async () => {
          expect(await stopServe(serving)).toBe(0);
          serving = await startServe(args, { port, killAfterMs: 170_000 });
          servings.push(serving);
        })();
      },
    );
    await restarted;
    expect(result.code, result.stderr).toBe(ExitCode.Ok);
    expect(eventsOf(result.lines).at(-1)).toMatchObject({
      eventTypeId: 11,
      transactionStatus: 'COMPLETE',
    });
    expect(summaryOf(result.lines)).toMatchObject({ records: { instance: 1200 } });
  }, 240_000);
});
