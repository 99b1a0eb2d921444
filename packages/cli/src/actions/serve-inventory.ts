// Inventory Creation in `dicomnet serve --storage` (PS3.4 KK.2): the SCP of
// @dicomnet/storage-management over the served repository (its walk as the source, Inventory
// Storage instances into it as the sink), its transactions in SQLite beside the index, reports
// to the AE table of --peer / the config file, and one log line per transaction state change.
import path from 'node:path';
import type { FileRepository } from '@dicomnet/repository';
import {
  createInventoryCreationScp,
  repositorySink,
  repositorySource,
  type InventoryCreationScp,
  type InventoryScpEvent,
} from '@dicomnet/storage-management';
import { formatStatus } from '@dicomnet/status-codes';
import type { PeerAddress } from '../commands/serve.js';
import type { ServeLog } from './serve-log.js';

/** The file of the Inventory Creation transactions, in the repository root beside its index. */
export const INVENTORY_TRANSACTIONS_FILE = 'inventory-transactions.sqlite';

/** How `serve` runs Inventory Creation. */
export interface InventoryServiceSettings {
  readonly aeTitle: string;
  /** Requesters' addresses, for reports after their association closed (PS3.4 KK.2.3.2). */
  readonly peers: ReadonlyMap<string, PeerAddress>;
  /** Inventories PROCESSING or PAUSED at once; more Initiates are answered 0213H. */
  readonly maxConcurrent?: number;
  /** Records per Inventory instance before the tree splits (PS3.3 C.38.1.1.5). */
  readonly maxRecordsPerInstance?: number;
  /** How long produced inventories are announced as kept: Expiration DateTime (0008,0416). */
  readonly retentionMs?: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The log line of one notice of the SCP; progress notices are not logged (one per leaf). */
function logNotice(log: ServeLog, notice: InventoryScpEvent): void {
  switch (notice.type) {
    case 'state':
      log(
        {
          event: 'inventory-state',
          transactionUid: notice.transactionUid,
          state: notice.state,
          studyRecords: notice.studyRecords,
        },
        `inventory ${notice.transactionUid}: ${notice.state} (${notice.studyRecords} study records)`,
      );
      return;
    case 'progress':
      return;
    case 'failure':
      log(
        {
          event: 'inventory-failure',
          ...(notice.transactionUid !== '' && { transactionUid: notice.transactionUid }),
          reason: messageOf(notice.error),
        },
        `inventory ${notice.transactionUid === '' ? '' : `${notice.transactionUid} `}failure: ${messageOf(notice.error)}`,
      );
      return;
    case 'event-delivered':
      log(
        {
          event: 'inventory-event-delivered',
          transactionUid: notice.transactionUid,
          eventTypeId: notice.eventTypeId,
          via: notice.via,
          status: notice.status,
        },
        `inventory ${notice.transactionUid}: event ${notice.eventTypeId} delivered on the ${notice.via === 'same-association' ? "request's association" : 'a new association'}, ${formatStatus(notice.status)}`,
      );
      return;
    case 'event-retry':
    case 'event-given-up':
      log(
        {
          event: `inventory-${notice.type}`,
          transactionUid: notice.transactionUid,
          eventTypeId: notice.eventTypeId,
          attempts: notice.attempts,
          ...(notice.status !== undefined && { status: notice.status }),
          reason: notice.reason,
        },
        `inventory ${notice.transactionUid}: event ${notice.eventTypeId} ${notice.type === 'event-retry' ? 'to be tried again' : 'given up'} after ${notice.attempts} attempt(s): ${notice.reason}`,
      );
      return;
  }
}

/**
 * Starts the Inventory Creation SCP on `repository`: transactions a previous run left PROCESSING
 * resume from their checkpoints, and events it still owed are delivered. Close it (which pauses
 * the productions with their checkpoints persisted) before the repository.
 * @throws As `createInventoryCreationScp` (invalid option, SQLite errors).
 */
export async function openInventoryService(
  repository: FileRepository,
  settings: InventoryServiceSettings,
  log: ServeLog,
): Promise<InventoryCreationScp> {
  const scp = await createInventoryCreationScp({
    aeTitle: settings.aeTitle,
    source: repositorySource(repository),
    sink: repositorySink(repository),
    storePath: path.join(repository.root, INVENTORY_TRANSACTIONS_FILE),
    peers: (aeTitle) => settings.peers.get(aeTitle),
    ...(settings.maxConcurrent !== undefined && { maxConcurrent: settings.maxConcurrent }),
    ...(settings.maxRecordsPerInstance !== undefined && {
      maxRecordsPerInstance: settings.maxRecordsPerInstance,
    }),
    ...(settings.retentionMs !== undefined && { retentionMs: settings.retentionMs }),
  });
  scp.on((notice) => logNotice(log, notice));
  const open = scp
    .transactions()
    .filter((transaction) => transaction.state === 'PROCESSING' || transaction.state === 'PAUSED');
  log(
    {
      event: 'inventory-creation',
      transactions: open.length,
      carriedOver: open.map((transaction) => transaction.transactionUid),
    },
    `Inventory Creation served${open.length === 0 ? '' : `; ${open.length} inventory production(s) carried over from the last run`}`,
  );
  return scp;
}
