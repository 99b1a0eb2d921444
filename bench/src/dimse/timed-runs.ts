/**
 * One timed run of a DIMSE benchmark line, whoever the SCU is, and the figures of several rounds
 * turned into a table row (median, ratio to the DCMTK → DCMTK line of the same round).
 */
import type { DimseClient } from '@dicomnet/dimse';
import type { Cell } from '../benchmark.js';
import { median, MIB, now, secondsSince } from '../measure.js';
import { timeTool } from './dcmtk.js';
import { openScu } from './dicomnet-scu.js';

/** A receiving peer whose CPU time can be read: storescp or the dicomnet SCP child. */
export interface Receiver {
  readonly port: number;
  cpuMicros(): Promise<number>;
}

/** What one timed round of a line gave. */
export interface RunFigures {
  /** Operations (echoes, instances) per second. */
  readonly rate: number;
  /** CPU time of the SCU over wall time (1 = one core); NaN when not measured (DCMTK). */
  readonly scuCpu: number;
  /** CPU time of the SCP over wall time. */
  readonly scpCpu: number;
  /** DCMTK SCU: the wall time subtracted (process start, association, release), in s. */
  readonly subtractedSeconds: number;
}

/**
 * The dicomnet SCU: connects (not timed), times `work` on the open association, releases (not
 * timed). `count` is the number of operations `work` performs; `window` the asynchronous
 * operations window to ask for (default 1).
 */
export async function runDicomnetScu(
  receiver: Receiver,
  count: number,
  work: (client: DimseClient) => Promise<void>,
  window = 1,
): Promise<RunFigures> {
  const client = await openScu(receiver.port, window);
  try {
    const scpCpuAtStart = await receiver.cpuMicros();
    const cpuAtStart = process.cpuUsage();
    const start = now();
    await work(client);
    const seconds = secondsSince(start);
    const cpu = process.cpuUsage(cpuAtStart);
    const scpCpu = (await receiver.cpuMicros()) - scpCpuAtStart;
    return {
      rate: count / seconds,
      scuCpu: (cpu.user + cpu.system) / 1e6 / seconds,
      scpCpu: scpCpu / 1e6 / seconds,
      subtractedSeconds: Number.NaN,
    };
  } finally {
    await client.release();
  }
}

/** How a DCMTK SCU run is set up: the full run and the reference run whose time is subtracted. */
export interface DcmtkRun {
  readonly command: string;
  /** Arguments of the measured run (`--repeat N`, or N files). */
  readonly args: readonly string[];
  /** Arguments of the reference run (`--repeat 1`, or one small file). */
  readonly referenceArgs: readonly string[];
  /** Operations the measured run performs beyond the reference run: the rate's numerator. */
  readonly count: number;
  /** Called after each run, untimed: e.g. to check and empty the output folder. */
  readonly after?: (run: 'reference' | 'measured') => Promise<void>;
}

/** Reference runs per round; their median is subtracted. */
const REFERENCE_RUNS = 3;

/**
 * A DCMTK SCU timed as whole processes. The rate is `count / (t(run) − t(reference))`, where the
 * reference is the same tool doing one operation on one association: the difference removes
 * process start, association set-up and release, which our line does not time either.
 */
export async function runDcmtkScu(receiver: Receiver, run: DcmtkRun): Promise<RunFigures> {
  const references: { seconds: number; scpMicros: number }[] = [];
  for (let index = 0; index < REFERENCE_RUNS; index++) {
    references.push(await timedProcess(receiver, run.command, run.referenceArgs));
    await run.after?.('reference');
  }
  const measured = await timedProcess(receiver, run.command, run.args);
  await run.after?.('measured');
  const subtractedSeconds = median(references.map((reference) => reference.seconds));
  const seconds = measured.seconds - subtractedSeconds;
  const scpMicros = measured.scpMicros - median(references.map((reference) => reference.scpMicros));
  return {
    rate: run.count / seconds,
    scuCpu: Number.NaN,
    scpCpu: scpMicros / 1e6 / seconds,
    subtractedSeconds,
  };
}

async function timedProcess(
  receiver: Receiver,
  command: string,
  args: readonly string[],
): Promise<{ seconds: number; scpMicros: number }> {
  const cpuAtStart = await receiver.cpuMicros();
  const { seconds } = await timeTool(command, args);
  return { seconds, scpMicros: (await receiver.cpuMicros()) - cpuAtStart };
}

/** The rounds of one line of a table. */
export interface LineFigures {
  readonly rounds: RunFigures[];
}

const percent = (value: number): number | string =>
  Number.isFinite(value) ? Math.round(value * 100) : '–';

/** MiB, rounded, or '–'. */
export const mib = (bytes: number | undefined): number | string =>
  bytes !== undefined && Number.isFinite(bytes) ? Math.round(bytes / MIB) : '–';

/**
 * The columns every DIMSE line shares: median rate, the median of the per-round ratios to the
 * baseline's rounds (`baseline`: the DCMTK → DCMTK line), their range, CPU and what was subtracted.
 */
export function commonCells(
  line: LineFigures,
  baseline: LineFigures,
): Record<string, Cell> & { rate: number } {
  const rates = line.rounds.map((round) => round.rate);
  const ratios = rates.map((rate, index) => rate / (baseline.rounds[index]?.rate ?? Number.NaN));
  const subtracted = median(line.rounds.map((round) => round.subtractedSeconds));
  return {
    rate: median(rates),
    ratio: median(ratios),
    ratioRange: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
    scuCpuPercent: percent(median(line.rounds.map((round) => round.scuCpu))),
    scpCpuPercent: percent(median(line.rounds.map((round) => round.scpCpu))),
    subtractedMs: Number.isFinite(subtracted) ? Math.round(subtracted * 1000) : '–',
    roundRates: rates.map((rate) => Number(rate.toPrecision(3))).join(' '),
  };
}
