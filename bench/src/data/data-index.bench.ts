/**
 * `data-index`: the 44 attributes an archive index keeps (index-attributes.ts) plus the file size,
 * extracted from the 1,000 Part 10 files of corpus.ts by @dicomnet/data's element reader, by
 * dcmjs 0.52.2 and by DCMTK's dcmdump, in the same run. A first pass over the whole corpus by
 * every side warms the page cache and the JIT and checks that all sides extract the same values
 * for every file (the run fails otherwise); then every side reads the whole corpus once a round,
 * the sides interleaved round by round, so that a change in the machine's load hits them alike.
 * Goals (issue 14): at least 20× dcmjs, and at least 1.0× dcmdump run as one process per batch.
 */
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { collectGarbage, gcExposed } from '../dcmjs/gc.js';
import { median, MEGABYTE, now, secondsSince } from '../measure.js';
import type { CorpusFile } from './corpus.js';
import { corpusDir, loadCorpus } from './corpus.js';
import { dcmdumpArguments, readIndexRecordsWithDcmdump } from './dcmdump-index-reader.js';
import { quietDcmjs, readIndexRecordWithDcmjs } from './dcmjs-index-reader.js';
import { readIndexRecords, readIndexRecordSync } from './dicomnet-index-reader.js';
import { ALL_INDEX_ATTRIBUTES } from './index-attributes.js';
import type { IndexRecord } from './index-record.js';
import { compareRecords } from './index-record.js';

/** Files read at once by the asynchronous dicomnet line. */
const ASYNC_CONCURRENCY = 4;

/** Each side repeats its untimed first pass until it has run this long (JIT, caches). */
const WARMUP_MS = 3000;

/** Each timed round of a side repeats whole passes until it has run this long. */
const ROUND_MS = 1500;

type SideKind = 'dicomnet' | 'dcmjs' | 'dcmdump';

/** One way of extracting the records of all files. */
interface Side {
  readonly id: string;
  readonly kind: SideKind;
  readonly label: string;
  readonly extract: (files: readonly string[]) => Promise<IndexRecord[]>;
}

const SIDES: readonly Side[] = [
  {
    id: 'dicomnet-sync',
    kind: 'dicomnet',
    label: 'dicomnet readPart10AttributesSync, one file after another',
    extract: (files) => Promise.resolve(files.map((file) => readIndexRecordSync(file))),
  },
  {
    id: `dicomnet-async-${ASYNC_CONCURRENCY}`,
    kind: 'dicomnet',
    label: `dicomnet readPart10Attributes, ${ASYNC_CONCURRENCY} files at a time`,
    extract: (files) => readIndexRecords(files, ASYNC_CONCURRENCY),
  },
  {
    id: 'dcmjs-read-file',
    kind: 'dcmjs',
    label: 'dcmjs fs.readFile + DicomMessage.readFile, raw dict, one file after another',
    extract: async (files) => {
      const records: IndexRecord[] = [];
      for (const file of files) records.push(await readIndexRecordWithDcmjs(file));
      return records;
    },
  },
  {
    id: 'dcmdump-batch-100',
    kind: 'dcmdump',
    label: 'dcmdump +P …, 100 files a process, output parsed in Node',
    extract: (files) =>
      readIndexRecordsWithDcmdump(files, { batchSize: 100, stopBeforePixelData: false }),
  },
  {
    id: 'dcmdump-batch-all',
    kind: 'dcmdump',
    label: 'dcmdump +P …, all files in one process, output parsed in Node',
    extract: (files) =>
      readIndexRecordsWithDcmdump(files, { batchSize: files.length, stopBeforePixelData: false }),
  },
  {
    id: 'dcmdump-batch-all-stop',
    kind: 'dcmdump',
    label: 'dcmdump +P … +sb 7fe0,0010, all files in one process, output parsed in Node',
    extract: (files) =>
      readIndexRecordsWithDcmdump(files, { batchSize: files.length, stopBeforePixelData: true }),
  },
];

