import { single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';

/**
 * Service-specific statuses of the Media Creation Management Service Class (PS3.4 Annex S):
 * Initiate Media Creation and Cancel Media Creation (N-ACTION) and N-GET. The general N-CREATE,
 * N-ACTION and N-GET statuses of PS3.7 apply as well.
 */
export const MediaCreationManagementStatus = {
  Success: 0x0000, // PS3.4 S.3.2
  OptionalAttributesNotSupported: 0x0001, // PS3.4 S.3.2.4 (N-GET)
  InitiateAlreadyReceived: 0xa510, // PS3.4 S.3.2.2.4 (Initiate Media Creation)
  AlreadyCompleted: 0xc201, // PS3.4 S.3.2.3.4 (Cancel Media Creation)
  InProgressCannotInterrupt: 0xc202, // PS3.4 S.3.2.3.4 (Cancel Media Creation)
  CancellationDenied: 0xc203, // PS3.4 S.3.2.3.4 (Cancel Media Creation)
} as const;

/** A code named in {@link MediaCreationManagementStatus}. */
export type MediaCreationManagementStatus =
  (typeof MediaCreationManagementStatus)[keyof typeof MediaCreationManagementStatus];

/** The statuses of PS3.4 Annex S. */
export const MEDIA_CREATION_MANAGEMENT_STATUSES: readonly StatusTableRow[] = table([
  single(0x0000, 'Success', 'Success', 'PS3.4 S.3.2'),
  single(0x0001, 'Warning', 'Requested optional Attributes are not supported', 'PS3.4 S.3.2.4'),
  single(
    0xa510,
    'Failure',
    'Refused: An Initiate Media Creation action has already been received for this SOP Instance',
    'PS3.4 S.3.2.2.4',
  ),
  single(0xc201, 'Failure', 'Failed: Media creation request already completed', 'PS3.4 S.3.2.3.4'),
  single(
    0xc202,
    'Failure',
    'Failed: Media creation request already in progress and cannot be interrupted',
    'PS3.4 S.3.2.3.4',
  ),
  single(
    0xc203,
    'Failure',
    'Failed: Cancellation denied for unspecified reason',
    'PS3.4 S.3.2.3.4',
  ),
]);
