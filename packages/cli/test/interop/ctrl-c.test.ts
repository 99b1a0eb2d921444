// Ctrl-C in the real `dicomnet find`, `get` and `move` (dist/bin.js in a child process, SIGINT
// sent to it) against our own Query/Retrieve SCP answering slowly: the SCP sees C-CANCEL-RQ,
// answers Cancel 0xFE00, and the command prints how far it got and exits 1. `get` keeps the
// instances that arrived, whole, and nothing partial.
import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSet } from '@dicomnet/data';
import {
  createServer,
  DIMSE_DIAGNOSTICS_CHANNELS,
  isStorageSopClass,
  openInstanceFile,
  storeToDirectory,
} from '@dicomnet/dimse';
import type { DimseMessageEvent, DimseServer, StoreInstance } from '@dicomnet/dimse';
import { generateInstances, tempDir } from '@dicomnet/test-utils';
import type { GeneratedInstance } from '@dicomnet/test-utils';
import { ExitCode } from '../../src/exit-codes.js';
import { dataSetBytes } from '../data-set-bytes.js';

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(PACKAGE, 'dist', 'bin.js');
const STUDY_ROOT = ['1.2.840.10008.5.1.4.1.2.2.1', '1.2.840.10008.5.1.4.1.2.2.2'];
const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';
const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const COUNT = 200;
/** The SCP's pace: one match or sub-operation every this many milliseconds. */
const PACE_MS = 25;
/** Ctrl-C once the SCP has handed out this many. */
const INTERRUPT_AFTER = 5;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `dicomnet …` from dist while `drive` decides when to send it SIGINT (`sigint()`); kills
 * it if it has not exited 15 s later.
 */
async function runInterrupted(
  args: readonly string[],
  drive: (sigint: () => void) => Promise<void>,
): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<Pick<Run, 'code' | 'signal'>>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const driven = drive(() => child.kill('SIGINT'));
  const bound = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    const end = await exited;
    await Promise.race([driven, sleep(0)]);
    return { ...end, stdout, stderr };
  } finally {
    clearTimeout(bound);
  }
}

/** Resolves once `count()` reaches `target` (polled every 10 ms, at most 10 s). */
async function reached(count: () => number, target: number): Promise<void> {
  for (let waited = 0; count() < target; waited += 10) {
    if (waited > 10_000) throw new Error(`only ${count()} of ${target} within 10 s`);
    await sleep(10);
  }
}

/** Sends one SIGINT once `count()` reaches `target`. */
function once(count: () => number, target: number) {
  return async (sigint: () => void): Promise<void> => {
    await reached(count, target);
    sigint();
  };
}

/** Records what this process's DIMSE associations received and sent. */
function recordMessages(): {
  received: DimseMessageEvent[];
  sent: DimseMessageEvent[];
  stop(): void;
} {
  const received: DimseMessageEvent[] = [];
  const sent: DimseMessageEvent[] = [];
  const onReceived = (event: unknown): void => void received.push(event as DimseMessageEvent);
  const onSent = (event: unknown): void => void sent.push(event as DimseMessageEvent);
  subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, onReceived);
  subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, onSent);
  return {
    received,
    sent,
    stop() {
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, onReceived);
      unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, onSent);
    },
  };
}

/** The final status our SCP sent for `kind` (a response that is not Pending). */
function finalStatus(sent: readonly DimseMessageEvent[], kind: string): number | undefined {
  return sent.find(
    (event) => event.kind === kind && event.status !== 0xff00 && event.status !== 0xff01,
  )?.status;
}

