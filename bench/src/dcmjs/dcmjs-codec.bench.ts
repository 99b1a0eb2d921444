/**
 * Small data sets through our DataSetCodec adapter (`createDcmjsCodec()` of @dicomnet/dimse) and
 * through dcmjs 0.52.2 called raw, in Implicit and Explicit VR Little Endian: sets per second and
 * the adapter's cost as a multiple of raw dcmjs's. dicomnet has no codec of its own yet, so
 * there is no third column (dcmjs-notes.md "When to replace dcmjs").
 */
import type { DataSet, DataSetCodec } from '@dicomnet/data';
import { createDcmjsCodec } from '@dicomnet/data';
import type { DcmjsDict, NaturalDataSet } from 'dcmjs';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { median, now, secondsSince } from '../measure.js';
import { SEED, seededRandom, smallDataSet } from './data-sets.js';
import { collectGarbage } from './gc.js';
import { denaturalize, exactBuffer, naturalize, rawDecode, rawEncode } from './raw-dcmjs.js';

/** The syntaxes measured (dcmjs-notes.md: Implicit and Explicit VR Little Endian). */
export const SYNTAXES = [
  { label: 'Implicit VR LE', uid: '1.2.840.10008.1.2' },
  { label: 'Explicit VR LE', uid: '1.2.840.10008.1.2.1' },
] as const;

/** Round trips through each codec before timing (dcmjs-notes.md "How to rerun"). */
const WARMUP_ROUND_TRIPS = 300;

/** The inputs of one syntax, prepared untimed. */
interface Inputs {
  readonly models: readonly DataSet[];
  /** The adapter's encoding of each model. */
  readonly bytes: readonly Uint8Array[];
  /** The same bytes as exact ArrayBuffers, what raw dcmjs reads. */
  readonly buffers: readonly ArrayBuffer[];
  /** dcmjs's dict of each set, what raw dcmjs writes. */
  readonly dicts: readonly DcmjsDict[];
  /** dcmjs's keyword form of each set. */
  readonly naturals: readonly NaturalDataSet[];
}

function prepare(codec: DataSetCodec, count: number, syntax: string): Inputs {
  const random = seededRandom(SEED);
  const models = Array.from({ length: count }, () => smallDataSet(random));
  const bytes = models.map((model) => codec.encode(model, syntax));
  const buffers = bytes.map(exactBuffer);
  const dicts = buffers.map((buffer) => rawDecode(buffer, syntax));
  const naturals = dicts.map(naturalize);
  // Raw dcmjs must write what the adapter wrote, or the comparison is off.
  const again = rawEncode(dicts[0] ?? {}, syntax);
  if (Buffer.compare(again, bytes[0] ?? new Uint8Array(0)) !== 0) {
    throw new Error(`raw dcmjs and the adapter encode differently in ${syntax}`);
  }
  return { models, bytes, buffers, dicts, naturals };
}

/** The four ways a set is encoded and decoded; `index` picks the input. */
interface Variant {
  readonly key: 'raw' | 'natural' | 'adapter';
  encode(index: number): unknown;
  decode(index: number): unknown;
}

function variants(codec: DataSetCodec, inputs: Inputs, syntax: string): Variant[] {
  const at = <T>(list: readonly T[], index: number): T => list[index] as T; // index < count
  return [
    {
      key: 'raw',
      encode: (index) => rawEncode(at(inputs.dicts, index), syntax),
      decode: (index) => rawDecode(at(inputs.buffers, index), syntax),
    },
    {
      key: 'natural',
      encode: (index) => rawEncode(denaturalize(at(inputs.naturals, index)), syntax),
      decode: (index) => naturalize(rawDecode(at(inputs.buffers, index), syntax)),
    },
    {
      key: 'adapter',
      encode: (index) => codec.encode(at(inputs.models, index), syntax),
      decode: (index) => codec.decode(at(inputs.bytes, index), syntax),
    },
  ];
}

/** Seconds to run `operation` over inputs `from`…`to − 1`. */
function timeSlice(operation: (index: number) => unknown, from: number, to: number): number {
  collectGarbage();
  let sink = 0;
  const start = now();
  for (let index = from; index < to; index++) sink += operation(index) === undefined ? 1 : 0;
  const seconds = secondsSince(start);
  if (sink < 0) throw new TypeError('unreachable'); // keeps the results alive
  return seconds;
}

