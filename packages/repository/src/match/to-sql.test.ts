import type { DataSet } from '@dicomnet/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from '../sqlite/index.js';
import { parseQuery } from './parse-query.js';
import type { ParseQueryOptions } from './parse-query.js';
import type { MatchRecord } from './query.js';
import {
  columnMap,
  fillFixtureTable,
  openFixtureDatabase,
  selectInMemory,
  selectWithSql,
} from '../../test/helpers/sql-fixture.js';
import { TAG, element, sequence } from '../../test/helpers/test-elements.js';
import { storedValue, toSql } from './to-sql.js';

let db: SqliteDatabase;
beforeAll(async () => {
  db = await openFixtureDatabase();
});
afterAll(() => db.close());

const records: MatchRecord[] = [
  { [TAG.patientId]: ["O'Brien"], [TAG.patientName]: ['DOE^JOHN'], [TAG.studyDate]: ['20200101'] },
  { [TAG.patientId]: ['100%_sure'], [TAG.patientName]: ['doe^jane'], [TAG.studyTime]: ['1030'] },
  { [TAG.patientId]: ['a\\b'], [TAG.accessionNumber]: ['[x]*?'], [TAG.studyUid]: ['1.2.3'] },
  { [TAG.patientId]: ['Robert"); DROP TABLE record; --'], [TAG.retrieveAe]: ['AE_1'] },
  { [TAG.patientId]: [''], [TAG.acquisitionDateTime]: ['20200101120000+0100'] },
  {},
  { [TAG.modalitiesInStudy]: ['CT', 'PT'] },
  { [TAG.modalitiesInStudy]: ['CTX', 'MR'] },
  { [TAG.modalitiesInStudy]: ['', ' '] },
];

function both(
  identifier: DataSet,
  options: ParseQueryOptions = {},
): { sql: number[]; memory: number[] } {
  const query = parseQuery(identifier, options);
  fillFixtureTable(db, records);
  const personName = options.personNameCase === 'insensitive' ? 'folded' : 'text';
  return {
    sql: selectWithSql(db, query, records, personName),
    memory: selectInMemory(query, records),
  };
}

