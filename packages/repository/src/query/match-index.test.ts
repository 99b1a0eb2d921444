import path from 'node:path';
import type { DataElement, DataSet } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRepository } from '../file-repository.js';
import { InvalidCursorError } from '../errors.js';
import { matches, parseQuery } from '../match/index.js';
import type { ParseQueryOptions, Query, QueryLevel } from '../match/index.js';
import type { MatchedRecord, MatchOptions } from '../repository.js';
import { makeQrFixture, STUDIES } from '../../test/helpers/qr-fixture.js';
import type { QrFixture } from '../../test/helpers/qr-fixture.js';
import { attributesAt } from './indexed-attributes.js';

const VR = new Map(attributesAt('IMAGE').map((attribute) => [attribute.tag, attribute.vr]));

/** A query at `level` from keys written as findscu takes them (tag to value). */
function queryOf(
  level: QueryLevel,
  keys: Readonly<Record<string, string>>,
  options: ParseQueryOptions = {},
): Query {
  const identifier: Record<string, DataElement> = { '00080052': { vr: 'CS', Value: [level] } };
  for (const [tag, value] of Object.entries(keys)) {
    const vr = VR.get(tag) ?? 'LO';
    const values = value === '' ? [] : value.split('\\');
    identifier[tag] =
      vr === 'PN'
        ? { vr, Value: values.map((Alphabetic) => ({ Alphabetic })) }
        : { vr, ...(values.length === 0 ? {} : { Value: values }) };
  }
  return parseQuery(identifier as DataSet, { level: 'required', ...options });
}

async function all(
  repository: FileRepository,
  query: Query,
  options?: MatchOptions,
): Promise<MatchedRecord[]> {
  const records: MatchedRecord[] = [];
  for await (const record of repository.match(query, options)) records.push(record);
  return records;
}

const first = (record: MatchedRecord, tag: string): string | undefined => {
  const value = record.attributes[tag]?.[0];
  return typeof value === 'string' ? value : undefined;
};

