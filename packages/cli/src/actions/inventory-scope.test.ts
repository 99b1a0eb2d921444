import { describe, expect, it } from 'vitest';
import { queryKey } from '../commands/query-keys.js';
import { describeScope, scopeKeysOf } from './inventory-scope.js';

const keys = (...texts: string[]) => texts.map(queryKey);

describe('scopeKeysOf', () => {
  it('puts a date range in the Range Matching Sequence, either end open', () => {
    expect(scopeKeysOf(keys('StudyDate=20240101-20241231', 'PatientBirthDate=-19500101'))).toEqual({
      ranges: {
        '00080020': { vr: 'DA', from: '20240101', to: '20241231' },
        '00100030': { vr: 'DA', to: '19500101' },
      },
    });
  });

  it('puts several UIDs in the List of UID Matching Sequence, one UID as a single value', () => {
    expect(scopeKeysOf(keys('StudyInstanceUID=1.2.3\\1.2.4', 'SeriesInstanceUID=1.2.5'))).toEqual({
      uidLists: { '0020000D': ['1.2.3', '1.2.4'] },
      keys: { '0020000E': { vr: 'UI', Value: ['1.2.5'] } },
    });
  });

  it('puts an empty key in the Empty Value Matching Sequence with EMPTY_VALUE', () => {
    expect(scopeKeysOf(keys('AccessionNumber='))).toEqual({
      emptyValues: { '00080050': 'SH' },
      extendedMatchingMechanisms: ['EMPTY_VALUE'],
    });
  });

  it('puts a wild card in the General Matching Sequence, a person name as PN', () => {
    expect(scopeKeysOf(keys('PatientName=SMITH*', 'PatientID=A?C'))).toEqual({
      general: {
        '00100010': { vr: 'PN', Value: [{ Alphabetic: 'SMITH*' }] },
        '00100020': { vr: 'LO', Value: ['A?C'] },
      },
    });
  });

  it('keeps a single value in the item, and several values with MULTI_VALUE', () => {
    expect(scopeKeysOf(keys('ModalitiesInStudy=CT\\PT', 'PatientID=DEMO0001'))).toEqual({
      keys: {
        '00080061': { vr: 'CS', Value: ['CT', 'PT'] },
        '00100020': { vr: 'LO', Value: ['DEMO0001'] },
      },
      extendedMatchingMechanisms: ['MULTI_VALUE'],
    });
  });

  it('takes tags as well as keywords, and a date without a dash as a single value', () => {
    expect(scopeKeysOf(keys('0008,0020=20240115'))).toEqual({
      keys: { '00080020': { vr: 'DA', Value: ['20240115'] } },
    });
  });

  it('makes nothing of no keys (a universal scope)', () => {
    expect(scopeKeysOf([])).toEqual({});
    expect(describeScope([], String)).toBe('every study');
  });
});
