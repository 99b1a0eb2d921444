// Our C-FIND, C-GET and C-MOVE SCU against Orthanc: what our C-STORE gave it is found again at
// every level of both Information Models and compared field by field with what Orthanc's REST
// API says it holds; studies and series come back by C-GET and C-MOVE byte for byte as Orthanc
// serves them (/instances/{id}/file); a large C-FIND and a C-GET are cancelled mid-way.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { DataElement, DataSet, DataElementValue, PersonName } from '@dicomnet/data';
import { readPart10Header } from '@dicomnet/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstances, startOrthanc, tempDir } from '@dicomnet/test-utils';
import type { GeneratedInstance, OrthancPeer } from '@dicomnet/test-utils';
import {
  connect,
  DIMSE_DIAGNOSTICS_CHANNELS,
  openInstanceFile,
  RetrieveStatusError,
  storeToDirectory,
} from '../../src/index.js';
import type { DimseClient, DimseMessageEvent, RetrieveResult } from '../../src/index.js';
import { startOurStoreScp } from './our-store-scp.js';
import type { OurStoreScp } from './our-store-scp.js';
import { readInstance } from './stored-instances.js';
import { EXPLICIT, IMPLICIT, SECONDARY_CAPTURE, VERIFICATION } from './uids.js';

// PS3.4 C.6.1.3 (Patient Root) and C.6.2.3 (Study Root).
const PATIENT_ROOT = {
  find: '1.2.840.10008.5.1.4.1.2.1.1',
  move: '1.2.840.10008.5.1.4.1.2.1.2',
  get: '1.2.840.10008.5.1.4.1.2.1.3',
};
const STUDY_ROOT = {
  find: '1.2.840.10008.5.1.4.1.2.2.1',
  move: '1.2.840.10008.5.1.4.1.2.2.2',
  get: '1.2.840.10008.5.1.4.1.2.2.3',
};

// Attribute tags as our data sets key them, and the keywords Orthanc's REST API uses.
const TAGS = {
  QueryRetrieveLevel: '00080052',
  PatientName: '00100010',
  PatientID: '00100020',
  StudyInstanceUID: '0020000D',
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  StudyID: '00200010',
  SeriesInstanceUID: '0020000E',
  Modality: '00080060',
  SeriesNumber: '00200011',
  SOPInstanceUID: '00080018',
  SOPClassUID: '00080016',
  InstanceNumber: '00200013',
  NumberOfPatientRelatedStudies: '00201200',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
} as const;
type Keyword = keyof typeof TAGS;
const VRS: Record<Keyword, string> = {
  QueryRetrieveLevel: 'CS',
  PatientName: 'PN',
  PatientID: 'LO',
  StudyInstanceUID: 'UI',
  StudyDate: 'DA',
  StudyTime: 'TM',
  AccessionNumber: 'SH',
  StudyID: 'SH',
  SeriesInstanceUID: 'UI',
  Modality: 'CS',
  SeriesNumber: 'IS',
  SOPInstanceUID: 'UI',
  SOPClassUID: 'UI',
  InstanceNumber: 'IS',
  NumberOfPatientRelatedStudies: 'IS',
  NumberOfStudyRelatedSeries: 'IS',
  NumberOfStudyRelatedInstances: 'IS',
  NumberOfSeriesRelatedInstances: 'IS',
};

/** The attributes each level returns, besides its unique key (PS3.4 C.6.1.1, C.6.2.1). */
const RETURN_KEYS: Record<'PATIENT' | 'STUDY' | 'SERIES' | 'IMAGE', readonly Keyword[]> = {
  PATIENT: ['PatientName', 'PatientID', 'NumberOfPatientRelatedStudies'],
  STUDY: [
    'StudyInstanceUID',
    'StudyDate',
    'StudyTime',
    'AccessionNumber',
    'StudyID',
    'PatientID',
    'PatientName',
    'NumberOfStudyRelatedSeries',
    'NumberOfStudyRelatedInstances',
  ],
  SERIES: ['SeriesInstanceUID', 'Modality', 'SeriesNumber', 'NumberOfSeriesRelatedInstances'],
  IMAGE: ['SOPInstanceUID', 'SOPClassUID', 'InstanceNumber'],
};

