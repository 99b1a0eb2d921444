/** results/<suite>.json: the published figures, one entry per benchmark, merged across runs. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { BenchmarkResult } from './benchmark.js';
import type { MachineInfo } from './machine.js';

/** One benchmark's entry: its figures and where and when they were measured. */
export interface ResultEntry extends BenchmarkResult {
  readonly date: string;
  readonly machine: MachineInfo;
}

/** The contents of results/<suite>.json. */
export interface ResultsFile {
  readonly suite: string;
  readonly benchmarks: Readonly<Record<string, ResultEntry>>;
}

/** The folder of the committed results: bench/results, beside dist/ and src/. */
const RESULTS_DIR = new URL('../results/', import.meta.url);

/**
 * Writes `entries` into results/<suite>.json, keeping the entries of benchmarks not run this time
 * (so `run.js pdu-codec` does not erase the loopback figures). Returns the file's path.
 */
export async function saveResults(suite: string, entries: readonly ResultEntry[]): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = new URL(`${suite}.json`, RESULTS_DIR);
  const earlier = await readExisting(file);
  const benchmarks: Record<string, ResultEntry> = { ...earlier?.benchmarks };
  for (const entry of entries) benchmarks[entry.name] = entry;
  const contents: ResultsFile = { suite, benchmarks };
  // Written aside, then renamed: a run stopped half-way never leaves a torn file (*.tmp is ignored).
  const temporary = new URL(`${suite}.json.tmp`, RESULTS_DIR);
  await writeFile(temporary, `${JSON.stringify(contents, null, 2)}\n`);
  await rename(temporary, file);
  return file.pathname;
}

async function readExisting(file: URL): Promise<ResultsFile | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ResultsFile; // written by saveResults
  } catch {
    return undefined;
  }
}
