// Stored values that the v2 matching columns do not describe exactly (leading spaces, trailing
// empty PN components, PN component groups, several values, dates that are not DA) must still be
// found: SQL lets them through and matches() decides. Rows are written with the index's own
// writer (no files are needed to match).
import path from 'node:path';
import type { DataElement, DataSet } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRepository } from '../file-repository.js';
import { InstanceIndex } from '../index-db/instance-index.js';
import { prepareSchema } from '../index-db/schema.js';
import type { IndexRecord } from '../index-record.js';
import { matches, parseQuery } from '../match/index.js';
import type { ParseQueryOptions, Query } from '../match/index.js';
import { openSqlite } from '../sqlite/open-sqlite.js';
import { INDEX_FILE } from '../storage-path.js';

interface Row {
  readonly patientId: string;
  readonly name: string;
  readonly accession?: string;
  readonly date?: string;
  readonly modality?: string;
}

const ROWS: readonly Row[] = [
  { patientId: ' PID-X', name: 'Smith^Ann^^', accession: ' ACC-X', date: '20200101' },
  { patientId: 'PID-Y', name: 'Yamada^Tarou=山田^太郎', accession: 'A1\\A2', date: '2020.01.01' },
  { patientId: 'PID-Z', name: ' doe^jane', date: '20201340', modality: ' CT' },
  { patientId: 'PID-W', name: 'DOE^JANE', accession: 'ACC-W', date: '20200615\\20200616' },
];

function record(row: Row, index: number): IndexRecord {
  return {
    patient: { patientId: row.patientId, issuerOfPatientId: '', patientName: row.name },
    study: {
      studyInstanceUid: `1.2.3.${index}`,
      accessionNumber: row.accession,
      studyDate: row.date,
    },
    series: { seriesInstanceUid: `1.2.4.${index}`, modality: row.modality ?? 'OT' },
    instance: {
      sopInstanceUid: `1.2.5.${index}`,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
    },
    sizeBytes: 1,
    storedPath: `aa/bb/${index}.dcm`,
    fileMtimeMs: 0,
  };
}

describe('match finds values the SQL columns do not describe exactly', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let repository: FileRepository;

  beforeAll(async () => {
    work = await tempDir('dicomnet-match-escape-');
    const root = path.join(work.path, 'repo');
    await (await FileRepository.open({ root, fsync: false })).close();
    const db = await openSqlite(path.join(root, INDEX_FILE));
    prepareSchema(db);
    new InstanceIndex(db).put(ROWS.map(record), '20260101000000.000000+0000');
    db.close();
    repository = await FileRepository.open({ root, fsync: false }); // clean: rows stay
  });
  afterAll(async () => {
    await repository?.close();
    await work?.remove();
  });

  function studyQuery(keys: Record<string, DataElement>, options: ParseQueryOptions = {}): Query {
    const identifier: DataSet = { '00080052': { vr: 'CS', Value: ['STUDY'] }, ...keys };
    return parseQuery(identifier, { level: 'required', ...options });
  }

  async function uids(query: Query): Promise<string[]> {
    const found: string[] = [];
    for await (const each of repository.match(query))
      found.push(String(each.attributes['0020000D']?.[0]));
    return found;
  }

  const pn = (value: string): DataElement => ({ vr: 'PN', Value: [{ Alphabetic: value }] });
  const cases: readonly [string, Query, readonly string[]][] = [
    [
      'Patient ID with a leading space',
      studyQuery({ '00100020': { vr: 'LO', Value: ['PID-X'] } }),
      ['1.2.3.0'],
    ],
    ['PN with trailing empty components', studyQuery({ '00100010': pn('Smith^Ann') }), ['1.2.3.0']],
    ['PN with component groups, wild card', studyQuery({ '00100010': pn('Yamada*') }), ['1.2.3.1']],
    [
      'PN folded, leading space',
      studyQuery({ '00100010': pn('DOE^JANE') }, { personNameCase: 'insensitive' }),
      ['1.2.3.2', '1.2.3.3'],
    ],
    [
      'a second value of Accession Number',
      studyQuery({ '00080050': { vr: 'SH', Value: ['A2'] } }),
      ['1.2.3.1'],
    ],
    [
      'Accession Number with a leading space',
      studyQuery({ '00080050': { vr: 'SH', Value: ['ACC-X'] } }),
      ['1.2.3.0'],
    ],
    [
      'a second Study Date in a range',
      studyQuery({ '00080020': { vr: 'DA', Value: ['20200616-'] } }),
      ['1.2.3.3'],
    ],
    [
      'dates that are not DA never match a range',
      studyQuery({ '00080020': { vr: 'DA', Value: ['20000101-'] } }),
      ['1.2.3.0', '1.2.3.3'],
    ],
    [
      'Modalities in Study from a padded Modality',
      studyQuery({ '00080061': { vr: 'CS', Value: ['CT'] } }),
      ['1.2.3.2'],
    ],
  ];

  it.each(cases)('%s', async (_name, query, expected) => {
    const found = await uids(query);
    expect(found).toEqual([...expected]);
    // And exactly what matches() says of every record.
    const everything = [];
    for await (const each of repository.match(studyQuery({}))) everything.push(each);
    expect(found).toEqual(
      everything
        .filter((each) => matches(query, each.attributes))
        .map((each) => String(each.attributes['0020000D']?.[0])),
    );
  });
});