/** Patients, their studies and series: enough that every level has several entities. */
const LAYOUT = [
  { patientId: 'QRO1', name: 'Orthanc^One', studies: [[3, 2], [2]] },
  { patientId: 'QRO2', name: 'Orthanc^Two', studies: [[3]] },
] as const;
/** One more patient with a study of this many instances, for the cancels. */
const BIG = 300;

interface Series {
  readonly patientId: string;
  readonly instances: GeneratedInstance[];
}

let work: Awaited<ReturnType<typeof tempDir>>;
let orthanc: OrthancPeer;
let destination: OurStoreScp;
/** Where the cancelled C-MOVE sends the big study (a folder of its own). */
let cancelDestination: OurStoreScp;
const series: Series[] = [];
let big: GeneratedInstance[];

function open(): Promise<DimseClient> {
  return connect({
    host: '127.0.0.1',
    port: orthanc.dicomPort,
    callingAeTitle: 'DICOMNET',
    calledAeTitle: orthanc.aeTitle,
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      ...[...Object.values(PATIENT_ROOT), ...Object.values(STUDY_ROOT)].map((abstractSyntax) => ({
        abstractSyntax,
        transferSyntaxes: [EXPLICIT, IMPLICIT],
      })),
      // We store there, and receive C-GET's sub-operations (PS3.4 C.4.3.1: role selection).
      {
        abstractSyntax: SECONDARY_CAPTURE,
        transferSyntaxes: [EXPLICIT],
        roles: { scu: true, scp: true },
      },
    ],
    connectTimeout: 10_000,
    dimseTimeout: 30_000,
  });
}

/** An Identifier: the level, the given matching keys, the other return keys empty. */
function identifier(
  level: keyof typeof RETURN_KEYS,
  match: Partial<Record<Keyword, string>>,
  returnKeys: readonly Keyword[] = RETURN_KEYS[level],
): DataSet {
  const result: Record<string, DataElement> = {
    [TAGS.QueryRetrieveLevel]: { vr: 'CS', Value: [level] },
  };
  for (const keyword of returnKeys) result[TAGS[keyword]] = { vr: VRS[keyword] };
  for (const [keyword, value] of Object.entries(match) as [Keyword, string][]) {
    const vr = VRS[keyword];
    result[TAGS[keyword]] = { vr, Value: [vr === 'PN' ? { Alphabetic: value } : value] };
  }
  return result;
}

/**
 * Keys a C-FIND response may hold besides the requested ones (PS3.4 C.4.1.1.3.2, C.3.4):
 * Specific Character Set, Retrieve AE Title, Instance Availability, Storage Media File-Set ID
 * and UID. Orthanc 1.10.1 adds exactly (0008,0005) ISO_IR 100 and (0008,0054) its AE title.
 */
const OPTIONAL_RESPONSE_KEYS = new Set([
  '00080005',
  '00080054',
  '00080056',
  '00880130',
  '00880140',
]);

/** The matches of a C-FIND, each holding every requested key and no other (but the above). */
async function find(client: DimseClient, sopClassUid: string, query: DataSet): Promise<DataSet[]> {
  const found: DataSet[] = [];
  for await (const match of client.find({ sopClassUid, identifier: query })) found.push(match);
  for (const match of found) {
    const keys = Object.keys(match).filter((key) => !OPTIONAL_RESPONSE_KEYS.has(key));
    expect(keys.sort()).toEqual(Object.keys(query).sort());
  }
  return found;
}

/** A value as Orthanc's `?simplify` JSON writes it: text, a name's alphabetic group. */
function text(value: DataElementValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return (value as PersonName).Alphabetic;
  return String(value);
}

function valueOf(match: DataSet, keyword: Keyword): string | undefined {
  return text(match[TAGS[keyword]]?.Value?.[0]);
}

