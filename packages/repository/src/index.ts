// ---- the repository ----
export type {
  DuplicatePolicy,
  InstanceReference,
  InstanceSet,
  InventoryMatchOptions,
  MatchedInventory,
  MatchedRecord,
  MatchOptions,
  ReadOptions,
  Repository,
  RepositoryLevel,
  StoredInstance,
  StoreOptions,
  StoreRequest,
  StoreResult,
} from './repository.js';
export { FileRepository } from './file-repository.js';
export type { FileRepositoryOptions } from './file-repository.js';
export type { RecoveryReport } from './recovery.js';
export { storedPathOf } from './storage-path.js';
export { INDEXED_ATTRIBUTES, attributesAt } from './query/indexed-attributes.js';
export type { IndexedAttribute } from './query/indexed-attributes.js';
export { WALK_ATTRIBUTES } from './query/walk-index.js';
export type { WalkDepth, WalkedRecord, WalkOptions } from './query/walk-index.js';

// ---- errors ----
export {
  DuplicateInstanceError,
  InstanceNotFoundError,
  InvalidCursorError,
  InvalidInstanceError,
  NoSqliteError,
  RepositoryClosedError,
  RepositoryLockedError,
  SchemaTooNewError,
  StoreJournalError,
} from './errors.js';
export type { InvalidInstanceReason } from './errors.js';

// ---- SQLite adapter (node:sqlite or better-sqlite3; for backends and benchmarks) ----
export * from './sqlite/index.js';

// ---- matching (PS3.4 C.2.2.2): C-FIND identifiers and Scope of Inventory ----
export * from './match/index.js';

// ---- import of an existing folder of DICOM files ----
export * from './import/index.js';

// ---- the instance index itself: batched inserts for bulk loaders, other backends, benchmarks ----
export { InstanceIndex } from './index-db/instance-index.js';
export type { InstanceRow } from './index-db/instance-index.js';
export { prepareSchema, SCHEMA_VERSION } from './index-db/schema.js';
export { INDEX_TAGS, indexRecordOf } from './index-record.js';
export type {
  IndexRecord,
  InstanceAttributes,
  PatientAttributes,
  SeriesAttributes,
  StudyAttributes,
} from './index-record.js';
