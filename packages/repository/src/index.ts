// ---- errors ----
export { NoSqliteError } from './errors.js';
