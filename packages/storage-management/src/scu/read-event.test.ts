import { describe, expect, it } from 'vitest';
import type { DataSet } from '@dicomnet/data';
import {
  INVENTORY_CREATION_SOP_CLASS,
  INVENTORY_STORAGE_SOP_CLASS,
  STORAGE_MANAGEMENT_SOP_INSTANCE,
} from '../uids.js';
import { isValidUid, readEvent } from './read-event.js';

const T1 = '2.25.1234';
const ROOT = '2.25.99';

function status(extra: DataSet = {}): DataSet {
  return {
    '00081195': { vr: 'UI', Value: [T1] },
    '00080417': { vr: 'CS', Value: ['PROCESSING'] },
    '00080428': { vr: 'UV', Value: [3n] },
    ...extra,
  };
}

function completed(extra: DataSet = {}): DataSet {
  return {
    '00081195': { vr: 'UI', Value: [T1] },
    '00080417': { vr: 'CS', Value: ['COMPLETE'] },
    '00081150': { vr: 'UI', Value: [INVENTORY_STORAGE_SOP_CLASS] },
    '00081155': { vr: 'UI', Value: [ROOT] },
    '00080054': { vr: 'AE', Value: ['INVSCP'] },
    '00080428': { vr: 'UV', Value: [7n] },
    ...extra,
  };
}

const report = (eventTypeId: number, eventInformation: DataSet | undefined, extra = {}) => ({
  sopClassUid: INVENTORY_CREATION_SOP_CLASS,
  sopInstanceUid: STORAGE_MANAGEMENT_SOP_INSTANCE,
  eventTypeId,
  eventInformation,
  ...extra,
});

function statusOf(result: ReturnType<typeof readEvent>): number {
  return 'refusal' in result ? result.refusal.status : 0;
}

