// Reading Inventory instances back (PS3.3 A.88, C.38.1) and following their tree (C.38.2.3).
export { readInventory, readInventoryHeader } from './read-inventory.js';
export type { InventoryInput, ReadInventoryOptions } from './read-inventory.js';
export { readInventoryTree } from './read-inventory-tree.js';
export type {
  InventoryOpener,
  InventoryTreeItem,
  ReadInventoryTreeOptions,
} from './read-inventory-tree.js';
export { readInventoryFolder } from './inventory-folder.js';
export type { InventoryFolder } from './inventory-folder.js';
export type {
  InventoryHeader,
  InventoryInstanceRecord,
  InventoryItem,
  InventoryRecord,
  InventoryReference,
  InventorySeriesRecord,
  InventoryStudyRecord,
} from './inventory-records.js';
export {
  InventoryCycleError,
  InventoryLevelMismatchError,
  InventoryMalformedError,
  InventoryNotFoundError,
  InventoryTruncatedError,
  NotInventoryError,
} from './errors.js';
