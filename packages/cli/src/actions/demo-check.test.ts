import type { InventoryRecord } from '@dicomnet/storage-management';
import { describe, expect, it } from 'vitest';
import { compareWithStored } from './demo-check.js';
import type { DemoInstance } from './demo-studies.js';

const stored: DemoInstance[] = ['1', '2'].map((n) => ({
  patientId: 'P1',
  studyInstanceUid: '1.1',
  seriesInstanceUid: '1.1.1',
  sopInstanceUid: `1.1.1.${n}`,
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  modality: 'CT',
  bytes: new Uint8Array(),
}));

const study: InventoryRecord = {
  kind: 'study',
  studyInstanceUid: '1.1',
  attributes: { '00100020': { vr: 'LO', Value: ['P1'] } },
  inventory: '9',
};
const series: InventoryRecord = {
  kind: 'series',
  studyInstanceUid: '1.1',
  seriesInstanceUid: '1.1.1',
  attributes: { '00080060': { vr: 'CS', Value: ['CT'] } },
  inventory: '9',
};
const instance = (uid: string, sopClassUid = '1.2.840.10008.5.1.4.1.1.2'): InventoryRecord => ({
  kind: 'instance',
  studyInstanceUid: '1.1',
  seriesInstanceUid: '1.1.1',
  sopInstanceUid: uid,
  sopClassUid,
  attributes: {},
  inventory: '9',
});

describe('compareWithStored', () => {
  it('finds nothing when the records are what was stored, at each level', () => {
    expect(compareWithStored(stored, [study], 'STUDY')).toEqual([]);
    expect(compareWithStored(stored, [study, series], 'SERIES')).toEqual([]);
    expect(
      compareWithStored(
        stored,
        [study, series, instance('1.1.1.1'), instance('1.1.1.2')],
        'INSTANCE',
      ),
    ).toEqual([]);
  });

  it('names records missing, extra, repeated or with another value', () => {
    expect(
      compareWithStored(
        stored,
        [study, series, instance('1.1.1.1', '1.2.3'), instance('1.1.1.9'), instance('1.1.1.9')],
        'INSTANCE',
      ),
    ).toEqual([
      'instance 1.1.1.1: 1.2.3 listed, 1.2.840.10008.5.1.4.1.1.2 stored',
      'instance 1.1.1.9 listed but not stored',
      'instance 1.1.1.9 listed twice',
      'instance 1.1.1.9 listed but not stored',
      'instance 1.1.1.2 stored but not listed',
    ]);
    expect(compareWithStored(stored, [], 'STUDY')).toEqual(['study 1.1 stored but not listed']);
    expect(compareWithStored(stored, [study, study], 'STUDY')).toEqual(['study 1.1 listed twice']);
  });

  it('takes a study and series split over two Inventory instances as listed once in each', () => {
    const rest = (record: InventoryRecord): InventoryRecord => ({ ...record, inventory: '8' });
    expect(
      compareWithStored(
        stored,
        [study, series, instance('1.1.1.1'), rest(study), rest(series), rest(instance('1.1.1.2'))],
        'INSTANCE',
      ),
    ).toEqual([]);
  });
});
