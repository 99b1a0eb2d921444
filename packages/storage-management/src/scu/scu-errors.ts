// Errors of the Inventory Creation SCU. Users match on `code` (docs/errors.md); the DIMSE numbers
// ride on the error.
import { DicomnetError } from '@dicomnet/data';
import type { TransactionStatus } from '../message-types.js';

/**
 * The SCP answered an N-ACTION of Inventory Creation with a Failure status (PS3.4 KK.2.2.3,
 * Table KK.2.2.3-1; PS3.7 10.1.4.1.10): it is not processing the request.
 */
export class InventoryActionError extends DicomnetError {
  constructor(
    /** The Action Type ID of the request (PS3.4 Table KK.2-1). */
    readonly actionTypeId: number,
    /** Status (0000,0900). */
    readonly status: number,
    /** The status's meaning for Inventory Creation (from @dicomnet/status-codes). */
    readonly meaning: string,
    /** Error Comment (0000,0902), when the SCP sent one. */
    readonly errorComment: string | undefined,
    /** Attribute Identifier List (0000,1005): the attributes the status is about (0x0120). */
    readonly attributeIdentifierList: readonly number[] | undefined,
    options?: ErrorOptions,
  ) {
    const hex = status.toString(16).toUpperCase().padStart(4, '0');
    const comment = errorComment === undefined ? '' : ` (${errorComment})`;
    super(
      'DICOMNET_INVENTORY_ACTION_FAILED',
      `Inventory Creation action ${actionTypeId} failed with status 0x${hex} ${meaning}${comment}`,
      options,
    );
  }
}

/**
 * The production ended without an inventory: the SCP sent Inventory Terminated without Instances
 * (event 13, PS3.4 KK.2.3.2) with Transaction Status FAILURE (`DICOMNET_INVENTORY_FAILED`) or
 * CANCELED (`DICOMNET_INVENTORY_CANCELED`).
 */
export class InventoryTerminatedError extends DicomnetError {
  constructor(
    readonly transactionUid: string,
    readonly transactionStatus: TransactionStatus,
    /** Transaction Status Comment (0008,0418), when the SCP sent one. */
    readonly comment: string | undefined,
  ) {
    const why = comment === undefined ? '' : `: ${comment}`;
    super(
      transactionStatus === 'CANCELED'
        ? 'DICOMNET_INVENTORY_CANCELED'
        : 'DICOMNET_INVENTORY_FAILED',
      `inventory ${transactionUid} ended ${transactionStatus} without instances${why}`,
    );
  }
}

/** The SCU was closed: waits for events of its transactions end with this. */
export class InventoryScuClosedError extends DicomnetError {
  constructor() {
    super('DICOMNET_INVENTORY_SCU_CLOSED', 'the Inventory Creation SCU is closed');
  }
}

/** A request the SCU refuses to send: a bad option (Transaction UID, level, scope key, interval). */
export class InventoryRequestError extends DicomnetError {
  constructor(message: string) {
    super('DICOMNET_INVENTORY_REQUEST_INVALID', message);
  }
}
