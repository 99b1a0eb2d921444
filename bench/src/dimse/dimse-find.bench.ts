/**
 * C-FIND of 3,000 matches, dicomnet against DCMTK 3.6.7 in the same run (issue 15): findscu and
 * our SCU against dcmqrscp holding 3,000 instances of one series, and findscu against our SCP
 * (a `find` handler yielding the same 3,000 identifiers from memory). Each ratio changes one side
 * of the findscu → dcmqrscp line.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import { connect, createServer, openInstanceFiles, storeFiles } from '@dicomnet/dimse';
import type { DimseClient, DimseServer, InstanceFile } from '@dicomnet/dimse';
import { generateInstances, startDcmqrscp } from '@dicomnet/test-utils';
import type { Dcmqrscp, GeneratedInstance } from '@dicomnet/test-utils';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { median, now, secondsSince } from '../measure.js';
import { dcmtkVersion, SCU_TIMEOUTS, timeTool } from './dcmtk.js';

const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';

interface Line {
  readonly id: string;
  readonly scu: 'findscu' | 'dicomnet SCU';
  readonly scp: 'dcmqrscp' | 'dicomnet SCP';
  readonly compares: string;
}

/** The first line is the baseline of every ratio. */
const LINES: readonly Line[] = [
  { id: 'findscu-dcmqrscp', scu: 'findscu', scp: 'dcmqrscp', compares: 'baseline' },
  { id: 'dicomnet-dcmqrscp', scu: 'dicomnet SCU', scp: 'dcmqrscp', compares: 'our SCU ÷ findscu' },
  { id: 'findscu-dicomnet', scu: 'findscu', scp: 'dicomnet SCP', compares: 'our SCP ÷ dcmqrscp' },
];

/**
 * The IMAGE-level identifier of the series: every instance matches; `sopInstanceUid` narrows it
 * to one match (the reference run).
 */
function seriesQuery(instance: GeneratedInstance, sopInstanceUid?: string): DataSet {
  return {
    '00080052': { vr: 'CS', Value: ['IMAGE'] },
    '0020000D': { vr: 'UI', Value: [instance.studyInstanceUid] },
    '0020000E': { vr: 'UI', Value: [instance.seriesInstanceUid] },
    '00080018': sopInstanceUid === undefined ? { vr: 'UI' } : { vr: 'UI', Value: [sopInstanceUid] },
    '00200013': { vr: 'IS' },
  };
}

/** findscu's keys for the same query; `sopInstanceUid` narrows it to one match (the reference run). */
function findscuKeys(instance: GeneratedInstance, sopInstanceUid = ''): string[] {
  return [
    '-k',
    'QueryRetrieveLevel=IMAGE',
    '-k',
    `StudyInstanceUID=${instance.studyInstanceUid}`,
    '-k',
    `SeriesInstanceUID=${instance.seriesInstanceUid}`,
    '-k',
    `SOPInstanceUID=${sopInstanceUid}`,
    '-k',
    'InstanceNumber',
  ];
}

