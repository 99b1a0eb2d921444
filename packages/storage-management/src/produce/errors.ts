// Errors of producing an inventory.
import { DicomnetError } from '@dicomnet/data';

/** Codes of {@link InventoryProductionError}. */
export type InventoryProductionErrorCode =
  'DICOMNET_INVENTORY_PRODUCE_INVALID_OPTION' | 'DICOMNET_INVENTORY_PRODUCE_RECORD_ORDER';

/**
 * Production cannot go on: an option out of range (`DICOMNET_INVENTORY_PRODUCE_INVALID_OPTION`),
 * or a source that yields a series before any study, or an instance before any series
 * (`DICOMNET_INVENTORY_PRODUCE_RECORD_ORDER`).
 */
export class InventoryProductionError extends DicomnetError {
  declare readonly code: InventoryProductionErrorCode;

  constructor(code: InventoryProductionErrorCode, message: string) {
    super(code, message);
  }
}
