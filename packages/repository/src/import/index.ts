// Import of an existing folder of DICOM files (issue 16).
export {
  DEFAULT_IMPORT_CONCURRENCY,
  importFolder,
  type ImportEvent,
  type ImportFileOutcome,
  type ImportOptions,
  type ImportRun,
  type ImportSkipReason,
  type ImportTotals,
} from './import-folder.js';
export type { ImportLayout } from './probe-file.js';
export { countFiles } from './walk-folder.js';
