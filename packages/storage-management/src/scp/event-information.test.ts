import { describe, expect, it } from 'vitest';
import { Tag } from '../tags.js';
import { INVENTORY_STORAGE_SOP_CLASS } from '../uids.js';
import {
  statusInformation,
  terminatedWithInstancesInformation,
  terminatedWithoutInstancesInformation,
} from './event-information.js';

const T1 = '1.2.826.0.1.3680043.10.1.1';
const root = {
  sopClassUid: INVENTORY_STORAGE_SOP_CLASS,
  sopInstanceUid: '2.25.1',
  totalStudyRecords: 42,
  completion: 'COMPLETE' as const,
  instances: ['2.25.1'],
};

describe('Event Information (PS3.4 Table KK.2-2)', () => {
  it('Inventory Status carries the state and Total Number of Study Records as UV', () => {
    expect(statusInformation({ transactionUid: T1, state: 'PAUSED' }, 7)).toEqual({
      [Tag.TransactionUID]: { vr: 'UI', Value: [T1] },
      [Tag.TransactionStatus]: { vr: 'CS', Value: ['PAUSED'] },
      [Tag.TotalNumberOfStudyRecords]: { vr: 'UV', Value: [7n] },
    });
  });

  it('Terminated with Instances names the root and how to reach it', () => {
    const information = terminatedWithInstancesInformation(
      { transactionUid: T1, state: 'COMPLETE' },
      root,
      { retrieveAeTitles: ['PACS', 'PACS2'], retentionMs: 86_400_000 },
      new Date('2026-12-05T12:00:00.000Z'),
    );
    expect(information[Tag.ReferencedSOPClassUID]?.Value).toEqual([INVENTORY_STORAGE_SOP_CLASS]);
    expect(information[Tag.ReferencedSOPInstanceUID]?.Value).toEqual(['2.25.1']);
    expect(information[Tag.RetrieveAETitle]?.Value).toEqual(['PACS', 'PACS2']);
    expect(information[Tag.RetrieveURL]).toBeUndefined();
    expect(information[Tag.ExpirationDateTime]?.Value).toEqual(['20261206120000.000+0000']);
    expect(information[Tag.TotalNumberOfStudyRecords]?.Value).toEqual([42n]);
  });

  it('Terminated without Instances carries the comment, cut to what LT holds', () => {
    const information = terminatedWithoutInstancesInformation({
      transactionUid: T1,
      state: 'FAILURE',
      comment: 'x'.repeat(20_000),
    });
    expect(information[Tag.TransactionStatus]?.Value).toEqual(['FAILURE']);
    expect(String(information[Tag.TransactionStatusComment]?.Value?.[0])).toHaveLength(10_240);
    expect(
      terminatedWithoutInstancesInformation({ transactionUid: T1, state: 'CANCELED', comment: '' })[
        Tag.TransactionStatusComment
      ],
    ).toBeUndefined();
  });
});
