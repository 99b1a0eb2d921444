import type { StatusTableName } from './service-name.js';
import { covers, isSingle } from './status-row.js';
import type { StatusTableRow } from './status-row.js';
import { APPLICATION_EVENT_LOGGING_STATUSES } from './tables/event-logging.js';
import { C_ECHO_STATUSES, GENERAL_STATUSES, N_CREATE_STATUSES } from './tables/general.js';
import { MEDIA_CREATION_MANAGEMENT_STATUSES } from './tables/media-creation.js';
import { PRINT_MANAGEMENT_STATUSES } from './tables/print-management.js';
import {
  MODALITY_PERFORMED_PROCEDURE_STEP_STATUSES,
  UNIFIED_PROCEDURE_STEP_FIND_STATUSES,
  UNIFIED_PROCEDURE_STEP_STATUSES,
} from './tables/procedure-step.js';
import {
  INVENTORY_FIND_STATUSES,
  INVENTORY_GET_STATUSES,
  INVENTORY_MOVE_STATUSES,
  MODALITY_WORKLIST_FIND_STATUSES,
  QUERY_RETRIEVE_FIND_STATUSES,
  QUERY_RETRIEVE_GET_STATUSES,
  QUERY_RETRIEVE_MOVE_STATUSES,
} from './tables/query-retrieve.js';
import { RT_MACHINE_VERIFICATION_STATUSES } from './tables/rt-machine-verification.js';
import { STORAGE_STATUSES } from './tables/storage.js';
import {
  STORAGE_COMMITMENT_ACTION_STATUSES,
  STORAGE_COMMITMENT_EVENT_REPORT_STATUSES,
  STORAGE_COMMITMENT_FAILURE_REASONS,
} from './tables/storage-commitment.js';
import {
  STORAGE_MANAGEMENT_ACTION_STATUSES,
  STORAGE_MANAGEMENT_EVENT_REPORT_STATUSES,
} from './tables/storage-management.js';

/** Every table by name. The `Record` type makes the compiler insist on one per service. */
const TABLES: Readonly<Record<StatusTableName, readonly StatusTableRow[]>> = Object.freeze({
  General: GENERAL_STATUSES,
  // PS3.4 A defines no C-ECHO status of its own; PS3.7 9.1.5.1.4 lists the ones that apply.
  Verification: C_ECHO_STATUSES,
  Storage: STORAGE_STATUSES,
  QueryRetrieveFind: QUERY_RETRIEVE_FIND_STATUSES,
  QueryRetrieveMove: QUERY_RETRIEVE_MOVE_STATUSES,
  QueryRetrieveGet: QUERY_RETRIEVE_GET_STATUSES,
  ModalityPerformedProcedureStep: MODALITY_PERFORMED_PROCEDURE_STEP_STATUSES,
  PrintManagement: PRINT_MANAGEMENT_STATUSES,
  StorageCommitmentAction: STORAGE_COMMITMENT_ACTION_STATUSES,
  StorageCommitmentEventReport: STORAGE_COMMITMENT_EVENT_REPORT_STATUSES,
  StorageCommitmentFailureReason: STORAGE_COMMITMENT_FAILURE_REASONS,
  ModalityWorklistFind: MODALITY_WORKLIST_FIND_STATUSES,
  ApplicationEventLogging: APPLICATION_EVENT_LOGGING_STATUSES,
  // PS3.4 R.3 defines no N-CREATE status of its own; the general N-CREATE list applies.
  InstanceAvailabilityNotification: N_CREATE_STATUSES,
  MediaCreationManagement: MEDIA_CREATION_MANAGEMENT_STATUSES,
  UnifiedProcedureStep: UNIFIED_PROCEDURE_STEP_STATUSES,
  UnifiedProcedureStepFind: UNIFIED_PROCEDURE_STEP_FIND_STATUSES,
  RtMachineVerification: RT_MACHINE_VERIFICATION_STATUSES,
  InventoryFind: INVENTORY_FIND_STATUSES,
  InventoryMove: INVENTORY_MOVE_STATUSES,
  InventoryGet: INVENTORY_GET_STATUSES,
  StorageManagementAction: STORAGE_MANAGEMENT_ACTION_STATUSES,
  StorageManagementEventReport: STORAGE_MANAGEMENT_EVENT_REPORT_STATUSES,
});

/**
 * The rows of one status table, sorted by code: a service context's table, or `General` for
 * PS3.7 Annex C. A row with `lastCode > code` stands for a range such as `A7xx`. Useful for
 * conformance statements (PS3.2 Annex N lists statuses per service) and for tests.
 * @throws RangeError if `service` is not a known table name (possible from plain JavaScript).
 */
export function statusesOf(service: StatusTableName): readonly StatusTableRow[] {
  const rows: readonly StatusTableRow[] | undefined = Object.hasOwn(TABLES, service)
    ? TABLES[service]
    : undefined;
  if (rows === undefined) throw new RangeError(`unknown status table: ${String(service)}`);
  return rows;
}

/** The row for exactly `code` in `rows`, else the range row that covers it (PS3.4 `A7xx`). */
export function findRow(rows: readonly StatusTableRow[], code: number): StatusTableRow | undefined {
  return (
    rows.find((row) => isSingle(row) && row.code === code) ?? rows.find((row) => covers(row, code))
  );
}
