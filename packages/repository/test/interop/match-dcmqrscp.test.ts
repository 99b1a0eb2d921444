// DCMTK's dcmqrscp as the oracle of our matcher (PS3.4 C.2.2.2): the same studies are indexed in
// dcmqrscp (with dcmqridx) and turned into MatchRecords; each Study Root C-FIND identifier is sent
// with DCMTK's findscu and evaluated with parseQuery + matches, and the two sets of Study Instance
// UIDs must be equal. findscu rather than our own SCU: @dicomnet/repository must not depend on
// @dicomnet/dimse, and an oracle reached through DCMTK alone tests nothing of ours but the matcher.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DataElement, DataSet } from '@dicomnet/data';
import { generateInstances, runTool, startDcmqrscp, tempDir } from '@dicomnet/test-utils';
import type { Dcmqrscp } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matches, parseQuery } from '../../src/index.js';
import type { MatchRecord } from '../../src/index.js';

const TAG = {
  patientName: '00100010',
  patientId: '00100020',
  studyDate: '00080020',
  studyTime: '00080030',
  accessionNumber: '00080050',
  studyUid: '0020000D',
} as const;
const VR: Readonly<Record<string, string>> = {
  [TAG.patientName]: 'PN',
  [TAG.patientId]: 'LO',
  [TAG.studyDate]: 'DA',
  [TAG.studyTime]: 'TM',
  [TAG.accessionNumber]: 'SH',
  [TAG.studyUid]: 'UI',
};

interface Study {
  readonly name: string;
  readonly id: string;
  readonly date: string;
  readonly time: string;
  readonly accession: string;
}

// Names differing in case, an apostrophe and an underscore, dates on range edges.
const STUDIES: readonly Study[] = [
  { name: 'DOE^JOHN', id: 'PID-A', date: '20191215', time: '083000', accession: 'ACC1' },
  { name: 'DOE^JANE', id: 'PID-B', date: '20200101', time: '120000', accession: 'ACC2' },
  { name: 'doe^jim', id: 'PID-C', date: '20200630', time: '235959', accession: 'acc3' },
  { name: 'SMITH^ANNA', id: 'PID-A', date: '20201231', time: '000000', accession: 'ACC4' },
  { name: 'SMITH^BOB', id: 'PID-D', date: '20210101', time: '101530.5', accession: 'ACC10' },
  { name: "O'NEIL^X", id: 'PID-E', date: '20200615', time: '0930', accession: 'ACC_5' },
];

let qrscp: Dcmqrscp;
let work: Awaited<ReturnType<typeof tempDir>>;
const records: MatchRecord[] = [];
const uids: string[] = [];

beforeAll(async () => {
  work = await tempDir('dicomnet-match-oracle-');
  qrscp = await startDcmqrscp();
  for (const [index, study] of STUDIES.entries()) {
    const dir = path.join(work.path, `study${index}`);
    await mkdir(dir);
    const [instance] = await generateInstances(dir, {
      patientName: study.name,
      patientId: study.id,
      pixelBytes: 16,
    });
    if (instance === undefined) throw new Error('no instance generated');
    const modified = await runTool('dcmodify', [
      '-nb',
      '-i',
      `(0008,0020)=${study.date}`,
      '-i',
      `(0008,0030)=${study.time}`,
      '-i',
      `(0008,0050)=${study.accession}`,
      instance.path,
    ]);
    expect(modified.code, modified.stderr).toBe(0);
    const indexed = await runTool('dcmqridx', [qrscp.storageDir, instance.path]);
    expect(indexed.code, indexed.stderr).toBe(0);
    uids.push(instance.studyInstanceUid);
    records.push({
      [TAG.patientName]: [study.name],
      [TAG.patientId]: [study.id],
      [TAG.studyDate]: [study.date],
      [TAG.studyTime]: [study.time],
      [TAG.accessionNumber]: [study.accession],
      [TAG.studyUid]: [instance.studyInstanceUid],
    });
  }
}, 120_000);

afterAll(async () => {
  await qrscp?.stop();
  await work?.remove();
});

