export type { StatusCategory } from './status-category.js';
export { isInStatusClass, statusCategory } from './status-category.js';
export type { StatusDescription } from './describe-status.js';
export { describeStatus, formatStatus } from './describe-status.js';
export { statusesOf } from './status-tables.js';
export type { ServiceName, StatusTableName } from './service-name.js';
export { SERVICE_NAMES, isServiceName } from './service-name.js';
export type { StatusTableRow } from './status-row.js';
export { GeneralStatus } from './tables/general.js';
export { StorageStatus } from './tables/storage.js';
export {
  QueryRetrieveFindStatus,
  QueryRetrieveGetStatus,
  QueryRetrieveMoveStatus,
} from './tables/query-retrieve.js';
export { StorageCommitmentFailureReason } from './tables/storage-commitment.js';
export { StorageManagementStatus } from './tables/storage-management.js';
export { UnifiedProcedureStepStatus } from './tables/procedure-step.js';
export { PrintManagementStatus } from './tables/print-management.js';
export { MediaCreationManagementStatus } from './tables/media-creation.js';
export { ApplicationEventLoggingStatus } from './tables/event-logging.js';
export { RtMachineVerificationStatus } from './tables/rt-machine-verification.js';
