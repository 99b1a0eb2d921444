/**
 * C-STORE of small instances from 1, 4 and 16 concurrent storescu processes, each sending its
 * own share of the same 1,000 instances (17 KB), against storescp (which never fsyncs), our SCP
 * (storeToDirectory in a child process) with fsync (group commit) and without, and Orthanc.
 * Every receiver writes to a temporary folder on the same disk.
 */
import { link, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startOrthanc, startStorescp } from '@dicomnet/test-utils';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { median, now, secondsSince } from '../measure.js';
import { dcmtkVersion, SCU_TIMEOUTS, timeTool } from './dcmtk.js';
import { forkScp } from './forked-scp.js';
import { generateInstances } from './instances.js';
import type { LineFigures, RunFigures } from './timed-runs.js';
import { commonCells } from './timed-runs.js';

const CONCURRENCY = [1, 4, 16] as const;

type ReceiverKind = 'storescp' | 'dicomnet SCP, fsync' | 'dicomnet SCP, no fsync' | 'Orthanc';

/** The first receiver is the baseline of each concurrency. */
const RECEIVERS: readonly ReceiverKind[] = [
  'storescp',
  'dicomnet SCP, fsync',
  'dicomnet SCP, no fsync',
  'Orthanc',
];

const RECEIVER_IDS: Readonly<Record<ReceiverKind, string>> = {
  storescp: 'storescp',
  'dicomnet SCP, fsync': 'dicomnet-fsync',
  'dicomnet SCP, no fsync': 'dicomnet-no-fsync',
  Orthanc: 'orthanc',
};

interface Line {
  readonly concurrency: number;
  readonly receiver: ReceiverKind;
}

const LINES: readonly Line[] = CONCURRENCY.flatMap((concurrency) =>
  RECEIVERS.map((receiver) => ({ concurrency, receiver })),
);

/** A running receiver: where storescu sends, how to check and empty what it stored. */
interface Target {
  readonly port: number;
  /** storescu's `-aec`: Orthanc checks the called AE title. */
  readonly calledAeTitle?: string;
  /** Checks that exactly `expected` instances arrived, then removes them (untimed). */
  drain(expected: number): Promise<void>;
  stop(): Promise<void>;
}

/** The 1,000 files cut into `concurrency` folders of hard links, one per storescu. */
interface Shares {
  readonly folders: readonly string[];
  /** The first file of each share: what each process sends in the reference run. */
  readonly firstFiles: readonly string[];
}

async function makeShares(root: string, files: readonly string[], count: number): Promise<Shares> {
  const folders: string[] = [];
  const firstFiles: string[] = [];
  for (let share = 0; share < count; share++) {
    const folder = path.join(root, `shares-${count}`, String(share));
    await mkdir(folder, { recursive: true });
    // Round-robin: share sizes differ by at most one.
    const mine = files.filter((_, index) => index % count === share);
    for (const file of mine) await link(file, path.join(folder, path.basename(file)));
    folders.push(folder);
    firstFiles.push(path.join(folder, path.basename(mine[0] ?? '')));
  }
  return { folders, firstFiles };
}

/** Empties a folder of received files, then lets the disk settle (see dimse-store's `drain`). */
async function drainFolder(dir: string, expected: number): Promise<void> {
  const names = await readdir(dir);
  if (names.length !== expected) {
    throw new Error(`${dir}: ${names.length} files after the run, expected ${expected}`);
  }
  await Promise.all(names.map((name) => rm(path.join(dir, name), { force: true })));
  await timeTool('sync', []);
}

async function startTarget(root: string, kind: ReceiverKind): Promise<Target> {
  const outputDir = path.join(root, RECEIVER_IDS[kind]);
  await mkdir(outputDir, { recursive: true });
  if (kind === 'storescp') {
    // --fork: one process per association, how storescp serves several at once.
    const scp = await startStorescp({ outputDir, extraArgs: ['--fork'], detached: true });
    return {
      port: scp.port,
      drain: (expected) => drainFolder(outputDir, expected),
      stop: async () => void (await scp.stop()),
    };
  }
  if (kind === 'Orthanc') {
    // 16 DICOM threads so that 16 associations are served at once (the test default is 4).
    const orthanc = await startOrthanc({ extraConfig: { DicomThreadsCount: 16 } });
    return {
      port: orthanc.dicomPort,
      calledAeTitle: orthanc.aeTitle,
      async drain(expected) {
        const { CountInstances } = await orthanc.rest<{ CountInstances: number }>(
          'GET',
          '/statistics',
        );
        if (CountInstances !== expected) {
          throw new Error(`Orthanc holds ${CountInstances} instances, expected ${expected}`);
        }
        const patients = await orthanc.rest<string[]>('GET', '/patients');
        for (const id of patients) await orthanc.rest('DELETE', `/patients/${id}`);
        await timeTool('sync', []);
      },
      stop: async () => void (await orthanc.stop()),
    };
  }
  const child = await forkScp({ outputDir, fsync: kind === 'dicomnet SCP, fsync' });
  return {
    port: child.port,
    drain: (expected) => drainFolder(outputDir, expected),
    stop: async () => void (await child.close()),
  };
}

/** Runs one storescu per argument list at once; the wall time from the first spawn to the last exit. */
async function timeConcurrent(runs: readonly (readonly string[])[]): Promise<number> {
  const start = now();
  await Promise.all(runs.map((args) => timeTool('storescu', args)));
  return secondsSince(start);
}

/** Reference runs per round; their median is subtracted. */
const REFERENCE_RUNS = 3;

