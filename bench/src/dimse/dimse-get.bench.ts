/**
 * C-GET of 1,000 small instances, dicomnet against DCMTK 3.6.7 in the same run (issue 15):
 * getscu and our SCU retrieve one series from the same dcmqrscp, which sends every instance back
 * with C-STORE sub-operations on the association (PS3.4 C.4.3). getscu writes each instance to
 * a file with plain writes, never fsyncing; our SCU through `storeToDirectory` (atomic: a
 * temporary file renamed into place), without fsync and with it (as `dicomnet get`), and, as a
 * reference, with getscu's plain writes; a line only drains the data sets (a diagnostic: the SCU
 * without its file writing). The last two lines are the floor: the least a Node process does for
 * the same C-GET into atomic files and into plain ones (floor-get-process.ts).
 */
import { closeSync, openSync, writevSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeFileMetaInformation } from '@dicomnet/data';
import type { DataSet } from '@dicomnet/data';
import { connect, openInstanceFiles, storeFiles, storeToDirectory } from '@dicomnet/dimse';
import type { DimseClient, InstanceFile, StoreHandler, StoreRequest } from '@dicomnet/dimse';
import { generateInstances, startDcmqrscp } from '@dicomnet/test-utils';
import type { Dcmqrscp, GeneratedInstance } from '@dicomnet/test-utils';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { runFloorGet } from '../floor/floor-processes.js';
import { median, now, secondsSince } from '../measure.js';
import { dcmtkVersion, SCU_TIMEOUTS, timeTool } from './dcmtk.js';

const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';

type Handler = 'atomic' | 'atomic-fsync' | 'files-sync' | 'drain' | 'floor' | 'floor-plain';

interface Line {
  readonly id: string;
  readonly scu: 'getscu' | 'dicomnet SCU' | 'Node floor';
  readonly handler: Handler;
  readonly compares: string;
}

/** The first line is the baseline of every ratio. */
const LINES: readonly Line[] = [
  { id: 'getscu-files', scu: 'getscu', handler: 'files-sync', compares: 'baseline' },
  {
    id: 'dicomnet-store-to-directory',
    scu: 'dicomnet SCU',
    handler: 'atomic',
    compares: 'our SCU ÷ getscu',
  },
  {
    id: 'dicomnet-store-to-directory-fsync',
    scu: 'dicomnet SCU',
    handler: 'atomic-fsync',
    compares: 'our SCU ÷ getscu',
  },
  {
    id: 'dicomnet-files-sync',
    scu: 'dicomnet SCU',
    handler: 'files-sync',
    compares: 'our SCU ÷ getscu',
  },
  { id: 'dicomnet-drain', scu: 'dicomnet SCU', handler: 'drain', compares: '(no file writing)' },
  { id: 'floor-atomic', scu: 'Node floor', handler: 'floor', compares: 'floor ÷ getscu' },
  { id: 'floor-plain', scu: 'Node floor', handler: 'floor-plain', compares: 'floor ÷ getscu' },
];

const HANDLER_LABELS: Readonly<Record<Handler, string>> = {
  atomic: 'storeToDirectory, no fsync (atomic)',
  'atomic-fsync': 'storeToDirectory, fsync (as dicomnet get)',
  'files-sync': 'a plain file each (open, writev, close), no fsync',
  drain: 'drains the data set',
  floor: 'a temporary file each, renamed, no fsync (no checks)',
  'floor-plain': 'a plain file each, no fsync (no checks)',
};

/** The SERIES-level identifier of the series: dcmqrscp sends every instance of it. */
function seriesIdentifier(instance: GeneratedInstance): DataSet {
  return {
    '00080052': { vr: 'CS', Value: ['SERIES'] },
    '0020000D': { vr: 'UI', Value: [instance.studyInstanceUid] },
    '0020000E': { vr: 'UI', Value: [instance.seriesInstanceUid] },
  };
}

/** getscu's keys for the series, or for one instance of it (the reference run). */
function getscuKeys(instance: GeneratedInstance, one: boolean): string[] {
  const keys = [
    `QueryRetrieveLevel=${one ? 'IMAGE' : 'SERIES'}`,
    `StudyInstanceUID=${instance.studyInstanceUid}`,
    `SeriesInstanceUID=${instance.seriesInstanceUid}`,
    ...(one ? [`SOPInstanceUID=${instance.sopInstanceUid}`] : []),
  ];
  return keys.flatMap((key) => ['-k', key]);
}

/**
 * The work getscu does for each sub-operation, in Node, with blocking system calls as getscu
 * makes them: the data set received whole, then a Part 10 file (our File Meta Information, then
 * the data set as received) created under the SOP Instance UID, written with one `writev`,
 * closed, never fsynced, not atomic (a reference, not our code).
 */
