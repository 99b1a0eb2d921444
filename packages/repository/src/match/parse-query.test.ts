import type { DataSet } from '@dicomnet/data';
import { DicomnetError } from '@dicomnet/data';
import { describe, expect, it } from 'vitest';
import { parseQuery } from './parse-query.js';
import type { ParseQueryOptions } from './parse-query.js';
import type { Condition } from './query.js';
import { QueryError } from './query-error.js';
import { TAG, element, sequence } from '../../test/helpers/test-elements.js';

function only(identifier: DataSet, options: ParseQueryOptions = {}): Condition {
  const [condition, ...rest] = parseQuery(identifier, options).conditions;
  expect(rest).toEqual([]);
  if (condition === undefined) throw new Error('no condition');
  return condition;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(DicomnetError.isInstance(error)).toBe(true);
    return (error as QueryError).code; // a DicomnetError, checked above
  }
  return undefined;
}

describe('PS3.4 C.2.2.2.3 Universal Matching', () => {
  it.each([
    ['zero-length', element('LO')],
    ['spaces only (padding, PS3.5 6.2)', element('LO', '   ')],
    ['"*" (C.2.2.2.4)', element('LO', '*')],
    ['"**"', element('PN', '**')],
  ])('%s is universal', (_name, key) => {
    expect(only({ [TAG.patientId]: key })).toEqual({
      kind: 'universal',
      tag: TAG.patientId,
      vr: key.vr,
    });
  });
  it('a sequence key without item keys is universal (C.2.2.2.6)', () => {
    expect(only({ [TAG.requestAttributes]: sequence({}) }).kind).toBe('universal');
    expect(only({ [TAG.requestAttributes]: sequence() }).kind).toBe('universal');
  });
});

describe('PS3.4 C.2.2.2.1 Single Value Matching and PS3.5 6.2 padding', () => {
  it.each([
    ['LO leading and trailing spaces dropped', 'LO', ' ABC ', 'ABC'],
    ['CS trailing spaces dropped', 'CS', 'CT ', 'CT'],
    ['ST leading spaces kept', 'ST', '  note ', '  note'],
    ['UI trailing NUL dropped', 'UI', '1.2.3\0', '1.2.3'],
    ['PN trailing empty components dropped', 'PN', 'DOE^JOHN^^', 'DOE^JOHN'],
    ['"-" is literal outside DA/TM/DT', 'SH', 'A-1', 'A-1'],
  ])('%s', (_name, vr, value, expected) => {
    const condition = only({ [TAG.accessionNumber]: element(vr, value) });
    expect(condition).toMatchObject({ kind: 'single', value: expected, caseInsensitive: false });
  });
  it('PN is case-sensitive by default, insensitive when configured or fuzzy', () => {
    const key = { [TAG.patientName]: element('PN', 'doe') };
    expect(only(key)).toMatchObject({ caseInsensitive: false });
    expect(only(key, { personNameCase: 'insensitive' })).toMatchObject({ caseInsensitive: true });
    expect(only(key, { fuzzyPersonNames: true })).toMatchObject({ caseInsensitive: true });
    // Only PN: C.2.2.2.1 makes every other VR case-sensitive.
    expect(
      only({ [TAG.patientId]: element('LO', 'doe') }, { personNameCase: 'insensitive' }),
    ).toMatchObject({
      caseInsensitive: false,
    });
  });
  it('numbers of binary VRs are matched as their decimal strings', () => {
    expect(only({ [TAG.numberOfInstances]: { vr: 'IS', Value: ['12'] } })).toMatchObject({
      value: '12',
    });
    expect(only({ '00280010': { vr: 'US', Value: [512] } })).toMatchObject({ value: '512' });
  });
});

describe('PS3.4 C.2.2.2.2 List of UID Matching', () => {
  it('several UI values are a list', () => {
    expect(only({ [TAG.studyUid]: element('UI', '1.2.3', '1.2.4\0') })).toEqual({
      kind: 'uid-list',
      tag: TAG.studyUid,
      vr: 'UI',
      values: ['1.2.3', '1.2.4'],
    });
  });
  it.each([
    ['not a UID', ['1.2.x']],
    ['leading zero', ['1.02']],
    ['empty component', ['1..2']],
    ['too long', [`1.${'2'.repeat(63)}`]],
    ['bad UID in a list', ['1.2', "1.2'; DROP TABLE x; --"]],
  ])('%s is refused', (_name, values) => {
    expect(codeOf(() => parseQuery({ [TAG.studyUid]: element('UI', ...values) }))).toBe(
      'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
    );
  });
  it('several values of another VR need Multiple Value Matching (C.2.2.2.8)', () => {
    const key = { [TAG.modalitiesInStudy]: element('CS', 'CT', 'PT') };
    expect(codeOf(() => parseQuery(key))).toBe('DICOMNET_REPOSITORY_QUERY_INVALID_VALUE');
    expect(only(key, { multipleValue: true })).toMatchObject({
      kind: 'all-of',
      conditions: [
        { kind: 'single', value: 'CT' },
        { kind: 'single', value: 'PT' },
      ],
    });
  });
});