describe('Repository.match and instancesOf', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let fixture: QrFixture;
  let repository: FileRepository;

  beforeAll(async () => {
    work = await tempDir('dicomnet-match-index-');
    fixture = await makeQrFixture(work.path);
    repository = fixture.repository;
  }, 60_000);
  afterAll(async () => {
    await repository?.close();
    await work?.remove();
  });

  const studyUidsOf = async (query: Query, options?: MatchOptions): Promise<string[]> =>
    (await all(repository, query, options)).map((record) => first(record, '0020000D') ?? '');
  const expectedStudies = (...indexes: number[]): string[] =>
    indexes.map((index) => fixture.studyUids[index] ?? '').sort();

  it('holds each study with its counts, Modalities in Study and patient, in UID order', async () => {
    const records = await all(repository, queryOf('STUDY', {}));
    expect(records.map((record) => first(record, '0020000D'))).toEqual(expectedStudies(0, 1, 2, 3));
    for (const record of records) {
      const index = fixture.studyUids.indexOf(first(record, '0020000D') ?? '');
      const study = STUDIES[index];
      if (study === undefined) throw new Error('unknown study');
      const modalities = [...new Set(study.series.map((series) => series.modality))].sort();
      expect(record.attributes).toMatchObject({
        '00100010': [study.patientName],
        '00100020': [study.patientId],
        '00080020': [study.date],
        '00080030': [study.time],
        '00080050': [study.accession],
        '00081030': [study.description],
        '00080061': modalities,
        '00201206': [String(study.series.length)],
        '00201208': [String(study.series.reduce((sum, series) => sum + series.count, 0))],
      });
      expect(record.level).toBe('STUDY');
    }
  });

  it('matches each kind of key at its level (PS3.4 C.2.2.2)', async () => {
    const [s0, , , s3] = fixture.studyUids;
    expect(await studyUidsOf(queryOf('STUDY', { '00100020': 'PID-A' }))).toEqual(
      expectedStudies(0, 3),
    );
    expect(await studyUidsOf(queryOf('STUDY', { '00100010': 'DOE*' }))).toEqual(
      expectedStudies(0, 1, 3),
    );
    expect(
      await studyUidsOf(
        queryOf('STUDY', { '00100010': 'DOE*' }, { personNameCase: 'insensitive' }),
      ),
    ).toEqual(expectedStudies(0, 1, 2, 3));
    expect(await studyUidsOf(queryOf('STUDY', { '00080020': '20200101-20200630' }))).toEqual(
      expectedStudies(1, 2),
    );
    expect(await studyUidsOf(queryOf('STUDY', { '00080020': '-20191231' }))).toEqual(
      expectedStudies(0),
    );
    expect(await studyUidsOf(queryOf('STUDY', { '00080030': '0900-1300' }))).toEqual(
      expectedStudies(1, 3),
    );
    expect(await studyUidsOf(queryOf('STUDY', { '0020000D': `${s0}\\${s3}\\1.2.3.4` }))).toEqual(
      expectedStudies(0, 3),
    );
    expect(await studyUidsOf(queryOf('STUDY', { '00080061': 'MR' }))).toEqual(
      expectedStudies(0, 3),
    );
    expect(await studyUidsOf(queryOf('STUDY', { '00080050': 'ACC?' }))).toEqual(
      expectedStudies(0, 1, 3),
    );

    const series = await all(
      repository,
      queryOf('SERIES', { '0020000D': s0 ?? '', '00080060': 'CT' }),
    );
    expect(series).toHaveLength(1);
    expect(series[0]?.attributes['00201209']).toEqual(['2']);

    const images = await all(repository, queryOf('IMAGE', { '0020000D': s3 ?? '' }));
    const stored = fixture.instances.filter((instance) => instance.studyInstanceUid === s3);
    expect(images.map((record) => first(record, '00080018'))).toEqual(
      stored.map((instance) => instance.sopInstanceUid).sort(),
    );
    expect(images.map((record) => first(record, '00083002'))).toEqual(
      stored.map((instance) => instance.transferSyntaxUid),
    );

    const patients = await all(repository, queryOf('PATIENT', {}));
    expect(patients.map((record) => first(record, '00100020'))).toEqual([
      'PID-A',
      'PID-B',
      'PID-C',
    ]);
    expect(patients[0]?.attributes['00201200']).toEqual(['2']);
    expect(patients[0]?.attributes['00201204']).toEqual(['5']);
  });

  it('selects in SQL exactly what matches() selects in memory', async () => {
    const cases: readonly [QueryLevel, Record<string, string>, ParseQueryOptions?][] = [
      ['PATIENT', { '00100010': '*o*' }],
      ['PATIENT', { '00100010': '*O*' }, { personNameCase: 'insensitive' }],
      ['PATIENT', { '00100020': 'PID-?' }],
      ['STUDY', { '00080020': '20200615' }],
      ['STUDY', { '00080020': '20200101-', '00100020': 'PID-A' }],
      ['STUDY', { '00080050': 'acc3' }],
      ['STUDY', { '00080061': 'CT\\MR' }, { multipleValue: true }],
      ['STUDY', { '00081030': 'HEAD' }],
      ['SERIES', { '00080060': 'MR' }],
      ['IMAGE', { '00080016': '1.2.840.10008.5.1.4.1.1.7' }],
    ];
    for (const [level, keys, options] of cases) {
      const query = queryOf(level, keys, options);
      const everything = await all(repository, queryOf(level, {}));
      const expected = everything.filter((record) => matches(query, record.attributes));
      const found = await all(repository, query);
      expect(
        found.map((record) => record.cursor),
        JSON.stringify(keys),
      ).toEqual(expected.map((record) => record.cursor));
      expect(found.length + everything.length, JSON.stringify(keys)).toBeGreaterThan(0);
    }
  });

  it('resumes after a cursor, a page at a time, across a restart', async () => {
    const query = queryOf('IMAGE', {});
    const everything = await all(repository, query);
    expect(everything).toHaveLength(fixture.instances.length);
    const seen: MatchedRecord[] = [];
    for await (const record of repository.match(query, { pageSize: 2 })) {
      seen.push(record);
      if (seen.length === 3) break;
    }
    const cursor = seen[2]?.cursor ?? '';
    await repository.close();
    repository = await FileRepository.open({ root: path.join(work.path, 'repo'), fsync: false });
    const rest = await all(repository, query, { after: cursor, pageSize: 2 });
    expect([...seen, ...rest].map((record) => record.cursor)).toEqual(
      everything.map((record) => record.cursor),
    );
  });

  it('refuses a cursor it did not make, or one of another level', async () => {
    await expect(all(repository, queryOf('STUDY', {}), { after: 'nonsense' })).rejects.toThrow(
      InvalidCursorError,
    );
    const [image] = await all(repository, queryOf('IMAGE', {}));
    await expect(
      all(repository, queryOf('STUDY', {}), { after: image?.cursor ?? '' }),
    ).rejects.toMatchObject({ code: 'DICOMNET_REPOSITORY_INVALID_CURSOR' });
  });

  it('lists the instances under a study for a retrieve, with their total', async () => {
    const study = fixture.studyUids[0] ?? '';
    const set = await repository.instancesOf(queryOf('STUDY', { '0020000D': study }));
    const stored = fixture.instances.filter((instance) => instance.studyInstanceUid === study);
    expect(set.total).toBe(stored.length);
    const listed = [];
    for await (const instance of set.instances) listed.push(instance);
    expect(listed.map((instance) => instance.sopInstanceUid)).toEqual(
      stored.map((instance) => instance.sopInstanceUid).sort(),
    );
    for (const instance of listed) {
      const original = stored.find((each) => each.sopInstanceUid === instance.sopInstanceUid);
      expect(instance).toEqual({
        sopInstanceUid: original?.sopInstanceUid,
        sopClassUid: original?.sopClassUid,
        transferSyntaxUid: original?.transferSyntaxUid,
        studyInstanceUid: original?.studyInstanceUid,
        seriesInstanceUid: original?.seriesInstanceUid,
      });
    }
  });

  it('leaves what was Removed from Operational Use out unless asked', async () => {
    const study = fixture.studyUids[1] ?? '';
    await repository.markRemoved('STUDY', study);
    try {
      expect(await studyUidsOf(queryOf('STUDY', {}))).not.toContain(study);
      expect(await studyUidsOf(queryOf('STUDY', {}), { includeRemoved: true })).toContain(study);
      expect((await repository.instancesOf(queryOf('STUDY', { '0020000D': study }))).total).toBe(0);
    } finally {
      await repository.markRemoved('STUDY', study, false);
    }
  });

  it('stops at an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      all(repository, queryOf('IMAGE', {}), { signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