type Operation = 'encode' | 'decode';

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const count = options.quick ? 1000 : 10_000;
  const roundCount = options.quick ? 2 : 5;
  const perRound = Math.floor(count / roundCount);
  const codec = createDcmjsCodec();
  const rows: Record<string, Cell>[] = [];
  let setBytes = 0;
  for (const syntax of SYNTAXES) {
    const inputs = prepare(codec, count, syntax.uid);
    setBytes = median(inputs.bytes.map((bytes) => bytes.byteLength));
    const all = variants(codec, inputs, syntax.uid);
    for (const variant of all) {
      for (let index = 0; index < WARMUP_ROUND_TRIPS; index++) {
        variant.encode(index);
        variant.decode(index);
      }
    }
    // Seconds per round, by operation and variant. Each round times every variant on the same
    // slice of sets, one after the other, so that load changes hit them alike: 10,000 encodes of
    // each in all, then 10,000 decodes.
    const seconds = new Map<string, number[]>();
    for (const operation of ['encode', 'decode'] as const) {
      for (let round = 0; round < roundCount; round++) {
        const from = round * perRound;
        for (const variant of all) {
          const key = `${operation}/${variant.key}`;
          seconds.set(key, [
            ...(seconds.get(key) ?? []),
            timeSlice((index) => variant[operation](index), from, from + perRound),
          ]);
        }
      }
    }
    for (const operation of ['encode', 'decode'] as Operation[]) {
      const of = (key: Variant['key']): number[] => seconds.get(`${operation}/${key}`) ?? [];
      const micros = (key: Variant['key']): number => (median(of(key)) / perRound) * 1e6;
      const ratio = (key: Variant['key']): number[] =>
        of('adapter').map((adapter, index) => adapter / (of(key)[index] ?? Number.NaN));
      rows.push({
        id: `${syntax.label.split(' ')[0]?.toLowerCase()}/${operation}`,
        syntax: syntax.label,
        operation,
        rawPerSecond: 1e6 / micros('raw'),
        rawMicros: micros('raw'),
        naturalPerSecond: 1e6 / micros('natural'),
        naturalMicros: micros('natural'),
        adapterPerSecond: 1e6 / micros('adapter'),
        adapterMicros: micros('adapter'),
        overRaw: median(ratio('raw')),
        overRawRange: `${Math.min(...ratio('raw')).toFixed(2)}–${Math.max(...ratio('raw')).toFixed(2)}`,
        overNatural: median(ratio('natural')),
        ownCodec: '– (none yet)',
      });
    }
  }
  return {
    name: 'dcmjs-codec',
    title: `${count.toLocaleString('en-US')} small data sets (42 top-level / 53 elements, 4 sequences, 6 items, ${setBytes.toLocaleString('en-US')} B), dcmjs 0.52.2 raw vs our adapter`,
    columns: [
      { key: 'syntax', header: 'syntax' },
      { key: 'operation', header: 'operation' },
      { key: 'rawPerSecond', header: 'dcmjs raw sets/s' },
      { key: 'rawMicros', header: 'µs/set' },
      { key: 'naturalPerSecond', header: 'dcmjs + (de)naturalize sets/s' },
      { key: 'naturalMicros', header: 'µs/set' },
      { key: 'adapterPerSecond', header: 'adapter sets/s' },
      { key: 'adapterMicros', header: 'µs/set' },
      { key: 'overRaw', header: 'adapter time ÷ raw', digits: 2 },
      { key: 'overRawRange', header: 'range' },
      { key: 'overNatural', header: '÷ (de)naturalize', digits: 2 },
      { key: 'ownCodec', header: 'own codec' },
    ],
    rows,
    notes: [
      `Sets built from seed ${SEED}; ${WARMUP_ROUND_TRIPS} round trips through each variant first; then per syntax ${count.toLocaleString('en-US')} encodes and then ${count.toLocaleString('en-US')} decodes through each variant, timed in ${roundCount} rounds of ${perRound.toLocaleString('en-US')} sets with the variants interleaved round by round (garbage collected before each when run with --expose-gc). Figures are medians over rounds.`,
      'dcmjs raw: DicomMessage.write of its dict / DicomMessage._read of an exact ArrayBuffer (prepared untimed). dcmjs + (de)naturalize: the same through the keyword form most dcmjs code uses (denaturalizeDataset before write, naturalizeDataset after read).',
      'adapter: createDcmjsCodec().encode(model) / .decode(bytes) of @dicomnet/data: validation, our model ↔ dcmjs dict conversion, an independent structure walk and cross-check around dcmjs (dcmjs-notes.md defects 1–19). Both load dcmjs through import: one instance.',
      'adapter time ÷ raw = median over rounds of (adapter time ÷ raw dcmjs time in the same round): the adapter\'s overhead factor. dicomnet has no codec of its own yet (dcmjs-notes.md "When to replace dcmjs").',
    ],
    seconds: secondsSince(start),
  };
}

/** Small data sets, dcmjs raw vs our adapter (`dcmjs-codec`). */
export const dcmjsCodecBenchmark: Benchmark = { name: 'dcmjs-codec', suite: 'dcmjs', run };
