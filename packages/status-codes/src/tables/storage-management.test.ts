import { describe, expect, it } from 'vitest';
import { describeStatus } from '../describe-status.js';
import type { StatusCategory } from '../status-category.js';
import { statusesOf } from '../status-tables.js';
import { StorageManagementStatus } from './storage-management.js';

type Row = readonly [code: number, category: StatusCategory, meaning: string, reference: string];

const KK = 'PS3.4 Table KK.2.2.3-1';
const N_ACTION = 'PS3.7 10.1.4.1.10';
const N_EVENT_REPORT = 'PS3.7 10.1.1.1.8';

// Written by hand from PS3.4 Table KK.2.2.3-1 (2023b and 2025a) and the general N-ACTION
// failures it refers to (PS3.7 10.1.4.1.10, as PS3.2 Table N.7-44 lists them).
const actionRows: readonly Row[] = [
  [0x0000, 'Success', 'Success', KK],
  [0x0110, 'Failure', 'Processing failure', KK],
  [0x0112, 'Failure', 'No such SOP Instance', N_ACTION],
  [0x0114, 'Failure', 'No such argument', N_ACTION],
  [0x0115, 'Failure', 'Invalid argument value', N_ACTION],
  [0x0117, 'Failure', 'Invalid object instance', N_ACTION],
  [0x0118, 'Failure', 'No such SOP Class', N_ACTION],
  [0x0119, 'Failure', 'Class-instance conflict', N_ACTION],
  [0x0123, 'Failure', 'No such action', N_ACTION],
  [0x0124, 'Failure', 'Refused: Not authorized', KK],
  [0x0210, 'Failure', 'Duplicate invocation', N_ACTION],
  [0x0211, 'Failure', 'Unrecognized operation', N_ACTION],
  [
    0x0212,
    'Failure',
    'Mistyped argument: one of the parameters supplied has not been agreed for use',
    KK,
  ],
  [0x0213, 'Failure', 'Resource limitation', KK],
  [
    0xb010,
    'Warning',
    'Attribute List warning: one or more Key Attributes are not supported for matching',
    KK,
  ],
];

// The general N-EVENT-REPORT statuses (PS3.7 10.1.1.1.8); Annex KK adds none.
const eventReportRows: readonly Row[] = [
  [0x0000, 'Success', 'Success', N_EVENT_REPORT],
  [0x0110, 'Failure', 'Processing failure', N_EVENT_REPORT],
  [0x0112, 'Failure', 'No such SOP Instance', N_EVENT_REPORT],
  [0x0113, 'Failure', 'No such event type', N_EVENT_REPORT],
  [0x0114, 'Failure', 'No such argument', N_EVENT_REPORT],
  [0x0115, 'Failure', 'Invalid argument value', N_EVENT_REPORT],
  [0x0117, 'Failure', 'Invalid object instance', N_EVENT_REPORT],
  [0x0118, 'Failure', 'No such SOP Class', N_EVENT_REPORT],
  [0x0119, 'Failure', 'Class-instance conflict', N_EVENT_REPORT],
  [0x0210, 'Failure', 'Duplicate invocation', N_EVENT_REPORT],
  [0x0211, 'Failure', 'Unrecognized operation', N_EVENT_REPORT],
  [0x0212, 'Failure', 'Mistyped argument', N_EVENT_REPORT],
  [0x0213, 'Failure', 'Resource limitation', N_EVENT_REPORT],
];

describe('Storage Management N-ACTION (StorageManagementAction)', () => {
  it.each(actionRows)('describes 0x%s', (code, category, meaning, reference) => {
    expect(describeStatus(code, 'StorageManagementAction')).toEqual({
      code,
      category,
      meaning,
      service: 'StorageManagementAction',
      reference,
      known: true,
    });
  });

  it('lists exactly these codes', () => {
    const codes = statusesOf('StorageManagementAction').map((row) => row.code);
    expect(codes).toEqual(actionRows.map(([code]) => code));
  });

  it('does not claim the event-report-only code 0113H', () => {
    expect(describeStatus(0x0113, 'StorageManagementAction')).toMatchObject({
      service: 'General',
      meaning: 'No such event type',
    });
  });
});

describe('Storage Management N-EVENT-REPORT (StorageManagementEventReport)', () => {
  it.each(eventReportRows)('describes 0x%s', (code, category, meaning, reference) => {
    expect(describeStatus(code, 'StorageManagementEventReport')).toEqual({
      code,
      category,
      meaning,
      service: 'StorageManagementEventReport',
      reference,
      known: true,
    });
  });

  it('lists exactly these codes', () => {
    const codes = statusesOf('StorageManagementEventReport').map((row) => row.code);
    expect(codes).toEqual(eventReportRows.map(([code]) => code));
  });

  it('does not claim the N-ACTION-only codes', () => {
    expect(describeStatus(0x0123, 'StorageManagementEventReport').service).toBe('General');
    expect(describeStatus(0x0124, 'StorageManagementEventReport').service).toBe('General');
    expect(describeStatus(0xb010, 'StorageManagementEventReport')).toMatchObject({
      category: 'Warning',
      known: false,
    });
  });
});

describe('StorageManagementStatus', () => {
  it('has the names the storage-management package uses', () => {
    expect(StorageManagementStatus.NoSuchAction).toBe(0x0123);
    expect(StorageManagementStatus.AttributeListError).toBe(0xb010);
    expect(StorageManagementStatus.NoSuchEventType).toBe(0x0113);
    expect(StorageManagementStatus.NotAuthorized).toBe(0x0124);
  });
});
