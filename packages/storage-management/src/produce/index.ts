// Producing Inventory instances (PS3.3 A.88, C.38.1).
export { produceInventory, DEFAULT_MAX_RECORDS_PER_INSTANCE } from './produce-inventory.js';
export { finishInventory, DEFAULT_FAN_OUT } from './inventory-tree.js';
export { InventoryProductionError } from './errors.js';
export type { InventoryProductionErrorCode } from './errors.js';
export type {
  FinishOptions,
  InventoryCompletionStatus,
  InventoryRequestSpec,
  InventoryRoot,
  LeafReference,
  ProduceOptions,
  ProductionCheckpoint,
} from './types.js';
