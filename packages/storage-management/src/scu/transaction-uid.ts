import { randomUUID } from 'node:crypto';

/** A new Transaction UID: the `2.25.` form of a random UUID (PS3.5 B.2). */
export function newTransactionUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}
