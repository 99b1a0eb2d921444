import type { DataSet } from '@dicomnet/data';
import { describe, expect, it } from 'vitest';
import { matches } from './matches.js';
import { parseQuery } from './parse-query.js';
import type { ParseQueryOptions } from './parse-query.js';
import type { MatchRecord } from './query.js';
import { TAG, element, sequence } from '../../test/helpers/test-elements.js';

type Row = readonly [
  name: string,
  key: DataSet,
  record: MatchRecord,
  expected: boolean,
  options?: ParseQueryOptions,
];

function check(rows: readonly Row[]): void {
  it.each(rows.map((row) => [row[0], row] as const))(
    '%s',
    (_name, [, key, record, expected, options]) => {
      expect(matches(parseQuery(key, options ?? {}), record)).toBe(expected);
    },
  );
}

const id = (value: string): DataSet => ({ [TAG.patientId]: element('LO', value) });
const name = (value: string): DataSet => ({ [TAG.patientName]: element('PN', value) });
const date = (value: string): DataSet => ({ [TAG.studyDate]: element('DA', value) });
const time = (value: string): DataSet => ({ [TAG.studyTime]: element('TM', value) });
const dt = (value: string): DataSet => ({ [TAG.acquisitionDateTime]: element('DT', value) });

describe('PS3.4 C.2.2.2.1 Single Value Matching', () => {
  check([
    ['exact value matches', id('P1'), { [TAG.patientId]: ['P1'] }, true],
    ['case counts for LO', id('p1'), { [TAG.patientId]: ['P1'] }, false],
    [
      'record padding is not significant (PS3.5 6.2)',
      id('P1'),
      { [TAG.patientId]: [' P1  '] },
      true,
    ],
    ['absent attribute does not match', id('P1'), {}, false],
    ['empty attribute does not match', id('P1'), { [TAG.patientId]: [''] }, false],
    [
      'any value of a multi-valued attribute',
      { [TAG.modalitiesInStudy]: element('CS', 'PT') },
      { [TAG.modalitiesInStudy]: ['CT', 'PT'] },
      true,
    ],
    ['PN case-sensitive by default', name('doe^john'), { [TAG.patientName]: ['DOE^JOHN'] }, false],
    [
      'PN case-insensitive when asked',
      name('doe^john'),
      { [TAG.patientName]: ['DOE^JOHN'] },
      true,
      { personNameCase: 'insensitive' },
    ],
    [
      'PN insensitive folds ASCII only',
      name('é'),
      { [TAG.patientName]: ['É'] },
      false,
      { fuzzyPersonNames: true },
    ],
    [
      'PN trailing carets not significant',
      name('DOE^JOHN^^'),
      { [TAG.patientName]: ['DOE^JOHN'] },
      true,
    ],
    ['PN groups compared whole', name('DOE=D'), { [TAG.patientName]: ['DOE=D='] }, true],
    [
      'UI padding NUL',
      { [TAG.studyUid]: element('UI', '1.2') },
      { [TAG.studyUid]: ['1.2\0'] },
      true,
    ],
    [
      'ST leading spaces significant',
      { [TAG.studyDescription]: element('ST', 'a') },
      { [TAG.studyDescription]: [' a'] },
      false,
    ],
  ]);
});

describe('PS3.4 C.2.2.2.2 List of UID Matching', () => {
  const key = { [TAG.studyUid]: element('UI', '1.2.3', '1.2.4') };
  check([
    ['first in the list', key, { [TAG.studyUid]: ['1.2.3'] }, true],
    ['second in the list', key, { [TAG.studyUid]: ['1.2.4'] }, true],
    ['not in the list', key, { [TAG.studyUid]: ['1.2.5'] }, false],
    ['no prefix matching', key, { [TAG.studyUid]: ['1.2.3.1'] }, false],
  ]);
});

describe('PS3.4 C.2.2.2.3 Universal Matching', () => {
  check([
    ['zero-length matches an absent attribute', { [TAG.patientId]: element('LO') }, {}, true],
    ['"*" matches an absent attribute', id('*'), {}, true],
    ['empty sequence key matches no items', { [TAG.requestAttributes]: sequence() }, {}, true],
  ]);
});

describe('PS3.4 C.2.2.2.4 Wild Card Matching', () => {
  check([
    ['* matches a run', id('P*9'), { [TAG.patientId]: ['P123456789'] }, true],
    ['* matches nothing', id('P*1'), { [TAG.patientId]: ['P1'] }, true],
    ['? matches one character', id('P?'), { [TAG.patientId]: ['P1'] }, true],
    ['? needs one character', id('P?'), { [TAG.patientId]: ['P'] }, false],
    ['? is one code point', id('?'), { [TAG.patientId]: ['😀'] }, true],
    ['case-sensitive for LO', id('p*'), { [TAG.patientId]: ['P1'] }, false],
    [
      'PN insensitive when asked',
      name('doe*'),
      { [TAG.patientName]: ['DOE^JOHN'] },
      true,
      { personNameCase: 'insensitive' },
    ],
    ['regex characters are literal', id('a.c*'), { [TAG.patientId]: ['abc'] }, false],
    ['brackets are literal', id('[a]*'), { [TAG.patientId]: ['[a]x'] }, true],
    ['% and _ are literal', id('%_*'), { [TAG.patientId]: ['ab'] }, false],
    ['anchored at both ends', id('B*'), { [TAG.patientId]: ['AB'] }, false],
    ['absent attribute does not match', id('P*'), {}, false],
  ]);
});

