/**
 * C-STORE against DCMTK 3.6.7 in the same run: 1,000 small instances (17 KB) on one association,
 * and one of about 200 MiB. Our SCU and storescu send to storescp; storescu sends to storescp and
 * to our SCP (storeToDirectory in a child process, with and without fsync). Every receiver
 * writes files to a temporary folder on the same disk. Also the peak RSS of our SCP per size.
 * Small instances also go from our SCU to our SCP, at window 1 and with 8 C-STOREs in flight
 * (the asynchronous operations window, PS3.7 D.3.3.3, which DCMTK does not negotiate).
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StoreInstance } from '@dicomnet/dimse';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { startFloorReceiver } from '../floor/floor-processes.js';
import { MEGABYTE, now, secondsSince } from '../measure.js';
import type { Storescp } from './dcmtk.js';
import { dcmtkVersion, SCU_TIMEOUTS, startStorescp, timeTool } from './dcmtk.js';
import { loadInstances, storeFiles, storeInstances } from './dicomnet-scu.js';
import type { ForkedScp } from './forked-scp.js';
import { forkScp } from './forked-scp.js';
import type { GeneratedInstances } from './instances.js';
import { generateInstances } from './instances.js';
import type { ScpMemory } from './scp-messages.js';
import type { LineFigures, Receiver, RunFigures } from './timed-runs.js';
import { commonCells, mib, runDcmtkScu, runDicomnetScu } from './timed-runs.js';

type Size = 'small' | 'large';
type Sender =
  | 'storescu'
  | 'dicomnet SCU'
  | 'dicomnet SCU, promise open'
  | 'dicomnet SCU, in memory'
  | 'dicomnet SCU, window 8';
type ReceiverKind =
  | 'storescp'
  | 'dicomnet SCP, fsync'
  | 'dicomnet SCP, no fsync'
  | 'dicomnet SCP, window 8, no fsync'
  | 'dicomnet SCP, window 8, fsync'
  | 'Node floor, no checks';

interface StoreLine {
  readonly size: Size;
  readonly sender: Sender;
  readonly receiver: ReceiverKind;
  readonly compares: string;
}

const RECEIVERS_AND_SENDERS: readonly Omit<StoreLine, 'size'>[] = [
  { sender: 'storescu', receiver: 'storescp', compares: 'baseline' },
  { sender: 'dicomnet SCU', receiver: 'storescp', compares: 'our SCU ÷ storescu' },
  // Small only: the files opened through the promise API (openInstanceFiles without sync).
  { sender: 'dicomnet SCU, promise open', receiver: 'storescp', compares: 'our SCU ÷ storescu' },
  // Diagnostic, small instances only: the SCU without reading files (read before timing).
  { sender: 'dicomnet SCU, in memory', receiver: 'storescp', compares: '(no file reading)' },
  { sender: 'storescu', receiver: 'dicomnet SCP, fsync', compares: 'our SCP ÷ storescp' },
  { sender: 'storescu', receiver: 'dicomnet SCP, no fsync', compares: 'our SCP ÷ storescp' },
  // Small only, both sides ours: the SCP grants a window of 8; the window 1 SCU asks for none.
  {
    sender: 'dicomnet SCU',
    receiver: 'dicomnet SCP, window 8, no fsync',
    compares: 'both ours ÷ DCMTK → DCMTK',
  },
  {
    sender: 'dicomnet SCU, window 8',
    receiver: 'dicomnet SCP, window 8, no fsync',
    compares: 'both ours ÷ DCMTK → DCMTK',
  },
  {
    sender: 'dicomnet SCU, window 8',
    receiver: 'dicomnet SCP, window 8, fsync',
    compares: 'both ours ÷ DCMTK → DCMTK',
  },
  // Small only, the floors: the least a Node receiver does (it grants any window asked for).
  { sender: 'storescu', receiver: 'Node floor, no checks', compares: 'floor ÷ storescp' },
  {
    sender: 'dicomnet SCU, window 8',
    receiver: 'Node floor, no checks',
    compares: 'our SCU → floor ÷ DCMTK → DCMTK',
  },
];

/** Lines that only make sense with many instances: no file reading, several in flight. */
function smallOnly(line: Omit<StoreLine, 'size'>): boolean {
  return (
    line.sender === 'dicomnet SCU, in memory' ||
    line.sender === 'dicomnet SCU, promise open' ||
    line.receiver.includes('window 8') ||
    line.receiver === 'Node floor, no checks'
  );
}

