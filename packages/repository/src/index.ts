// ---- the repository ----
export type {
  DuplicatePolicy,
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

// ---- errors ----
export {
  DuplicateInstanceError,
  InstanceNotFoundError,
  InvalidInstanceError,
  NoSqliteError,
  RepositoryClosedError,
  RepositoryLockedError,
  SchemaTooNewError,
} from './errors.js';
export type { InvalidInstanceReason } from './errors.js';

// ---- SQLite adapter (node:sqlite or better-sqlite3; for backends and benchmarks) ----
export * from './sqlite/index.js';

// ---- matching (PS3.4 C.2.2.2): C-FIND identifiers and Scope of Inventory ----
export * from './match/index.js';
