import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '@dicomnet/test-utils';
import { Tag } from '../tags.js';
import type { StoredTransaction } from './transaction-store.js';
import { TransactionStore } from './transaction-store.js';

const dirs: { remove(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => dir.remove()));
});

const T1 = '1.2.826.0.1.3680043.10.1.1';
const transaction: StoredTransaction = {
  transactionUid: T1,
  requesterAeTitle: 'SCU',
  level: 'SERIES',
  scope: { '00080061': { vr: 'CS', Value: ['CT'] } },
  purpose: 'audit',
  startedAt: new Date('2026-12-05T10:00:00.000Z'),
  statusInterval: 5,
  state: 'PROCESSING',
  statusComment: undefined,
  checkpoint: undefined,
  studyRecords: 0,
  root: undefined,
  pendingFinish: undefined,
};

describe('TransactionStore', () => {
  it('keeps transactions, checkpoints and owed events across a reopen', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const file = path.join(dir.path, 'inventory-transactions.sqlite');
    const store = await TransactionStore.open(file);
    store.insert(transaction);
    const checkpoint = {
      after: 'c1',
      leaves: [{ sopInstanceUid: '1.2.3', studyRecords: 4 }],
      studyRecords: 4,
    };
    store.update(T1, { state: 'PAUSED', checkpoint, studyRecords: 4 });
    const total = { [Tag.TotalNumberOfStudyRecords]: { vr: 'UV', Value: [4n] } };
    store.owe(
      T1,
      12,
      { ...total, [Tag.TransactionStatus]: { vr: 'CS', Value: ['PROCESSING'] } },
      1,
    );
    store.owe(T1, 12, { ...total, [Tag.TransactionStatus]: { vr: 'CS', Value: ['PAUSED'] } }, 2);
    store.owe(T1, 13, { [Tag.TransactionStatus]: { vr: 'CS', Value: ['CANCELED'] } }, 3);
    store.close();

    const again = await TransactionStore.open(file);
    expect(again.get(T1)).toEqual({ ...transaction, state: 'PAUSED', checkpoint, studyRecords: 4 });
    const owed = again.owed();
    // The second status report replaced the first, which was never tried.
    expect(owed.map((event) => event.eventTypeId)).toEqual([12, 13]);
    expect(owed[0]?.information[Tag.TransactionStatus]?.Value).toEqual(['PAUSED']);
    expect(owed[0]?.information[Tag.TotalNumberOfStudyRecords]?.Value).toEqual([4n]);
    expect(owed[0]?.requesterAeTitle).toBe('SCU');
    again.postpone(owed[0]?.id ?? 0, 99);
    expect(again.owed()[0]).toMatchObject({ attempts: 1, notBefore: 99 });
    again.settle(owed[0]?.id ?? 0);
    expect(again.owed().map((event) => event.eventTypeId)).toEqual([13]);
    again.update(T1, { checkpoint: undefined });
    expect(again.get(T1)?.checkpoint).toBeUndefined();
    expect(again.countActive()).toBe(1);
    again.update(T1, { state: 'CANCELED' });
    expect(again.countActive()).toBe(0);
    expect(again.has(T1)).toBe(true);
    expect(again.has('1.2.3')).toBe(false);
    again.close();
  });
});
