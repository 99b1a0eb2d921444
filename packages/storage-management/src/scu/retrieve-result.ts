// After Inventory Terminated with Instances, the inventory itself: its whole tree fetched from the
// Retrieve AE Title the SCP named (PS3.4 KK.2.3.1.1) through Inventory GET or MOVE (JJ.3), read
// back record by record with @dicomnet/storage-management's retrieveInventory.
import type { InventoryTreeItem } from '../read/read-inventory-tree.js';
import type { RetrieveInventoryOptions } from '../retrieve/retrieve-inventory.js';
import { retrieveInventory } from '../retrieve/retrieve-inventory.js';
import type { InventoryPeer } from './action-channel.js';
import type { InventoryResult } from './inventory-event.js';
import { InventoryRequestError } from './scu-errors.js';

/**
 * Options of {@link InventoryTransaction.retrieve}: those of `retrieveInventory`, each with a
 * default from the transaction.
 */
export interface TransactionRetrieveOptions extends Partial<
  Omit<RetrieveInventoryOptions, 'root' | 'via'>
> {
  /** Inventory GET (default: back on the same association) or MOVE (needs `destination`). */
  readonly via?: 'get' | 'move';
}

/**
 * Retrieves the tree `result` references: from `host`/`port` (default: the SCP's) as
 * `calledAeTitle` (default: the first Retrieve AE Title of event 11).
 * @throws {@link InventoryRequestError} when there is nowhere to retrieve from (no peer given
 *   and no `host`/`port`, or no Retrieve AE Title and no `calledAeTitle`); else what
 *   `retrieveInventory` throws.
 */
export function retrieveResult(
  result: InventoryResult,
  peer: InventoryPeer | undefined,
  callingAeTitle: string,
  options: TransactionRetrieveOptions,
): AsyncGenerator<InventoryTreeItem, void, undefined> {
  const host = options.host ?? peer?.host;
  const port = options.port ?? peer?.port;
  const calledAeTitle = options.calledAeTitle ?? result.access.retrieveAeTitles[0];
  if (host === undefined || port === undefined) {
    throw new InventoryRequestError(
      'give host and port to retrieve from: the transaction has no peer',
    );
  }
  if (calledAeTitle === undefined) {
    throw new InventoryRequestError(
      'event 11 named no Retrieve AE Title (only a Retrieve URL): give calledAeTitle',
    );
  }
  const connection = peer === undefined ? undefined : connectionOf(peer);
  return retrieveInventory({
    ...options,
    host,
    port,
    callingAeTitle: options.callingAeTitle ?? callingAeTitle,
    calledAeTitle,
    root: result.access.sopInstanceUid,
    via: options.via ?? 'get',
    ...(options.connection === undefined && connection !== undefined && { connection }),
  });
}

/** The connection settings of the peer (TLS, timeouts, limits), without its address. */
function connectionOf(peer: InventoryPeer): RetrieveInventoryOptions['connection'] {
  const {
    host: _host,
    port: _port,
    calledAeTitle: _called,
    transferSyntaxes: _syntaxes,
    ...connection
  } = peer;
  return connection;
}