function writeToFolderSync(dir: string): (request: StoreRequest) => Promise<void> {
  return async (request) => {
    const chunks: Uint8Array[] = [
      encodeFileMetaInformation({
        mediaStorageSopClassUid: request.sopClassUid,
        mediaStorageSopInstanceUid: request.sopInstanceUid,
        transferSyntaxUid: request.transferSyntaxUid,
      }),
    ];
    for await (const chunk of request.dataSet) chunks.push(chunk);
    const fd = openSync(path.join(dir, `${request.sopInstanceUid}.dcm`), 'w');
    try {
      writevSync(fd, chunks);
    } finally {
      closeSync(fd);
    }
  };
}

async function drainDataSet(request: StoreRequest): Promise<void> {
  for await (const _chunk of request.dataSet);
}

/**
 * Checks that a run left `expected` files in `dir`, empties it and lets the disk settle (`sync`,
 * untimed), as dimse-store does: no line pays for the clean-up of the one before.
 */
async function emptyFolder(dir: string, expected: number): Promise<void> {
  const names = await readdir(dir);
  if (names.length !== expected) {
    throw new Error(`${dir}: ${names.length} files after the run, expected ${expected}`);
  }
  await Promise.all(names.map((name) => rm(path.join(dir, name), { force: true })));
  await timeTool('sync', []);
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const count = options.quick ? 200 : 1000;
  const roundCount = options.quick ? 2 : 5;
  const root = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-get-'));
  let qrscp: Dcmqrscp | undefined;
  const rates: number[][] = LINES.map(() => []);
  const cpu: number[][] = LINES.map(() => []);
  try {
    const folder = path.join(root, 'instances');
    const received = path.join(root, 'received');
    await mkdir(folder);
    await mkdir(received);
    // 64 × 128 16-bit pixels: 17 KB files, the small instances of dimse-store.
    const instances = await generateInstances(folder, { count, pixelBytes: 16384 });
    const first = instances[0] as GeneratedInstance;
    qrscp = await startDcmqrscp({ maxPduSize: 16384 });
    const peer = {
      host: '127.0.0.1',
      port: qrscp.port,
      callingAeTitle: 'BENCH',
      calledAeTitle: qrscp.aeTitle,
      contexts: [
        { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT, IMPLICIT] },
        // We store there (SCU), and take C-GET's sub-operations (SCP: PS3.4 C.4.3.1).
        {
          abstractSyntax: SECONDARY_CAPTURE,
          transferSyntaxes: [EXPLICIT],
          roles: { scu: true, scp: true },
        },
      ],
    };
    // dcmqrscp indexes what it stores: fill it once, not timed.
    const loader = await connect(peer);
    const files = (await openInstanceFiles(instances.map((instance) => instance.path))).filter(
      (entry): entry is InstanceFile => !('error' in entry),
    );
    for await (const outcome of storeFiles(loader, files)) {
      if (outcome.error !== undefined) throw outcome.error;
    }
    await loader.release();
    const handlers: Readonly<Record<Exclude<Handler, 'floor' | 'floor-plain'>, StoreHandler>> = {
      atomic: storeToDirectory(received, { fsync: false }),
      'atomic-fsync': storeToDirectory(received),
      'files-sync': writeToFolderSync(received),
      drain: drainDataSet,
    };
    const getscu = async (one: boolean): Promise<number> => {
      const args = [...SCU_TIMEOUTS, '-S', '-aec', qrscp?.aeTitle ?? 'QRSCP', '-od', received];
      const port = String(qrscp?.port);
      const { seconds } = await timeTool('getscu', [
        ...args,
        ...getscuKeys(first, one),
        '127.0.0.1',
        port,
      ]);
      await emptyFolder(received, one ? 1 : count);
      return seconds;
    };
    const measure = async (line: Line): Promise<{ rate: number; cpu: number }> => {
      if (line.handler === 'floor' || line.handler === 'floor-plain') {
        const floor = await runFloorGet(
          qrscp?.port ?? 0,
          qrscp?.aeTitle ?? 'QRSCP',
          received,
          { study: first.studyInstanceUid, series: first.seriesInstanceUid },
          line.handler === 'floor-plain',
        );
        if (floor.written !== count || floor.status !== 0) {
          throw new Error(`floor C-GET: status ${floor.status}, ${floor.written} of ${count}`);
        }
        await emptyFolder(received, count);
        return { rate: count / floor.seconds, cpu: floor.cpuMicros / 1e6 / floor.seconds };
      }
      if (line.scu === 'dicomnet SCU') {
        const client: DimseClient = await connect(peer);
        try {
          const cpuAtStart = process.cpuUsage();
          const begin = now();
          const gets = client.get(
            { sopClassUid: STUDY_ROOT_GET, identifier: seriesIdentifier(first) },
            { store: handlers[line.handler] },
          );
          let next = await gets.next();
          while (next.done !== true) next = await gets.next();
          const seconds = secondsSince(begin);
          const used = process.cpuUsage(cpuAtStart);
          if (next.value.completed !== count || next.value.status !== 0) {
            throw new Error(
              `our C-GET: status ${next.value.status}, ${next.value.completed} of ${count}`,
            );
          }
          if (line.handler !== 'drain') await emptyFolder(received, count);
          return { rate: count / seconds, cpu: (used.user + used.system) / 1e6 / seconds };
        } finally {
          await client.release();
        }
      }
      // Whole processes: the one-instance run removes process start, association and release.
      const reference = median([await getscu(true), await getscu(true), await getscu(true)]);
      const full = await getscu(false);
      return { rate: (count - 1) / Math.max(full - reference, 1e-6), cpu: Number.NaN };
    };
    for (const line of LINES) await measure(line); // warm-up, untimed
    for (let round = 0; round < roundCount; round++) {
      for (const [index, line] of LINES.entries()) {
        const figures = await measure(line);
        rates[index]?.push(figures.rate);
        cpu[index]?.push(figures.cpu);
      }
    }
  } finally {
    await qrscp?.stop();
    await rm(root, { recursive: true, force: true });
  }
  const baseline = rates[0] ?? [];
  const rows: Record<string, Cell>[] = LINES.map((line, index) => {
    const own = rates[index] ?? [];
    const ratios = own.map((rate, round) => rate / (baseline[round] ?? Number.NaN));
    const cpuShare = median(cpu[index] ?? []);
    return {
      id: line.id,
      scu: line.scu,
      handler: HANDLER_LABELS[line.handler],
      rate: median(own),
      ratio: median(ratios),
      ratioRange: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
      compares: line.compares,
      scuCpuPercent: Number.isFinite(cpuShare) ? Math.round(cpuShare * 100) : '–',
      roundRates: own.map((rate) => Number(rate.toPrecision(3))).join(' '),
    };
  });
  return {
    name: 'dimse-get',
    title: `C-GET of ${count.toLocaleString('en-US')} small instances (one series, Study Root) from dcmqrscp, dicomnet vs DCMTK (${await dcmtkVersion()})`,
    columns: [
      { key: 'scu', header: 'SCU' },
      { key: 'handler', header: 'each instance' },
      { key: 'rate', header: 'inst/s' },
      { key: 'ratio', header: 'ratio', digits: 2 },
      { key: 'ratioRange', header: 'range' },
      { key: 'compares', header: 'ratio is' },
      { key: 'scuCpuPercent', header: 'CPU SCU %' },
    ],
    rows,
    notes: [
      `${roundCount} rounds per line after one untimed warm-up pass, lines interleaved round by round; figures are medians. ratio = median over rounds of (line ÷ getscu in the same round); range = lowest and highest.`,
      `dcmqrscp (fork mode, MaxPDUSize 16384) holds ${count} Secondary Capture instances of one series, 17 KB files in Explicit VR Little Endian, stored once by our SCU (not timed); every line retrieves the series at SERIES level and gets them back as C-STORE sub-operations on its association.`,
      'getscu: whole processes, -S -od <folder> (writes each instance as a Part 10 file with plain write() calls, never fsyncing); rate = (N − 1) / (t(series) − t(one instance at IMAGE level)), the one-instance time the median of 3 runs in the same round. Every DCMTK process runs with TCP_NODELAY=1.',
      'dicomnet SCU: one association (connect and release not timed), client.get() timed from the request to the final response. storeToDirectory: the handler of dicomnet get, which checks the data set\'s UIDs and writes <folder>/<uid>.dcm atomically (a temporary file, renamed; a small file with blocking calls), with { fsync: false } (getscu never fsyncs) and with its default fsync (fdatasync of the file, fsync of the folder, before the success status). "a plain file each": the same work as getscu, openSync, one writevSync of our File Meta Information and the data set, closeSync, not atomic (a reference). "drains": the handler only reads the data set (a diagnostic).',
      'Node floor (floor-get-process.ts, a reference, not our code): the least a Node process does for the same C-GET. It checks nothing dcmqrscp sends; it writes each instance under a temporary name with one writevSync and renames it (atomic, as storeToDirectory; no fsync), or in the plain line straight under its name (openSync, writevSync, closeSync, as getscu), and answers Success. One process per run under the same Node, which first retrieves the series once without writing anything (untimed, to warm up) and then times itself from its second C-GET-RQ to the final response, as our SCU is (CPU % its own).',
      'The folder is on the same disk for both; after each run its file count is checked, it is emptied and `sync`ed, untimed.',
    ],
    seconds: secondsSince(start),
  };
}

/** C-GET of 1,000 small instances, dicomnet vs DCMTK (`dimse-get`). */
export const dimseGetBenchmark: Benchmark = { name: 'dimse-get', suite: 'dimse', run };
