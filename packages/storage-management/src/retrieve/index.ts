// Retrieving the tree of an inventory from a peer (PS3.4 JJ.3.2, JJ.3.3).
export { retrieveInventory } from './retrieve-inventory.js';
export type {
  MoveDestinationOptions,
  RetrieveInventoryOptions,
  RetrieveInventoryProgress,
} from './retrieve-inventory.js';
