// Errors of the Inventory Creation SCP. Users match on `code` (docs/errors.md).
import { DicomnetError } from '@dicomnet/data';

/** An option of createInventoryCreationScp that cannot work (`DICOMNET_INVENTORY_SCP_INVALID_OPTION`). */
export class InventoryScpOptionError extends DicomnetError {
  constructor(message: string) {
    super('DICOMNET_INVENTORY_SCP_INVALID_OPTION', message);
  }
}

/**
 * Why the SCP stopped a production (`DICOMNET_INVENTORY_SCP_STOPPED`): the reason of the abort
 * signal handed to produceInventory. `why` is `pause` (N-ACTION Pause or an SCP-internal pause),
 * `cancel` (N-ACTION Cancel) or `shutdown` (the SCP closed; the production resumes on restart).
 */
export class ProductionStoppedError extends DicomnetError {
  constructor(readonly why: 'pause' | 'cancel' | 'shutdown') {
    super('DICOMNET_INVENTORY_SCP_STOPPED', `production stopped: ${why}`);
  }
}

/** The SCP was used after close() (`DICOMNET_INVENTORY_SCP_CLOSED`). */
export class InventoryScpClosedError extends DicomnetError {
  constructor() {
    super('DICOMNET_INVENTORY_SCP_CLOSED', 'the Inventory Creation SCP is closed');
  }
}
