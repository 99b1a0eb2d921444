import { single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';
import { N_ACTION_STATUSES, N_EVENT_REPORT_STATUSES } from './general.js';

/**
 * Failure Reason (0008,1197) values of the Storage Commitment Result (PS3.3 C.14.1.1). They
 * are not DIMSE statuses: they sit in each Failed SOP Sequence item of the N-EVENT-REPORT, but
 * they reuse the status code space, so `describeStatus(code, 'StorageCommitmentFailureReason')`
 * explains them.
 */
export const StorageCommitmentFailureReason = {
  ProcessingFailure: 0x0110, // PS3.3 C.14.1.1
  NoSuchObjectInstance: 0x0112, // PS3.3 C.14.1.1
  ClassInstanceConflict: 0x0119, // PS3.3 C.14.1.1
  ReferencedSopClassNotSupported: 0x0122, // PS3.3 C.14.1.1
  DuplicateTransactionUid: 0x0131, // PS3.3 C.14.1.1
  ResourceLimitation: 0x0213, // PS3.3 C.14.1.1
} as const;

/** A code named in {@link StorageCommitmentFailureReason}. */
export type StorageCommitmentFailureReason =
  (typeof StorageCommitmentFailureReason)[keyof typeof StorageCommitmentFailureReason];

/**
 * N-ACTION statuses of Storage Commitment Push Model (PS3.4 J.3.2.1.3 defines none of its own,
 * so the general N-ACTION list of PS3.7 10.1.4.1.10 applies).
 */
export const STORAGE_COMMITMENT_ACTION_STATUSES: readonly StatusTableRow[] = N_ACTION_STATUSES;

/** N-EVENT-REPORT statuses of Storage Commitment Push Model (PS3.7 10.1.1.1.8). */
export const STORAGE_COMMITMENT_EVENT_REPORT_STATUSES: readonly StatusTableRow[] =
  N_EVENT_REPORT_STATUSES;

const C1411 = 'PS3.3 C.14.1.1';

/** PS3.3 C.14.1.1 Failure Reason values. */
export const STORAGE_COMMITMENT_FAILURE_REASONS: readonly StatusTableRow[] = table([
  single(0x0110, 'Failure', 'Processing failure', C1411),
  single(
    0x0112,
    'Failure',
    'No such object instance: one or more of the referenced SOP Instances was not available',
    C1411,
  ),
  single(
    0x0119,
    'Failure',
    'Class / Instance conflict: the SOP Class of a referenced SOP Instance does not match the one registered at the SCP',
    C1411,
  ),
  single(
    0x0122,
    'Failure',
    'Referenced SOP Class not supported: commitment requested for a SOP Class the SCP does not support',
    C1411,
  ),
  single(
    0x0131,
    'Failure',
    'Duplicate transaction UID: the Transaction UID of the request is already in use',
    C1411,
  ),
  single(
    0x0213,
    'Failure',
    'Resource limitation: the SCP does not have enough resources to store the requested SOP Instances',
    C1411,
  ),
]);
