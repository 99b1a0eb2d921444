// ---- data sets (PS3.18 F.2 model, dcmjs-based codec) ----
export * from './data-set/index.js';

// ---- transfer syntaxes (PS3.5 §10, PS3.6 Annex A) ----
export * from './transfer-syntax/index.js';

// ---- Part 10 files (PS3.10) ----
export * from './part10/index.js';

// ---- errors ----
export { DicomnetError } from './dicomnet-error.js';
export type { DicomnetErrorCode } from './dicomnet-error.js';

// ---- streaming elements (PS3.5 §7) ----
export type * from './element-stream/element-token.js';
export * from './element-reader/index.js';
export * from './element-writer/index.js';