/** Small lines first, then large; the first line of each size is that size's baseline. */
const LINES: readonly StoreLine[] = (['small', 'large'] as const).flatMap((size) =>
  RECEIVERS_AND_SENDERS.filter((line) => size === 'small' || !smallOnly(line)).map((line) => ({
    ...line,
    size,
  })),
);

/** A receiver with its output folder. */
interface Target extends Receiver {
  readonly outputDir: string;
  /** The dicomnet SCP child, to read its memory at the end; undefined for storescp. */
  readonly child?: ForkedScp;
  /** storescp or the floor receiver. */
  readonly storescp?: Storescp;
}

const SENDER_IDS: Readonly<Record<Sender, string>> = {
  storescu: 'storescu',
  'dicomnet SCU': 'dicomnet',
  'dicomnet SCU, promise open': 'dicomnet-promise-open',
  'dicomnet SCU, in memory': 'dicomnet-in-memory',
  'dicomnet SCU, window 8': 'dicomnet-window8',
};

const RECEIVER_IDS: Readonly<Record<ReceiverKind, string>> = {
  storescp: 'storescp',
  'dicomnet SCP, fsync': 'dicomnet-fsync',
  'dicomnet SCP, no fsync': 'dicomnet-no-fsync',
  'dicomnet SCP, window 8, no fsync': 'dicomnet-window8-no-fsync',
  'dicomnet SCP, window 8, fsync': 'dicomnet-window8-fsync',
  'Node floor, no checks': 'floor',
};

/** The window our SCP grants in the window lines, and our SCU asks for in its window 8 line. */
const WINDOW = 8;

function idOf(line: StoreLine): string {
  return `${line.size}/${SENDER_IDS[line.sender]}-${RECEIVER_IDS[line.receiver]}`;
}

/**
 * Empties a receiver's folder after a run, then waits for the file system to settle (`sync`): on
 * the benchmark machine, files created right after a mass deletion took up to ~1 ms each against
 * ~60 µs on a settled disk, so without it each line would pay for the clean-up of the one before.
 * A wrong file count means a broken measurement.
 */
async function drain(dir: string, expected: number): Promise<void> {
  const names = await readdir(dir);
  if (names.length !== expected) {
    throw new Error(`${dir}: ${names.length} files after the run, expected ${expected}`);
  }
  await Promise.all(names.map((name) => rm(path.join(dir, name), { force: true })));
  await timeTool('sync', []);
}

/**
 * What one run sends: files, the folder holding exactly them (for storescu +sd), and the same
 * instances read into memory for the in-memory line.
 */
interface Workload {
  readonly files: readonly string[];
  readonly folder: string;
  readonly loaded: readonly StoreInstance[];
}

async function runLine(
  line: StoreLine,
  target: Target,
  workload: Workload,
  instances: GeneratedInstances,
): Promise<RunFigures> {
  const { files } = workload;
  if (line.sender === 'dicomnet SCU, in memory') {
    const figures = await runDicomnetScu(target, files.length, (client) =>
      storeInstances(client, workload.loaded),
    );
    await drain(target.outputDir, files.length);
    return figures;
  }
  if (line.sender === 'dicomnet SCU, promise open') {
    const figures = await runDicomnetScu(target, files.length, (client) =>
      storeFiles(client, files, false),
    );
    await drain(target.outputDir, files.length);
    return figures;
  }
  if (line.sender === 'dicomnet SCU' || line.sender === 'dicomnet SCU, window 8') {
    const window = line.sender === 'dicomnet SCU' ? 1 : WINDOW;
    const figures = await runDicomnetScu(
      target,
      files.length,
      async (client) => {
        const granted = client.negotiated.asynchronousOperationsWindow.maxOperationsInvoked;
        if (granted !== window) throw new Error(`asked for window ${window}, granted ${granted}`);
        await storeFiles(client, files);
      },
      window,
    );
    await drain(target.outputDir, files.length);
    return figures;
  }
  const peer = [...SCU_TIMEOUTS, '127.0.0.1', String(target.port)];
  return runDcmtkScu(target, {
    command: 'storescu',
    // +sd: send every file of the folder, all on one association (storescu's default).
    args: ['+sd', ...peer, workload.folder],
    // One small instance: process start, association, one 17 KB store, release.
    referenceArgs: [...peer, instances.singleFile],
    // The reference run stored one small instance too: N − 1 more small ones, or the large one
    // (counted whole: a 17 KB store is a few 10^-4 of it).
    count: line.size === 'small' ? files.length - 1 : 1,
    after: (run) => drain(target.outputDir, run === 'reference' ? 1 : files.length),
  });
}