/** Fails loudly unless every side extracted the same values as the first, file by file. */
function checkAgreement(files: readonly string[], results: readonly IndexRecord[][]): void {
  const reference = results[0] ?? [];
  const problems: string[] = [];
  for (const [sideIndex, records] of results.entries()) {
    if (records.length !== files.length) {
      problems.push(`${SIDES[sideIndex]?.id}: ${records.length} records for ${files.length} files`);
      continue;
    }
    for (const [fileIndex, record] of records.entries()) {
      const expected = reference[fileIndex];
      if (expected === undefined) continue;
      for (const difference of compareRecords(expected, record)) {
        problems.push(
          `${SIDES[sideIndex]?.id} ≠ ${SIDES[0]?.id}, ${files[fileIndex]}: ${difference}`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `the sides disagree (${problems.length} values):\n${problems.slice(0, 20).join('\n')}`,
    );
  }
}

/** Every value a side extracted that is not null, over all files (proof the check compared data). */
function countValues(records: readonly IndexRecord[]): number {
  let count = 0;
  for (const record of records) {
    for (const value of Object.values(record.values)) if (value !== null) count++;
  }
  return count;
}

/**
 * One round of one side: whole passes over the files until `roundMs` have passed (at least one);
 * its rate in files per second.
 */
async function timeRound(side: Side, files: readonly string[], roundMs: number): Promise<number> {
  collectGarbage();
  const start = now();
  let passes = 0;
  do {
    const records = await side.extract(files);
    if (records.length !== files.length) throw new Error(`${side.id} lost files`);
    passes++;
  } while (secondsSince(start) * 1000 < roundMs);
  return (passes * files.length) / secondsSince(start);
}

function spread(values: readonly number[], middle: number): string {
  const low = Math.round((Math.min(...values) / middle) * 100);
  const high = Math.round((Math.max(...values) / middle) * 100);
  return `${low}–${high}`;
}

/** Files of the quick run: one in ten, every series and syntax still present. */
function quickSubset(corpus: readonly CorpusFile[]): CorpusFile[] {
  return corpus.filter((_, index) => index % 10 === 0);
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  quietDcmjs();
  const corpus = await loadCorpus();
  const chosen = options.quick ? quickSubset(corpus.files) : corpus.files;
  const files = chosen.map((file) => file.path);
  const totalBytes = chosen.reduce((sum, file) => sum + file.bytes, 0);
  const rounds = options.quick ? 1 : 5;
  const warmupMs = options.quick ? 0 : WARMUP_MS;
  const roundMs = options.quick ? 0 : ROUND_MS;

  // Warm-up and correctness: untimed passes of every side over every file, at least one and at
  // least WARMUP_MS; the first pass's records are compared.
  const results: IndexRecord[][] = [];
  const warmupPasses: number[] = [];
  for (const side of SIDES) {
    const warmupStart = now();
    results.push(await side.extract(files));
    let passes = 1;
    while (secondsSince(warmupStart) * 1000 < warmupMs) {
      await side.extract(files);
      passes++;
    }
    warmupPasses.push(passes);
  }
  checkAgreement(files, results);
  const valuesCompared = countValues(results[0] ?? []);

  const rates: number[][] = SIDES.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // The order turns each round, so that no side always follows the same one.
    for (let step = 0; step < SIDES.length; step++) {
      const index = (round + step) % SIDES.length;
      const side = SIDES[index];
      if (side !== undefined) rates[index]?.push(await timeRound(side, files, roundMs));
    }
  }

  const ratioTo = (index: number, kind: SideKind): number[] =>
    (rates[index] ?? []).map((rate, round) => {
      const best = Math.max(
        ...SIDES.flatMap((side, other) => (side.kind === kind ? [rates[other]?.[round] ?? 0] : [])),
      );
      return rate / best;
    });
  const rows = SIDES.map((side, index): Record<string, Cell> => {
    const filesPerSecond = median(rates[index] ?? []);
    return {
      id: side.id,
      side: side.label,
      filesPerSecond,
      mbPerSecond: (filesPerSecond * totalBytes) / files.length / MEGABYTE,
      msPerFile: 1000 / filesPerSecond,
      rounds: spread(rates[index] ?? [], filesPerSecond),
      timesDcmjs: median(ratioTo(index, 'dcmjs')),
      timesDcmdump: median(ratioTo(index, 'dcmdump')),
    };
  });

  const bySyntax = new Map<string, number>();
  for (const file of chosen) bySyntax.set(file.syntax, (bySyntax.get(file.syntax) ?? 0) + 1);
  const elements = chosen.map((file) => file.elements);
  return {
    name: 'data-index',
    title: `${ALL_INDEX_ATTRIBUTES.length} index attributes + file size from ${files.length} Part 10 files (${(totalBytes / MEGABYTE).toFixed(0)} MB), ${rounds} interleaved rounds, medians`,
    columns: [
      { key: 'side', header: 'side' },
      { key: 'filesPerSecond', header: 'files/s' },
      { key: 'mbPerSecond', header: 'MB/s' },
      { key: 'msPerFile', header: 'ms/file', digits: 3 },
      { key: 'rounds', header: 'rounds, % of median' },
      { key: 'timesDcmjs', header: '× dcmjs', digits: 2 },
      { key: 'timesDcmdump', header: '× fastest dcmdump', digits: 2 },
    ],
    rows,
    notes: [
      `Corpus (${corpusDir()}${corpus.generatedSeconds === undefined ? ', cached' : `, generated in ${corpus.generatedSeconds.toFixed(0)} s`}): ${[...bySyntax].map(([syntax, count]) => `${count} ${syntax}`).join(', ')}; ${Math.min(...elements)}–${Math.max(...elements)} elements a file, nested ones included.`,
      `All sides extracted the same ${valuesCompared.toLocaleString('en-US')} non-null values in their untimed first pass, which also put every file in the page cache; each side then repeated it until ${warmupMs / 1000} s had passed (${SIDES.map((side, index) => `${side.id} ${warmupPasses[index]}`).join(', ')} passes in all).`,
      `dcmdump ${dcmdumpArguments({ stopBeforePixelData: false }).slice(0, 6).join(' ')} [+sb 7fe0,0010] +P gggg,eeee ×${ALL_INDEX_ATTRIBUTES.length} FILE…; the processes of one line run one after another; file sizes from fs.statSync.`,
      `Each round, each side reads all files as many whole times as fit in ${roundMs / 1000} s (at least once); the order of the sides turns from round to round.`,
      '× dcmjs, × fastest dcmdump: the median over rounds of this line’s rate ÷ the best dcmjs (dcmdump) line’s rate in the same round.',
      `Goals: ≥ 20× dcmjs, ≥ 1.0× dcmdump. ${gcExposed() ? 'A full GC ran before each timed pass.' : 'Run with --expose-gc to collect before each timed pass.'}`,
    ],
    seconds: secondsSince(start),
  };
}

/** `data-index`: index attributes from 1,000 files, dicomnet vs dcmjs vs dcmdump. */
export const dataIndexBenchmark: Benchmark = { name: 'data-index', suite: 'data', run };
