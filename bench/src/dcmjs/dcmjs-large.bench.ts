/**
 * One data set of 53 elements plus 50 MB of OW Pixel Data through dcmjs 0.52.2 raw and through our
 * adapter, each operation in a child process of its own that reports its time and its peak RSS
 * (dcmjs-notes.md "Measured speeds": dcmjs's encode peaks at about 6× the pixel data).
 */
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { median, MEGABYTE, MIB, now, secondsSince } from '../measure.js';
import type { LargeCaseConfig } from './large-case.js';
import { runLargeCase } from './large-case.js';

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const pixelBytes = (options.quick ? 10 : 50) * MEGABYTE;
  const rows: Record<string, Cell>[] = [];
  for (const operation of ['encode', 'decode'] as const) {
    const figures = new Map<LargeCaseConfig['codec'], { ms: number; growth: number }>();
    for (const codec of ['raw', 'adapter'] as const) {
      const result = await runLargeCase({ codec, operation, pixelBytes });
      figures.set(codec, {
        ms: median(result.milliseconds),
        growth: result.peakRssBytes - result.rssBeforeBytes,
      });
    }
    const raw = figures.get('raw');
    const adapter = figures.get('adapter');
    if (raw === undefined || adapter === undefined) throw new TypeError('missing figures');
    rows.push({
      id: `pixel-data-${operation}`,
      operation,
      rawMs: raw.ms,
      rawMbPerSecond: pixelBytes / MEGABYTE / (raw.ms / 1000),
      rawGrowthMiB: Math.round(raw.growth / MIB),
      adapterMs: adapter.ms,
      adapterMbPerSecond: pixelBytes / MEGABYTE / (adapter.ms / 1000),
      adapterGrowthMiB: Math.round(adapter.growth / MIB),
      ratio: adapter.ms / raw.ms,
      ownCodec: '– (none yet)',
    });
  }
  return {
    name: 'dcmjs-large',
    title: `53 elements + ${pixelBytes / MEGABYTE} MB OW Pixel Data, Explicit VR LE, dcmjs 0.52.2 raw vs our adapter, each in its own child process`,
    columns: [
      { key: 'operation', header: 'operation' },
      { key: 'rawMs', header: 'dcmjs ms' },
      { key: 'rawMbPerSecond', header: 'dcmjs MB/s' },
      { key: 'rawGrowthMiB', header: 'dcmjs peak RSS growth MiB' },
      { key: 'adapterMs', header: 'adapter ms' },
      { key: 'adapterMbPerSecond', header: 'adapter MB/s' },
      { key: 'adapterGrowthMiB', header: 'adapter peak RSS growth MiB' },
      { key: 'ratio', header: 'adapter time ÷ raw', digits: 2 },
      { key: 'ownCodec', header: 'own codec' },
    ],
    rows,
    notes: [
      'Each line runs in a fresh child process (--expose-gc) that builds its input untimed, then runs the operation 3 times (median shown). Decode inputs are assembled by hand (small elements encoded, Pixel Data appended), never by encoding 50 MB first.',
      'peak RSS growth = resourceUsage().maxRSS at the end − RSS with the input built (the pixel data itself is in the baseline).',
      'The adapter refuses sets over maxDataSetBytes (16 MiB by default) on decode; here it is raised to fit. C-STORE never sends pixel data through a codec: this is the worst case, not the use.',
    ],
    seconds: secondsSince(start),
  };
}

/** 50 MB data set, dcmjs raw vs our adapter (`dcmjs-large`). */
export const dcmjsLargeBenchmark: Benchmark = { name: 'dcmjs-large', suite: 'dcmjs', run };
