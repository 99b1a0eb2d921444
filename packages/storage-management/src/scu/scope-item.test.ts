import { describe, expect, it } from 'vitest';
import { parseInventoryScope } from '@dicomnet/repository';
import { buildScopeItem } from './scope-item.js';
import {
  cancelInformation,
  initiateInformation,
  requestStatusInformation,
} from './action-information.js';

describe('buildScopeItem (PS3.3 C.38.2.1)', () => {
  it('puts each mechanism in its sequence, as the repository reads it back', () => {
    const item = buildScopeItem({
      keys: { '00100020': { vr: 'LO', Value: ['PAT*'] } },
      ranges: { '00080020': { vr: 'DA', from: '20240101', to: '20240401' } },
      uidLists: { '0020000D': ['1.2.3', '1.2.4'] },
      emptyValues: { '00081030': 'LO' },
      general: { '00080061': { vr: 'CS', Value: ['CT'] } },
      extendedMatchingMechanisms: ['EMPTY_VALUE'],
    });
    expect(item['00080410']).toEqual({
      vr: 'SQ',
      Value: [{ '00080020': { vr: 'DA', Value: ['20240101', '20240401'] } }],
    });
    expect(item['00080411']).toEqual({
      vr: 'SQ',
      Value: [{ '0020000D': { vr: 'UI', Value: ['1.2.3', '1.2.4'] } }],
    });
    expect(item['00080412']).toEqual({ vr: 'SQ', Value: [{ '00081030': { vr: 'LO' } }] });
    expect(item['0008040F']).toEqual({ vr: 'CS', Value: ['EMPTY_VALUE'] });
    const query = parseInventoryScope(item);
    expect(query.conditions.map((condition) => [condition.tag, condition.kind]).sort()).toEqual([
      ['00080020', 'range'],
      ['00080061', expect.any(String)],
      ['00081030', 'empty'],
      ['00100020', expect.any(String)],
      ['0020000D', expect.any(String)],
    ]);
  });

  it('refuses keys that are not tag keys and ranges without ends', () => {
    expect(() => buildScopeItem({ keys: { StudyDate: { vr: 'DA' } } })).toThrow(
      expect.objectContaining({ code: 'DICOMNET_INVENTORY_REQUEST_INVALID' }),
    );
    expect(() => buildScopeItem({ ranges: { '00080020': { vr: 'DA' } } })).toThrow(/neither/);
    expect(() => buildScopeItem({ uidLists: { '0020000D': [] } })).toThrow(/empty/);
  });
});

describe('Action Information (PS3.4 Table KK.2-1)', () => {
  it('Initiate: Transaction UID, level, an empty Scope of Inventory Sequence for everything', () => {
    expect(initiateInformation({ transactionUid: '2.25.1', level: 'SERIES' })).toEqual({
      '00081195': { vr: 'UI', Value: ['2.25.1'] },
      '00080400': { vr: 'SQ', Value: [] },
      '00080403': { vr: 'CS', Value: ['SERIES'] },
    });
  });

  it('sends optional arguments only when given, never empty', () => {
    const info = initiateInformation({
      transactionUid: '2.25.1',
      level: 'STUDY',
      purpose: 'migration',
      requestedStatusInterval: 5,
    });
    expect(info['00080401']).toEqual({ vr: 'LT', Value: ['migration'] });
    expect(info['00080414']).toEqual({ vr: 'US', Value: [5] });
    expect(() =>
      initiateInformation({ transactionUid: '2.25.1', level: 'STUDY', purpose: '' }),
    ).toThrow(/empty/);
    expect(() => requestStatusInformation('2.25.1', 0)).toThrow(/1..65535/);
    expect(() => initiateInformation({ transactionUid: '2.25.01', level: 'STUDY' })).toThrow(
      /not a valid UID/,
    );
    expect(() =>
      initiateInformation({ transactionUid: '2.25.1', level: 'PATIENT' as never }),
    ).toThrow(/Inventory Level/);
  });

  it('Cancel carries Retain Instances YES or NO', () => {
    expect(cancelInformation('2.25.1', true)['00080415']).toEqual({ vr: 'CS', Value: ['YES'] });
    expect(cancelInformation('2.25.1', false)['00080415']).toEqual({ vr: 'CS', Value: ['NO'] });
  });
});