describe('readEvent (PS3.4 Table KK.2-2)', () => {
  it('reads Inventory Status with progress', () => {
    const result = readEvent(report(12, status({ '00080418': { vr: 'LT', Value: ['half'] } })));
    expect(result).toMatchObject({
      event: {
        type: 'status',
        transactionUid: T1,
        transactionStatus: 'PROCESSING',
        totalStudyRecords: 3,
        comment: 'half',
      },
    });
  });

  it('reads Inventory Terminated with Instances with the root and its access', () => {
    const result = readEvent(
      report(
        11,
        completed({
          '00081190': { vr: 'UR', Value: ['http://pacs/dicom-web'] },
          '00080409': { vr: 'UR', Value: ['file:///inv/root.dcm'] },
          '0008040C': { vr: 'UV', Value: [10n] },
          '00080416': { vr: 'DT', Value: ['20270101000000'] },
        }),
      ),
    );
    expect(result).toMatchObject({
      event: {
        type: 'terminated-with-instances',
        totalStudyRecords: 7,
        access: {
          sopClassUid: INVENTORY_STORAGE_SOP_CLASS,
          sopInstanceUid: ROOT,
          retrieveAeTitles: ['INVSCP'],
          retrieveUrl: 'http://pacs/dicom-web',
          fileAccessUri: 'file:///inv/root.dcm',
          fileOffsetInContainer: 10n,
          expirationDateTime: '20270101000000',
        },
      },
    });
  });

  it('reads Inventory Terminated without Instances as FAILURE or CANCELED only', () => {
    const info = (value: string): DataSet => ({
      '00081195': { vr: 'UI', Value: [T1] },
      '00080417': { vr: 'CS', Value: [value] },
    });
    expect(readEvent(report(13, info('CANCELED')))).toMatchObject({
      event: { type: 'terminated-without-instances' },
    });
    expect(statusOf(readEvent(report(13, info('COMPLETE'))))).toBe(0x0115);
    expect(statusOf(readEvent(report(13, info('PROCESSING'))))).toBe(0x0115);
    expect(
      statusOf(readEvent(report(11, completed({ '00080417': { vr: 'CS', Value: ['PAUSED'] } })))),
    ).toBe(0x0115);
  });

  it('refuses the command targets: 0x0118, 0x0117, 0x0119, 0x0112, 0x0113', () => {
    expect(statusOf(readEvent(report(12, status(), { sopClassUid: '1.2.840.10008.1.20.1' })))).toBe(
      0x0118,
    );
    expect(statusOf(readEvent(report(12, status(), { sopInstanceUid: '1.02.3' })))).toBe(0x0117);
    expect(
      statusOf(readEvent(report(12, status(), { sopInstanceUid: '1.2.840.10008.1.20.1.1' }))),
    ).toBe(0x0119);
    expect(statusOf(readEvent(report(12, status(), { sopInstanceUid: '1.2.3.4' })))).toBe(0x0112);
    expect(statusOf(readEvent(report(14, status())))).toBe(0x0113);
  });

  it('refuses missing and empty mandatory attributes with 0x0115 (PS3.7 10.1.1.1.8 has no 0x0120)', () => {
    expect(readEvent(report(12, undefined))).toEqual({
      refusal: { status: 0x0115, reason: 'missing 00081195, 00080417, 00080428' },
    });
    expect(readEvent(report(12, status({ '00081195': { vr: 'UI' } })))).toEqual({
      refusal: {
        status: 0x0115,
        reason: 'empty 00081195',
        invalid: { '00081195': { vr: 'UI' } },
      },
    });
    const { '00080054': _ae, ...withoutAccess } = completed();
    expect(readEvent(report(11, withoutAccess))).toEqual({
      refusal: { status: 0x0115, reason: 'neither Retrieve AE Title nor Retrieve URL' },
    });
  });

  it('refuses bad values with 0x0115 and wrong VRs with 0x0212', () => {
    expect(
      statusOf(readEvent(report(12, status({ '00080417': { vr: 'CS', Value: ['DONE'] } })))),
    ).toBe(0x0115);
    expect(
      statusOf(readEvent(report(12, status({ '00081195': { vr: 'UI', Value: ['1..2'] } })))),
    ).toBe(0x0115);
    expect(
      statusOf(readEvent(report(11, completed({ '00081150': { vr: 'UI', Value: ['1.2.3'] } })))),
    ).toBe(0x0115);
    expect(statusOf(readEvent(report(12, status({ '00081195': { vr: 'LO', Value: [T1] } }))))).toBe(
      0x0212,
    );
  });

  it('ignores attributes foreign to the event type unless strict (0x0114)', () => {
    const extra = status({ '00081155': { vr: 'UI', Value: [ROOT] } });
    expect(statusOf(readEvent(report(12, extra)))).toBe(0);
    expect(statusOf(readEvent(report(12, extra), { strict: true }))).toBe(0x0114);
    const charset = status({ '00080005': { vr: 'CS', Value: ['ISO_IR 100'] } });
    expect(statusOf(readEvent(report(12, charset), { strict: true }))).toBe(0);
  });

  it('refuses, never throws, on values of the wrong kind', () => {
    const hostile: DataSet[] = [
      { '00081195': { vr: 'UI', Value: [12] }, '00080417': { vr: 'CS', Value: ['COMPLETE'] } },
      {
        '00081195': { vr: 'UI', Value: [{ Alphabetic: 'X' }] },
        '00080417': { vr: 'CS', Value: [''] },
      },
      { ...status(), '00080428': { vr: 'UV', Value: ['many'] } },
      { ...status(), '00080418': { vr: 'LT', InlineBinary: new Uint8Array([1]) } },
      { ...completed(), '00081155': { vr: 'UI', Value: [{}] } },
      { ...completed(), '00080054': { vr: 'AE', Value: [''] }, '00081190': { vr: 'UR' } },
    ];
    const statuses = hostile.flatMap((info) =>
      [11, 12, 13].map((type) => statusOf(readEvent(report(type, info), { strict: true }))),
    );
    expect(statuses.every((code) => [0, 0x0114, 0x0115, 0x0212].includes(code))).toBe(true);
    expect(statusOf(readEvent(report(12, hostile[2])))).toBe(0x0115);
    expect(statusOf(readEvent(report(11, hostile[4])))).toBe(0x0115);
    expect(statusOf(readEvent(report(11, hostile[5])))).toBe(0x0115);
  });

  it('knows a UID from PS3.5 9.1', () => {
    expect(isValidUid('1.2.840.10008.1.2')).toBe(true);
    expect(isValidUid('0.1')).toBe(true);
    expect(isValidUid('1.02')).toBe(false);
    expect(isValidUid('1.')).toBe(false);
    expect(isValidUid(`1.${'2'.repeat(63)}`)).toBe(false);
  });
});
