/**
 * C-FIND over a large repository (issue 16): an index of 1,000,000 synthesised instances (100 per
 * series, 4 series per study: 2,500 studies), served by `createQueryRetrieveHandlers` over a
 * `FileRepository`. Our SCU times each query to its first and to its last response and samples
 * the process's RSS at every match (peak minus the level before the query: memory stays flat
 * while streaming); findscu against the same SCP is timed as a whole process. Lines: every study
 * (STUDY level, no key), a Study Date range matching a fifth of them, and one series' instances
 * (IMAGE level). dcmqrscp holding 1,000,000 instances is out of reach (its index is a flat file
 * it scans per query; PEERS.md), so no DCMTK SCP line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import { connect, createServer } from '@dicomnet/dimse';
import type { DimseClient, DimseServer } from '@dicomnet/dimse';
import {
  FileRepository,
  InstanceIndex,
  openSqlite,
  prepareSchema,
  type IndexRecord,
} from '@dicomnet/repository';
import {
  createQueryRetrieveHandlers,
  QUERY_RETRIEVE_SOP_CLASSES,
} from '@dicomnet/repository/services';
import type { Benchmark, BenchmarkOptions, BenchmarkResult } from '../benchmark.js';
import { freePort, SCU_TIMEOUTS, timeTool } from '../dimse/dcmtk.js';
import { median, now, secondsSince } from '../measure.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const BATCH = 1000;
const INSTANCES_PER_SERIES = 100;
const SERIES_PER_STUDY = 4;
const NOW = '20260101120000.000000+0000';
const MIB = 1024 * 1024;

const studyUid = (study: number): string => `1.2.826.0.1.3680043.10.1.${study}`;
const seriesUid = (series: number): string => `1.2.826.0.1.3680043.10.2.${series}`;
/** Study dates spread over five years, so a one-year range matches about a fifth. */
const studyDate = (study: number): string => `${2020 + (study % 5)}0615`;

function recordOf(n: number): IndexRecord {
  const series = Math.floor(n / INSTANCES_PER_SERIES);
  const study = Math.floor(series / SERIES_PER_STUDY);
  return {
    patient: {
      patientId: `PID${Math.floor(study / 2)}`,
      issuerOfPatientId: '',
      patientName: `Patient^${study}`,
    },
    study: {
      studyInstanceUid: studyUid(study),
      studyDate: studyDate(study),
      studyTime: '120000',
      accessionNumber: `ACC${study}`,
    },
    series: { seriesInstanceUid: seriesUid(series), modality: series % 2 === 0 ? 'CT' : 'SR' },
    instance: {
      sopInstanceUid: `1.2.826.0.1.3680043.10.3.${n}`,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      transferSyntaxUid: EXPLICIT,
      instanceNumber: String(n % INSTANCES_PER_SERIES),
    },
    sizeBytes: 2048,
    storedPath: `aa/${(n % 256).toString(16)}/${n}.dcm`,
    fileMtimeMs: 1_700_000_000_000,
  };
}

/** A repository root whose index holds `instances` synthesised rows (no files: C-FIND reads none). */
async function buildRoot(root: string, instances: number): Promise<void> {
  await (await FileRepository.open({ root, fsync: false })).close();
  const db = await openSqlite(path.join(root, 'index.sqlite'));
  try {
    prepareSchema(db);
    const index = new InstanceIndex(db);
    for (let start = 0; start < instances; start += BATCH) {
      const batch: IndexRecord[] = [];
      for (let n = start; n < Math.min(instances, start + BATCH); n++) batch.push(recordOf(n));
      index.put(batch, NOW);
    }
  } finally {
    db.close();
  }
}

interface Query {
  readonly id: string;
  readonly what: string;
  readonly identifier: DataSet;
  /** findscu's -k keys for the same identifier. */
  readonly keys: readonly string[];
}

function queriesOf(instances: number): Query[] {
  const series = Math.floor(instances / INSTANCES_PER_SERIES / 2);
  const study = Math.floor(series / SERIES_PER_STUDY);
  return [
    {
      id: 'study-all',
      what: 'STUDY level, every study',
      identifier: {
        '00080052': { vr: 'CS', Value: ['STUDY'] },
        '0020000D': { vr: 'UI' },
        '00100010': { vr: 'PN' },
        '00080020': { vr: 'DA' },
        '00201208': { vr: 'IS' },
      },
      keys: ['0008,0052=STUDY', '0020,000D', '0010,0010', '0008,0020', '0020,1208'],
    },
    {
      id: 'study-date-range',
      what: 'STUDY level, Study Date 2021 (a fifth)',
      identifier: {
        '00080052': { vr: 'CS', Value: ['STUDY'] },
        '0020000D': { vr: 'UI' },
        '00080020': { vr: 'DA', Value: ['20210101-20211231'] },
      },
      keys: ['0008,0052=STUDY', '0020,000D', '0008,0020=20210101-20211231'],
    },
    {
      id: 'image-series',
      what: `IMAGE level, one series (${INSTANCES_PER_SERIES})`,
      identifier: {
        '00080052': { vr: 'CS', Value: ['IMAGE'] },
        '0020000D': { vr: 'UI', Value: [studyUid(study)] },
        '0020000E': { vr: 'UI', Value: [seriesUid(series)] },
        '00080018': { vr: 'UI' },
      },
      keys: [
        '0008,0052=IMAGE',
        `0020,000D=${studyUid(study)}`,
        `0020,000E=${seriesUid(series)}`,
        '0008,0018',
      ],
    },
  ];
}