/** The Study Instance UIDs dcmqrscp answers for `keys` (tag to value, findscu's -k syntax). */
async function dcmqrscpFinds(
  keys: Readonly<Record<string, string>>,
  run: string,
): Promise<string[]> {
  const out = path.join(work.path, run);
  await rm(out, { recursive: true, force: true });
  await mkdir(out);
  const args = ['-S', '-aec', qrscp.aeTitle, '-X', '-od', out, '-k', '0008,0052=STUDY'];
  if (keys[TAG.studyUid] === undefined) args.push('-k', '0020,000D');
  for (const [tag, value] of Object.entries(keys)) {
    args.push('-k', `${tag.slice(0, 4)},${tag.slice(4)}=${value}`);
  }
  const found = await runTool('findscu', [...args, '127.0.0.1', String(qrscp.port)], {
    timeoutMs: 30_000,
  });
  expect(found.code, found.stderr).toBe(0);
  const files = (await readdir(out)).filter((file) => file.endsWith('.dcm'));
  if (files.length === 0) return [];
  const dump = await runTool('dcmdump', [
    '+P',
    '0020,000d',
    ...files.map((file) => path.join(out, file)),
  ]);
  expect(dump.code, dump.stderr).toBe(0);
  return [...dump.stdout.matchAll(/\(0020,000d\) UI \[([^\]]*)\]/g)]
    .map((match) => match[1] ?? '')
    .sort();
}

/** The Study Instance UIDs our matcher selects for the same keys. */
function weFind(keys: Readonly<Record<string, string>>): string[] {
  const identifier: Record<string, DataElement> = { '00080052': { vr: 'CS', Value: ['STUDY'] } };
  for (const [tag, value] of Object.entries(keys)) {
    const vr = VR[tag] ?? 'LO';
    const values = value.split('\\');
    identifier[tag] =
      vr === 'PN'
        ? { vr, Value: values.map((Alphabetic) => ({ Alphabetic })) }
        : { vr, Value: values };
  }
  const query = parseQuery(identifier as DataSet, { level: 'required' });
  return records
    .flatMap((record, index) => (matches(query, record) ? [uids[index] ?? ''] : []))
    .sort();
}

describe('our matcher against dcmqrscp (Study Root C-FIND, STUDY level)', () => {
  // With how many studies each should match: a case both sides get empty proves nothing.
  const cases: readonly [string, number, (uidsOf: readonly string[]) => Record<string, string>][] =
    [
      ['single value (C.2.2.2.1): Patient ID', 2, () => ({ [TAG.patientId]: 'PID-A' })],
      [
        'single value is not a prefix: Accession Number',
        1,
        () => ({ [TAG.accessionNumber]: 'ACC1' }),
      ],
      ['single value with an apostrophe', 1, () => ({ [TAG.patientName]: "O'NEIL^X" })],
      ['single value with an underscore', 1, () => ({ [TAG.accessionNumber]: 'ACC_5' })],
      ['wild card * (C.2.2.2.4)', 2, () => ({ [TAG.patientName]: 'DOE*' })],
      ['wild card ? and *', 2, () => ({ [TAG.patientName]: 'D?E^J*' })],
      ['wild card, lower case', 1, () => ({ [TAG.patientName]: '*o*' })],
      ['wild card ? counts one character', 3, () => ({ [TAG.accessionNumber]: 'ACC?' })],
      ['date range (C.2.2.2.5.1)', 3, () => ({ [TAG.studyDate]: '20200101-20200630' })],
      ['date range open start', 1, () => ({ [TAG.studyDate]: '-20191231' })],
      ['date range open end', 1, () => ({ [TAG.studyDate]: '20210101-' })],
      ['single date', 1, () => ({ [TAG.studyDate]: '20200615' })],
      ['UID list (C.2.2.2.2)', 2, (all) => ({ [TAG.studyUid]: `${all[0]}\\${all[3]}\\1.2.3.4` })],
      ['time range (C.2.2.2.5.2)', 3, () => ({ [TAG.studyTime]: '0900-1200' })],
      [
        'two keys: both must match',
        1,
        () => ({ [TAG.patientId]: 'PID-A', [TAG.studyDate]: '20200101-' }),
      ],
    ];
  it.each(cases)('%s', async (name, count, keysOf) => {
    const keys = keysOf(uids);
    const expected = await dcmqrscpFinds(keys, name.replace(/[^a-z0-9]+/gi, '-'));
    expect(weFind(keys)).toEqual(expected);
    expect(expected).toHaveLength(count);
  });
});
