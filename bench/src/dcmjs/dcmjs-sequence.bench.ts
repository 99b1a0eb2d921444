/**
 * One big sequence (2,000 to 16,000 items, each with three nested sequences) through dcmjs 0.52.2
 * raw and through our adapter, each encode and decode timed once: dcmjs's encode time grows
 * faster than linearly with the items (dcmjs-notes.md "Measured speeds").
 */
import { createDcmjsCodec } from '@dicomnet/data';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { MEGABYTE, now, secondsSince } from '../measure.js';
import { bigSequenceDataSet, SEED, seededRandom } from './data-sets.js';
import { collectGarbage } from './gc.js';
import { exactBuffer, rawDecode, rawEncode } from './raw-dcmjs.js';

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Milliseconds of one call of `work`, after a collection. */
function timeOnce(work: () => unknown): number {
  collectGarbage();
  const start = now();
  const result = work();
  const ms = secondsSince(start) * 1000;
  if (result === undefined) throw new TypeError('no result');
  return ms;
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const itemCounts = options.quick ? [500, 1000, 2000] : [2000, 4000, 8000, 16_000];
  const codec = createDcmjsCodec();
  const syntax = EXPLICIT_VR_LITTLE_ENDIAN;
  const rows: Record<string, Cell>[] = [];
  let previous: { rawEncodeMs: number } | undefined;
  for (const items of itemCounts) {
    const model = bigSequenceDataSet(seededRandom(SEED), items);
    // Inputs, untimed: the adapter's bytes, and dcmjs's dict of them.
    const bytes = codec.encode(model, syntax);
    const buffer = exactBuffer(bytes);
    const dict = rawDecode(buffer, syntax);
    const rawEncodeMs = timeOnce(() => rawEncode(dict, syntax));
    const adapterEncodeMs = timeOnce(() => codec.encode(model, syntax));
    const rawDecodeMs = timeOnce(() => rawDecode(buffer, syntax));
    const adapterDecodeMs = timeOnce(() => codec.decode(bytes, syntax));
    rows.push({
      id: `sequence-${items}`,
      items,
      megabytes: bytes.byteLength / MEGABYTE,
      rawEncodeMs,
      adapterEncodeMs,
      encodeRatio: adapterEncodeMs / rawEncodeMs,
      rawDecodeMs,
      adapterDecodeMs,
      decodeRatio: adapterDecodeMs / rawDecodeMs,
      encodeGrowth:
        previous === undefined ? '–' : `${(rawEncodeMs / previous.rawEncodeMs).toFixed(1)}×`,
      ownCodec: '– (none yet)',
    });
    previous = { rawEncodeMs };
  }
  return {
    name: 'dcmjs-sequence',
    title:
      'One Per-Frame Functional Groups Sequence of N items (3 nested sequences each), Explicit VR LE, dcmjs 0.52.2 raw vs our adapter',
    columns: [
      { key: 'items', header: 'items' },
      { key: 'megabytes', header: 'MB', digits: 2 },
      { key: 'rawEncodeMs', header: 'dcmjs encode ms' },
      { key: 'adapterEncodeMs', header: 'adapter encode ms' },
      { key: 'encodeRatio', header: 'ratio', digits: 2 },
      { key: 'encodeGrowth', header: 'dcmjs encode vs half the items' },
      { key: 'rawDecodeMs', header: 'dcmjs decode ms' },
      { key: 'adapterDecodeMs', header: 'adapter decode ms' },
      { key: 'decodeRatio', header: 'ratio', digits: 2 },
      { key: 'ownCodec', header: 'own codec' },
    ],
    rows,
    notes: [
      `Built from seed ${SEED}; each encode and decode timed once (after a collection under --expose-gc), dcmjs raw then the adapter, in the same process after the dcmjs-codec warm-up when run with it.`,
      'ratio = adapter time ÷ dcmjs raw time. "vs half the items": dcmjs encode time over that of the line above (2.0× would be linear).',
      "The adapter's default limit (maxDataSetBytes 16 MiB) is far above these sets. dicomnet has no codec of its own yet.",
    ],
    seconds: secondsSince(start),
  };
}

/** Big sequences, dcmjs raw vs our adapter (`dcmjs-sequence`). */
export const dcmjsSequenceBenchmark: Benchmark = { name: 'dcmjs-sequence', suite: 'dcmjs', run };
