// DCMTK's findscu, getscu and movescu against createServer + the repository's Query/Retrieve
// handlers: answers compared field by field with what was stored, retrieved files byte for byte;
// and each C-FIND case also sent to dcmqrscp holding the same files, as the oracle.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import { createServer } from '@dicomnet/dimse';
import type { DimseServer } from '@dicomnet/dimse';
import { freePort, movescuToItself, runTool, startDcmqrscp, tempDir } from '@dicomnet/test-utils';
import type { Dcmqrscp } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueryRetrieveHandlers,
  QUERY_RETRIEVE_SOP_CLASSES,
} from '../../src/services/index.js';
import { makeQrFixture, STUDIES } from '../helpers/qr-fixture.js';
import type { QrFixture, StoredFixtureInstance } from '../helpers/qr-fixture.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const TIMEOUTS = ['-to', '5', '-ta', '10', '-td', '30'];

let work: Awaited<ReturnType<typeof tempDir>>;
let fixture: QrFixture;
let server: DimseServer;
let port: number;
let movePort: number;
let qrscp: Dcmqrscp;
let runs = 0;

beforeAll(async () => {
  work = await tempDir('dicomnet-qr-dcmtk-');
  fixture = await makeQrFixture(work.path);
  movePort = await freePort();
  server = createServer({
    aeTitles: ['OURQR'],
    contexts: [
      ...Object.values(QUERY_RETRIEVE_SOP_CLASSES).map((abstractSyntax) => ({
        abstractSyntax,
        transferSyntaxes: [EXPLICIT, IMPLICIT],
      })),
      // getscu proposes the storage SOP classes with the SCP role (PS3.4 C.4.3.1).
      {
        abstractSyntax: SECONDARY_CAPTURE,
        transferSyntaxes: [EXPLICIT, IMPLICIT],
        requestorRoles: { scu: true, scp: true },
      },
    ],
    handlers: createQueryRetrieveHandlers(fixture.repository, { retrieveAeTitle: 'OURQR' }),
    moveDestinations: { MOVESCU: { host: '127.0.0.1', port: movePort } },
  });
  port = (await server.listen({ port: 0, host: '127.0.0.1' })).port;
  qrscp = await startDcmqrscp();
  for (const instance of fixture.instances) {
    const indexed = await runTool('dcmqridx', [qrscp.storageDir, instance.path]);
    expect(indexed.code, indexed.stderr).toBe(0);
  }
}, 60_000);

afterAll(async () => {
  await server?.abortAll();
  await server?.close();
  await qrscp?.stop();
  await fixture?.repository.close();
  await work?.remove();
});

