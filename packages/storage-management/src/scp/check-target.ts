// Whether an N-ACTION is addressed to the Inventory Creation SOP Class on its well-known instance
// with one of its action types (PS3.4 KK.2.2.2, KK.1.3.2, Table KK.2-1).
import type { ReplyWithDataSet } from '@dicomnet/dimse';
import { INVENTORY_CREATION_SOP_CLASS, STORAGE_MANAGEMENT_SOP_INSTANCE } from '../uids.js';
import { isActionType } from './action-arguments.js';
import { isUid } from './parse-action.js';

/** The root of UIDs the standard itself registers (PS3.5 9.1, PS3.6 Table A-1). */
const DICOM_UID_ROOT = '1.2.840.10008.';

/**
 * The refusal of an N-ACTION that is not for us, or undefined. In order:
 * - 0118H No such SOP Class (PS3.7 C.5.20) for a Requested SOP Class other than Inventory
 *   Creation (reachable when the server accepts other classes' contexts and hands their N-ACTIONs
 *   here, or a command names another class on our context);
 * - 0117H Invalid SOP Instance (C.5.12) for a Requested SOP Instance UID that is not a UID (the
 *   DIMSE layer already refuses most of these before any handler runs);
 * - 0119H Class-instance conflict (C.5.7) for a UID under the DICOM root 1.2.840.10008 other than
 *   our well-known instance: a UID the standard registers is a well-known instance of another SOP
 *   Class (e.g. Storage Commitment's 1.2.840.10008.1.20.1.1) or no instance at all, never one of
 *   Inventory Creation. The standard names no rule choosing between 0112H and 0119H here
 *   (storage-management.md §9): this is our policy;
 * - 0112H No such SOP Instance (C.5.19) for any other UID;
 * - 0123H No such action (C.5.24) for an Action Type ID outside 11–15 (the DIMSE layer echoes it).
 */
export function checkTarget(request: {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly actionTypeId: number;
}): ReplyWithDataSet | undefined {
  if (request.sopClassUid !== INVENTORY_CREATION_SOP_CLASS) return { status: 0x0118 };
  const instance = request.sopInstanceUid;
  if (!isUid(instance)) return { status: 0x0117 };
  if (instance !== STORAGE_MANAGEMENT_SOP_INSTANCE) {
    return { status: instance.startsWith(DICOM_UID_ROOT) ? 0x0119 : 0x0112 };
  }
  if (!isActionType(request.actionTypeId)) return { status: 0x0123 };
  return undefined;
}