type OrthancLevel = 'Patient' | 'Study' | 'Series' | 'Instance';

/** Orthanc's ID of the one resource at `level` whose unique key is `value` (/tools/find). */
async function orthancId(level: OrthancLevel, key: Keyword, value: string): Promise<string> {
  const ids = await orthanc.rest<string[]>('POST', '/tools/find', {
    Level: level,
    Query: { [key]: value },
  });
  expect(ids, `${level} ${key}=${value} in Orthanc`).toHaveLength(1);
  return ids[0] ?? '';
}

/**
 * What Orthanc holds for a resource, field by field: the tags of its first instance as stored
 * (`/instances/{id}/tags?simplify`), and the counts its REST API gives for the levels below.
 */
async function orthancFields(
  level: OrthancLevel,
  id: string,
): Promise<Partial<Record<Keyword, string>>> {
  const plural = { Patient: 'patients', Study: 'studies', Series: 'series', Instance: 'instances' };
  const instances = await orthanc.rest<{ ID: string }[]>(
    'GET',
    level === 'Instance' ? `/instances/${id}` : `/${plural[level]}/${id}/instances`,
  );
  const first = Array.isArray(instances) ? instances[0]?.ID : (instances as { ID: string }).ID;
  const tags = await orthanc.rest<Record<string, string>>(
    'GET',
    `/instances/${first}/tags?simplify`,
  );
  const fields: Partial<Record<Keyword, string>> = {};
  for (const keyword of Object.keys(TAGS) as Keyword[]) {
    if (typeof tags[keyword] === 'string') fields[keyword] = tags[keyword];
  }
  const count = async (url: string): Promise<string> =>
    String((await orthanc.rest<unknown[]>('GET', url)).length);
  if (level === 'Patient')
    fields.NumberOfPatientRelatedStudies = await count(`/patients/${id}/studies`);
  if (level === 'Study') {
    fields.NumberOfStudyRelatedSeries = await count(`/studies/${id}/series`);
    fields.NumberOfStudyRelatedInstances = await count(`/studies/${id}/instances`);
  }
  if (level === 'Series')
    fields.NumberOfSeriesRelatedInstances = await count(`/series/${id}/instances`);
  return fields;
}

/** Every return key of every match equals what Orthanc holds for that entity. */
async function expectMatchesOrthanc(
  matches: readonly DataSet[],
  level: OrthancLevel,
  unique: Keyword,
  returnKeys: readonly Keyword[],
): Promise<void> {
  for (const match of matches) {
    const uid = valueOf(match, unique) ?? '';
    const held = await orthancFields(level, await orthancId(level, unique, uid));
    for (const keyword of returnKeys) {
      expect(valueOf(match, keyword), `${level} ${uid}: ${keyword}`).toBe(held[keyword]);
    }
  }
}