async function outputDir(): Promise<string> {
  const dir = path.join(work.path, `out-${++runs}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  return dir;
}

/** The tags of each response file, as dcmdump prints them: tag (8 hex digits) to value text. */
async function responsesIn(dir: string): Promise<Map<string, string>[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.dcm')).sort();
  const responses: Map<string, string>[] = [];
  for (const file of files) {
    const dump = await runTool('dcmdump', ['-q', '-Un', path.join(dir, file)]);
    expect(dump.code, dump.stderr).toBe(0);
    const fields = new Map<string, string>();
    for (const line of dump.stdout.split('\n')) {
      const parts =
        /^\(([0-9a-f]{4}),([0-9a-f]{4})\) \w\w (?:\[([^\]]*)\]|(\S+)|\(no value available\))/.exec(
          line,
        );
      if (parts === null) continue;
      fields.set(`${parts[1]}${parts[2]}`.toUpperCase(), parts[3] ?? parts[4] ?? '');
    }
    responses.push(fields);
  }
  return responses;
}

/** findscu with `keys` (findscu's -k syntax) against `aet` at `peerPort`, Study or Patient Root. */
async function findscu(
  aet: string,
  peerPort: number,
  model: '-S' | '-P',
  keys: readonly string[],
): Promise<Map<string, string>[]> {
  const out = await outputDir();
  const args = [...TIMEOUTS, model, '-aec', aet, '-X', '-od', out];
  for (const key of keys) args.push('-k', key);
  const found = await runTool('findscu', [...args, '127.0.0.1', String(peerPort)], {
    timeoutMs: 30_000,
  });
  expect(found.code, found.stderr).toBe(0);
  return responsesIn(out);
}

const uidsOf = (responses: readonly Map<string, string>[], tag: string): string[] =>
  responses.map((response) => response.get(tag) ?? '').sort();

describe('findscu against our Query/Retrieve SCP, with dcmqrscp as the oracle', () => {
  const cases: readonly [string, number, (uids: readonly string[]) => string[]][] = [
    ['all studies (universal)', 4, () => []],
    ['single value: Patient ID', 2, () => ['0010,0020=PID-A']],
    ['single value: Accession Number', 1, () => ['0008,0050=acc3']],
    ['wild card *', 3, () => ['0010,0010=DOE*']],
    ['wild card ? and *', 3, () => ['0010,0010=D?E^J*']],
    ['wild card ?', 3, () => ['0008,0050=ACC?']],
    ['date range', 2, () => ['0008,0020=20200101-20200630']],
    ['date range, open start', 1, () => ['0008,0020=-20191231']],
    ['date range, open end', 2, () => ['0008,0020=20200601-']],
    ['single date', 1, () => ['0008,0020=20201231']],
    ['time range', 2, () => ['0008,0030=0900-1300']],
    ['list of UIDs', 2, (uids) => [`0020,000D=${uids[0]}\\${uids[3]}\\1.2.3.4`]],
    ['two keys', 1, () => ['0010,0020=PID-A', '0008,0020=20200101-']],
  ];
  it.each(cases)('%s (Study Root, STUDY level)', async (_name, count, keysOf) => {
    const keys = [
      '0008,0052=STUDY',
      '0020,000D',
      '0010,0020',
      '0010,0010',
      '0008,0020',
      ...keysOf(fixture.studyUids),
    ];
    // Later -k of the same tag override earlier ones in findscu.
    const ours = await findscu('OURQR', port, '-S', keys);
    const oracle = await findscu(qrscp.aeTitle, qrscp.port, '-S', keys);
    expect(uidsOf(ours, '0020000D')).toEqual(uidsOf(oracle, '0020000D'));
    expect(ours).toHaveLength(count);
    for (const response of ours) {
      const study = STUDIES[fixture.studyUids.indexOf(response.get('0020000D') ?? '')];
      expect(study, response.get('0020000D')).toBeDefined();
      expect(response.get('00100020')).toBe(study?.patientId);
      expect(response.get('00100010')).toBe(study?.patientName);
      expect(response.get('00080020')).toBe(study?.date);
      expect(response.get('00080052')).toBe('STUDY');
    }
  });

  it('answers the PATIENT, SERIES and IMAGE levels field by field (Patient Root)', async () => {
    const patients = await findscu('OURQR', port, '-P', [
      '0008,0052=PATIENT',
      '0010,0020',
      '0010,0010',
      '0020,1200',
      '0020,1204',
    ]);
    const oraclePatients = await findscu(qrscp.aeTitle, qrscp.port, '-P', [
      '0008,0052=PATIENT',
      '0010,0020',
      '0010,0010',
    ]);
    expect(uidsOf(patients, '00100020')).toEqual(uidsOf(oraclePatients, '00100020'));
    expect(
      patients.map((response) => [
        response.get('00100020'),
        response.get('00201200'),
        response.get('00201204'),
      ]),
    ).toEqual([
      ['PID-A', '2', '5'],
      ['PID-B', '1', '1'],
      ['PID-C', '1', '1'],
    ]);

    const study = fixture.studyUids[0] ?? '';
    const seriesKeys = [
      '0008,0052=SERIES',
      '0010,0020=PID-A',
      `0020,000D=${study}`,
      '0020,000E',
      '0008,0060',
      '0020,1209',
    ];
    const series = await findscu('OURQR', port, '-P', seriesKeys);
    const oracleSeries = await findscu(qrscp.aeTitle, qrscp.port, '-P', seriesKeys.slice(0, 5));
    expect(uidsOf(series, '0020000E')).toEqual(uidsOf(oracleSeries, '0020000E'));
    const ofStudy = fixture.instances.filter((each) => each.studyInstanceUid === study);
    for (const response of series) {
      const members = ofStudy.filter((each) => each.seriesInstanceUid === response.get('0020000E'));
      expect(response.get('00080060')).toBe(members[0]?.modality);
      expect(response.get('00201209')).toBe(String(members.length));
    }

    const ct = ofStudy.filter((each) => each.modality === 'CT');
    const imageKeys = [
      '0008,0052=IMAGE',
      '0010,0020=PID-A',
      `0020,000D=${study}`,
      `0020,000E=${ct[0]?.seriesInstanceUid}`,
      '0008,0018',
      '0008,0016',
    ];
    const images = await findscu('OURQR', port, '-P', imageKeys);
    const oracleImages = await findscu(qrscp.aeTitle, qrscp.port, '-P', imageKeys);
    expect(uidsOf(images, '00080018')).toEqual(uidsOf(oracleImages, '00080018'));
    expect(uidsOf(images, '00080018')).toEqual(ct.map((each) => each.sopInstanceUid).sort());
    for (const response of images) expect(response.get('00080016')).toBe(SECONDARY_CAPTURE);
  });
});

/** Asserts `dir` holds exactly `expected`, each data set byte for byte as stored. */
async function expectFolderHolds(
  dir: string,
  expected: readonly StoredFixtureInstance[],
): Promise<void> {
  const files = await readdir(dir);
  const byUid = new Map<string, Buffer>();
  for (const file of files) {
    const bytes = await readFile(path.join(dir, file));
    const header = readPart10Header(bytes);
    byUid.set(header.meta.mediaStorageSopInstanceUid, bytes.subarray(header.dataSetOffset));
  }
  expect([...byUid.keys()].sort()).toEqual(expected.map((each) => each.sopInstanceUid).sort());
  for (const instance of expected) {
    const original = instance.bytes.subarray(readPart10Header(instance.bytes).dataSetOffset);
    expect(byUid.get(instance.sopInstanceUid)?.equals(original), instance.sopInstanceUid).toBe(
      true,
    );
  }
}

describe('getscu and movescu against our Query/Retrieve SCP', () => {
  it('getscu gets a study back, byte for byte (Study Root)', async () => {
    const study = fixture.studyUids[0] ?? '';
    const out = await outputDir();
    const result = await runTool(
      'getscu',
      [
        ...TIMEOUTS,
        '-S',
        '-aec',
        'OURQR',
        '-od',
        out,
        '-k',
        '0008,0052=STUDY',
        '-k',
        `0020,000D=${study}`,
        '127.0.0.1',
        String(port),
      ],
      { timeoutMs: 30_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    await expectFolderHolds(
      out,
      fixture.instances.filter((each) => each.studyInstanceUid === study),
    );
  });

  it('getscu gets the instances named by a list of SOP Instance UIDs (Patient Root, IMAGE)', async () => {
    const [a, b] = fixture.instances.filter((each) => each.study === STUDIES[3]);
    if (a === undefined || b === undefined) throw new Error('fixture');
    const out = await outputDir();
    const result = await runTool(
      'getscu',
      [
        ...TIMEOUTS,
        '-P',
        '-aec',
        'OURQR',
        '-od',
        out,
        '-k',
        '0008,0052=IMAGE',
        '-k',
        '0010,0020=PID-A',
        '-k',
        `0020,000D=${a.studyInstanceUid}`,
        '-k',
        `0020,000E=${a.seriesInstanceUid}`,
        '-k',
        `0008,0018=${a.sopInstanceUid}\\${b.sopInstanceUid}`,
        '127.0.0.1',
        String(port),
      ],
      { timeoutMs: 30_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    await expectFolderHolds(out, [a, b]);
  });

  it('movescu moves a patient to itself, byte for byte (Patient Root, PATIENT)', async () => {
    const out = await outputDir();
    const result = await movescuToItself({
      port,
      movePort,
      out,
      model: '-P',
      keys: ['-k', '0008,0052=PATIENT', '-k', '0010,0020=PID-A'],
    });
    expect(result.code, result.stderr).toBe(0);
    await expectFolderHolds(
      out,
      fixture.instances.filter((each) => each.study.patientId === 'PID-A'),
    );
  });

  it('movescu is refused with 0xA900 without the unique key of its level', async () => {
    const result = await runTool(
      'movescu',
      [
        ...TIMEOUTS,
        '-S',
        '-aec',
        'OURQR',
        '-aem',
        'MOVESCU',
        '-k',
        '0008,0052=SERIES',
        `-k`,
        `0020,000D=${fixture.studyUids[0]}`,
        '127.0.0.1',
        String(port),
      ],
      { timeoutMs: 30_000 },
    );
    // PEERS.md: movescu exits 69 on a C-MOVE error status; DCMTK names 0xA900 so.
    expect(result.code, result.stderr).toBe(69);
    expect(result.stderr + result.stdout).toMatch(/DataSetDoesNotMatchSOPClass/);
  });
});
