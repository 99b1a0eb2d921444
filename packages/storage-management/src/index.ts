// ---- identifiers (PS3.4 KK, JJ; PS3.6) ----
export * from './uids.js';
export * from './message-types.js';
export { Tag as InventoryTag } from './tags.js';

// ---- what inventories are made from, and where they go ----
export type { InventoryEntry, InventorySource, InventoryWalkOptions } from './inventory-source.js';
export type { InventorySink, ProducedInstance } from './inventory-sink.js';
