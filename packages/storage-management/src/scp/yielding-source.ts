// Production must not starve the SCP's other DIMSE traffic: a source that reads a synchronous
// index (SQLite) can hand out thousands of records without ever giving the event loop a turn.
import type { InventoryEntry, InventorySource, InventoryWalkOptions } from '../inventory-source.js';
import type { Query } from '@dicomnet/repository';

/** Records handed out between two turns of the event loop. */
export const RECORDS_PER_TURN = 256;

/** `source`, giving the event loop a turn (setImmediate) after every page of records. */
export function yieldingSource(
  source: InventorySource,
  perTurn = RECORDS_PER_TURN,
): InventorySource {
  return {
    isMatchable: (tag) => source.isMatchable(tag),
    async *entries(scope: Query, options: InventoryWalkOptions): AsyncIterable<InventoryEntry> {
      let count = 0;
      for await (const entry of source.entries(scope, options)) {
        yield entry;
        if (++count % perTurn === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  };
}