async function startTarget(root: string, name: string, kind: ReceiverKind): Promise<Target> {
  const outputDir = path.join(root, name);
  await mkdir(outputDir, { recursive: true });
  if (kind === 'storescp' || kind === 'Node floor, no checks') {
    const storescp =
      kind === 'storescp' ? await startStorescp(outputDir) : await startFloorReceiver(outputDir);
    return { port: storescp.port, cpuMicros: () => storescp.cpuMicros(), outputDir, storescp };
  }
  const child = await forkScp({
    outputDir,
    fsync: kind === 'dicomnet SCP, fsync' || kind === 'dicomnet SCP, window 8, fsync',
    ...(kind.includes('window 8') && { maxOperationsPerformed: WINDOW }),
  });
  return { port: child.port, cpuMicros: () => child.cpuMicros(), outputDir, child };
}

/** Memory of a target at the end: our child's idle and peak RSS, or storescp's peak. */
async function stopTarget(target: Target): Promise<ScpMemory> {
  if (target.child !== undefined) return target.child.close();
  const { peakRssBytes } = (await target.storescp?.stop()) ?? { peakRssBytes: Number.NaN };
  return { idleRssBytes: Number.NaN, peakRssBytes };
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const roundCount = options.quick ? 2 : 5;
  const smallCount = options.quick ? 200 : 1000;
  // 10240 × 10240 × 16 bits = 200 MiB of pixel data (PEERS.md §2.6); 2048 × 2048 in a quick run.
  const side = options.quick ? 2048 : 10240;
  const root = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-store-'));
  const targets = new Map<string, Target>();
  const memory = new Map<string, ScpMemory>();
  const figures: LineFigures[] = LINES.map(() => ({ rounds: [] }));
  let instances: GeneratedInstances | undefined;
  try {
    instances = await generateInstances(path.join(root, 'instances'), {
      smallCount,
      largeRows: side,
      largeColumns: side,
    });
    // One receiver per size and kind, so each child's peak RSS belongs to one instance size.
    for (const line of LINES) {
      const key = `${line.size}/${line.receiver}`;
      if (!targets.has(key)) {
        targets.set(key, await startTarget(root, key.replace(/[^a-z]+/g, '-'), line.receiver));
      }
    }
    const targetOf = (line: StoreLine): Target => {
      const target = targets.get(`${line.size}/${line.receiver}`);
      if (target === undefined) throw new TypeError(`no receiver for ${idOf(line)}`);
      return target;
    };
    const workloads: Readonly<Record<Size, Workload>> = {
      small: {
        files: instances.smallFiles,
        folder: instances.smallDir,
        loaded: await loadInstances(instances.smallFiles),
      },
      large: { files: [instances.largeFile], folder: instances.largeDir, loaded: [] },
    };
    // Warm-up, untimed: every small line sends its 1,000 instances once; every large line sends
    // the single small instance (a whole large run per line would cost more than it teaches).
    const single: Workload = {
      files: [instances.singleFile],
      folder: instances.singleDir,
      loaded: [],
    };
    for (const line of LINES) {
      const workload = line.size === 'small' ? workloads.small : single;
      await runLine(line, targetOf(line), workload, instances);
    }
    for (let round = 0; round < roundCount; round++) {
      for (const [index, line] of LINES.entries()) {
        figures[index]?.rounds.push(
          await runLine(line, targetOf(line), workloads[line.size], instances),
        );
      }
    }
  } finally {
    try {
      for (const [key, target] of targets) memory.set(key, await stopTarget(target));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  const fileBytes = (size: Size): number =>
    size === 'small' ? (instances?.smallFileBytes ?? 0) : (instances?.largeFileBytes ?? 0);
  const rows: Record<string, Cell>[] = LINES.map((line, index) => {
    const baseline = figures[LINES.findIndex((other) => other.size === line.size)];
    const cells = commonCells(figures[index] ?? { rounds: [] }, baseline ?? { rounds: [] });
    const receiverMemory = memory.get(`${line.size}/${line.receiver}`);
    return {
      id: idOf(line),
      size: line.size,
      instances: line.size === 'small' ? smallCount : 1,
      fileBytes: fileBytes(line.size),
      sender: line.sender,
      receiver: line.receiver,
      compares: line.compares,
      ...cells,
      mbPerSecond: (cells.rate * fileBytes(line.size)) / MEGABYTE,
      receiverRss:
        line.receiver === 'storescp' || line.receiver === 'Node floor, no checks'
          ? `peak ${mib(receiverMemory?.peakRssBytes)}`
          : `${mib(receiverMemory?.idleRssBytes)} → ${mib(receiverMemory?.peakRssBytes)}`,
      receiverPeakRssMiB: mib(receiverMemory?.peakRssBytes),
    };
  });
  const largeMiB = mib(fileBytes('large'));
  return {
    name: 'dimse-store',
    title: `C-STORE of ${smallCount.toLocaleString('en-US')} × ${fileBytes('small').toLocaleString('en-US')} B on one association and of one ${largeMiB} MiB instance, dicomnet vs DCMTK (${await dcmtkVersion()})`,
    columns: [
      { key: 'size', header: 'instances' },
      { key: 'sender', header: 'SCU' },
      { key: 'receiver', header: 'SCP' },
      { key: 'rate', header: 'inst/s', digits: 1 },
      { key: 'mbPerSecond', header: 'MB/s' },
      { key: 'ratio', header: 'ratio', digits: 2 },
      { key: 'ratioRange', header: 'range' },
      { key: 'compares', header: 'ratio is' },
      { key: 'scuCpuPercent', header: 'CPU SCU %' },
      { key: 'scpCpuPercent', header: 'CPU SCP %' },
      { key: 'subtractedMs', header: 'subtracted ms' },
      { key: 'receiverRss', header: 'SCP RSS MiB' },
    ],
    rows,
    notes: [
      `${roundCount} rounds per line, lines interleaved round by round (one untimed warm-up pass); figures are medians. ratio = median over rounds of (line ÷ storescu → storescp of the same size in the same round); range = lowest and highest.`,
      "MB/s = Part 10 file bytes (10^6) per second. All files are Explicit VR Little Endian, sent as they are; every PDU is at most 16 KiB (the receivers' default maximum).",
      `dicomnet SCU → dicomnet SCP (small only): both ours, the SCP (createServer + storeToDirectory in a child process, fsync as named) granting an asynchronous operations window of ${WINDOW} (PS3.7 D.3.3.3); "dicomnet SCU" asks for none (window 1), "window ${WINDOW}" asks for ${WINDOW} and storeFiles keeps ${WINDOW} C-STOREs in flight. Their ratio is to storescu → storescp of the same round, which never fsyncs.`,
      `dicomnet SCU: connect (not timed), then openInstanceFiles({ sync: true, keepBytes: 0 }) (headers only, blocking reads, as storescu makes them, the event loop given back every 64 files) and storeFiles (one file after the other; each data set under 64 KiB read with blocking calls into one of a few reused buffers once the request before is with the kernel), as dicomnet store does, timed from the first open to the last response; release not timed. "in memory" (small only, a diagnostic): the same with every data set read into memory before timing, client.store({ …, dataSet: bytes }). "promise open" (small only): openInstanceFiles through the promise API (16 files at a time, the event loop never held, a file of at most 256 KiB read whole and kept), as a server would open files, then storeFiles.`,
      'storescu: whole processes timed (+sd: all files of the folder on one association). rate = (N − 1) / (t(N files) − t(one small file)) (large: 1 / (t(large) − t(one small file))), t(one small file) the median of 3 runs in the same round ("subtracted ms"): this removes process start, association set-up and release. storescu loads each file whole into memory before sending it.',
      'Receivers write every instance to a file in a temporary folder on the same disk (emptied after each run, then `sync`, untimed, so that no line pays for the clean-up of the one before). storescp writes with plain write() and never fsyncs; storeToDirectory writes a temporary file, fsyncs it (fsync: true, its default) and renames it.',
      'Node floor, no checks (small only; floor-receiver-process.ts, a reference, not our code): the least a Node process does to receive C-STOREs into files. It checks nothing a peer sends, accepts every context, grants the window asked for, writes each instance under a temporary name with one writevSync and renames it (atomic, as storeToDirectory; no fsync) and answers Success, under the same Node as the runner. storescu → floor is what Node costs against storescp; our window 8 SCU → floor is the most a window of 8 gains when the receiver costs the least.',
      'SCP RSS: storescp and floor VmHWM; dicomnet SCP child RSS once listening → resourceUsage().maxRSS at the end. Each size has its own receiver processes, so a peak belongs to one size.',
      'CPU % = process CPU time over the timed wall time (100 = one core); storescp CPU has 10 ms resolution. Every DCMTK process runs with TCP_NODELAY=1.',
    ],
    seconds: secondsSince(start),
  };
}

/** C-STORE, dicomnet vs DCMTK (`dimse-store`). */
export const dimseStoreBenchmark: Benchmark = { name: 'dimse-store', suite: 'dimse', run };
