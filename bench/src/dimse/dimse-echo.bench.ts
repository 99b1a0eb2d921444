/**
 * C-ECHO round trips per second on one association, dicomnet against DCMTK 3.6.7 in the same
 * run: our SCU and echoscu against storescp, and echoscu against storescp and our SCP (in a child
 * process). Each ratio changes one side of the DCMTK → DCMTK line. The last two lines are the
 * floors: echoscu against the least a Node process does to answer C-ECHO
 * (floor-receiver-process.ts), and the least a Node process does to send them
 * (floor-echo-process.ts) against storescp.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { runFloorEcho, startFloorReceiver } from '../floor/floor-processes.js';
import { now, secondsSince } from '../measure.js';
import type { Storescp } from './dcmtk.js';
import { dcmtkVersion, SCU_TIMEOUTS, startStorescp } from './dcmtk.js';
import { echoMany } from './dicomnet-scu.js';
import type { ForkedScp } from './forked-scp.js';
import { forkScp } from './forked-scp.js';
import type { ScpMemory } from './scp-messages.js';
import type { LineFigures, Receiver, RunFigures } from './timed-runs.js';
import { commonCells, mib, runDcmtkScu, runDicomnetScu } from './timed-runs.js';

type Scu = 'echoscu' | 'dicomnet SCU' | 'Node floor';
type Scp = 'storescp' | 'dicomnet SCP' | 'Node floor';

interface EchoLine {
  readonly id: string;
  readonly scu: Scu;
  readonly scp: Scp;
  readonly compares: string;
}

/** The first line is the baseline of every ratio. */
const LINES: readonly EchoLine[] = [
  { id: 'echoscu-storescp', scu: 'echoscu', scp: 'storescp', compares: 'baseline' },
  { id: 'dicomnet-storescp', scu: 'dicomnet SCU', scp: 'storescp', compares: 'our SCU ÷ echoscu' },
  { id: 'echoscu-dicomnet', scu: 'echoscu', scp: 'dicomnet SCP', compares: 'our SCP ÷ storescp' },
  { id: 'dicomnet-dicomnet', scu: 'dicomnet SCU', scp: 'dicomnet SCP', compares: 'both ours' },
  { id: 'echoscu-floor', scu: 'echoscu', scp: 'Node floor', compares: 'floor ÷ storescp' },
  { id: 'floor-storescp', scu: 'Node floor', scp: 'storescp', compares: 'floor ÷ echoscu' },
];

/** The floor SCU times its own round trips; the SCP's CPU over them is not known ('–'). */
async function runFloorLine(receiver: Receiver, count: number): Promise<RunFigures> {
  const floor = await runFloorEcho(receiver.port, count);
  return {
    rate: count / floor.seconds,
    scuCpu: floor.cpuMicros / 1e6 / floor.seconds,
    scpCpu: Number.NaN,
    subtractedSeconds: Number.NaN,
  };
}