/**
 * One timed round of a line: N processes sending one file each (three times, the median is the
 * reference: process start, association and release, overlapped as in the real run), then N
 * processes sending their shares. rate = (instances − N) ÷ (t(shares) − t(reference)).
 */
async function runLine(
  target: Target,
  shares: Shares,
  instanceCount: number,
  timed: boolean,
): Promise<RunFigures> {
  const peer = [
    ...SCU_TIMEOUTS,
    ...(target.calledAeTitle === undefined ? [] : ['-aec', target.calledAeTitle]),
    '127.0.0.1',
    String(target.port),
  ];
  const references: number[] = [];
  for (let run = 0; timed && run < REFERENCE_RUNS; run++) {
    references.push(await timeConcurrent(shares.firstFiles.map((file) => [...peer, file])));
    await target.drain(shares.firstFiles.length);
  }
  // +sd: every file of the share's folder, on one association.
  const seconds = await timeConcurrent(shares.folders.map((folder) => ['+sd', ...peer, folder]));
  await target.drain(instanceCount);
  const subtractedSeconds = timed ? median(references) : 0;
  return {
    rate: (instanceCount - shares.folders.length) / (seconds - subtractedSeconds),
    scuCpu: Number.NaN,
    scpCpu: Number.NaN,
    subtractedSeconds,
  };
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const roundCount = options.quick ? 2 : 5;
  const instanceCount = options.quick ? 200 : 1000;
  const root = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-store-concurrent-'));
  const targets = new Map<ReceiverKind, Target>();
  const figures: LineFigures[] = LINES.map(() => ({ rounds: [] }));
  let fileBytes = 0;
  try {
    const instances = await generateInstances(path.join(root, 'instances'), {
      smallCount: instanceCount,
      largeRows: 16, // the large instance is not sent here
      largeColumns: 16,
    });
    fileBytes = instances.smallFileBytes;
    const shares = new Map<number, Shares>();
    for (const concurrency of CONCURRENCY) {
      shares.set(concurrency, await makeShares(root, instances.smallFiles, concurrency));
    }
    for (const kind of RECEIVERS) targets.set(kind, await startTarget(root, kind));
    const runOf = (line: Line, timed: boolean): Promise<RunFigures> => {
      const target = targets.get(line.receiver);
      const share = shares.get(line.concurrency);
      if (target === undefined || share === undefined) throw new TypeError('no target or share');
      return runLine(target, share, instanceCount, timed);
    };
    for (const line of LINES) await runOf(line, false); // warm-up, untimed
    for (let round = 0; round < roundCount; round++) {
      for (const [index, line] of LINES.entries()) {
        figures[index]?.rounds.push(await runOf(line, true));
      }
    }
  } finally {
    try {
      for (const target of targets.values()) await target.stop();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  const rows: Record<string, Cell>[] = LINES.map((line, index) => {
    const baseline = figures[LINES.findIndex((other) => other.concurrency === line.concurrency)];
    // The CPU cells are not measured here (storescp --fork spreads over processes).
    const { scuCpuPercent, scpCpuPercent, ...cells } = commonCells(
      figures[index] ?? { rounds: [] },
      baseline ?? { rounds: [] },
    );
    void scuCpuPercent;
    void scpCpuPercent;
    return {
      id: `c${line.concurrency}/${RECEIVER_IDS[line.receiver]}`,
      concurrency: line.concurrency,
      instances: instanceCount,
      fileBytes,
      receiver: line.receiver,
      ...cells,
    };
  });
  return {
    name: 'dimse-store-concurrent',
    title: `C-STORE of ${instanceCount.toLocaleString('en-US')} × ${fileBytes.toLocaleString('en-US')} B from 1, 4 and 16 concurrent storescu (${await dcmtkVersion()}) into storescp, dicomnet and Orthanc`,
    columns: [
      { key: 'concurrency', header: 'storescu' },
      { key: 'receiver', header: 'SCP' },
      { key: 'rate', header: 'inst/s', digits: 1 },
      { key: 'ratio', header: '÷ storescp', digits: 2 },
      { key: 'ratioRange', header: 'range' },
      { key: 'subtractedMs', header: 'subtracted ms' },
    ],
    rows,
    notes: [
      `${roundCount} rounds per line, lines interleaved round by round (one untimed warm-up pass); figures are medians. ratio = median over rounds of (line ÷ storescp with the same number of storescu in the same round); range = lowest and highest.`,
      `N storescu processes run at once, each sending its own share of the same ${instanceCount.toLocaleString('en-US')} instances (round-robin, ${instanceCount} ÷ N each, +sd: one association per process). rate = (${instanceCount} − N) ÷ (t(N shares) − t(N single files)); t(N single files), the median of 3 runs in the same round ("subtracted ms"), is N processes at once each sending the first file of its share: this removes process start, association set-up and release.`,
      'Receivers write every instance to a temporary folder on the same disk, emptied after each run (then `sync`, untimed). storescp --fork (a process per association) writes with plain write() and never fsyncs. dicomnet SCP: storeToDirectory in a child process; with fsync (its default) an instance is acknowledged only once its file (fdatasync) and its folder entry (folder fsync, shared by concurrent stores) are durable. Orthanc 1.10 (PEERS.md §3.1 configuration, DicomThreadsCount 16) stores each file and indexes it in SQLite; it is emptied through its REST API.',
      'Every DCMTK process and Orthanc run with TCP_NODELAY=1.',
    ],
    seconds: secondsSince(start),
  };
}

/** C-STORE from concurrent storescu processes (`dimse-store-concurrent`). */
export const dimseStoreConcurrentBenchmark: Benchmark = {
  name: 'dimse-store-concurrent',
  suite: 'dimse',
  run,
};