describe('PS3.4 C.2.2.2.4 Wild Card Matching', () => {
  it.each(['AE', 'CS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UR', 'UT'])(
    '%s takes * and ?',
    (vr) => {
      expect(only({ [TAG.accessionNumber]: element(vr, 'A?C*') })).toMatchObject({
        kind: 'wildcard',
        pattern: 'A?C*',
      });
    },
  );
  it.each([
    ['DA', '2020*'],
    ['TM', '10*'],
    ['UI', '1.2.*'],
    ['DS', '1*'],
    ['IS', '?'],
    ['AS', '0*Y'],
  ])('%s does not (%s)', (vr, value) => {
    expect(codeOf(() => parseQuery({ [TAG.accessionNumber]: element(vr, value) }))).toBe(
      'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
    );
  });
});

describe('PS3.4 C.2.2.2.5 Range Matching', () => {
  it.each([
    ['DA closed', 'DA', '20200101-20201231', '20200101', '20201231'],
    ['DA open end', 'DA', '20200101-', '20200101', undefined],
    ['DA open start', 'DA', '-20200101', undefined, '20200101'],
    ['DA single value = that day', 'DA', '20200101', '20200101', '20200101'],
    ['TM with fractions', 'TM', '101500.25-1800', '101500.250000', '180059.999999'],
    ['TM single hour', 'TM', '10', '100000.000000', '105959.999999'],
    [
      'DT with offsets',
      'DT',
      '20200101000000+0100-20200101000000-0100',
      '20191231230000.000000',
      '20200101010000.999999',
    ],
    [
      'DT single with a positive offset',
      'DT',
      '202001010000+0500',
      '20191231190000.000000',
      '20191231190059.999999',
    ],
    [
      'DT range with negative offsets',
      'DT',
      '202001010000-0500-202001010100-0500',
      '20200101050000.000000',
      '20200101060059.999999',
    ],
    ['DT open start', 'DT', '-2020', undefined, '20201231235959.999999'],
  ])('%s', (_name, vr, value, from, to) => {
    const condition = only({ [TAG.studyDate]: element(vr, value) });
    expect(condition).toEqual({
      kind: 'range',
      tag: TAG.studyDate,
      vr,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
  });
  it('DT keys without an offset take Timezone Offset From UTC (0008,0201) of the identifier', () => {
    const condition = only({
      [TAG.acquisitionDateTime]: element('DT', '20200101120000'),
      '00080201': element('SH', '+0200'),
    });
    expect(condition).toMatchObject({ from: '20200101100000.000000' });
  });
  it.each([
    ['reversed', 'DA', '20201231-20200101'],
    ['crossing midnight (C.2.2.2.5.2)', 'TM', '2200-0200'],
    ['a lone "-"', 'DA', '-'],
    ['two ranges', 'DA', '20200101-20200102-20200103'],
    ['bad date', 'DA', '20200230'],
    ['garbage', 'TM', "10'--"],
    ['a DT with a negative offset is a range (C.2.2.2.1.3 note 3)', 'DT', '202001010000-0500'],
    ['a DT with a negative offset is a range (C.2.2.2.1.3 note 3)', 'DT', '202001010000-0500'],
  ])('%s is refused', (_name, vr, value) => {
    expect(codeOf(() => parseQuery({ [TAG.studyDate]: element(vr, value) }))).toBe(
      'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
    );
  });
});

describe('PS3.4 C.2.2.2.5.4 combined datetime matching (extended negotiation)', () => {
  const identifier = {
    [TAG.studyDate]: element('DA', '20060705-20060707'),
    [TAG.studyTime]: element('TM', '1000-1800'),
  };
  it('a DA and TM range pair of the same form is one DT range', () => {
    expect(parseQuery(identifier, { combinedDateTime: true }).conditions).toEqual([
      {
        kind: 'date-time-range',
        tag: TAG.studyDate,
        timeTag: TAG.studyTime,
        vr: 'DA',
        from: '20060705100000.000000',
        to: '20060707180059.999999',
      },
    ]);
  });
  it('without the negotiation, or with different forms, they stay apart', () => {
    expect(parseQuery(identifier).conditions.map((c) => c.kind)).toEqual(['range', 'range']);
    const mixed = { ...identifier, [TAG.studyTime]: element('TM', '1000-') };
    expect(parseQuery(mixed, { combinedDateTime: true }).conditions.map((c) => c.kind)).toEqual([
      'range',
      'range',
    ]);
  });
});

describe('PS3.4 C.2.2.2.6 Sequence Matching', () => {
  it('the single item holds nested conditions', () => {
    const condition = only({
      [TAG.requestAttributes]: sequence({
        [TAG.requestedProcedureId]: element('SH', 'RP*'),
        [TAG.studyUid]: element('UI'),
      }),
    });
    expect(condition).toMatchObject({
      kind: 'sequence',
      conditions: [
        { kind: 'universal', tag: TAG.studyUid },
        { kind: 'wildcard', tag: TAG.requestedProcedureId },
      ],
    });
  });
  it('more than one item, or nesting past the limit, is refused', () => {
    const two = { [TAG.requestAttributes]: sequence({ a: element('SH', 'x') }, {}) };
    expect(codeOf(() => parseQuery(two))).toBe('DICOMNET_REPOSITORY_QUERY_INVALID_VALUE');
    let deep: DataSet = { [TAG.patientId]: element('LO', 'x') };
    for (let depth = 0; depth < 3; depth++) deep = { [TAG.requestAttributes]: sequence(deep) };
    expect(codeOf(() => parseQuery(deep, { maxSequenceDepth: 2 }))).toBe(
      'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
    );
    expect(parseQuery(deep, { maxSequenceDepth: 3 }).conditions).toHaveLength(1);
  });
});

describe('PS3.4 C.2.2.2.7 Empty Value Matching (extended)', () => {
  it('"" is empty value matching only with the mechanism', () => {
    const key = { [TAG.accessionNumber]: element('SH', '""') };
    expect(only(key, { emptyValue: true })).toEqual({
      kind: 'empty',
      tag: TAG.accessionNumber,
      vr: 'SH',
    });
    expect(only(key)).toMatchObject({ kind: 'single', value: '""' });
  });
});

describe('hostile values (PS3.5 6.1.3: no control characters but ESC)', () => {
  it.each([
    ['NUL', 'LO', 'A\0B'],
    ['backslash inside one value', 'LO', 'A\\B'],
    ['BEL', 'PN', 'DOE\x07'],
    ['DEL', 'SH', 'A\x7f'],
  ])('%s is refused', (_name, vr, value) => {
    expect(codeOf(() => parseQuery({ [TAG.patientId]: element(vr, value) }))).toBe(
      'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
    );
  });
  it('quotes, % and _ are ordinary characters', () => {
    expect(only({ [TAG.patientId]: element('LO', "O'Brien%_") })).toMatchObject({
      value: "O'Brien%_",
    });
  });
  it('text VRs keep backslash, CR and LF', () => {
    expect(only({ [TAG.studyDescription]: element('LT', 'a\\b\r\nc') })).toMatchObject({
      value: 'a\\b\r\nc',
    });
  });
});

describe('Query/Retrieve Level, return keys and unsupported keys', () => {
  it('takes the level and lists every key as a return key', () => {
    const query = parseQuery(
      {
        [TAG.level]: element('CS', 'STUDY '),
        '00080005': element('CS', 'ISO_IR 192'),
        [TAG.studyUid]: element('UI'),
        [TAG.patientId]: element('LO', 'P1'),
      },
      { level: 'required' },
    );
    expect(query.level).toBe('STUDY');
    expect(query.returnKeys).toEqual(['00080005', TAG.patientId, TAG.studyUid]);
    expect(query.specificCharacterSet).toEqual(['ISO_IR 192']);
    // Specific Character Set is never matched (C.2.2.2).
    expect(query.conditions.map((c) => c.tag)).toEqual([TAG.patientId, TAG.studyUid]);
  });
  it.each([
    ['missing', {}, 'required'],
    ['unknown', { [TAG.level]: element('CS', 'WORLD') }, 'required'],
    ['two values', { [TAG.level]: element('CS', 'STUDY', 'SERIES') }, 'required'],
    ['present in a single-level model', { [TAG.level]: element('CS', 'STUDY') }, 'forbidden'],
  ] as const)('a level %s is refused', (_name, identifier, level) => {
    let error: unknown;
    try {
      parseQuery(identifier, { level });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({
      code: 'DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL',
      tag: TAG.level,
      findStatus: 0xa900,
    });
  });
  it('unsupported keys are universal and listed, or refused on request', () => {
    const identifier = {
      [TAG.patientId]: element('LO', 'P1'),
      [TAG.studyDescription]: element('LO', 'HEAD*'),
      '7FE00010': { vr: 'OW' },
    };
    const isMatchable = (tag: string): boolean => tag === TAG.patientId;
    const query = parseQuery(identifier, { isMatchable });
    expect(query.ignoredKeys).toEqual([TAG.studyDescription, '7FE00010']);
    expect(query.conditions.filter((c) => c.kind !== 'universal').map((c) => c.tag)).toEqual([
      TAG.patientId,
    ]);
    let error: unknown;
    try {
      parseQuery(identifier, { isMatchable, unsupportedKeys: 'reject' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'DICOMNET_REPOSITORY_QUERY_UNSUPPORTED_KEY',
      tag: TAG.studyDescription,
      inventoryStatus: 0xb010,
    });
    expect(String(error)).toContain('(0008,1030)');
  });
});
