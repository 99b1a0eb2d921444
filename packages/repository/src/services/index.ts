// `@dicomnet/repository/services`: DIMSE services over a Repository, for `@dicomnet/dimse`'s
// createServer. Kept out of the main entry so that storing and matching need no network package.
export { createStoreHandler } from './store-handler.js';
export type { FreeSpaceStats, StoreHandlerOptions } from './store-handler.js';
export { createQueryRetrieveHandlers } from './query-retrieve.js';
export type { QueryRetrieveOptions } from './query-retrieve.js';
export { QUERY_RETRIEVE_SOP_CLASSES } from './query-retrieve-models.js';
export type { QueryRetrieveModel } from './query-retrieve-models.js';
export {
  createInventoryQueryRetrieveHandlers,
  INVENTORY_QUERY_RETRIEVE_SOP_CLASSES,
  withInventoryQueryRetrieve,
} from './inventory-query-retrieve.js';
export type { InventoryQueryRetrieveOptions } from './inventory-query-retrieve.js';