describe('Ctrl-C in dicomnet find, get and move', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let instances: GeneratedInstance[];
  let scp: DimseServer;
  let destination: DimseServer;
  let port: number;
  /** Matches or instances the SCP has handed out in the current test. */
  let taken = 0;
  /** Whether a C-FIND handler saw its request cancelled (its signal). */
  let findCancelled = false;
  /** Set: the C-FIND handler yields one match, then waits for this. */
  let stall: Promise<void> | undefined;

  /** The instances, one every PACE_MS, counted in `taken` (a StoreInstance is read once). */
  async function* slowly(): AsyncGenerator<StoreInstance> {
    for (const instance of instances) {
      await sleep(PACE_MS);
      taken++;
      yield (await openInstanceFile(instance.path)).instance();
    }
  }

  beforeAll(async () => {
    // The child runs dist: a build older than the sources would test old code.
    const built = (await stat(BIN)).mtimeMs;
    for (const name of ['actions/find.ts', 'actions/retrieve.ts', 'retrieve-progress.ts']) {
      const source = (await stat(path.join(PACKAGE, 'src', name))).mtimeMs;
      expect(
        source,
        `dist is older than src/${name}: pnpm --filter @dicomnet/cli build`,
      ).toBeLessThan(built);
    }
    dir = await tempDir('dicomnet-cli-ctrl-c-');
    instances = await generateInstances(path.join(dir.path, 'source'), {
      count: COUNT,
      pixelBytes: 64,
    });
    await mkdir(path.join(dir.path, 'moved'));
    destination = createServer({
      aeTitles: ['MOVEDEST'],
      contexts: [{ abstractSyntax: isStorageSopClass, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
      handlers: { store: storeToDirectory(path.join(dir.path, 'moved')) },
    });
    const destinationPort = (await destination.listen({ port: 0, host: '127.0.0.1' })).port;
    scp = createServer({
      aeTitles: ['QR'],
      contexts: [
        ...[...STUDY_ROOT, STUDY_ROOT_GET].map((abstractSyntax) => ({
          abstractSyntax,
          transferSyntaxes: [EXPLICIT, IMPLICIT],
        })),
        // C-GET's sub-operations go back to the requester in the SCP role (PS3.4 C.4.3.1).
        {
          abstractSyntax: isStorageSopClass,
          transferSyntaxes: [EXPLICIT],
          requestorRoles: { scu: false, scp: true },
        },
      ],
      moveDestinations: { MOVEDEST: { host: '127.0.0.1', port: destinationPort } },
      handlers: {
        async *find(request) {
          request.signal.addEventListener('abort', () => (findCancelled = true), { once: true });
          if (stall !== undefined) {
            taken++;
            yield { '00100020': { vr: 'LO', Value: ['STALLED'] } };
            await stall; // a peer that never gets to read our C-CANCEL-RQ
            return;
          }
          for (let index = 0; index < COUNT; index++) {
            await sleep(PACE_MS);
            taken++;
            const match: DataSet = { '00100020': { vr: 'LO', Value: [`P${index}`] } };
            yield match;
          }
        },
        get: () => ({ total: COUNT, instances: slowly() }),
        move: () => ({ total: COUNT, instances: slowly() }),
      },
    });
    port = (await scp.listen({ port: 0, host: '127.0.0.1' })).port;
  }, 60_000);

  afterAll(async () => {
    for (const server of [scp, destination]) {
      await server?.abortAll();
      await server?.close();
    }
    await dir?.remove();
  });

  const peer = (): string[] => ['127.0.0.1', String(port), '--called', 'QR'];

  it('find: C-CANCEL-RQ reaches the SCP, which answers 0xFE00; exit 1 with the match count', async () => {
    taken = 0;
    findCancelled = false;
    const messages = recordMessages();
    let run: Run;
    try {
      run = await runInterrupted(
        ['find', ...peer(), '-k', 'PatientID'],
        once(() => taken, INTERRUPT_AFTER),
      );
    } finally {
      messages.stop();
    }
    expect(run.signal).toBeNull();
    expect(run.code, run.stderr).toBe(ExitCode.Failed);
    expect(messages.received.map((event) => event.kind)).toContain('C-CANCEL-RQ');
    expect(findCancelled).toBe(true);
    expect(finalStatus(messages.sent, 'C-FIND-RSP')).toBe(0xfe00);
    const printed = run.stdout.split('\n').filter((line) => line.startsWith('PatientID='));
    expect(printed.length).toBeGreaterThanOrEqual(INTERRUPT_AFTER - 1);
    expect(printed.length).toBeLessThan(COUNT);
    expect(run.stderr).toContain(
      `dicomnet find: cancelled at the peer, status 0xFE00, after ${printed.length} match(es)`,
    );
  });

  it('get: cancelled at the SCP; --out holds exactly the whole instances it reports', async () => {
    taken = 0;
    const out = path.join(dir.path, 'got');
    const messages = recordMessages();
    let run: Run;
    try {
      run = await runInterrupted(
        [
          'get',
          ...peer(),
          '-k',
          `StudyInstanceUID=${instances[0]?.studyInstanceUid}`,
          '--out',
          out,
          '--json',
        ],
        once(() => taken, INTERRUPT_AFTER),
      );
    } finally {
      messages.stop();
    }
    expect(run.code, run.stderr).toBe(ExitCode.Failed);
    expect(messages.received.map((event) => event.kind)).toContain('C-CANCEL-RQ');
    expect(finalStatus(messages.sent, 'C-GET-RSP')).toBe(0xfe00);
    const result = JSON.parse(run.stdout) as {
      ok: boolean;
      status: number;
      completed: number;
      failed: number;
      remaining: number;
      written: number;
      error: { code: string };
    };
    expect(result).toMatchObject({
      ok: false,
      status: 0xfe00,
      failed: 0,
      error: { code: 'DICOMNET_DIMSE_FAILURE_STATUS' },
    });
    expect(result.completed).toBeGreaterThanOrEqual(INTERRUPT_AFTER - 1);
    expect(result.completed + result.remaining).toBe(COUNT);
    expect(result.written).toBe(result.completed);
    expect(run.stderr).toMatch(
      new RegExp(
        `cancelled at the peer, status 0xFE00: ${result.completed} completed, 0 failed, 0 warning, ${result.remaining} remaining`,
      ),
    );
    // Only whole instances, no hidden temporary file: storeToDirectory renames each into place.
    const names = (await readdir(out)).sort();
    expect(names).toHaveLength(result.written);
    const byUid = new Map(
      instances.map((instance) => [`${instance.sopInstanceUid}.dcm`, instance]),
    );
    for (const name of names) {
      const sent = byUid.get(name);
      expect(sent, name).toBeDefined();
      expect(
        (await dataSetBytes(path.join(out, name))).equals(await dataSetBytes(sent?.path ?? '')),
      ).toBe(true);
    }
  });

  it('move: cancelled at the SCP; the counts say how many reached the destination', async () => {
    taken = 0;
    const messages = recordMessages();
    let run: Run;
    try {
      run = await runInterrupted(
        [
          'move',
          ...peer(),
          '-k',
          `StudyInstanceUID=${instances[0]?.studyInstanceUid}`,
          '--dest',
          'MOVEDEST',
        ],
        once(() => taken, INTERRUPT_AFTER),
      );
    } finally {
      messages.stop();
    }
    expect(run.code, run.stderr).toBe(ExitCode.Failed);
    expect(messages.received.map((event) => event.kind)).toContain('C-CANCEL-RQ');
    expect(finalStatus(messages.sent, 'C-MOVE-RSP')).toBe(0xfe00);
    const counts =
      /cancelled at the peer, status 0xFE00: (\d+) completed, 0 failed, 0 warning, (\d+) remaining/.exec(
        run.stderr,
      );
    expect(counts, run.stderr).not.toBeNull();
    const completed = Number(counts?.[1]);
    expect(completed + Number(counts?.[2])).toBe(COUNT);
    expect(await readdir(path.join(dir.path, 'moved'))).toHaveLength(completed);
  });
  it('a second Ctrl-C ends the command at once when the peer does not answer the cancel', async () => {
    taken = 0;
    let unstall = (): void => {};
    stall = new Promise((resolve) => (unstall = resolve));
    const messages = recordMessages();
    let run: Run;
    try {
      run = await runInterrupted(['find', ...peer(), '-k', 'PatientID'], async (sigint) => {
        await reached(() => taken, 1);
        sigint();
        await reached(() => messages.received.filter((e) => e.kind === 'C-CANCEL-RQ').length, 1);
        sigint();
      });
    } finally {
      messages.stop();
      unstall();
      stall = undefined;
    }
    // The first Ctrl-C sent C-CANCEL-RQ and waited; the second is Node's default: the process
    // ends by SIGINT (not by our 15 s SIGKILL, nor by the 60 s DIMSE timeout).
    expect(run.signal).toBe('SIGINT');
  });
});
