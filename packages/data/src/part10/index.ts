export {
  DICOMNET_IMPLEMENTATION_CLASS_UID,
  DICOMNET_IMPLEMENTATION_VERSION_NAME,
  encodeFileMetaInformation,
  MetaTag,
} from './file-meta-information.js';
export type {
  FileMetaInformation,
  FileMetaInformationInput,
  RawMetaElement,
} from './file-meta-information.js';
export { DEFAULT_MAX_META_BYTES, parsePart10Header } from './parse-file-meta.js';
export type { Part10Header, Part10HeaderParse } from './parse-file-meta.js';
export { openPart10File, openPart10FileSync, readPart10, readPart10Header } from './read-part10.js';
export type {
  OpenPart10FileOptions,
  Part10DataSet,
  Part10File,
  Part10Stream,
  ReadPart10Options,
} from './read-part10.js';
export { AtomicFileWriter, writeFileAtomically } from './atomic-file-writer.js';
export { TemporaryFile, atomicWriterTargetOf } from './temporary-file.js';
export type { AtomicWriteOptions, AtomicWriteResult } from './atomic-file-writer.js';
export { DurableFolder } from './durable-folder.js';
export type { DurableFolderOptions, FolderSyncCalls } from './durable-folder.js';
export { openPart10FileWriter, writePart10File } from './part10-file-writer.js';
export { deflateDataSet, inflateDataSet } from './deflate-data-set.js';
export type { DeflateDataSetOptions, InflateDataSetOptions } from './deflate-data-set.js';
export { readDataSetUids } from './read-data-set-uids.js';
export type { DataSetUids } from './read-data-set-uids.js';
export {
  AtomicWriteError,
  InflateError,
  InvalidFileMetaError,
  NotPart10Error,
  Part10FileChangedError,
  Part10MalformedError,
  Part10MetaTooLargeError,
  UnfinishedFileError,
} from './errors.js';
export type { InflateErrorCode } from './errors.js';
