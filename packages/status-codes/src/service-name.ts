/**
 * Every service context this package has a status table for, in PS3.4 annex order. A
 * context is one DIMSE operation (or a group of them) of one service class whose status table
 * differs from its neighbours', so N-ACTION and N-EVENT-REPORT of one SOP class are separate.
 *
 * | name | PS3.4 | DIMSE |
 * | --- | --- | --- |
 * | `Verification` | Annex A | C-ECHO |
 * | `Storage` | Annex B | C-STORE |
 * | `QueryRetrieveFind` / `QueryRetrieveMove` / `QueryRetrieveGet` | Annex C | C-FIND / C-MOVE / C-GET |
 * | `ModalityPerformedProcedureStep` | Annex F | N-CREATE, N-SET |
 * | `PrintManagement` | Annex H | N-CREATE, N-SET, N-ACTION of the print SOP classes |
 * | `StorageCommitmentAction` / `StorageCommitmentEventReport` | Annex J | N-ACTION / N-EVENT-REPORT |
 * | `StorageCommitmentFailureReason` | Annex J, PS3.3 C.14.1.1 | Failure Reason (0008,1197) values |
 * | `ModalityWorklistFind` | Annex K | C-FIND |
 * | `ApplicationEventLogging` | Annex P | N-ACTION |
 * | `InstanceAvailabilityNotification` | Annex R | N-CREATE |
 * | `MediaCreationManagement` | Annex S | N-CREATE, N-ACTION, N-GET |
 * | `UnifiedProcedureStep` / `UnifiedProcedureStepFind` | Annex CC | DIMSE-N / C-FIND |
 * | `RtMachineVerification` | Annex DD | N-ACTION, N-GET |
 * | `InventoryFind` / `InventoryMove` / `InventoryGet` | Annex JJ | C-FIND / C-MOVE / C-GET |
 * | `StorageManagementAction` / `StorageManagementEventReport` | Annex KK | N-ACTION / N-EVENT-REPORT |
 */
export const SERVICE_NAMES = [
  'Verification',
  'Storage',
  'QueryRetrieveFind',
  'QueryRetrieveMove',
  'QueryRetrieveGet',
  'ModalityPerformedProcedureStep',
  'PrintManagement',
  'StorageCommitmentAction',
  'StorageCommitmentEventReport',
  'StorageCommitmentFailureReason',
  'ModalityWorklistFind',
  'ApplicationEventLogging',
  'InstanceAvailabilityNotification',
  'MediaCreationManagement',
  'UnifiedProcedureStep',
  'UnifiedProcedureStepFind',
  'RtMachineVerification',
  'InventoryFind',
  'InventoryMove',
  'InventoryGet',
  'StorageManagementAction',
  'StorageManagementEventReport',
] as const;

/** A service context with its own status table; see {@link SERVICE_NAMES}. */
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A table name: a service context, or `General` for the statuses of PS3.7 Annex C. */
export type StatusTableName = ServiceName | 'General';

/** True when `value` names a service context of {@link SERVICE_NAMES}. */
export function isServiceName(value: unknown): value is ServiceName {
  return typeof value === 'string' && (SERVICE_NAMES as readonly string[]).includes(value);
}
