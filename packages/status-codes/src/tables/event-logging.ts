import { single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';

/**
 * Service-specific N-ACTION statuses of the Application Event Logging Service Class (PS3.4
 * Annex P): Procedural Event Logging (Table P.2-3) and Substance Administration Logging
 * (Table P.3-3).
 */
export const ApplicationEventLoggingStatus = {
  Success: 0x0000, // PS3.4 Table P.2-3, P.3-3
  SynchronizationFrameMismatch: 0xb101, // PS3.4 Table P.2-3
  StudyInstanceUidCoerced: 0xb102, // PS3.4 Table P.2-3
  IdsInconsistentEventLogged: 0xb104, // PS3.4 Table P.2-3
  ProceduralLoggingNotAvailable: 0xc101, // PS3.4 Table P.2-3
  EventInformationDoesNotMatchTemplate: 0xc102, // PS3.4 Table P.2-3
  CannotMatchEventToStudy: 0xc103, // PS3.4 Table P.2-3
  IdsInconsistentEventNotLogged: 0xc104, // PS3.4 Table P.2-3
  OperatorNotAuthorized: 0xc10e, // PS3.4 Table P.3-3
  PatientCannotBeIdentified: 0xc110, // PS3.4 Table P.3-3
  MedicationRecordUpdateFailed: 0xc111, // PS3.4 Table P.3-3
} as const;

/** A code named in {@link ApplicationEventLoggingStatus}. */
export type ApplicationEventLoggingStatus =
  (typeof ApplicationEventLoggingStatus)[keyof typeof ApplicationEventLoggingStatus];

const P23 = 'PS3.4 Table P.2-3';
const P33 = 'PS3.4 Table P.3-3';

/** The statuses of PS3.4 Tables P.2-3 and P.3-3. */
export const APPLICATION_EVENT_LOGGING_STATUSES: readonly StatusTableRow[] = table([
  single(0x0000, 'Success', 'Success', P23),
  single(
    0xb101,
    'Warning',
    'Specified Synchronization Frame of Reference UID does not match SCP Synchronization Frame of Reference',
    P23,
  ),
  single(
    0xb102,
    'Warning',
    'Study Instance UID coercion; Event logged under a different Study Instance UID',
    P23,
  ),
  single(0xb104, 'Warning', 'IDs inconsistent in matching a current study; Event logged', P23),
  single(
    0xc101,
    'Failure',
    'Procedural Logging not available for specified Study Instance UID',
    P23,
  ),
  single(0xc102, 'Failure', 'Event Information does not match Template', P23),
  single(0xc103, 'Failure', 'Cannot match event to a current study', P23),
  single(0xc104, 'Failure', 'IDs inconsistent in matching a current study; Event not logged', P23),
  single(
    0xc10e,
    'Failure',
    'Operator not authorized to add entry to Medication Administration Record',
    P33,
  ),
  single(
    0xc110,
    'Failure',
    'Patient cannot be identified from Patient ID (0010,0020) or Admission ID (0038,0010)',
    P33,
  ),
  single(0xc111, 'Failure', 'Update of Medication Administration Record failed', P33),
]);