/** Every file of `dir` is, data set byte for byte, the file Orthanc serves for that instance. */
async function expectSameAsOrthanc(dir: string, expected: readonly GeneratedInstance[]) {
  const names = (await readdir(dir)).sort();
  expect(names).toHaveLength(expected.length);
  const wanted = new Set(expected.map((instance) => instance.sopInstanceUid));
  for (const name of names) {
    const received = await readInstance(path.join(dir, name));
    expect(wanted.has(received.sopInstanceUid), `${name} was asked for`).toBe(true);
    const id = await orthancId('Instance', 'SOPInstanceUID', received.sopInstanceUid);
    const response = await fetch(`http://127.0.0.1:${orthanc.httpPort}/instances/${id}/file`, {
      signal: AbortSignal.timeout(10_000),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const { meta, dataSetOffset } = readPart10Header(bytes);
    expect(received.transferSyntaxUid).toBe(meta.transferSyntaxUid);
    expect(received.dataSet.equals(bytes.subarray(dataSetOffset)), `${name} data set`).toBe(true);
  }
}

async function drain<T>(run: AsyncGenerator<T, RetrieveResult>): Promise<RetrieveResult> {
  let next = await run.next();
  while (next.done !== true) next = await run.next();
  return next.value;
}

beforeAll(async () => {
  work = await tempDir('dicomnet-qr-orthanc-');
  destination = await startOurStoreScp(path.join(work.path, 'moved'));
  cancelDestination = await startOurStoreScp(path.join(work.path, 'moved-cancelled'), {
    aeTitles: ['CANCELDEST'],
  });
  orthanc = await startOrthanc({
    modalities: {
      dicomnet: { aet: 'DICOMNET', port: destination.port },
      cancelled: { aet: 'CANCELDEST', port: cancelDestination.port },
    },
  });
  let folder = 0;
  for (const patient of LAYOUT) {
    for (const study of patient.studies) {
      let studyInstanceUid: string | undefined;
      for (const count of study) {
        const instances = await generateInstances(path.join(work.path, `source-${folder++}`), {
          count,
          pixelBytes: 64,
          patientId: patient.patientId,
          patientName: patient.name,
          ...(studyInstanceUid !== undefined && { studyInstanceUid }),
        });
        studyInstanceUid = instances[0]?.studyInstanceUid;
        series.push({ patientId: patient.patientId, instances });
      }
    }
  }
  big = await generateInstances(path.join(work.path, 'big'), {
    count: BIG,
    pixelBytes: 64,
    patientId: 'QRO3',
    patientName: 'Orthanc^Big',
  });
  const client = await open();
  try {
    for (const instance of [...series.flatMap((entry) => entry.instances), ...big]) {
      const file = await openInstanceFile(instance.path);
      await client.store(file.instance());
    }
  } finally {
    await client.release();
  }
}, 60_000);

afterAll(async () => {
  await destination?.close();
  await cancelDestination?.close();
  await orthanc?.stop(); // seconds: it holds an SQLite lock until it has exited (PEERS.md §0.5)
  await work?.remove();
}, 30_000);

describe('our C-FIND SCU against Orthanc, field by field', () => {
  it('finds every patient (Patient Root, PATIENT level)', async () => {
    const client = await open();
    try {
      const found = await find(client, PATIENT_ROOT.find, identifier('PATIENT', {}));
      expect(found.map((match) => valueOf(match, 'PatientID')).sort()).toEqual([
        'QRO1',
        'QRO2',
        'QRO3',
      ]);
      await expectMatchesOrthanc(found, 'Patient', 'PatientID', RETURN_KEYS.PATIENT);
    } finally {
      await client.release();
    }
  });

  it('finds the studies of a patient (Patient Root and Study Root, STUDY level)', async () => {
    const client = await open();
    try {
      const expected = [
        ...new Set(
          series
            .filter((entry) => entry.patientId === 'QRO1')
            .map((entry) => entry.instances[0]?.studyInstanceUid),
        ),
      ].sort();
      for (const sopClassUid of [PATIENT_ROOT.find, STUDY_ROOT.find]) {
        const found = await find(client, sopClassUid, identifier('STUDY', { PatientID: 'QRO1' }));
        expect(found.map((match) => valueOf(match, 'StudyInstanceUID')).sort()).toEqual(expected);
        await expectMatchesOrthanc(found, 'Study', 'StudyInstanceUID', RETURN_KEYS.STUDY);
      }
    } finally {
      await client.release();
    }
  });

  it('finds the series of a study (SERIES level)', async () => {
    const client = await open();
    try {
      const studyInstanceUid = series[0]?.instances[0]?.studyInstanceUid ?? '';
      const expected = series
        .filter((entry) => entry.instances[0]?.studyInstanceUid === studyInstanceUid)
        .map((entry) => entry.instances[0]?.seriesInstanceUid)
        .sort();
      expect(expected).toHaveLength(2);
      // Patient Root needs the Patient ID above the study (PS3.4 C.6.1.1: hierarchical keys).
      for (const [sopClassUid, above] of [
        [PATIENT_ROOT.find, { PatientID: 'QRO1', StudyInstanceUID: studyInstanceUid }],
        [STUDY_ROOT.find, { StudyInstanceUID: studyInstanceUid }],
      ] as const) {
        const found = await find(client, sopClassUid, identifier('SERIES', above));
        expect(found.map((match) => valueOf(match, 'SeriesInstanceUID')).sort()).toEqual(expected);
        await expectMatchesOrthanc(found, 'Series', 'SeriesInstanceUID', RETURN_KEYS.SERIES);
      }
    } finally {
      await client.release();
    }
  });

  it('finds the instances of a series (IMAGE level)', async () => {
    const client = await open();
    try {
      const { instances } = series[0] ?? { instances: [] };
      const keys = {
        StudyInstanceUID: instances[0]?.studyInstanceUid ?? '',
        SeriesInstanceUID: instances[0]?.seriesInstanceUid ?? '',
      };
      for (const [sopClassUid, above] of [
        [PATIENT_ROOT.find, { PatientID: 'QRO1', ...keys }],
        [STUDY_ROOT.find, keys],
      ] as const) {
        const found = await find(client, sopClassUid, identifier('IMAGE', above));
        expect(found.map((match) => valueOf(match, 'SOPInstanceUID')).sort()).toEqual(
          instances.map((instance) => instance.sopInstanceUid).sort(),
        );
        await expectMatchesOrthanc(found, 'Instance', 'SOPInstanceUID', RETURN_KEYS.IMAGE);
      }
    } finally {
      await client.release();
    }
  });
  it('matches a wildcard name, a date range and a list of UIDs as PS3.4 C.2.2.2 says', async () => {
    const client = await open();
    try {
      // Wildcard (C.2.2.2.4). PN matching may ignore case (C.2.2.2.1); Orthanc does by default.
      const named = await find(
        client,
        PATIENT_ROOT.find,
        identifier('PATIENT', { PatientName: 'orthanc^t*' }),
      );
      expect(named.map((match) => valueOf(match, 'PatientID'))).toEqual(['QRO2']);
      // Range (C.2.2.2.5): every study is of 20250101.
      for (const [range, count] of [
        ['20241231-20250101', 4],
        ['20250102-', 0],
      ] as const) {
        const dated = await find(
          client,
          STUDY_ROOT.find,
          identifier('STUDY', { StudyDate: range }),
        );
        expect(dated, range).toHaveLength(count);
      }
      // List of UIDs (C.2.2.2.2): two of a series' three instances, by a multi-valued key.
      const [first, , third] = series[0]?.instances ?? [];
      const query = identifier('IMAGE', {
        StudyInstanceUID: first?.studyInstanceUid ?? '',
        SeriesInstanceUID: first?.seriesInstanceUid ?? '',
      });
      const listed = await find(client, STUDY_ROOT.find, {
        ...query,
        [TAGS.SOPInstanceUID]: {
          vr: 'UI',
          Value: [first?.sopInstanceUid ?? '', third?.sopInstanceUid ?? ''],
        },
      });
      expect(listed.map((match) => valueOf(match, 'SOPInstanceUID')).sort()).toEqual(
        [first?.sopInstanceUid, third?.sopInstanceUid].sort(),
      );
    } finally {
      await client.release();
    }
  });
});

describe('our C-GET and C-MOVE SCU against Orthanc', () => {
  const studyOf = (entry: Series | undefined) => entry?.instances[0]?.studyInstanceUid ?? '';
  const studyInstances = (studyUid: string) =>
    series.filter((entry) => studyOf(entry) === studyUid).flatMap((entry) => entry.instances);

  it('gets a study and a series back on the association, byte for byte', async () => {
    const client = await open();
    try {
      const studyUid = studyOf(series[0]);
      const cases = [
        { name: 'get-study', keys: identifier('STUDY', { StudyInstanceUID: studyUid }, []) },
        {
          name: 'get-series',
          keys: identifier(
            'SERIES',
            {
              StudyInstanceUID: studyUid,
              SeriesInstanceUID: series[1]?.instances[0]?.seriesInstanceUid ?? '',
            },
            [],
          ),
        },
      ];
      const expected = [studyInstances(studyUid), series[1]?.instances ?? []];
      for (const [index, { name, keys }] of cases.entries()) {
        const folder = path.join(work.path, name);
        await mkdir(folder);
        const result = await drain(
          client.get(
            { sopClassUid: STUDY_ROOT.get, identifier: keys },
            { store: storeToDirectory(folder) },
          ),
        );
        const wanted = expected[index] ?? [];
        expect(result).toMatchObject({ status: 0, completed: wanted.length, failed: 0 });
        await expectSameAsOrthanc(folder, wanted);
      }
    } finally {
      await client.release();
    }
  });

  it('moves a study and a series to our SCP (DicomModalities), byte for byte', async () => {
    const client = await open();
    try {
      const studyUid = studyOf(series[3]);
      const seriesEntry = series[2];
      for (const [keys, wanted] of [
        [identifier('STUDY', { StudyInstanceUID: studyUid }, []), studyInstances(studyUid)],
        [
          identifier(
            'SERIES',
            {
              StudyInstanceUID: studyOf(seriesEntry),
              SeriesInstanceUID: seriesEntry?.instances[0]?.seriesInstanceUid ?? '',
            },
            [],
          ),
          seriesEntry?.instances ?? [],
        ],
      ] as const) {
        const result = await drain(
          client.move({ sopClassUid: STUDY_ROOT.move, identifier: keys, destination: 'DICOMNET' }),
        );
        expect(result).toMatchObject({ status: 0, completed: wanted.length, failed: 0 });
      }
      await expectSameAsOrthanc(destination.dir, [
        ...studyInstances(studyUid),
        ...(seriesEntry?.instances ?? []),
      ]);
    } finally {
      await client.release();
    }
  });

  it('refuses a C-MOVE to an AE not in DicomModalities, with the (zero) counts', async () => {
    const client = await open();
    try {
      const error: unknown = await drain(
        client.move({
          sopClassUid: STUDY_ROOT.move,
          identifier: identifier('STUDY', { StudyInstanceUID: studyOf(series[0]) }, []),
          destination: 'NOWHERE',
        }),
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RetrieveStatusError);
      // Deviation: PS3.4 Table C.4-2 has 0xA801 Refused: Move Destination unknown; Orthanc
      // 1.10.1 answers 0xC000 Unable to process (no Error Comment), as for any failure.
      expect(error).toMatchObject({ category: 'Failure', completed: 0, failed: 0 });
      expect([0xa801, 0xc000]).toContain((error as RetrieveStatusError).status);
    } finally {
      await client.release();
    }
  });
});

describe('C-CANCEL to Orthanc', () => {
  function record(): { events: DimseMessageEvent[]; stop(): void } {
    const events: DimseMessageEvent[] = [];
    const push = (event: unknown): void => void events.push(event as DimseMessageEvent);
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, push);
    subscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, push);
    return {
      events,
      stop() {
        unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageSent, push);
        unsubscribe(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived, push);
      },
    };
  }

  it('cancels a C-FIND of hundreds of instances; the association goes on', async () => {
    const recorded = record();
    const client = await open();
    let seen = 0;
    try {
      for await (const _match of client.find(
        {
          sopClassUid: STUDY_ROOT.find,
          identifier: identifier('IMAGE', {
            StudyInstanceUID: big[0]?.studyInstanceUid ?? '',
            SeriesInstanceUID: big[0]?.seriesInstanceUid ?? '',
          }),
        },
        { highWaterMark: 1 },
      )) {
        if (++seen === 3) break;
      }
      expect((await client.echo()).status).toBe(0);
    } finally {
      await client.release();
      recorded.stop();
    }
    const kinds = recorded.events.map((event) => event.kind);
    expect(kinds).toContain('C-CANCEL-RQ');
    const matches = recorded.events.filter(
      (event) => event.kind === 'C-FIND-RSP' && event.status === 0xff00,
    );
    const final = recorded.events.find(
      (event) => event.kind === 'C-FIND-RSP' && event.status !== 0xff00 && event.status !== 0xff01,
    );
    // Orthanc 1.10.1 looks for a C-CANCEL-RQ between its C-FIND responses and answers 0xFE00
    // (PS3.4 C.4.1.3.2): here after 140 and 240 of the 300 matches in two runs, as our paused
    // input held it back. Had all 300 fitted in the socket buffers before it read the cancel, it
    // would end with Success; either way the final response came (the echo went through).
    if (final?.status === 0xfe00) expect(matches.length).toBeLessThan(BIG);
    else expect(final?.status).toBe(0x0000);
  });

  it('cancels a C-GET of hundreds of instances: 0xFE00 with the counts so far', async () => {
    const cancel = new AbortController();
    let stored = 0;
    const client = await open();
    let error: unknown;
    try {
      error = await drain(
        client.get(
          {
            sopClassUid: STUDY_ROOT.get,
            identifier: identifier(
              'STUDY',
              { StudyInstanceUID: big[0]?.studyInstanceUid ?? '' },
              [],
            ),
          },
          {
            cancel: cancel.signal,
            async store(request) {
              for await (const _chunk of request.dataSet) {
                // read and drop
              }
              if (++stored === 3) cancel.abort();
            },
          },
        ),
      ).catch((caught: unknown) => caught);
      expect((await client.echo()).status).toBe(0);
    } finally {
      await client.release();
    }
    // Orthanc stops its C-GET sub-operations at a C-CANCEL-RQ and answers 0xFE00 with the
    // counts so far (PS3.4 C.4.3.3.1).
    expect(error).toBeInstanceOf(RetrieveStatusError);
    const counts = error as RetrieveStatusError;
    expect(counts.status).toBe(0xfe00);
    expect(stored).toBeLessThan(BIG);
    // Deviation (PS3.4 C.4.3.3.1: Remaining counts the sub-operations "not initiated" because of
    // the cancel): Orthanc 1.10.1 counts the sub-operation whose C-STORE-RSP comes after the
    // C-CANCEL-RQ (here the third, answered Success by us) in neither Completed nor Failed but in
    // Remaining. So Completed may be one less than what we stored; the four counts still add
    // up to the whole study.
    expect(counts.completed).toBeGreaterThanOrEqual(stored - 1);
    expect(counts.completed).toBeLessThanOrEqual(stored);
    expect(counts.completed + counts.failed + counts.warning + (counts.remaining ?? 0)).toBe(BIG);
    expect(counts.failed).toBe(0);
  });
  it('cancels a C-MOVE of hundreds of instances: 0xFE00, and the counts match what arrived', async () => {
    const cancel = new AbortController();
    const client = await open();
    let error: unknown;
    try {
      error = await drain(
        (async function* () {
          const moves = client.move(
            {
              sopClassUid: PATIENT_ROOT.move,
              identifier: identifier(
                'STUDY',
                {
                  PatientID: 'QRO3',
                  StudyInstanceUID: big[0]?.studyInstanceUid ?? '',
                },
                [],
              ),
              destination: 'CANCELDEST',
            },
            { cancel: cancel.signal },
          );
          for (;;) {
            const next = await moves.next();
            if (next.done === true) return next.value;
            if (next.value.completed >= 3) cancel.abort();
            yield next.value;
          }
        })(),
      ).catch((caught: unknown) => caught);
      expect((await client.echo()).status).toBe(0);
    } finally {
      await client.release();
    }
    expect(error).toBeInstanceOf(RetrieveStatusError);
    const counts = error as RetrieveStatusError;
    expect(counts.status).toBe(0xfe00);
    expect(counts.completed).toBeGreaterThanOrEqual(3);
    expect(counts.completed).toBeLessThan(BIG);
    expect(counts.completed + counts.failed + counts.warning + (counts.remaining ?? 0)).toBe(BIG);
    // Orthanc's sub-operation association to us is released after the cancel: what it counted
    // as completed is what our SCP stored.
    await cancelDestination.associationsEnded(1);
    expect(await readdir(cancelDestination.dir)).toHaveLength(counts.completed);
  });
});