describe('PS3.4 C.2.2.2.5 Range Matching', () => {
  check([
    ['DA inside', date('20200101-20201231'), { [TAG.studyDate]: ['20200615'] }, true],
    ['DA on the start', date('20200101-20201231'), { [TAG.studyDate]: ['20200101'] }, true],
    ['DA on the end', date('20200101-20201231'), { [TAG.studyDate]: ['20201231'] }, true],
    ['DA after', date('20200101-20201231'), { [TAG.studyDate]: ['20210101'] }, false],
    ['DA open end', date('20200101-'), { [TAG.studyDate]: ['29991231'] }, true],
    ['DA open start', date('-20200101'), { [TAG.studyDate]: ['19000101'] }, true],
    ['DA open start excludes later', date('-20200101'), { [TAG.studyDate]: ['20200102'] }, false],
    ['DA single value', date('20200101'), { [TAG.studyDate]: ['20200101'] }, true],
    ['DA invalid record value', date('20200101-'), { [TAG.studyDate]: ['2020-01-02'] }, false],
    ['TM end minute included', time('1000-1800'), { [TAG.studyTime]: ['180059.5'] }, true],
    ['TM after end minute', time('1000-1800'), { [TAG.studyTime]: ['1801'] }, false],
    ['TM fractional start', time('101500.5-'), { [TAG.studyTime]: ['101500.4'] }, false],
    ['TM fractional start met', time('101500.5-'), { [TAG.studyTime]: ['101500.5'] }, true],
    ['TM record padding', time('10-11'), { [TAG.studyTime]: ['1030 '] }, true],
    ['TM single hour covers the hour', time('10'), { [TAG.studyTime]: ['1059'] }, true],
    [
      'DT offset of the record counts',
      dt('20200101000000-20200101005959'),
      { [TAG.acquisitionDateTime]: ['20200101013000+0100'] },
      true,
    ],
    [
      'DT offset moves it out',
      dt('20200101000000-20200101005959'),
      { [TAG.acquisitionDateTime]: ['20200101013000-0100'] },
      false,
    ],
    [
      'DT partial record value by its start',
      dt('2020-'),
      { [TAG.acquisitionDateTime]: ['2020'] },
      true,
    ],
  ]);
  const combined = { combinedDateTime: true } as const;
  const pair = {
    [TAG.studyDate]: element('DA', '20060705-20060707'),
    [TAG.studyTime]: element('TM', '1000-1800'),
  };
  check([
    [
      'combined: day 2 at 02:00 is inside (C.2.2.2.5.4)',
      pair,
      { [TAG.studyDate]: ['20060706'], [TAG.studyTime]: ['0200'] },
      true,
      combined,
    ],
    [
      'separately: 02:00 is outside',
      pair,
      { [TAG.studyDate]: ['20060706'], [TAG.studyTime]: ['0200'] },
      false,
    ],
    [
      'combined: first day before 10:00 is outside',
      pair,
      { [TAG.studyDate]: ['20060705'], [TAG.studyTime]: ['0959'] },
      false,
      combined,
    ],
    [
      'combined: no time is the start of the day',
      pair,
      { [TAG.studyDate]: ['20060707'] },
      true,
      combined,
    ],
  ]);
});

describe('PS3.4 C.2.2.2.6 Sequence Matching', () => {
  const key = {
    [TAG.requestAttributes]: sequence({
      [TAG.requestedProcedureId]: element('SH', 'RP1'),
      [TAG.studyUid]: element('UI'),
    }),
  };
  check([
    [
      'one item matches all item keys',
      key,
      {
        [TAG.requestAttributes]: [
          { [TAG.requestedProcedureId]: ['X'] },
          { [TAG.requestedProcedureId]: ['RP1'] },
        ],
      },
      true,
    ],
    [
      'no item matches',
      key,
      { [TAG.requestAttributes]: [{ [TAG.requestedProcedureId]: ['X'] }] },
      false,
    ],
    ['no items', key, {}, false],
  ]);
});

describe('PS3.4 C.2.2.2.7 Empty Value Matching and C.2.2.2.8 Multiple Value Matching', () => {
  const empty = { emptyValue: true } as const;
  const all = { multipleValue: true } as const;
  const modalities = { [TAG.modalitiesInStudy]: element('CS', 'CT', 'PT') };
  check([
    ['absent is empty', id('""'), {}, true, empty],
    ['zero-length is empty', id('""'), { [TAG.patientId]: [''] }, true, empty],
    ['spaces are empty', id('""'), { [TAG.patientId]: ['  '] }, true, empty],
    ['a value is not empty', id('""'), { [TAG.patientId]: ['P1'] }, false, empty],
    ['both values present', modalities, { [TAG.modalitiesInStudy]: ['PT', 'MR', 'CT'] }, true, all],
    ['one value missing', modalities, { [TAG.modalitiesInStudy]: ['CT', 'MR'] }, false, all],
  ]);
});

describe('all keys must match (C.2.2.2)', () => {
  check([
    [
      'both match',
      { ...id('P1'), ...date('20200101-') },
      { [TAG.patientId]: ['P1'], [TAG.studyDate]: ['20200101'] },
      true,
    ],
    [
      'one fails',
      { ...id('P1'), ...date('20210101-') },
      { [TAG.patientId]: ['P1'], [TAG.studyDate]: ['20200101'] },
      false,
    ],
  ]);
});
