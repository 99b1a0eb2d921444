// ---- errors ----
export { NoSqliteError } from './errors.js';

// ---- SQLite adapter (node:sqlite or better-sqlite3; for backends and benchmarks) ----
export * from './sqlite/index.js';
