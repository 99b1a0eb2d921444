/**
 * Runs the selected benchmarks, prints their tables and writes results/<suite>.json.
 *
 *   node dist/run.js [name-or-suite…] [--quick] [--large] [--markdown] [--no-save]
 *
 * With no name every benchmark runs. A name is a benchmark (`pdu-codec`) or a suite (`pdu`).
 * `--quick` makes a short smoke run whose figures are never saved; `--large` adds the larger sizes
 * a benchmark has beyond its usual ones (inventory: 3,000,000 instances); `--markdown` also prints the
 * tables as Markdown for the README; `--no-save` leaves results/ alone.
 */
import type { Benchmark } from './benchmark.js';
import { cliStartupBenchmark } from './cli/cli-startup.bench.js';
import { dataIndexByKindBenchmark } from './data/data-index-by-kind.bench.js';
import { dataIndexBenchmark } from './data/data-index.bench.js';
import { dcmjsCodecBenchmark } from './dcmjs/dcmjs-codec.bench.js';
import { dcmjsLargeBenchmark } from './dcmjs/dcmjs-large.bench.js';
import { dcmjsSequenceBenchmark } from './dcmjs/dcmjs-sequence.bench.js';
import { dimseEchoBenchmark } from './dimse/dimse-echo.bench.js';
import { dimseFindBenchmark } from './dimse/dimse-find.bench.js';
import { dimseGetBenchmark } from './dimse/dimse-get.bench.js';
import { dimseStoreBenchmark } from './dimse/dimse-store.bench.js';
import { dimseStoreConcurrentBenchmark } from './dimse/dimse-store-concurrent.bench.js';
import { inventoryBenchmark } from './inventory/inventory.bench.js';
import { machineInfo } from './machine.js';
import { pduCodecBenchmark } from './pdu/pdu-codec.bench.js';
import { pduLoopbackBenchmark } from './pdu/pdu-loopback.bench.js';
import { repositoryFindBenchmark } from './repository/find.bench.js';
import { repositoryImportBenchmark } from './repository/import-folder.bench.js';
import { repositoryIngestBenchmark } from './repository/ingest.bench.js';
import { repositoryIndexInsertBenchmark } from './repository/index-insert.bench.js';
import { serveHostileBenchmark } from './serve/serve-hostile.bench.js';
import type { ResultEntry } from './results-file.js';
import { saveResults } from './results-file.js';
import { markdownTable, textTable } from './table.js';

/** Every benchmark, in the order they run. */
const BENCHMARKS: readonly Benchmark[] = [
  pduCodecBenchmark,
  pduLoopbackBenchmark,
  dimseEchoBenchmark,
  dimseFindBenchmark,
  dimseGetBenchmark,
  dimseStoreBenchmark,
  dimseStoreConcurrentBenchmark,
  dcmjsCodecBenchmark,
  dcmjsSequenceBenchmark,
  dcmjsLargeBenchmark,
  dataIndexBenchmark,
  dataIndexByKindBenchmark,
  serveHostileBenchmark,
  repositoryIndexInsertBenchmark,
  repositoryImportBenchmark,
  repositoryIngestBenchmark,
  repositoryFindBenchmark,
  inventoryBenchmark,
  cliStartupBenchmark,
];

function select(names: readonly string[]): Benchmark[] {
  if (names.length === 0) return [...BENCHMARKS];
  const unknown = names.filter(
    (name) => !BENCHMARKS.some((benchmark) => benchmark.name === name || benchmark.suite === name),
  );
  if (unknown.length > 0) {
    const known = [
      ...new Set(BENCHMARKS.flatMap((benchmark) => [benchmark.suite, benchmark.name])),
    ];
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${known.join(', ')}`);
  }
  return BENCHMARKS.filter(
    (benchmark) => names.includes(benchmark.name) || names.includes(benchmark.suite),
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((arg) => arg.startsWith('--')));
  const quick = flags.has('--quick');
  const selected = select(args.filter((arg) => !arg.startsWith('--')));
  const machine = machineInfo();
  console.log(
    `${machine.cpuModel} × ${machine.cpuCount}, Node ${machine.node}, load ${machine.loadAverage}${quick ? ' (quick run)' : ''}\n`,
  );
  const bySuite = new Map<string, ResultEntry[]>();
  for (const benchmark of selected) {
    const startedOn = machineInfo(); // load average before this benchmark adds its own
    const result = await benchmark.run({ quick, large: flags.has('--large') });
    console.log(`${textTable(result)}\n  (${result.seconds.toFixed(1)} s)\n`);
    if (flags.has('--markdown')) console.log(`${markdownTable(result)}\n`);
    const entries = bySuite.get(benchmark.suite) ?? [];
    entries.push({ ...result, date: new Date().toISOString(), machine: startedOn });
    bySuite.set(benchmark.suite, entries);
  }
  if (quick || flags.has('--no-save')) return;
  for (const [suite, entries] of bySuite) {
    console.log(`wrote ${await saveResults(suite, entries)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
