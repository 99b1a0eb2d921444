// The Action Information of each Inventory Creation action (PS3.4 Table KK.2-1).
import type { DataElement, DataSet } from '@dicomnet/data';
import type { InventoryLevel } from '../message-types.js';
import { INVENTORY_LEVELS } from '../message-types.js';
import { Tag } from '../tags.js';
import { isValidUid } from './read-event.js';
import { InventoryRequestError } from './scu-errors.js';

/** What an Initiate (action 11) asks for. */
export interface InitiateInformation {
  readonly transactionUid: string;
  readonly level: InventoryLevel;
  /** The Scope of Inventory item; absent = comprehensive inventory (empty sequence). */
  readonly scopeItem?: DataSet;
  readonly purpose?: string;
  readonly requestedStatusInterval?: number;
}

function uid(transactionUid: string): DataElement {
  if (!isValidUid(transactionUid)) {
    throw new InventoryRequestError(`Transaction UID ${transactionUid} is not a valid UID`);
  }
  return { vr: 'UI', Value: [transactionUid] };
}

function interval(seconds: number): DataElement {
  // US (PS3.6); zero length is not permitted for a 3/1 attribute (PS3.4 5.4.2.1). The unit is
  // seconds: KK.2.2.3's text on it is UNCONFIRMED here (digest §3).
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 0xffff) {
    throw new InventoryRequestError(`Requested Status Interval ${seconds} is not 1..65535 seconds`);
  }
  return { vr: 'US', Value: [seconds] };
}

/**
 * Initiate (11): Transaction UID and Inventory Level (1/1), Scope of Inventory Sequence (2/2:
 * present, empty for a comprehensive inventory, PS3.4 KK.2.2.1.1), Inventory Purpose and
 * Requested Status Interval (3/1: sent only when given, never empty).
 */
export function initiateInformation(request: InitiateInformation): DataSet {
  if (!INVENTORY_LEVELS.includes(request.level)) {
    throw new InventoryRequestError(
      `Inventory Level ${String(request.level)} is not STUDY, SERIES or INSTANCE`,
    );
  }
  if (request.purpose === '') {
    throw new InventoryRequestError(
      'Inventory Purpose is empty: leave it out instead (PS3.4 5.4.2.1)',
    );
  }
  return {
    [Tag.TransactionUID]: uid(request.transactionUid),
    [Tag.ScopeOfInventorySequence]: {
      vr: 'SQ',
      Value: request.scopeItem === undefined ? [] : [request.scopeItem],
    },
    [Tag.InventoryLevel]: { vr: 'CS', Value: [request.level] },
    ...(request.purpose !== undefined && {
      [Tag.InventoryPurpose]: { vr: 'LT', Value: [request.purpose] },
    }),
    ...(request.requestedStatusInterval !== undefined && {
      [Tag.RequestedStatusInterval]: interval(request.requestedStatusInterval),
    }),
  };
}

/** Request Status (12): the Transaction UID, and a new reporting interval when given. */
export function requestStatusInformation(
  transactionUid: string,
  requestedStatusInterval?: number,
): DataSet {
  return {
    [Tag.TransactionUID]: uid(transactionUid),
    ...(requestedStatusInterval !== undefined && {
      [Tag.RequestedStatusInterval]: interval(requestedStatusInterval),
    }),
  };
}

/**
 * Cancel (13): the Transaction UID and Retain Instances (1/1). Its Enumerated Values are
 * UNCONFIRMED (PS3.3 C.38.3 not readable here); YES/NO, as elsewhere in DICOM, is the choice
 * dicomnet's SCP reads too.
 */
export function cancelInformation(transactionUid: string, retainInstances: boolean): DataSet {
  return {
    [Tag.TransactionUID]: uid(transactionUid),
    [Tag.RetainInstances]: { vr: 'CS', Value: [retainInstances ? 'YES' : 'NO'] },
  };
}

/** Pause (14) and Resume (15): the Transaction UID only. */
export function transactionInformation(transactionUid: string): DataSet {
  return { [Tag.TransactionUID]: uid(transactionUid) };
}
