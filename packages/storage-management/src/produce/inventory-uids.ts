// SOP Instance UIDs of the instances of one production, derived from the production itself
// rather than drawn at random: a production resumed after a crash writes the leaves it had not
// yet checkpointed again under the same UIDs, so they replace what the crashed run left in the
// sink instead of lying there unreferenced, and its root gets the same UID as well.
import { createHash } from 'node:crypto';
import type { InventoryRequestSpec } from './types.js';

/**
 * A `2.25.` UID (PS3.5 B.2: the integer form of a UUID) of a name-based UUID (RFC 9562
 * version 8, the SHA-256 of the production and the node name).
 */
function uuidUid(name: string): string {
  const hash = createHash('sha256').update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80; // version 8
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 9562 variant
  return `2.25.${BigInt(`0x${hash.subarray(0, 16).toString('hex')}`).toString()}`;
}

function productionKey(request: InventoryRequestSpec): string {
  return [
    'dicomnet-inventory',
    request.transactionUid ?? '',
    request.startedAt.toISOString(),
    request.level,
  ].join('\u0000');
}

/** The UID of leaf `index` (from 0) of the production. */
export function leafUid(request: InventoryRequestSpec, index: number): string {
  return uuidUid(`${productionKey(request)}\u0000leaf\u0000${index}`);
}

/** The UID of intermediate node `index` at `height` (1 = just above the leaves). */
export function nodeUid(request: InventoryRequestSpec, height: number, index: number): string {
  return uuidUid(`${productionKey(request)}\u0000node\u0000${height}\u0000${index}`);
}

/** The UID of the root of the production. */
export function rootUid(request: InventoryRequestSpec): string {
  return uuidUid(`${productionKey(request)}\u0000root`);
}
