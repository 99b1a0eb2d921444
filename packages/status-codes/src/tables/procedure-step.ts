import { range, single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';
import { N_CREATE_STATUSES, withOverrides } from './general.js';

/**
 * Statuses of the Unified Procedure Step Service Class (PS3.4 Annex CC) for its DIMSE-N
 * operations: N-CREATE (CC.2.5.4), N-SET (Table CC.2.6-1), N-GET (Table CC.2.7-1), Change UPS
 * State (Table CC.2.1-2), Request UPS Cancel (Table CC.2.2-2) and subscription (Table CC.2.3-3).
 * The codes do not collide across operations, so one table holds them all.
 */
export const UnifiedProcedureStepStatus = {
  Success: 0x0000, // PS3.4 CC.2.1.4 … CC.2.7.4
  OptionalAttributesNotSupported: 0x0001, // PS3.4 Table CC.2.6-1, CC.2.7-1
  CreatedWithModifications: 0xb300, // PS3.4 CC.2.5.4
  DeletionLockNotGranted: 0xb301, // PS3.4 Table CC.2.3-3
  AlreadyCanceled: 0xb304, // PS3.4 Table CC.2.1-2, CC.2.2-2
  CoercedInvalidValues: 0xb305, // PS3.4 Table CC.2.6-1
  AlreadyCompleted: 0xb306, // PS3.4 Table CC.2.1-2
  MayNoLongerBeUpdated: 0xc300, // PS3.4 Table CC.2.1-2, CC.2.6-1
  WrongTransactionUid: 0xc301, // PS3.4 Table CC.2.1-2, CC.2.6-1
  AlreadyInProgress: 0xc302, // PS3.4 Table CC.2.1-2
  ScheduledOnlyViaNCreate: 0xc303, // PS3.4 Table CC.2.1-2
  FinalStateRequirementsNotMet: 0xc304, // PS3.4 Table CC.2.1-2
  NoSuchUps: 0xc307, // PS3.4 Table CC.2.1-2, CC.2.2-2, CC.2.3-3, CC.2.6-1, CC.2.7-1
  ReceivingAeTitleUnknown: 0xc308, // PS3.4 Table CC.2.3-3
  StateNotScheduled: 0xc309, // PS3.4 CC.2.5.4
  NotInProgress: 0xc310, // PS3.4 Table CC.2.1-2, CC.2.6-1
  CompletedCannotCancel: 0xc311, // PS3.4 Table CC.2.2-2
  PerformerCannotBeContacted: 0xc312, // PS3.4 Table CC.2.2-2
  PerformerChoosesNotToCancel: 0xc313, // PS3.4 Table CC.2.2-2
  ActionNotAppropriate: 0xc314, // PS3.4 Table CC.2.3-3
  EventReportsNotSupported: 0xc315, // PS3.4 Table CC.2.3-3
} as const;

/** A code named in {@link UnifiedProcedureStepStatus}. */
export type UnifiedProcedureStepStatus =
  (typeof UnifiedProcedureStepStatus)[keyof typeof UnifiedProcedureStepStatus];

const CC = 'PS3.4 Annex CC.2';
const CC21 = 'PS3.4 Table CC.2.1-2';
const CC22 = 'PS3.4 Table CC.2.2-2';
const CC23 = 'PS3.4 Table CC.2.3-3';
const CC25 = 'PS3.4 CC.2.5.4';
const CC26 = 'PS3.4 Table CC.2.6-1';
const CC27 = 'PS3.4 Table CC.2.7-1';

/** The DIMSE-N statuses of PS3.4 Annex CC (all operations but C-FIND). */
export const UNIFIED_PROCEDURE_STEP_STATUSES: readonly StatusTableRow[] = table([
  single(0x0000, 'Success', 'Success: the requested operation was performed', CC),
  single(0x0001, 'Warning', 'Requested optional Attributes are not supported', CC27),
  single(0xb300, 'Warning', 'The UPS was created with modifications', CC25),
  single(0xb301, 'Warning', 'Deletion Lock not granted', CC23),
  single(0xb304, 'Warning', 'The UPS is already in the requested state of CANCELED', CC21),
  single(0xb305, 'Warning', 'Coerced invalid values to valid values', CC26),
  single(0xb306, 'Warning', 'The UPS is already in the requested state of COMPLETED', CC21),
  single(0xc300, 'Failure', 'Failed: The UPS may no longer be updated', CC21),
  single(0xc301, 'Failure', 'Failed: The correct Transaction UID was not provided', CC21),
  single(0xc302, 'Failure', 'Failed: The UPS is already IN PROGRESS', CC21),
  single(
    0xc303,
    'Failure',
    'Failed: The UPS may only become SCHEDULED via N-CREATE, not N-SET or N-ACTION',
    CC21,
  ),
  single(
    0xc304,
    'Failure',
    'Failed: The UPS has not met final state requirements for the requested state change',
    CC21,
  ),
  single(
    0xc307,
    'Failure',
    'Failed: Specified SOP Instance UID does not exist or is not a UPS Instance managed by this SCP',
    CC21,
  ),
  single(0xc308, 'Failure', 'Failed: Receiving AE-TITLE is unknown to this SCP', CC23),
  single(0xc309, 'Failure', 'Failed: The provided value of UPS State was not SCHEDULED', CC25),
  single(0xc310, 'Failure', 'Failed: The UPS is not yet in the IN PROGRESS state', CC21),
  single(0xc311, 'Failure', 'Failed: The UPS is already COMPLETED', CC22),
  single(0xc312, 'Failure', 'Failed: The performer cannot be contacted', CC22),
  single(0xc313, 'Failure', 'Failed: Performer chooses not to cancel', CC22),
  single(
    0xc314,
    'Failure',
    'Failed: Specified action not appropriate for specified instance',
    CC23,
  ),
  single(0xc315, 'Failure', 'Failed: SCP does not support Event Reports', CC23),
]);

const CC282 = 'PS3.4 Table CC.2.8-2';

/** PS3.4 Table CC.2.8-2 (C-FIND Response Status Values for Search for UPS). */
export const UNIFIED_PROCEDURE_STEP_FIND_STATUSES: readonly StatusTableRow[] = table([
  single(0x0000, 'Success', 'Matching is complete - no final Identifier is supplied', CC282),
  single(0x0122, 'Failure', 'Refused: SOP Class not supported', CC282),
  single(0xa700, 'Failure', 'Refused: Out of resources', CC282),
  single(0xa900, 'Failure', 'Error: Data Set does not match SOP Class', CC282),
  range(0xc000, 0xcfff, 'Failure', 'Failed: Unable to process', CC282),
  single(0xfe00, 'Cancel', 'Matching terminated due to Cancel request', CC282),
  single(
    0xff00,
    'Pending',
    'Matches are continuing - current match is supplied and any Optional Keys were supported in the same manner as Required Keys',
    CC282,
  ),
  single(
    0xff01,
    'Pending',
    'Matches are continuing - warning that one or more Optional Keys were not supported for existence for this Identifier',
    CC282,
  ),
]);

/**
 * Modality Performed Procedure Step statuses (PS3.4 Annex F): the N-CREATE statuses of PS3.7,
 * with 0110H given the meaning of Table F.7.2-2 (an N-SET on a step that is no longer
 * IN PROGRESS; Error ID (0000,0903) A710).
 */
export const MODALITY_PERFORMED_PROCEDURE_STEP_STATUSES: readonly StatusTableRow[] = withOverrides(
  N_CREATE_STATUSES,
  [
    single(
      0x0110,
      'Failure',
      'Processing failure: Performed Procedure Step Object may no longer be updated (Error ID A710)',
      'PS3.4 Table F.7.2-2',
    ),
  ],
);
