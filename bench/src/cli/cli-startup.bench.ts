/**
 * Start-up of the `dicomnet` command as a whole process, beside bare Node and DCMTK's echoscu in
 * the same run: how long `dicomnet echo` takes from spawn to exit against a local storescp, and
 * its peak RSS. The runs of all lines are interleaved, so a change in the machine's load hits
 * them alike; the goal (issue 13) is `dicomnet echo` within 60 ms of `node -e 0`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import type { Storescp } from '../dimse/dcmtk.js';
import { startStorescp } from '../dimse/dcmtk.js';
import { median, now, secondsSince } from '../measure.js';

/** The CLI's built entry point: bench/dist/run.js → packages/cli/dist/bin.js. */
const CLI_BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
/** GNU time reports the peak RSS of the process it runs (`%M`, KiB). */
const GNU_TIME = '/usr/bin/time';
/** Slowest run allowed before the child is killed. */
const RUN_TIMEOUT_MS = 30_000;

interface Line {
  readonly id: string;
  readonly label: string;
  readonly command: (port: number) => readonly string[];
}

const LINES: readonly Line[] = [
  { id: 'node-e-0', label: 'node -e 0 (bare Node)', command: () => ['node', '-e', '0'] },
  {
    id: 'echoscu',
    label: 'echoscu 127.0.0.1 PORT',
    command: (port) => ['echoscu', '-to', '10', '-ta', '10', '-td', '10', '127.0.0.1', `${port}`],
  },
  { id: 'dicomnet-help', label: 'dicomnet --help', command: () => ['node', CLI_BIN, '--help'] },
  {
    id: 'dicomnet-echo',
    label: 'dicomnet echo 127.0.0.1 PORT',
    command: (port) => ['node', CLI_BIN, 'echo', '127.0.0.1', `${port}`, '--timeout', '10'],
  },
];

interface Run {
  readonly ms: number;
  readonly peakRssKib: number;
}

/** Runs one command under GNU time; wall time from spawn to exit, and its peak RSS. */
async function timeRun(argv: readonly string[]): Promise<Run> {
  const start = now();
  const child = spawn(GNU_TIME, ['-f', '%M', ...argv], {
    // PEERS.md §0.1: without it Debian's DCMTK leaves Nagle on and waits for a delayed ACK.
    env: { ...process.env, TCP_NODELAY: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const ms = secondsSince(start) * 1000;
  if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}: ${stderr}`);
  const peakRssKib = Number(stderr.trim().split('\n').at(-1));
  return { ms, peakRssKib };
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run pnpm build first`);
  const rounds = options.quick ? 3 : 40;
  const root = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-startup-'));
  let storescp: Storescp | undefined;
  const runs: Run[][] = LINES.map(() => []);
  try {
    storescp = await startStorescp(path.join(root, 'received'));
    const port = storescp.port;
    for (const line of LINES) await timeRun(line.command(port)); // warm the file cache
    for (let round = 0; round < rounds; round++) {
      for (const [index, line] of LINES.entries())
        runs[index]?.push(await timeRun(line.command(port)));
    }
  } finally {
    await storescp?.stop();
    await rm(root, { recursive: true, force: true });
  }
  const bareNode = (runs[0] ?? []).map((one) => one.ms);
  const rows = LINES.map((line, index): Record<string, Cell> => {
    const times = (runs[index] ?? []).map((one) => one.ms);
    // Each run minus the `node -e 0` run of the same round: a load spike hits both of a pair.
    const overNode = times.map((ms, round) => ms - (bareNode[round] ?? Number.NaN));
    return {
      id: line.id,
      command: line.label,
      minMs: Math.min(...times),
      medianMs: median(times),
      p90Ms: percentile(times, 0.9),
      overNodeMs: line.id === 'node-e-0' ? '–' : median(overNode),
      overNodeMinMs: line.id === 'node-e-0' ? '–' : Math.min(...times) - Math.min(...bareNode),
      peakRssMib: median((runs[index] ?? []).map((one) => one.peakRssKib)) / 1024,
    };
  });
  return {
    name: 'cli-startup',
    title: `Start-up: spawn to exit, ${rounds} interleaved runs per line, against storescp on 127.0.0.1`,
    columns: [
      { key: 'command', header: 'command' },
      { key: 'minMs', header: 'min ms', digits: 1 },
      { key: 'medianMs', header: 'median ms', digits: 1 },
      { key: 'p90Ms', header: 'p90 ms', digits: 1 },
      { key: 'overNodeMs', header: 'over node -e 0: median of pairs, ms', digits: 1 },
      { key: 'overNodeMinMs', header: 'min over min, ms', digits: 1 },
      { key: 'peakRssMib', header: 'peak RSS MiB', digits: 1 },
    ],
    rows,
    notes: [
      'Each run is a fresh process under /usr/bin/time (for the peak RSS), so every line pays the same few hundred µs of it.',
      'over node -e 0: the median over rounds of (this run − the node -e 0 run of the same round); min over min: the fastest run of each, the figure least touched by other work on the machine.',
      'Goal: dicomnet echo within 60 ms of node -e 0.',
    ],
    seconds: secondsSince(start),
  };
}

/** `cli-startup`: whole-process start-up of the dicomnet command. */
export const cliStartupBenchmark: Benchmark = { name: 'cli-startup', suite: 'cli', run };