async function dicomnetMatches(client: DimseClient, identifier: DataSet): Promise<number> {
  let count = 0;
  for await (const _match of client.find({ sopClassUid: STUDY_ROOT_FIND, identifier })) count++;
  return count;
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const count = options.quick ? 300 : 3000;
  const roundCount = options.quick ? 2 : 5;
  const root = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-find-'));
  let qrscp: Dcmqrscp | undefined;
  let server: DimseServer | undefined;
  let client: DimseClient | undefined;
  const rates: number[][] = LINES.map(() => []);
  try {
    const folder = path.join(root, 'instances');
    await mkdir(folder);
    const instances = await generateInstances(folder, { count, pixelBytes: 64 });
    const first = instances[0] as GeneratedInstance;
    qrscp = await startDcmqrscp({ maxPduSize: 16384 });
    const contexts = [
      { abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [EXPLICIT, IMPLICIT] },
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
    ];
    const peer = {
      host: '127.0.0.1',
      callingAeTitle: 'BENCH',
      calledAeTitle: qrscp.aeTitle,
      contexts,
    };
    // dcmqrscp indexes what it stores: fill it once, not timed.
    const loader = await connect({ ...peer, port: qrscp.port });
    const files = (await openInstanceFiles(instances.map((instance) => instance.path))).filter(
      (entry): entry is InstanceFile => !('error' in entry),
    );
    for await (const outcome of storeFiles(loader, files)) {
      if (outcome.error !== undefined) throw outcome.error;
    }
    await loader.release();
    // Our SCP: the same identifiers dcmqrscp returns, from memory.
    const matches: DataSet[] = instances.map((instance, index) => ({
      '00080052': { vr: 'CS', Value: ['IMAGE'] },
      '0020000D': { vr: 'UI', Value: [instance.studyInstanceUid] },
      '0020000E': { vr: 'UI', Value: [instance.seriesInstanceUid] },
      '00080018': { vr: 'UI', Value: [instance.sopInstanceUid] },
      '00200013': { vr: 'IS', Value: [String(index + 1)] },
    }));
    const ourScp = createServer({
      aeTitles: ['OURQR'],
      contexts: [{ abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
      handlers: {
        *find(request) {
          const uid = request.identifier['00080018']?.Value?.[0];
          for (const match of matches) {
            if (uid === undefined || uid === '' || match['00080018']?.Value?.[0] === uid)
              yield match;
          }
        },
      },
    });
    server = ourScp;
    const ourPort = (await ourScp.listen({ port: 0, host: '127.0.0.1' })).port;
    client = await connect({ ...peer, port: qrscp.port });
    const dcmqrscpPort = qrscp.port;
    const aeOf = (line: Line): string => (line.scp === 'dcmqrscp' ? 'QRSCP' : 'OURQR');
    const portOf = (line: Line): number => (line.scp === 'dcmqrscp' ? dcmqrscpPort : ourPort);
    const findscu = async (line: Line, uid?: string): Promise<number> => {
      const args = [...SCU_TIMEOUTS, '-q', '-S', '-aec', aeOf(line), ...findscuKeys(first, uid)];
      return (await timeTool('findscu', [...args, '127.0.0.1', String(portOf(line))])).seconds;
    };
    const measure = async (line: Line): Promise<number> => {
      if (line.scu === 'dicomnet SCU') {
        // As for findscu, a one-match query is subtracted: dcmqrscp scans its whole index for
        // every query (about 26 ms for 3,000 records here), which findscu's subtraction removes.
        const timed = async (uid?: string): Promise<number> => {
          const begin = now();
          const found = await dicomnetMatches(client as DimseClient, seriesQuery(first, uid));
          const seconds = secondsSince(begin);
          const expected = uid === undefined ? count : 1;
          if (found !== expected) throw new Error(`our SCU found ${found} of ${expected}`);
          return seconds;
        };
        const uid = first.sopInstanceUid;
        const reference = median([await timed(uid), await timed(uid), await timed(uid)]);
        const full = await timed();
        return (count - 1) / Math.max(full - reference, 1e-6);
      }
      // Whole processes: the one-match run removes process start, association and release.
      const reference = median([
        await findscu(line, first.sopInstanceUid),
        await findscu(line, first.sopInstanceUid),
        await findscu(line, first.sopInstanceUid),
      ]);
      const full = await findscu(line);
      return (count - 1) / Math.max(full - reference, 1e-6);
    };
    for (const line of LINES) await measure(line); // warm-up, untimed
    for (let round = 0; round < roundCount; round++) {
      for (const [index, line] of LINES.entries()) rates[index]?.push(await measure(line));
    }
  } finally {
    await client?.release().catch(() => client?.abort());
    await server?.close();
    await qrscp?.stop();
    await rm(root, { recursive: true, force: true });
  }
  const baseline = rates[0] ?? [];
  const rows: Record<string, Cell>[] = LINES.map((line, index) => {
    const own = rates[index] ?? [];
    const ratios = own.map((rate, round) => rate / (baseline[round] ?? Number.NaN));
    return {
      id: line.id,
      scu: line.scu,
      scp: line.scp,
      rate: median(own),
      ratio: median(ratios),
      ratioRange: `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
      compares: line.compares,
    };
  });
  return {
    name: 'dimse-find',
    title: `C-FIND of ${count.toLocaleString('en-US')} matches (IMAGE level, Study Root), dicomnet vs DCMTK (${await dcmtkVersion()})`,
    columns: [
      { key: 'scu', header: 'SCU' },
      { key: 'scp', header: 'SCP' },
      { key: 'rate', header: 'matches/s' },
      { key: 'ratio', header: 'ratio', digits: 2 },
      { key: 'ratioRange', header: 'range' },
      { key: 'compares', header: 'ratio is' },
    ],
    rows,
    notes: [
      `${roundCount} rounds per line after one untimed warm-up pass, lines interleaved round by round; figures are medians. ratio = median over rounds of (line ÷ findscu → dcmqrscp in the same round).`,
      `dcmqrscp holds ${count} Secondary Capture instances of one series (stored once by our SCU, not timed); our SCP's find handler yields the same ${count} identifiers from memory, each encoded by the element codec.`,
      `dicomnet SCU: one association (connect not timed), client.find() timed from the request to the final response, each match decoded; rate = ${count - 1} / (t(all matches) − t(one match)) as for findscu, the one-match query on the same association the median of 3 in the same round (this removes dcmqrscp's scan of its index, which every query pays once, from our line as findscu's subtraction removes it from the baseline).`,
      `findscu: whole processes, -q -S -aec … (quiet: no response printed), no output extraction; rate = ${count - 1} / (t(all matches) − t(one match)), the one-match time the median of 3 runs in the same round. Every DCMTK process runs with TCP_NODELAY=1.`,
    ],
    seconds: secondsSince(start),
  };
}

/** C-FIND of 3,000 matches, dicomnet vs DCMTK (`dimse-find`). */
export const dimseFindBenchmark: Benchmark = { name: 'dimse-find', suite: 'dimse', run };
