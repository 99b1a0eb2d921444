/**
 * End-to-end P-DATA over TCP on 127.0.0.1: dicomnet (requestAssociation → Acceptor, data sets as
 * 64 KiB chunks) against a plain socket copying the same bytes, as MB/s and as a ratio. Measured
 * with the receiver in a child process (two event loops, two cores) and in this process (one
 * event loop doing both sides).
 */
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { MEGABYTE, median, MIB, now, secondsSince } from '../measure.js';
import { SOCKET_CHUNK } from './p-data-stream.js';
import { forkReceiver } from './forked-receiver.js';
import type { Receiver, ReceiverConfig, ReceiverMemory } from './loopback-receiver.js';
import { startReceiver } from './loopback-receiver.js';
import type { Sender } from './loopback-senders.js';
import { associateDicomnet, connectPlain } from './loopback-senders.js';

/** Where the receiver runs. */
type Topology = 'two processes' | 'one process';

/** One line of the comparison: a plain-socket baseline or a dicomnet configuration. */
interface LoopbackCase {
  readonly label: string;
  readonly receiver: ReceiverConfig;
  /** Plain socket: bytes per write. Dicomnet: the data set's chunk size (both 64 KiB here). */
  readonly chunkBytes: number;
  /** Data-set bytes per message; undefined for the plain socket, 0 for one message of it all. */
  readonly messageBytes: number | undefined;
}

/** The baseline every ratio is taken against: the first case. */
const BASELINE: LoopbackCase = {
  label: 'plain socket',
  receiver: { kind: 'plain' },
  chunkBytes: SOCKET_CHUNK,
  messageBytes: undefined,
};

const CASES: readonly LoopbackCase[] = [
  BASELINE,
  // What one write per 16 KiB PDU would cost without any framing: the syscall-size effect alone.
  { ...BASELINE, chunkBytes: 16 * 1024 },
  ...[16 * 1024, 1024 * 1024].flatMap((maxPduLength) =>
    [0, 16 * MIB].map((messageBytes): LoopbackCase => ({
      label: 'dicomnet',
      receiver: { kind: 'dicomnet', maxPduLength },
      chunkBytes: SOCKET_CHUNK,
      messageBytes,
    })),
  ),
];

/** What one timed round gave. */
interface RoundFigures {
  readonly mbPerSecond: number;
  /** CPU time of the sending process over wall time (1 = one core busy). */
  readonly senderCpu: number;
  /** CPU time of the receiving process over wall time. */
  readonly receiverCpu: number;
}

function openSender(testCase: LoopbackCase, port: number, bytes: number): Promise<Sender> {
  if (testCase.receiver.kind === 'plain') return connectPlain(port, testCase.chunkBytes);
  const messageBytes = testCase.messageBytes === 0 ? bytes : (testCase.messageBytes ?? bytes);
  return associateDicomnet(port, { maxPduLength: testCase.receiver.maxPduLength, messageBytes });
}

/** Connects (untimed), then times `bytes` from the first write to the receiver's last byte. */
async function runRound(
  testCase: LoopbackCase,
  receiver: Receiver,
  bytes: number,
): Promise<RoundFigures> {
  const sender = await openSender(testCase, receiver.port, bytes);
  const { done } = await receiver.arm(bytes);
  const cpuAtStart = process.cpuUsage();
  const start = now();
  await sender.send(bytes);
  const received = await done;
  const seconds = secondsSince(start);
  const cpu = process.cpuUsage(cpuAtStart);
  await sender.close();
  return {
    mbPerSecond: bytes / seconds / MEGABYTE,
    senderCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    receiverCpu: received.cpuMicros / 1e6 / seconds,
  };
}

interface CaseFigures {
  readonly testCase: LoopbackCase;
  readonly rounds: RoundFigures[];
  memory?: ReceiverMemory;
}

/** Runs every case on one topology, rounds interleaved so that load changes hit all alike. */
async function runTopology(
  topology: Topology,
  bytes: number,
  warmupBytes: number,
  roundCount: number,
): Promise<CaseFigures[]> {
  const start = topology === 'two processes' ? forkReceiver : startReceiver;
  const receivers: Receiver[] = [];
  try {
    for (const testCase of CASES) receivers.push(await start(testCase.receiver));
    const figures: CaseFigures[] = CASES.map((testCase) => ({ testCase, rounds: [] }));
    for (const [index, testCase] of CASES.entries()) {
      await runRound(testCase, receiverAt(receivers, index), warmupBytes);
    }
    for (let round = 0; round < roundCount; round++) {
      for (const [index, testCase] of CASES.entries()) {
        figureAt(figures, index).rounds.push(
          await runRound(testCase, receiverAt(receivers, index), bytes),
        );
      }
    }
    for (const [index, receiver] of receivers.splice(0).entries()) {
      figureAt(figures, index).memory = await receiver.close();
    }
    return figures;
  } finally {
    for (const receiver of receivers) await receiver.close().catch(() => undefined);
  }
}

function receiverAt(receivers: readonly Receiver[], index: number): Receiver {
  const receiver = receivers[index];
  if (receiver === undefined) throw new TypeError(`no receiver ${index}`);
  return receiver;
}

function figureAt(figures: readonly CaseFigures[], index: number): CaseFigures {
  const figure = figures[index];
  if (figure === undefined) throw new TypeError(`no figures ${index}`);
  return figure;
}

const percent = (value: number): number => Math.round(value * 100);
const mib = (bytes: number): number => Math.round(bytes / MIB);

