import { single } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';
import { N_ACTION_STATUSES, N_EVENT_REPORT_STATUSES, withOverrides } from './general.js';

/**
 * Statuses of the Storage Management Service Class, Inventory Creation SOP Class (PS3.4 Annex
 * KK): N-ACTION (Table KK.2.2.3-1 plus the PS3.7 10.1.4.1.10 failures it refers to) and
 * N-EVENT-REPORT (PS3.7 10.1.1.1.8; Annex KK adds no event-report status).
 */
export const StorageManagementStatus = {
  Success: 0x0000, // PS3.4 Table KK.2.2.3-1
  ProcessingFailure: 0x0110, // PS3.4 Table KK.2.2.3-1; PS3.7 10.1.1.1.8
  NoSuchSopInstance: 0x0112, // PS3.7 10.1.4.1.10, 10.1.1.1.8
  NoSuchEventType: 0x0113, // PS3.7 10.1.1.1.8 (N-EVENT-REPORT only)
  NoSuchArgument: 0x0114, // PS3.7 10.1.4.1.10, 10.1.1.1.8
  InvalidArgumentValue: 0x0115, // PS3.7 10.1.4.1.10, 10.1.1.1.8
  InvalidObjectInstance: 0x0117, // PS3.7 10.1.4.1.10, 10.1.1.1.8
  NoSuchSopClass: 0x0118, // PS3.7 10.1.4.1.10, 10.1.1.1.8
  ClassInstanceConflict: 0x0119, // PS3.7 10.1.4.1.10, 10.1.1.1.8
  NoSuchAction: 0x0123, // PS3.7 10.1.4.1.10 (N-ACTION only)
  NotAuthorized: 0x0124, // PS3.4 Table KK.2.2.3-1 (N-ACTION only)
  DuplicateInvocation: 0x0210, // PS3.7 10.1.4.1.10, 10.1.1.1.8
  UnrecognizedOperation: 0x0211, // PS3.7 10.1.4.1.10, 10.1.1.1.8
  MistypedArgument: 0x0212, // PS3.4 Table KK.2.2.3-1; PS3.7 10.1.1.1.8
  ResourceLimitation: 0x0213, // PS3.4 Table KK.2.2.3-1; PS3.7 10.1.1.1.8
  // The 2023 editions call B010H "Attribute list error"; 2025a renamed it "Attribute List
  // warning". The constant keeps the name the project asked for.
  AttributeListError: 0xb010, // PS3.4 Table KK.2.2.3-1 (N-ACTION only)
} as const;

/** A code named in {@link StorageManagementStatus}. */
export type StorageManagementStatus =
  (typeof StorageManagementStatus)[keyof typeof StorageManagementStatus];

const KK = 'PS3.4 Table KK.2.2.3-1';

/**
 * N-ACTION statuses for Inventory Creation. Rows printed in Table KK.2.2.3-1 carry its wording;
 * the "other failure statuses" it defers to carry PS3.7 10.1.4.1.10.
 */
export const STORAGE_MANAGEMENT_ACTION_STATUSES: readonly StatusTableRow[] = withOverrides(
  N_ACTION_STATUSES,
  [
    single(0x0000, 'Success', 'Success', KK),
    single(0x0110, 'Failure', 'Processing failure', KK),
    single(0x0124, 'Failure', 'Refused: Not authorized', KK),
    single(
      0x0212,
      'Failure',
      'Mistyped argument: one of the parameters supplied has not been agreed for use',
      KK,
    ),
    single(0x0213, 'Failure', 'Resource limitation', KK),
    // KK.2.2.3: returned for Initiate when Key Attributes of the Scope of Inventory Sequence
    // are not supported for matching; the response lists them in Attribute Identifier List.
    single(
      0xb010,
      'Warning',
      'Attribute List warning: one or more Key Attributes are not supported for matching',
      KK,
    ),
  ],
);

/** N-EVENT-REPORT statuses for Inventory Creation (PS3.7 10.1.1.1.8). */
export const STORAGE_MANAGEMENT_EVENT_REPORT_STATUSES: readonly StatusTableRow[] =
  N_EVENT_REPORT_STATUSES;