interface Timing {
  readonly first: number;
  readonly last: number;
  readonly matches: number;
  readonly rssGrowthMiB: number;
}

async function timeOurs(client: DimseClient, query: Query): Promise<Timing> {
  const before = process.memoryUsage().rss;
  let peak = before;
  let first = 0;
  let matches = 0;
  const started = now();
  for await (const match of client.find({
    sopClassUid: QUERY_RETRIEVE_SOP_CLASSES.studyRootFind,
    identifier: query.identifier,
  })) {
    void match;
    if (matches++ === 0) first = secondsSince(started);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  return { first, last: secondsSince(started), matches, rssGrowthMiB: (peak - before) / MIB };
}

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const started = now();
  const instances = options.quick ? 50_000 : 1_000_000;
  const rounds = options.quick ? 1 : 3;
  const work = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-find-'));
  const root = path.join(work, 'repo');
  let repository: FileRepository | undefined;
  let server: DimseServer | undefined;
  let client: DimseClient | undefined;
  const rows: Record<string, string | number>[] = [];
  try {
    const built = now();
    await buildRoot(root, instances);
    const buildSeconds = secondsSince(built);
    repository = await FileRepository.open({ root, fsync: false });
    server = createServer({
      aeTitles: ['BENCHQR'],
      contexts: [
        { abstractSyntax: QUERY_RETRIEVE_SOP_CLASSES.studyRootFind, transferSyntaxes: [EXPLICIT] },
      ],
      handlers: createQueryRetrieveHandlers(repository),
    });
    const port = await freePort();
    await server.listen({ port, host: '127.0.0.1' });
    client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'BENCH',
      calledAeTitle: 'BENCHQR',
      contexts: [
        { abstractSyntax: QUERY_RETRIEVE_SOP_CLASSES.studyRootFind, transferSyntaxes: [EXPLICIT] },
      ],
    });
    for (const query of queriesOf(instances)) {
      const ours: Timing[] = [];
      const findscu: number[] = [];
      for (let round = 0; round < rounds; round++) {
        ours.push(await timeOurs(client, query));
        const keys = query.keys.flatMap((key) => ['-k', key]);
        findscu.push(
          (
            await timeTool('findscu', [
              ...SCU_TIMEOUTS,
              '-S',
              '-aec',
              'BENCHQR',
              ...keys,
              '127.0.0.1',
              String(port),
            ])
          ).seconds,
        );
      }
      rows.push({
        id: query.id,
        query: query.what,
        matches: ours[0]?.matches ?? 0,
        firstMs: median(ours.map((each) => each.first)) * 1000,
        lastMs: median(ours.map((each) => each.last)) * 1000,
        rss: Math.max(...ours.map((each) => each.rssGrowthMiB)),
        findscuMs: median(findscu) * 1000,
      });
    }
    return {
      name: 'repository-find',
      title: `Study Root C-FIND over ${instances.toLocaleString('en')} indexed instances, our SCU and findscu against createQueryRetrieveHandlers, median of ${rounds}`,
      columns: [
        { key: 'query', header: 'query' },
        { key: 'matches', header: 'matches' },
        { key: 'firstMs', header: 'first ms', digits: 1 },
        { key: 'lastMs', header: 'last ms', digits: 1 },
        { key: 'rss', header: 'RSS growth MiB', digits: 1 },
        { key: 'findscuMs', header: 'findscu ms', digits: 1 },
      ],
      rows,
      notes: [
        `Index built from synthesised rows in ${buildSeconds.toFixed(1)} s (${INSTANCES_PER_SERIES} instances per series, ${SERIES_PER_STUDY} series per study); driver ${repository.driver}.`,
        'first/last: from the request to the first and the last match at our SCU (same process as the SCP); RSS growth: peak while streaming minus before the query.',
        'findscu ms: the whole findscu process (start, association, every response, release).',
      ],
      seconds: secondsSince(started),
    };
  } finally {
    await client?.release().catch(() => undefined);
    await server?.close();
    await repository?.close();
    await rm(work, { recursive: true, force: true });
  }
}

export const repositoryFindBenchmark: Benchmark = {
  name: 'repository-find',
  suite: 'repository',
  run,
};
