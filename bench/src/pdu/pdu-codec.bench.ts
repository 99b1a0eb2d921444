/**
 * Throughput of the @dicomnet/pdu codec without sockets: P-DATA-TF read (PduReader + decodePdu)
 * and write (the send path's headers, and encodePdu of whole PDUs) in MB/s, and A-ASSOCIATE-RQ/AC
 * encode and decode in PDUs per second.
 */
import type { AssociateAc, AssociateRq } from '@dicomnet/pdu';
import {
  decodeAssociateAc,
  decodeAssociateRq,
  decodePdu,
  encodeAssociateAc,
  encodeAssociateRq,
  encodePDataTfHeader,
  encodePdu,
  encodePdvHeader,
  PduReader,
} from '@dicomnet/pdu';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import type { RateMeasurement, RoundOptions } from '../measure.js';
import { MEGABYTE, measureRounds, MIB, now, secondsSince } from '../measure.js';
import { realisticAssociateAc, realisticAssociateRq } from './associate-fixtures.js';
import type { PDataStream } from './p-data-stream.js';
import { buildPDataStream, SOCKET_CHUNK } from './p-data-stream.js';

/** PDU-lengths measured: DCMTK's default, a middle size, and our fragment cap. */
const PDU_LENGTHS = [16 * 1024, 128 * 1024, 1024 * 1024] as const;

/** Bytes of P-DATA per pass over the stream. */
const STREAM_BYTES = 32 * MIB;

/** Socket chunks in, PDUs out, each decoded; returns the number of PDUs. */
function readStream(stream: PDataStream): number {
  const reader = new PduReader({ maxPduLength: stream.pduLength });
  let fragmentBytes = 0;
  for (const chunk of stream.chunks) {
    for (const raw of reader.push(chunk)) {
      const pdu = decodePdu(raw);
      if (pdu.type !== 'P-DATA-TF') throw new TypeError(`unexpected ${pdu.type}`);
      for (const pdv of pdu.pdvs) fragmentBytes += pdv.fragment.byteLength;
    }
  }
  reader.end();
  if (fragmentBytes !== stream.pduCount * stream.fragmentLength) {
    throw new TypeError(`read ${fragmentBytes} fragment bytes, expected more`);
  }
  return stream.pduCount;
}

/** The send path's per-PDU work: the 6-byte PDU header and 6-byte PDV header; returns PDUs. */
function writeHeaders(stream: PDataStream): number {
  let check = 0;
  const last = stream.pduCount - 1;
  for (let index = 0; index < stream.pduCount; index++) {
    const pduHeader = encodePDataTfHeader(stream.pduLength);
    const pdvHeader = encodePdvHeader(stream.fragmentLength, 1, false, index === last);
    check += (pduHeader[5] ?? 0) + (pdvHeader[5] ?? 0);
  }
  if (check < 0) throw new TypeError('unreachable'); // uses the headers, so none is optimised away
  return stream.pduCount;
}

/** Whole PDUs encoded into one new array each (copies every fragment); returns PDUs. */
function encodeWhole(stream: PDataStream, fragment: Uint8Array): number {
  let bytes = 0;
  const last = stream.pduCount - 1;
  for (let index = 0; index < stream.pduCount; index++) {
    const encoded = encodePdu({
      type: 'P-DATA-TF',
      pdvs: [{ presentationContextId: 1, isCommand: false, isLast: index === last, fragment }],
    });
    bytes += encoded.byteLength;
  }
  if (bytes !== stream.bytes.byteLength) throw new TypeError(`encoded ${bytes} bytes`);
  return stream.pduCount;
}

/** `pass` run `iterations` times; the sum of what it returned (PDUs). */
function repeat(iterations: number, pass: () => number): number {
  let work = 0;
  for (let iteration = 0; iteration < iterations; iteration++) work += pass();
  return work;
}

/** One measured operation on PDUs of one size. */
interface CodecRow {
  /** Stable key for the README and tools: `read-16k`, `decode-associate-rq`. */
  readonly id: string;
  readonly operation: string;
  readonly size: string;
  /** Bytes of one PDU on the wire, header included. */
  readonly wireBytes: number;
  /** PDUs per second. */
  readonly measured: RateMeasurement;
}

