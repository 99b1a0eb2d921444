/**
 * Ingest through C-STORE (issue 16): DCMTK storescu sends 1,000 small instances (17 KB) on one
 * association, then one of about 200 MiB, to storescp (writes files, never fsyncs), to Orthanc
 * (its default storage: files plus an SQLite index) and to `dicomnet serve --storage` on a
 * repository (packages/cli/dist/bin.js in its own process, as users start it), durable (each
 * file and folder fsynced before the success status) and with `--no-fsync`. Every receiver writes
 * to the same disk (a temporary folder). The time is storescu's wall time as a whole process; the
 * ratios are taken in the same run (storescp's or Orthanc's time ÷ serve's: above 1 is faster);
 * peak RSS is the receiver's VmHWM. For small instances two last lines, the floors, are the least a
 * Node process does to receive them into files (floor/floor-receiver-process.ts), without a sync and
 * with one per instance: what Node and the disk cost before any of our code.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOrthanc } from '@dicomnet/test-utils';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import {
  freePort,
  peakRssOf,
  SCU_TIMEOUTS,
  startStorescp,
  timeTool,
  waitForEcho,
} from '../dimse/dcmtk.js';
import type { Storescp } from '../dimse/dcmtk.js';
import { generateInstances } from '../dimse/instances.js';
import { startFloorReceiver } from '../floor/floor-processes.js';
import { MEGABYTE, median, MIB, now, secondsSince } from '../measure.js';

/** The CLI's built entry point: bench/dist/run.js → packages/cli/dist/bin.js. */
const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));

type ReceiverKind =
  | 'storescp'
  | 'Orthanc'
  | 'serve --storage'
  | 'serve --storage --no-fsync'
  | 'Node floor, no checks'
  | 'Node floor, fdatasync each';
const RECEIVERS: readonly ReceiverKind[] = [
  'storescp',
  'Orthanc',
  'serve --storage',
  'serve --storage --no-fsync',
  'Node floor, no checks',
  'Node floor, fdatasync each',
];

/** A running receiver: where storescu sends, and how to stop it. */
interface Receiver {
  readonly port: number;
  readonly calledAeTitle: string;
  /** Stops it and reports its peak RSS in bytes (NaN when unknown). */
  stop(): Promise<number>;
}

/** Starts `dicomnet serve --storage <root>` and waits until it answers C-ECHO. */
function startServe(root: string, fsync: boolean): Promise<Receiver> {
  return startNode((port) => [
    BIN,
    'serve',
    '--storage',
    root,
    '--port',
    String(port),
    // echoscu's default called AE title, which waitForEcho uses.
    '--aet',
    'ANY-SCP',
    '--json',
    ...(fsync ? [] : ['--no-fsync']),
  ]);
}

