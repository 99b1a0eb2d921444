// ---- connecting and serving ----
export type { ConnectOptions } from './client/connect.js';
export { connect } from './client/connect.js';
export type { AssociationPool, PoolOptions } from './client/association-pool.js';
export { createAssociationPool } from './client/association-pool.js';
export type {
  NResult,
  NTarget,
  OperationOptions,
  StoreInstance,
  StoreOptions,
} from './client/dimse-client.js';
export type {
  FindOptions,
  FindQuery,
  GetOptions,
  MoveQuery,
  RetrieveOptions,
  RetrieveQuery,
} from './client/query-retrieve.js';
export { DimseClient } from './client/dimse-client.js';
export type { RetrieveResult, SuboperationProgress } from './client/retrieve-results.js';
export type { StoreHandler } from './client/store-route.js';
export type { DimseServer, ServerOptions } from './server/dimse-server.js';
export { createServer } from './server/dimse-server.js';
export type { MoveDestination, MoveDestinations } from './services/move-sender.js';
export type {
  ActionRequest,
  CGetRequest,
  CMoveRequest,
  CreateReply,
  CreateRequest,
  DeleteRequest,
  DimseHandlers,
  EchoRequest,
  EventReportRequest,
  FindMatches,
  FindRequest,
  NGetRequest,
  HandlerResult,
  ReplyWithDataSet,
  RequestContext,
  RetrieveAnswer,
  RetrieveSet,
  SetRequest,
  StoreRequest,
} from './services/handlers.js';
export type { DimseResult, StatusReply } from './services/results.js';
export { isStorageSopClass } from './services/storage-sop-classes.js';
export { VERIFICATION_SOP_CLASS } from './services/verification.js';
export type { InstanceFile, OpenInstanceFileOptions } from './store/instance-file.js';
export { openInstanceFile, openInstanceFileSync } from './store/instance-file.js';
export { convertInstance, DEFAULT_MAX_CONVERT_BYTES } from './store/convert-instance.js';
export type {
  OpenInstanceFilesOptions,
  StoreFileOutcome,
  StoreFilesOptions,
} from './store/store-files.js';
export { openInstanceFiles, storeFiles } from './store/store-files.js';
export type { StoreToDirectoryOptions } from './store/store-to-directory.js';
export { storeToDirectory } from './store/store-to-directory.js';
export { isStoreLeftover, removeStoreLeftovers } from './store/store-leftovers.js';
export type { DimseLimits } from './association/dimse-limits.js';
export {
  DEFAULT_DIMSE_TIMEOUT,
  DEFAULT_MAX_PDV_FRAGMENTS,
  DEFAULT_MAX_REASSEMBLED_BYTES,
  DEFAULT_MAX_STREAMED_DATA_SET_BYTES,
  DEFAULT_STREAM_HIGH_WATER_MARK,
} from './association/dimse-limits.js';
export { FRAGMENT_OVERHEAD_BYTES } from './message/fragment-cost.js';
export {
  DimseProtocolError,
  DimseStatusError,
  DimseTimeoutError,
  MessageTooLargeError,
  NoPresentationContextError,
  OperationsWindowExceededError,
  PoolClosedError,
  ResponseMismatchError,
  RetrieveStatusError,
  TooManyFragmentsError,
} from './errors.js';
export type { StatusDetails, RetrieveCounts } from './errors.js';
export type { DimseErrorEvent, DimseMessageEvent } from './diagnostics.js';
export { DIMSE_DIAGNOSTICS_CHANNELS } from './diagnostics.js';

// ---- command sets and messages (PS3.7 §6.3, §9.3, §10.3, Annex E) ----
export * from './command/index.js';