function messagesOf(testCase: LoopbackCase, bytes: number): string {
  const { messageBytes } = testCase;
  if (messageBytes === undefined) return '–';
  if (messageBytes === 0) return `1 × ${mib(bytes)} MiB`;
  return `${Math.ceil(bytes / messageBytes)} × ${mib(messageBytes)} MiB`;
}

function unitOf(testCase: LoopbackCase): string {
  const { receiver, chunkBytes } = testCase;
  if (receiver.kind === 'plain') return `${chunkBytes / 1024} KiB writes`;
  const max = receiver.maxPduLength;
  return max >= MIB ? `${max / MIB} MiB PDUs` : `${max / 1024} KiB PDUs`;
}

/** Stable key of a line: `two-processes/plain-64k`, `one-process/dicomnet-16k-one-message`. */
function idOf(topology: Topology, testCase: LoopbackCase): string {
  const where = topology.replace(' ', '-');
  const { receiver, chunkBytes, messageBytes } = testCase;
  if (receiver.kind === 'plain') return `${where}/plain-${chunkBytes / 1024}k`;
  const messages = messageBytes === 0 ? 'one-message' : `${mib(messageBytes ?? 0)}m-messages`;
  return `${where}/dicomnet-${receiver.maxPduLength / 1024}k-${messages}`;
}

function rowsOf(
  topology: Topology,
  figures: readonly CaseFigures[],
  bytes: number,
): Record<string, Cell>[] {
  // figures[0] is the baseline; round r of every line ran right after round r of the baseline.
  const baseline = figures[0]?.rounds ?? [];
  return figures.map(({ testCase, rounds, memory }) => {
    const speeds = rounds.map((round) => round.mbPerSecond);
    const paired = speeds.map((speed, index) => speed / (baseline[index]?.mbPerSecond ?? NaN));
    const twoProcesses = topology === 'two processes';
    const { receiver } = testCase;
    return {
      id: idOf(topology, testCase),
      topology,
      sender: testCase.label,
      unit: unitOf(testCase),
      maxPduLength: receiver.kind === 'plain' ? '–' : receiver.maxPduLength,
      writeBytes: receiver.kind === 'plain' ? testCase.chunkBytes : '–',
      messages: messagesOf(testCase, bytes),
      mbPerSecond: Math.round(median(speeds)),
      ratioPercent: percent(median(paired)),
      ratioRangePercent: `${percent(Math.min(...paired))}–${percent(Math.max(...paired))}`,
      senderCpuPercent: percent(median(rounds.map((round) => round.senderCpu))),
      receiverCpuPercent: twoProcesses
        ? percent(median(rounds.map((round) => round.receiverCpu)))
        : '(same)',
      receiverPeakRssMiB: twoProcesses && memory !== undefined ? mib(memory.peakRssBytes) : '–',
      receiverIdleRssMiB: twoProcesses && memory !== undefined ? mib(memory.idleRssBytes) : '–',
      receiverRss:
        twoProcesses && memory !== undefined
          ? `${mib(memory.idleRssBytes)} → ${mib(memory.peakRssBytes)}`
          : '–',
      roundsMbPerSecond: speeds.map((speed) => Math.round(speed)).join(' '),
    };
  });
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const bytes = (options.quick ? 64 : 512) * MIB;
  const warmupBytes = (options.quick ? 16 : 64) * MIB;
  const roundCount = options.quick ? 2 : 7;
  const topologies: Topology[] = ['two processes', 'one process'];
  const rows: Record<string, Cell>[] = [];
  for (const topology of topologies) {
    rows.push(
      ...rowsOf(topology, await runTopology(topology, bytes, warmupBytes, roundCount), bytes),
    );
  }
  return {
    name: 'pdu-loopback',
    title: `P-DATA over TCP on 127.0.0.1, ${mib(bytes)} MiB per round, dicomnet vs a plain socket`,
    columns: [
      { key: 'topology', header: 'receiver in' },
      { key: 'sender', header: 'sender' },
      { key: 'unit', header: 'written as' },
      { key: 'messages', header: 'messages' },
      { key: 'mbPerSecond', header: 'MB/s' },
      { key: 'ratioPercent', header: '% of plain' },
      { key: 'ratioRangePercent', header: 'range' },
      { key: 'senderCpuPercent', header: 'CPU sender %' },
      { key: 'receiverCpuPercent', header: 'CPU receiver %' },
      { key: 'receiverRss', header: 'receiver RSS MiB, idle → peak' },
    ],
    rows,
    notes: [
      `${roundCount} rounds per line after one ${mib(warmupBytes)} MiB warm-up round, lines interleaved; MB/s is the median. MB = 10^6 bytes of data-set payload (dicomnet) or of socket bytes (plain).`,
      '% of plain = median over rounds of (this line ÷ the 64 KiB plain socket in the same round); range = lowest and highest of those ratios.',
      'Timed from the first write to the receiver counting the last byte; connecting and association set-up and release are not timed.',
      'Plain socket: one write per 64 KiB (or 16 KiB) chunk, waiting for drain when write returns false. Dicomnet: C-STORE-RQ command, then the data set as an iterable of 64 KiB chunks. Receiver counts bytes (plain) or data-set PDV fragment bytes in onPData (dicomnet).',
      'CPU % = process CPU time (all threads) over wall time, so 100 = one core busy. In "one process" both ends share one event loop.',
      'Receiver RSS: of the child process that served that line, once listening (idle) and its resourceUsage().maxRSS at the end (peak).',
    ],
    seconds: secondsSince(start),
  };
}

/** The loopback benchmark (`pdu-loopback`). */
export const pduLoopbackBenchmark: Benchmark = { name: 'pdu-loopback', suite: 'pdu', run };
