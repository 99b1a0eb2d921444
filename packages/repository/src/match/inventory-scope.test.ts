// Scope of Inventory (PS3.3 C.38.2.1, Table C.38.2-1; PS3.4 KK.2.2.1.1) and its statuses
// (PS3.4 Table KK.2.2.3-1; storage-management-corrections.md).
import type { DataSet } from '@dicomnet/data';
import { describe, expect, it } from 'vitest';
import { parseInventoryScope } from './inventory-scope.js';
import { matches } from './matches.js';
import type { MatchRecord } from './query.js';
import { QueryError } from './query-error.js';
import { TAG, element, sequence } from '../../test/helpers/test-elements.js';

const EMM = '0008040F';
const RANGE = '00080410';
const UID_LIST = '00080411';
const EMPTY = '00080412';
const GENERAL = '00080413';

function errorOf(scope: DataSet): QueryError {
  try {
    parseInventoryScope(scope);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error('no error');
}

const study: MatchRecord = {
  [TAG.studyUid]: ['1.2.3'],
  [TAG.studyDate]: ['20240315'],
  [TAG.patientId]: ['P1'],
  [TAG.modalitiesInStudy]: ['CT', 'PT'],
};

describe('Scope of Inventory as a query', () => {
  it('an absent or empty item is universal: a comprehensive inventory (KK.2.2.1.1)', () => {
    expect(matches(parseInventoryScope(undefined), study)).toBe(true);
    expect(matches(parseInventoryScope({}), study)).toBe(true);
  });
  it('Range Matching Sequence: begin and end as two values, open ends empty (C.38.2.1.1.3)', () => {
    const scope = (begin: string, end: string): DataSet => ({
      [RANGE]: sequence({ [TAG.studyDate]: element('DA', begin, end) }),
    });
    expect(matches(parseInventoryScope(scope('20240101', '20241231')), study)).toBe(true);
    expect(matches(parseInventoryScope(scope('20240401', '')), study)).toBe(false);
    expect(matches(parseInventoryScope(scope('', '20240315')), study)).toBe(true);
    expect(parseInventoryScope(scope('', '')).conditions[0]?.kind).toBe('universal');
    expect(errorOf(scope('20241231', '20240101')).inventoryStatus).toBe(0x0115);
  });
  it('a range written as one "from-to" value is accepted too', () => {
    const scope = { [RANGE]: sequence({ [TAG.studyDate]: element('DA', '20240301-20240331') }) };
    expect(matches(parseInventoryScope(scope), study)).toBe(true);
  });
  it('List of UID Matching Sequence (C.38.2.1.1.4)', () => {
    const scope = { [UID_LIST]: sequence({ [TAG.studyUid]: element('UI', '1.2.9', '1.2.3') }) };
    expect(matches(parseInventoryScope(scope), study)).toBe(true);
    const other = { [UID_LIST]: sequence({ [TAG.studyUid]: element('UI', '1.2.9', '1.2.8') }) };
    expect(matches(parseInventoryScope(other), study)).toBe(false);
    const wrongVr = { [UID_LIST]: sequence({ [TAG.patientId]: element('LO', 'P1') }) };
    expect(errorOf(wrongVr).code).toBe('DICOMNET_REPOSITORY_QUERY_INVALID_VALUE');
  });
  it('Empty Value Matching Sequence (C.38.2.1.1.5, PS3.4 C.2.2.2.7)', () => {
    const scope = { [EMPTY]: sequence({ [TAG.accessionNumber]: element('SH') }) };
    expect(matches(parseInventoryScope(scope), study)).toBe(true);
    expect(matches(parseInventoryScope(scope), { ...study, [TAG.accessionNumber]: ['A1'] })).toBe(
      false,
    );
  });
  it('General Matching Sequence and keys in the item follow C.2.2.2; all must match', () => {
    const scope = {
      [TAG.patientId]: element('LO', 'P*'),
      [GENERAL]: sequence({ [TAG.modalitiesInStudy]: element('CS', 'PT') }),
    };
    expect(matches(parseInventoryScope(scope), study)).toBe(true);
    const miss = {
      ...scope,
      [GENERAL]: sequence({ [TAG.modalitiesInStudy]: element('CS', 'MR') }),
    };
    expect(matches(parseInventoryScope(miss), study)).toBe(false);
  });
  it('Extended Matching Mechanisms switch mechanisms on (Table C.5-2 equivalents)', () => {
    const all = {
      [EMM]: element('CS', 'MULTI_VALUE'),
      [TAG.modalitiesInStudy]: element('CS', 'CT', 'PT'),
    };
    expect(matches(parseInventoryScope(all), study)).toBe(true);
    expect(errorOf({ [TAG.modalitiesInStudy]: element('CS', 'CT', 'PT') }).code).toBe(
      'DICOMNET_REPOSITORY_QUERY_INVALID_VALUE',
    );
  });
  it('an unknown or unimplemented mechanism is 0x0212', () => {
    for (const value of ['TIMEZONE_ADJUST', 'SOUNDEX']) {
      const error = errorOf({ [EMM]: element('CS', value) });
      expect(error.code).toBe('DICOMNET_REPOSITORY_QUERY_UNSUPPORTED_MECHANISM');
      expect(error.inventoryStatus).toBe(0x0212);
    }
  });
  it('RELATIONAL takes a Query/Retrieve Level; without it a level is refused', () => {
    const relational = { [EMM]: element('CS', 'RELATIONAL'), [TAG.level]: element('CS', 'SERIES') };
    expect(parseInventoryScope(relational).level).toBe('SERIES');
    expect(errorOf({ [EMM]: element('CS', 'RELATIONAL') }).code).toBe(
      'DICOMNET_REPOSITORY_QUERY_INVALID_LEVEL',
    );
    expect(errorOf({ [TAG.level]: element('CS', 'STUDY') }).inventoryStatus).toBe(0x0212);
  });
  it('keys not supported for matching are ignored and listed, for 0xB010', () => {
    const scope = {
      [TAG.patientId]: element('LO', 'nobody'),
      [RANGE]: sequence({ [TAG.birthDate]: element('DA', '19000101', '') }),
    };
    const query = parseInventoryScope(scope, { isMatchable: (tag) => tag === TAG.studyUid });
    expect(query.ignoredKeys).toEqual([TAG.patientId, TAG.birthDate]);
    expect(matches(query, study)).toBe(true);
  });
});
