import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import type { InventoryEvent } from './inventory-event.js';

const status = (total: number): InventoryEvent => ({
  type: 'status',
  eventTypeId: 12,
  transactionUid: '2.25.1',
  transactionStatus: 'PROCESSING',
  comment: undefined,
  totalStudyRecords: total,
  information: {},
});
const end: InventoryEvent = {
  type: 'terminated-without-instances',
  eventTypeId: 13,
  transactionUid: '2.25.1',
  transactionStatus: 'CANCELED',
  comment: undefined,
  information: {},
};

describe('EventQueue', () => {
  it('without a reader, drops the oldest status events beyond its bound, never the end', async () => {
    const queue = new EventQueue(2);
    for (const total of [1, 2, 3]) {
      expect(queue.canTake()).toBe(true);
      queue.push(status(total));
    }
    queue.push(end);
    queue.end();
    const seen: InventoryEvent[] = [];
    for await (const event of queue.read()) seen.push(event);
    expect(
      seen.map((event) => (event.type === 'status' ? event.totalStudyRecords : event.type)),
    ).toEqual([3, 'terminated-without-instances']);
  });

  it('with a reader attached and behind by its bound, refuses', async () => {
    const queue = new EventQueue(2);
    const reader = queue.read();
    queue.push(status(1));
    const first = await reader.next(); // attached, and now behind by what follows
    expect(first.value).toMatchObject({ totalStudyRecords: 1 });
    queue.push(status(2));
    queue.push(status(3));
    expect(queue.canTake()).toBe(false);
    await reader.next();
    expect(queue.canTake()).toBe(true);
    await reader.return();
  });

  it('ends its reader with the error it was ended with', async () => {
    const queue = new EventQueue(2);
    queue.push(status(1));
    queue.end(new Error('closed'));
    const reader = queue.read();
    await expect(reader.next()).resolves.toMatchObject({ value: { totalStudyRecords: 1 } });
    await expect(reader.next()).rejects.toThrow('closed');
  });
});