describe('toSql on a real SQLite agrees with matches()', () => {
  it.each([
    ['a quote is a character', { [TAG.patientId]: element('LO', "O'Brien") }, [0]],
    ['% and _ are not LIKE wild cards', { [TAG.patientId]: element('LO', '100%_sure') }, [1]],
    ['% does not match any run', { [TAG.patientId]: element('LO', '%') }, []],
    ['_ does not match one character', { [TAG.patientId]: element('LO', '_*') }, []],
    [
      'a pattern cannot close the statement',
      { [TAG.patientId]: element('LO', 'Robert"); DROP*') },
      [3],
    ],
    ['[ in a GLOB pattern is literal', { [TAG.accessionNumber]: element('SH', '[x]*') }, [2]],
    ['_ in AE stays literal', { [TAG.retrieveAe]: element('AE', 'AE_?') }, [3]],
    [
      '? in a record value is only a character',
      { [TAG.accessionNumber]: element('SH', '[x]??') },
      [2],
    ],
    [
      'UID list through one JSON parameter',
      { [TAG.studyUid]: element('UI', '1.2.3', '1.2.4') },
      [2],
    ],
    ['date range', { [TAG.studyDate]: element('DA', '20191231-20200101') }, [0]],
    ['time range', { [TAG.studyTime]: element('TM', '10-1030') }, [1]],
    [
      'datetime with offsets',
      { [TAG.acquisitionDateTime]: element('DT', '202001011100-202001011100') },
      [4],
    ],
    ['PN case-sensitive on the text column', { [TAG.patientName]: element('PN', 'DOE*') }, [0]],
  ] as const)('%s', (_name, identifier, expected) => {
    const { sql, memory } = both(identifier);
    expect(memory).toEqual(expected);
    expect(sql).toEqual(expected);
    expect(db.prepare('SELECT count(*) AS n FROM record').get()).toEqual({ n: records.length });
  });
  it('PN case-insensitive on the folded column, and on the text column through upper()', () => {
    const identifier = { [TAG.patientName]: element('PN', 'doe^j*') };
    const options = { personNameCase: 'insensitive' } as const;
    expect(both(identifier, options)).toEqual({ sql: [0, 1], memory: [0, 1] });
    const query = parseQuery(identifier, options);
    expect(toSql(query, columnMap('text')).where).toContain('upper(');
    expect(toSql(query, columnMap('folded')).where).not.toContain('upper(');
  });
  it('empty value matching covers absent and zero-length', () => {
    expect(both({ [TAG.patientId]: element('LO', '""') }, { emptyValue: true })).toEqual({
      sql: [4, 5, 6, 7, 8],
      memory: [4, 5, 6, 7, 8],
    });
  });
  it('a multi-valued column: any value (C.2.2.3), all key values (C.2.2.2.8), empty values', () => {
    const modalities = (...values: string[]): DataSet => ({
      [TAG.modalitiesInStudy]: element('CS', ...values),
    });
    expect(both(modalities('CT'))).toEqual({ sql: [6], memory: [6] });
    expect(both(modalities('MR'))).toEqual({ sql: [7], memory: [7] });
    const all = { multipleValue: true } as const;
    expect(both(modalities('CT', 'PT'), all)).toEqual({ sql: [6], memory: [6] });
    expect(both(modalities('CT', 'MR'), all)).toEqual({ sql: [], memory: [] });
    expect(both(modalities('""'), { emptyValue: true })).toMatchObject({
      sql: [0, 1, 2, 3, 4, 5, 8],
    });
    const wildcard = toSql(parseQuery(modalities('C*')), columnMap('text'));
    expect(wildcard.residual.conditions).toHaveLength(1);
  });
});

describe('what stays in memory', () => {
  it.each([
    ['a key without a column', { [TAG.studyDescription]: element('LO', 'X') }],
    [
      'a sequence key (C.2.2.2.6)',
      { [TAG.requestAttributes]: sequence({ [TAG.patientId]: element('LO', 'X') }) },
    ],
  ])('%s', (_name, identifier) => {
    const filter = toSql(parseQuery(identifier), columnMap('text'));
    expect(filter.where).toBe('1');
    expect(filter.residual.conditions).toHaveLength(1);
  });
  it('a case-sensitive PN key on a folded column', () => {
    const filter = toSql(
      parseQuery({ [TAG.patientName]: element('PN', 'Doe') }),
      columnMap('folded'),
    );
    expect(filter.residual.conditions.map((c) => c.tag)).toEqual([TAG.patientName]);
  });
  it('values are parameters, never SQL text', () => {
    const hostile = "x' OR '1'='1";
    const filter = toSql(
      parseQuery({ [TAG.patientId]: element('LO', hostile) }),
      columnMap('text'),
    );
    expect(filter.where).not.toContain(hostile);
    expect(filter.parameters).toEqual([hostile]);
    expect(filter.where).toBe('("record"."patient_id" = ?)');
  });
  it('stored values are in the column forms', () => {
    expect(storedValue('time', 'TM', ['1030'])).toBe('103000.000000');
    expect(storedValue('datetime', 'DT', ['20200101120000+0100'])).toBe('20200101110000.000000');
    expect(storedValue('date', 'DA', ['2020'])).toBeNull();
    expect(storedValue('folded', 'PN', ['Doe^John^'])).toBe('DOE^JOHN');
    expect(storedValue('text', 'LO', undefined)).toBeNull();
    expect(storedValue('multi-text', 'CS', ['CT ', 'PT'])).toBe('CT\\PT');
    expect(storedValue('multi-text', 'CS', ['', ' '])).toBe('');
  });
});