function pDataRows(rounds: RoundOptions): CodecRow[] {
  const rows: CodecRow[] = [];
  for (const pduLength of PDU_LENGTHS) {
    const stream = buildPDataStream(pduLength, STREAM_BYTES);
    const fragment = stream.bytes.subarray(12, 12 + stream.fragmentLength);
    const size = `${pduLength / 1024} KiB`;
    const common = { size, wireBytes: 6 + pduLength };
    const suffix = `${pduLength / 1024}k`;
    rows.push({
      ...common,
      id: `read-p-data-${suffix}`,
      operation: `read P-DATA-TF: PduReader.push + decodePdu, ${SOCKET_CHUNK / 1024} KiB chunks`,
      measured: measureRounds((n) => repeat(n, () => readStream(stream)), rounds),
    });
    rows.push({
      ...common,
      id: `write-p-data-headers-${suffix}`,
      operation: 'send path: encodePDataTfHeader + encodePdvHeader',
      measured: measureRounds((n) => repeat(n, () => writeHeaders(stream)), rounds),
    });
    rows.push({
      ...common,
      id: `encode-p-data-${suffix}`,
      operation: 'encodePdu of a whole P-DATA-TF (copies the fragment)',
      measured: measureRounds((n) => repeat(n, () => encodeWhole(stream, fragment)), rounds),
    });
  }
  return rows;
}

function associateRows(rq: AssociateRq, ac: AssociateAc, rounds: RoundOptions): CodecRow[] {
  const rqBody = encodeAssociateRq(rq).subarray(6);
  const acBody = encodeAssociateAc(ac).subarray(6);
  const count = (pass: () => unknown) => (iterations: number) => {
    for (let iteration = 0; iteration < iterations; iteration++) pass();
    return iterations;
  };
  const size = `${rq.presentationContexts.length} contexts`;
  const rqCommon = { size, wireBytes: rqBody.byteLength + 6 };
  const acCommon = { size, wireBytes: acBody.byteLength + 6 };
  return [
    {
      ...rqCommon,
      id: 'encode-associate-rq',
      operation: 'encodeAssociateRq',
      measured: measureRounds(
        count(() => encodeAssociateRq(rq)),
        rounds,
      ),
    },
    {
      ...rqCommon,
      id: 'decode-associate-rq',
      operation: 'decodeAssociateRq',
      measured: measureRounds(
        count(() => decodeAssociateRq(rqBody)),
        rounds,
      ),
    },
    {
      ...acCommon,
      id: 'encode-associate-ac',
      operation: 'encodeAssociateAc',
      measured: measureRounds(
        count(() => encodeAssociateAc(ac)),
        rounds,
      ),
    },
    {
      ...acCommon,
      id: 'decode-associate-ac',
      operation: 'decodeAssociateAc',
      measured: measureRounds(
        count(() => decodeAssociateAc(acBody)),
        rounds,
      ),
    },
  ];
}

function cellsOf(row: CodecRow): Record<string, Cell> {
  const { median: pdusPerSecond, rounds } = row.measured;
  const spread = (rate: number): number => Math.round((rate / pdusPerSecond) * 100);
  return {
    id: row.id,
    operation: row.operation,
    size: row.size,
    wireBytes: row.wireBytes,
    mbPerSecond: Math.round((pdusPerSecond * row.wireBytes) / MEGABYTE),
    pdusPerSecond: Math.round(pdusPerSecond),
    spreadPercent: `${spread(Math.min(...rounds))}–${spread(Math.max(...rounds))}`,
  };
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const rounds: RoundOptions = options.quick
    ? { warmupMs: 50, roundMs: 30, rounds: 3 }
    : { warmupMs: 300, roundMs: 150, rounds: 7 };
  const rq = realisticAssociateRq();
  const ac = await realisticAssociateAc(rq);
  const rows = [...pDataRows(rounds), ...associateRows(rq, ac, rounds)];
  return {
    name: 'pdu-codec',
    title: '@dicomnet/pdu codec throughput (no sockets)',
    columns: [
      { key: 'operation', header: 'operation' },
      { key: 'size', header: 'PDU' },
      { key: 'wireBytes', header: 'bytes/PDU' },
      { key: 'mbPerSecond', header: 'MB/s' },
      { key: 'pdusPerSecond', header: 'PDUs/s' },
      { key: 'spreadPercent', header: 'rounds, % of median' },
    ],
    rows: rows.map(cellsOf),
    notes: [
      `${rounds.rounds ?? 7} timed rounds of ~${rounds.roundMs ?? 150} ms after ${rounds.warmupMs ?? 300} ms of warm-up; the median is reported. MB = 10^6 bytes on the wire, headers included.`,
      `P-DATA: streams of ${STREAM_BYTES / MIB} MiB, one data-set PDV per PDU; "PDU" is the PDU-length (the negotiated maximum). Associate: a 20-context A-ASSOCIATE-RQ (3 transfer syntaxes each) and the AC answering it.`,
    ],
    seconds: secondsSince(start),
  };
}

/** The codec benchmark (`pdu-codec`). */
export const pduCodecBenchmark: Benchmark = { name: 'pdu-codec', suite: 'pdu', run };