/** Starts a Node receiver with the arguments made for its port; waits until it answers C-ECHO. */
async function startNode(argsFor: (port: number) => string[]): Promise<Receiver> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    argsFor(port),
    // serve logs one line per C-STORE: read and dropped, as a terminal or a log file would take them.
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.resume();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  try {
    await waitForEcho(port, 15_000, () => running);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${argsFor(port)[0]} did not come up: ${stderr}`, { cause: error });
  }
  return {
    port,
    calledAeTitle: 'ANY-SCP',
    async stop() {
      const peak = await peakRssOf(child.pid);
      child.kill('SIGTERM');
      await exited;
      return peak;
    },
  };
}

/** storescp or a floor receiver, which take any called AE title. */
function serverReceiver(server: Storescp): Receiver {
  return {
    port: server.port,
    calledAeTitle: 'ANY-SCP',
    stop: async () => (await server.stop()).peakRssBytes,
  };
}

async function startReceiver(kind: ReceiverKind, dir: string): Promise<Receiver> {
  switch (kind) {
    case 'storescp':
      return serverReceiver(await startStorescp(dir));
    case 'Orthanc': {
      const orthanc = await startOrthanc();
      return {
        port: orthanc.dicomPort,
        calledAeTitle: orthanc.aeTitle,
        async stop() {
          const peak = await peakRssOf(orthanc.peer.pid);
          await orthanc.stop();
          return peak;
        },
      };
    }
    case 'serve --storage':
      return startServe(dir, true);
    case 'serve --storage --no-fsync':
      return startServe(dir, false);
    case 'Node floor, no checks':
    case 'Node floor, fdatasync each':
      return serverReceiver(await startFloorReceiver(dir, kind === 'Node floor, fdatasync each'));
  }
}

/** storescu's seconds to send `source` (a file or folder) to `kind`, and the peak RSS. */
async function timeIngest(
  kind: ReceiverKind,
  source: string,
  work: string,
): Promise<{ seconds: number; peakRssBytes: number }> {
  const dir = await mkdtemp(path.join(work, 'receiver-'));
  const receiver = await startReceiver(kind, dir);
  let stopped = false;
  try {
    const run = await timeTool('storescu', [
      ...SCU_TIMEOUTS,
      '-aec',
      receiver.calledAeTitle,
      '+sd',
      '127.0.0.1',
      String(receiver.port),
      source,
    ]);
    stopped = true;
    return { seconds: run.seconds, peakRssBytes: await receiver.stop() };
  } finally {
    if (!stopped) await receiver.stop().catch(() => Number.NaN);
    await rm(dir, { recursive: true, force: true });
  }
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const started = now();
  const rounds = options.quick ? 1 : 3;
  const work = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-ingest-'));
  try {
    const instances = await generateInstances(work, {
      smallCount: options.quick ? 100 : 1000,
      // 200 MiB of 16-bit pixels (20 MiB in a quick run).
      largeRows: options.quick ? 2560 : 10_240,
      largeColumns: options.quick ? 4096 : 10_240,
    });
    const sizes = [
      {
        size: `${instances.smallFiles.length} small`,
        source: instances.smallDir,
        files: instances.smallFiles.length,
        bytes: instances.smallFiles.length * instances.smallFileBytes,
      },
      { size: '1 large', source: instances.largeDir, files: 1, bytes: instances.largeFileBytes },
    ];
    const rows: Record<string, Cell>[] = [];
    for (const { size, source, files, bytes } of sizes) {
      const figures = new Map<ReceiverKind, { seconds: number; peakRssBytes: number }>();
      for (const kind of RECEIVERS) {
        if (kind.startsWith('Node floor') && files === 1) continue; // floors for small ones
        const runs = [];
        for (let round = 0; round < rounds; round++)
          runs.push(await timeIngest(kind, source, work));
        figures.set(kind, {
          seconds: median(runs.map((each) => each.seconds)),
          peakRssBytes: Math.max(...runs.map((each) => each.peakRssBytes)),
        });
      }
      const storescp = figures.get('storescp')?.seconds ?? Number.NaN;
      const orthanc = figures.get('Orthanc')?.seconds ?? Number.NaN;
      for (const [kind, { seconds, peakRssBytes }] of figures) {
        rows.push({
          size,
          receiver: kind,
          seconds,
          filesPerSecond: files / seconds,
          megabytesPerSecond: bytes / MEGABYTE / seconds,
          vsStorescp: storescp / seconds,
          vsOrthanc: orthanc / seconds,
          peakRssMib: peakRssBytes / MIB,
        });
      }
    }
    return {
      name: 'repository-ingest',
      title: 'C-STORE ingest from storescu: storescp, Orthanc, dicomnet serve --storage',
      columns: [
        { key: 'size', header: 'instances' },
        { key: 'receiver', header: 'receiver' },
        { key: 'seconds', header: 's', digits: 2 },
        { key: 'filesPerSecond', header: 'files/s' },
        { key: 'megabytesPerSecond', header: 'MB/s', digits: 1 },
        { key: 'vsStorescp', header: '× storescp', digits: 2 },
        { key: 'vsOrthanc', header: '× Orthanc', digits: 2 },
        { key: 'peakRssMib', header: 'peak RSS MiB', digits: 1 },
      ],
      rows,
      notes: [
        `median of ${rounds} storescu run(s) per line, each into a fresh receiver and folder`,
        '× storescp / × Orthanc: their time ÷ this line’s, in the same run (above 1: faster)',
        'storescp never fsyncs; serve --storage fsyncs each file and folder before Success',
        'Node floor: a Node receiver that checks nothing and writes each file (temporary name, rename, no fsync): what Node itself costs; "fdatasync each": the same with one fdatasync per file, the least a durable receiver pays',
      ],
      seconds: secondsSince(started),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `repository-ingest`: see the file comment. */
export const repositoryIngestBenchmark: Benchmark = {
  name: 'repository-ingest',
  suite: 'repository',
  run,
};