function runLine(line: EchoLine, receiver: Receiver, count: number): Promise<RunFigures> {
  if (line.scu === 'Node floor') return runFloorLine(receiver, count);
  if (line.scu === 'dicomnet SCU') {
    return runDicomnetScu(receiver, count, (client) => echoMany(client, count));
  }
  const peer = [...SCU_TIMEOUTS, '127.0.0.1', String(receiver.port)];
  return runDcmtkScu(receiver, {
    command: 'echoscu',
    args: ['--repeat', String(count + 1), ...peer],
    referenceArgs: ['--repeat', '1', ...peer],
    count,
  });
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const count = options.quick ? 500 : 5000;
  const roundCount = options.quick ? 2 : 5;
  const root = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-echo-'));
  let storescp: Storescp | undefined;
  let floor: Storescp | undefined;
  let scp: ForkedScp | undefined;
  let storescpPeak = Number.NaN;
  let floorPeak = Number.NaN;
  let scpMemory: ScpMemory | undefined;
  const figures: LineFigures[] = LINES.map(() => ({ rounds: [] }));
  try {
    const dcmtkScp = await startStorescp(path.join(root, 'storescp'));
    storescp = dcmtkScp;
    const ourScp = await forkScp({ outputDir: root, fsync: true });
    scp = ourScp;
    const floorScp = await startFloorReceiver(path.join(root, 'floor'));
    floor = floorScp;
    const receivers: Readonly<Record<Scp, Receiver>> = {
      storescp: dcmtkScp,
      'dicomnet SCP': ourScp,
      'Node floor': floorScp,
    };
    const receiverOf = (line: EchoLine): Receiver => receivers[line.scp];
    // Warm-up: one untimed pass of every line (JIT, socket buffers, page cache of the tools).
    for (const line of LINES) await runLine(line, receiverOf(line), Math.ceil(count / 5));
    for (let round = 0; round < roundCount; round++) {
      for (const [index, line] of LINES.entries()) {
        figures[index]?.rounds.push(await runLine(line, receiverOf(line), count));
      }
    }
  } finally {
    if (storescp !== undefined) storescpPeak = (await storescp.stop()).peakRssBytes;
    if (floor !== undefined) floorPeak = (await floor.stop()).peakRssBytes;
    if (scp !== undefined) scpMemory = await scp.close();
    await rm(root, { recursive: true, force: true });
  }
  const baseline = figures[0] ?? { rounds: [] };
  const rows: Record<string, Cell>[] = LINES.map((line, index) => {
    const cells = commonCells(figures[index] ?? { rounds: [] }, baseline);
    return {
      id: line.id,
      scu: line.scu,
      scp: line.scp,
      compares: line.compares,
      ...cells,
      microsPerEcho: 1e6 / cells.rate,
      scpRss:
        line.scp === 'dicomnet SCP'
          ? `${mib(scpMemory?.idleRssBytes)} → ${mib(scpMemory?.peakRssBytes)}`
          : `peak ${mib(line.scp === 'storescp' ? storescpPeak : floorPeak)}`,
    };
  });
  return {
    name: 'dimse-echo',
    title: `C-ECHO round trips on one association, ${count.toLocaleString('en-US')} per round, dicomnet vs DCMTK (${await dcmtkVersion()})`,
    columns: [
      { key: 'scu', header: 'SCU' },
      { key: 'scp', header: 'SCP' },
      { key: 'rate', header: 'echoes/s' },
      { key: 'microsPerEcho', header: 'µs/echo', digits: 0 },
      { key: 'ratio', header: 'ratio', digits: 2 },
      { key: 'ratioRange', header: 'range' },
      { key: 'compares', header: 'ratio is' },
      { key: 'scuCpuPercent', header: 'CPU SCU %' },
      { key: 'scpCpuPercent', header: 'CPU SCP %' },
      { key: 'subtractedMs', header: 'subtracted ms' },
      { key: 'scpRss', header: 'SCP RSS MiB' },
    ],
    rows,
    notes: [
      `${roundCount} rounds per line after one untimed warm-up pass, lines interleaved round by round; figures are medians. ratio = median over rounds of (line ÷ echoscu → storescp in the same round); range = lowest and highest.`,
      `dicomnet SCU: connect (not timed), then ${count} × client.echo() one after the other, timed from the first request to the last response; release not timed.`,
      `echoscu: whole processes timed. rate = ${count} / (t(--repeat ${count + 1}) − t(--repeat 1)), t(--repeat 1) the median of 3 runs in the same round ("subtracted ms"): this removes process start, association set-up and release, leaving ${count} round trips on one association.`,
      'dicomnet SCP: createServer in a child process (Verification and every Storage SOP Class). Every DCMTK process runs with TCP_NODELAY=1.',
      'Node floor (a reference, not our code; under the same Node as the runner): as SCP, a Node process that parses only what it must and answers each C-ECHO-RQ at once with a copy of one prebuilt response (its Message ID patched), checking nothing; as SCU, a Node process that sends each C-ECHO-RQ as the response before arrives, reading nothing of it, timed by itself as our SCU is (one process per run, which first sends as many echoes untimed to warm up). What Node and its socket cost before any DIMSE code runs.',
      'CPU % = process CPU time (user + system) over the timed wall time; for echoscu lines the SCP CPU of the reference run is subtracted too. storescp CPU has 10 ms resolution (/proc/<pid>/stat).',
      'SCP RSS: storescp and floor VmHWM; dicomnet SCP child RSS once listening → resourceUsage().maxRSS at the end.',
    ],
    seconds: secondsSince(start),
  };
}

/** C-ECHO round trips, dicomnet vs DCMTK (`dimse-echo`). */
export const dimseEchoBenchmark: Benchmark = { name: 'dimse-echo', suite: 'dimse', run };
