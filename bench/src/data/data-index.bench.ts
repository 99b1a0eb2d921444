/**
 * `data-index`: the 44 attributes an archive index keeps (index-attributes.ts) plus the file size,
 * extracted from the 1,000 Part 10 files of corpus.ts by @dicomnet/data's element reader, by
 * dcmjs 0.52.2 and by DCMTK's dcmdump, in the same run. A first pass over the whole corpus by
 * every side fills the page cache and checks that all sides extract the same values for every
 * file, and that these are the values the generator wrote (the run fails otherwise); each side
 * then warms up for 3 s. In each of 5 rounds every side reads the whole corpus, again and again
 * for at least 1.5 s, the sides interleaved and their order turning from round to round, so
 * that a change in the machine's load hits them alike. Wall time and CPU time are both kept.
 * Goals (issue 14): at least 20× dcmjs, and at least 1.0× dcmdump run as one process per batch.
 */
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { median, MEGABYTE, now, secondsSince } from '../measure.js';
import { checkGenerated } from './check-generated.js';
import type { CorpusFile } from './corpus.js';
import { corpusDir, loadCorpus } from './corpus.js';
import { dcmdumpArguments } from './dcmdump-index-reader.js';
import { quietDcmjs } from './dcmjs-index-reader.js';
import { ALL_INDEX_ATTRIBUTES } from './index-attributes.js';
import type { IndexRecord } from './index-record.js';
import type { SideKind } from './index-sides.js';
import { checkAgreement, SIDES } from './index-sides.js';
import type { RoundFigures } from './timed-round.js';
import { timeRound } from './timed-round.js';

/** Each side repeats its untimed first pass until it has run this long (JIT, caches). */
const WARMUP_MS = 3000;

/** Each timed round of a side repeats whole passes until it has run this long. */
const ROUND_MS = 1500;

/** Every value a side extracted that is not null, over all files (proof the check compared data). */
function countValues(records: readonly IndexRecord[]): number {
  let count = 0;
  for (const record of records) {
    for (const value of Object.values(record.values)) if (value !== null) count++;
  }
  return count;
}

function spread(values: readonly number[], middle: number): string {
  const low = Math.round((Math.min(...values) / middle) * 100);
  const high = Math.round((Math.max(...values) / middle) * 100);
  return `${low}–${high}`;
}

