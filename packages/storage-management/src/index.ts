// ---- identifiers (PS3.4 KK, JJ; PS3.6) ----
export * from './uids.js';
export * from './message-types.js';
export { Tag as InventoryTag } from './tags.js';

// ---- what inventories are made from, and where they go ----
export type { InventoryEntry, InventorySource, InventoryWalkOptions } from './inventory-source.js';
export type { InventorySink, ProducedInstance } from './inventory-sink.js';

// ---- producing Inventory instances (PS3.3 A.88, C.38.1) ----
export * from './produce/index.js';
export { folderSink, inventoryFileName } from './sink/folder-sink.js';
export { repositorySink } from './sink/repository-sink.js';
export { repositorySource, fileAccessUri } from './source/repository-source.js';

// ---- reading and retrieving Inventory instances ----
export * from './read/index.js';
export * from './retrieve/index.js';

// ---- the Inventory Creation SCP (PS3.4 KK.2.2.3, KK.2.3.2) ----
export {
  createInventoryCreationScp,
  DEFAULT_CHARACTER_SETS,
  DEFAULT_MAX_CONCURRENT_INVENTORIES,
} from './scp/inventory-creation-scp.js';
export type {
  InventoryAuthorizationRequest,
  InventoryCreationScp,
  InventoryCreationScpOptions,
  InventoryScpContext,
  InventoryScpTransaction,
} from './scp/inventory-creation-scp.js';
export type { InventoryRootAccess } from './scp/event-information.js';
export type {
  DeliveryOptions,
  DeliveryReport,
  PeerAddress,
  PeerTable,
} from './scp/event-courier.js';
export type { InventoryScpEvent, InventoryScpListener } from './scp/scp-events.js';
export type { InventoryAction } from './scp/parse-action.js';
export { RETAIN_INSTANCES } from './scp/parse-action.js';
export {
  InventoryScpClosedError,
  InventoryScpOptionError,
  ProductionStoppedError,
} from './scp/scp-errors.js';

// ---- the Inventory Creation SCU (PS3.4 KK.2.2.2, KK.2.3.3) ----
export type {
  AttachOptions,
  InitiatedTransaction,
  InitiateOptions,
  InventoryScu,
  InventoryScuOptions,
} from './scu/inventory-scu.js';
export { createInventoryScu } from './scu/inventory-scu.js';
export type { InventoryPeer } from './scu/action-channel.js';
export type {
  ActionOptions,
  ActionOutcome,
  InventoryEventHandler,
} from './scu/inventory-transaction.js';
export { InventoryTransaction } from './scu/inventory-transaction.js';
export type { TransactionRetrieveOptions } from './scu/retrieve-result.js';
export type {
  InventoryAbandonedEvent,
  InventoryAccess,
  InventoryCompletedEvent,
  InventoryEvent,
  InventoryResult,
  InventoryStatusEvent,
} from './scu/inventory-event.js';
export type { InventoryScopeKeys, ScopeRange } from './scu/scope-item.js';
export { buildScopeItem } from './scu/scope-item.js';
export type { RefusedEvent, UnknownTransactionPolicy } from './scu/event-receiver.js';
export type { EventRefusal } from './scu/read-event.js';
export { DEFAULT_MAX_QUEUED_EVENTS } from './scu/event-queue.js';
export {
  InventoryActionError,
  InventoryRequestError,
  InventoryScuClosedError,
  InventoryTerminatedError,
} from './scu/scu-errors.js';
