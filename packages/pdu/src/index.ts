// ---- codec (pure: bytes <-> objects, no sockets, timers or events) ----
export type {
  Abort,
  AssociateAc,
  AssociateRj,
  AssociateRq,
  AsynchronousOperationsWindow,
  DicomnetErrorCode,
  MalformedPduAbortReason,
  PDataTf,
  Pdu,
  PduReaderOptions,
  Pdv,
  PresentationContextAnswer,
  PresentationContextProposal,
  RawPdu,
  ReleaseRp,
  ReleaseRq,
  RoleSelection,
  SopClassCommonExtendedNegotiation,
  SopClassExtendedNegotiation,
  UnknownSubItem,
  UserIdentityRequest,
  UserIdentityResponse,
  UserInformation,
} from './codec/index.js';
export {
  AbortReason,
  AbortSource,
  APPLICATION_CONTEXT_NAME,
  decodeAbort,
  decodeAssociateAc,
  decodeAssociateRj,
  decodeAssociateRq,
  decodePDataTf,
  decodePdu,
  decodeReleaseRp,
  decodeReleaseRq,
  DEFAULT_MAX_ASSOCIATE_PDU_LENGTH,
  DEFAULT_MAX_PDU_LENGTH,
  DEFAULT_MAX_UNBOUNDED_PDU_LENGTH,
  describeAbort,
  describeReject,
  DicomnetError,
  encodeAbort,
  encodeAssociateAc,
  encodeAssociateRj,
  encodeAssociateRq,
  encodePDataTf,
  encodePDataTfHeader,
  encodePdu,
  encodePdvHeader,
  encodeReleaseRp,
  encodeReleaseRq,
  InvalidPduFieldError,
  ItemType,
  MalformedPduError,
  MAX_PRESENTATION_CONTEXTS,
  PDU_HEADER_LENGTH,
  PduReader,
  PduTooLargeError,
  PduTruncatedError,
  PduType,
  PDV_HEADER_LENGTH,
  PresentationContextResult,
  readPdus,
  RejectReason,
  RejectResult,
  RejectSource,
  UnknownPduTypeError,
  UserIdentityType,
} from './codec/index.js';
// ---- end codec ----

// ---- negotiation: proposals, acceptor policy, the negotiated result ----
export type { AssociationProposal, ProposedContext } from './negotiation/association-request.js';
export { buildAssociateRq } from './negotiation/association-request.js';
export type {
  AcceptorDecision,
  AcceptorPolicy,
  IdentityVerdict,
  SupportedContext,
} from './negotiation/acceptor-policy.js';
export { decideAssociation } from './negotiation/acceptor-policy.js';
export type {
  AssociationRole,
  NegotiatedAssociation,
  NegotiatedContext,
} from './negotiation/negotiated-association.js';
export { findContext, negotiatedAssociation } from './negotiation/negotiated-association.js';
export {
  IMPLEMENTATION_CLASS_UID,
  IMPLEMENTATION_VERSION_NAME,
} from './negotiation/implementation.js';

// ---- the state machine (PS3.8 §9.2) ----
export type { State } from './state/states.js';
export { STATE_DESCRIPTIONS, STATES } from './state/states.js';
export type { Event } from './state/events.js';
export { EVENT_DESCRIPTIONS, EVENTS } from './state/events.js';
export type { Action } from './state/transition-table.js';
export {
  ACTION_NEXT_STATE,
  actionFor,
  isListed,
  TRANSITION_TABLE,
} from './state/transition-table.js';

// ---- associations and transports ----
export type { AssociationHandlers } from './association/association.js';
export type { AssociationLimits } from './association/association-limits.js';
export { Association } from './association/association.js';
export {
  DEFAULT_ARTIM_TIMEOUT,
  DEFAULT_MAX_PENDING_BYTES,
  DEFAULT_MAX_PENDING_PDUS,
  DEFAULT_USER_RESPONSE_TIMEOUT,
} from './association/association-limits.js';
export type { DataSource, OutgoingMessage, WrittenCallback } from './association/message-writer.js';
export { maxFragment } from './association/message-writer.js';
export type { RequestAssociationOptions } from './association/request-association.js';
export { requestAssociation } from './association/request-association.js';
export type { AcceptorOptions, ListenOptions } from './association/acceptor.js';
export { Acceptor, DEFAULT_MAX_ASSOCIATIONS } from './association/acceptor.js';
export type { ConnectOptions } from './transport/connect.js';
export { connectTransport, DEFAULT_CONNECT_TIMEOUT } from './transport/connect.js';
export type { AbortInitiator, FailurePoint } from './association-errors.js';
export {
  AssociateAcMismatchError,
  AssociationAbortedError,
  AssociationInternalError,
  AssociationRejectedError,
  AssociationTimeoutError,
  ConnectError,
  ConnectTimeoutError,
  InvalidStateError,
  PendingPdusLimitError,
  TransportClosedError,
  UserResponseTimeoutError,
} from './association-errors.js';

// ---- observability ----
export type {
  AcceptorErrorMessage,
  AssociationEndedMessage,
  AssociationErrorMessage,
  PduTrafficMessage,
  StateChangedMessage,
} from './diagnostics.js';
export { DIAGNOSTICS_CHANNELS } from './diagnostics.js';
