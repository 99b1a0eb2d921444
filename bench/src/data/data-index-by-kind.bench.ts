/**
 * `data-index-by-kind`: the extraction of `data-index` split by kind of file (modality and
 * transfer syntax), in CPU time per file, for dicomnet (synchronous), dcmjs and dcmdump (one
 * process per kind, `+sb 7fe0,0010`). Where `data-index` gives the corpus as a whole, this shows
 * how each side's cost follows the size of the file: dcmjs parses all of it, the other two stop
 * before the pixel data.
 */
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { median, now, secondsSince } from '../measure.js';
import type { CorpusFile } from './corpus.js';
import { loadCorpus } from './corpus.js';
import { quietDcmjs } from './dcmjs-index-reader.js';
import type { IndexRecord } from './index-record.js';
import { checkAgreement, SIDES } from './index-sides.js';
import { timeRound } from './timed-round.js';

/** The sides compared, by id. */
const SIDE_IDS = ['dicomnet-sync', 'dcmjs-read-file', 'dcmdump-batch-all-stop'] as const;

/** Each round of one side over one kind repeats passes until it has run this long. */
const ROUND_MS = 200;

/** Each side's warm-up, after the checked first pass. */
const WARMUP_MS = 1500;

function kindOf(file: CorpusFile): string {
  return `${file.modality} ${file.syntax}`;
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  quietDcmjs();
  const sides = SIDE_IDS.map((id) => {
    const side = SIDES.find((candidate) => candidate.id === id);
    if (side === undefined) throw new Error(`no side ${id}`);
    return side;
  });
  const corpus = await loadCorpus();
  const kinds = new Map<string, CorpusFile[]>();
  for (const file of corpus.files) {
    const list = kinds.get(kindOf(file)) ?? [];
    list.push(file);
    kinds.set(kindOf(file), list);
  }
  const groups = [...kinds].map(([kind, files]) => ({
    kind,
    files: (options.quick ? files.slice(0, 2) : files).map((file) => file.path),
    bytes: files.reduce((sum, file) => sum + file.bytes, 0) / files.length,
  }));
  const rounds = options.quick ? 1 : 3;
  const roundMs = options.quick ? 0 : ROUND_MS;

  // Check: one untimed pass of every side over every kind; then warm-up: each side repeats
  // passes over all kinds until WARMUP_MS have passed (JIT; the files are in the page cache).
  for (const group of groups) {
    const results: (readonly IndexRecord[])[] = [];
    for (const side of sides) results.push((await side.extract(group.files)).records);
    checkAgreement(sides, group.files, results);
  }
  for (const side of sides) {
    const warmupStart = now();
    while (secondsSince(warmupStart) * 1000 < (options.quick ? 0 : WARMUP_MS)) {
      for (const group of groups) await side.extract(group.files);
    }
  }

  const cpu = groups.map(() => sides.map((): number[] => []));
  for (let round = 0; round < rounds; round++) {
    for (const [groupIndex, group] of groups.entries()) {
      for (const [sideIndex, side] of sides.entries()) {
        const figures = await timeRound(side, group.files, roundMs);
        cpu[groupIndex]?.[sideIndex]?.push(figures.cpuMsPerFile * 1000);
      }
    }
  }

  const rows = groups.map((group, groupIndex): Record<string, Cell> => {
    const [dicomnet, dcmjs, dcmdump] = (cpu[groupIndex] ?? []).map((values) => median(values));
    return {
      id: group.kind.replace(' ', '-').toLowerCase(),
      kind: group.kind,
      files: group.files.length,
      kilobytes: group.bytes / 1000,
      dicomnetMicroseconds: dicomnet ?? Number.NaN,
      dcmjsMicroseconds: dcmjs ?? Number.NaN,
      dcmdumpMicroseconds: dcmdump ?? Number.NaN,
      timesDcmjs: (dcmjs ?? Number.NaN) / (dicomnet ?? Number.NaN),
      timesDcmdump: (dcmdump ?? Number.NaN) / (dicomnet ?? Number.NaN),
    };
  });
  return {
    name: 'data-index-by-kind',
    title: `CPU µs per file by kind of file, median of ${rounds} rounds (dicomnet sync, dcmjs, dcmdump +sb one process a kind)`,
    columns: [
      { key: 'kind', header: 'kind' },
      { key: 'files', header: 'files' },
      { key: 'kilobytes', header: 'KB a file' },
      { key: 'dicomnetMicroseconds', header: 'dicomnet µs' },
      { key: 'dcmjsMicroseconds', header: 'dcmjs µs' },
      { key: 'dcmdumpMicroseconds', header: 'dcmdump µs' },
      { key: 'timesDcmjs', header: 'dcmjs ÷ dicomnet', digits: 1 },
      { key: 'timesDcmdump', header: 'dcmdump ÷ dicomnet', digits: 1 },
    ],
    rows,
    notes: [
      'CPU time (user + system) per file: this process’s threads, plus the dcmdump process (GNU time, 10 ms resolution, so the figures of small kinds are coarse for dcmdump).',
      `Each round, each side reads the files of a kind as many whole times as fit in ${roundMs} ms (at least once); a first untimed pass of every side over every kind checks that they agree, then each side warms up for ${WARMUP_MS / 1000} s more.`,
      'dcmdump’s figure includes one process start-up per pass over a kind (25 to 375 files), and the parsing of its output in Node.',
    ],
    seconds: secondsSince(start),
  };
}

/** `data-index-by-kind`: CPU per file by modality and transfer syntax. */
export const dataIndexByKindBenchmark: Benchmark = {
  name: 'data-index-by-kind',
  suite: 'data',
  run,
};