/** Files of the quick run: one in ten, every series and syntax still present. */
function quickSubset(corpus: readonly CorpusFile[]): { file: CorpusFile; corpusIndex: number }[] {
  return corpus.flatMap((file, corpusIndex) =>
    corpusIndex % 10 === 0 ? [{ file, corpusIndex }] : [],
  );
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  quietDcmjs();
  const corpus = await loadCorpus();
  const picked = options.quick
    ? quickSubset(corpus.files)
    : corpus.files.map((file, corpusIndex) => ({ file, corpusIndex }));
  const chosen = picked.map(({ file }) => file);
  const files = chosen.map((file) => file.path);
  const totalBytes = chosen.reduce((sum, file) => sum + file.bytes, 0);
  const rounds = options.quick ? 1 : 5;
  const warmupMs = options.quick ? 0 : WARMUP_MS;
  const roundMs = options.quick ? 0 : ROUND_MS;

  // Warm-up and correctness: untimed passes of every side over every file, at least one and at
  // least WARMUP_MS; the first pass's records are compared.
  const results: (readonly IndexRecord[])[] = [];
  const warmupPasses: number[] = [];
  for (const side of SIDES) {
    const warmupStart = now();
    results.push((await side.extract(files)).records);
    let passes = 1;
    while (secondsSince(warmupStart) * 1000 < warmupMs) {
      await side.extract(files);
      passes++;
    }
    warmupPasses.push(passes);
  }
  checkAgreement(SIDES, files, results);
  checkGenerated(picked, results[0] ?? []);
  const valuesCompared = countValues(results[0] ?? []);

  const figures: RoundFigures[][] = SIDES.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // The order turns each round, so that no side always follows the same one.
    for (let step = 0; step < SIDES.length; step++) {
      const index = (round + step) % SIDES.length;
      const side = SIDES[index];
      if (side !== undefined) figures[index]?.push(await timeRound(side, files, roundMs));
    }
  }

  const rates = figures.map((list) => list.map((one) => one.rate));
  // CPU speed: files per CPU second, so that a ratio > 1 is "faster" in both columns.
  const cpuRates = figures.map((list) => list.map((one) => 1000 / one.cpuMsPerFile));
  /** Per round: this side's figure ÷ the best of `kind`'s sides in that round. */
  const ratioTo = (perSide: number[][], index: number, kind: SideKind): number[] =>
    (perSide[index] ?? []).map((value, round) => {
      const best = Math.max(
        ...SIDES.flatMap((side, other) =>
          side.kind === kind ? [perSide[other]?.[round] ?? 0] : [],
        ),
      );
      return value / best;
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
      cpuMsPerFile: median((figures[index] ?? []).map((one) => one.cpuMsPerFile)),
      timesDcmjs: median(ratioTo(rates, index, 'dcmjs')),
      timesDcmdump: median(ratioTo(rates, index, 'dcmdump')),
      cpuTimesDcmjs: median(ratioTo(cpuRates, index, 'dcmjs')),
      cpuTimesDcmdump: median(ratioTo(cpuRates, index, 'dcmdump')),
      // Every round's figures, for results/data.json (not printed).
      roundFilesPerSecond: (rates[index] ?? []).map((rate) => rate.toFixed(0)).join(' '),
      roundCpuMsPerFile: (figures[index] ?? []).map((one) => one.cpuMsPerFile.toFixed(3)).join(' '),
    };
  });

  const bySyntax = new Map<string, number>();
  for (const file of chosen) bySyntax.set(file.syntax, (bySyntax.get(file.syntax) ?? 0) + 1);
  const elements = chosen.map((file) => file.elements);
  return {
    name: 'data-index',
    title: `${ALL_INDEX_ATTRIBUTES.length} index attributes + file size from ${files.length.toLocaleString('en-US')} Part 10 files (${(totalBytes / MEGABYTE).toFixed(0)} MB), ${rounds} interleaved rounds, medians`,
    columns: [
      { key: 'side', header: 'side' },
      { key: 'filesPerSecond', header: 'files/s' },
      { key: 'mbPerSecond', header: 'MB/s' },
      { key: 'msPerFile', header: 'ms/file', digits: 3 },
      { key: 'rounds', header: 'rounds, % of median' },
      { key: 'timesDcmjs', header: '× dcmjs', digits: 2 },
      { key: 'timesDcmdump', header: '× fastest dcmdump', digits: 2 },
      { key: 'cpuMsPerFile', header: 'CPU ms/file', digits: 3 },
      { key: 'cpuTimesDcmjs', header: 'CPU: × dcmjs', digits: 2 },
      { key: 'cpuTimesDcmdump', header: 'CPU: × best dcmdump', digits: 2 },
    ],
    rows,
    notes: [
      `Corpus (${corpusDir()}${corpus.generatedSeconds === undefined ? ', cached' : `, generated in ${corpus.generatedSeconds.toFixed(0)} s`}): ${[...bySyntax].map(([syntax, count]) => `${count} ${syntax}`).join(', ')}; ${Math.min(...elements)}–${Math.max(...elements)} elements a file, nested ones included.`,
      `In their untimed first pass, which also put every file in the page cache, all sides extracted the same ${valuesCompared.toLocaleString('en-US')} non-null values, those the generator wrote; each side then repeated it until ${warmupMs / 1000} s had passed (${SIDES.map((side, index) => `${side.id} ${warmupPasses[index]}`).join(', ')} passes in all).`,
      `dcmdump ${dcmdumpArguments({ stopBeforePixelData: false }).slice(0, 6).join(' ')} [+sb 7fe0,0010] +P gggg,eeee ×${ALL_INDEX_ATTRIBUTES.length} FILE…; the processes of one line run one after another; file sizes from fs.statSync.`,
      `Each round, each side reads all files as many whole times as fit in ${roundMs / 1000} s (at least once); the order of the sides turns from round to round.`,
      '× dcmjs, × fastest dcmdump: the median over rounds of this line’s rate ÷ the best dcmjs (dcmdump) line’s rate in the same round.',
      'CPU ms/file: user + system CPU time of this process (all its threads, the dcmdump output parsing included) and of the dcmdump processes (GNU time, 10 ms resolution), per file; CPU: × …: the same ratios in files per CPU second, less disturbed by other work on the machine than wall time.',
      'Goals: ≥ 20× dcmjs, ≥ 1.0× dcmdump.',
    ],
    seconds: secondsSince(start),
  };
}

/** `data-index`: index attributes from 1,000 files, dicomnet vs dcmjs vs dcmdump. */
export const dataIndexBenchmark: Benchmark = { name: 'data-index', suite: 'data', run };
