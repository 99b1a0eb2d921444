// `@dicomnet/repository/services`: DIMSE services over a Repository, for `@dicomnet/dimse`'s
// createServer. Kept out of the main entry so that storing and matching need no network package.
export { createStoreHandler } from './store-handler.js';
export type { FreeSpaceStats, StoreHandlerOptions } from './store-handler.js';
