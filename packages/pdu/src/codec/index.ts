// The codec API in one place: pure functions and types, bytes <-> objects (PS3.8 9.3), plus the
// chunk-to-PDU reader. No sockets, timers or events. The package index re-exports these names;
// the connection layer imports them from here.
export type { DicomnetErrorCode, MalformedPduAbortReason } from '../errors.js';
export {
  DicomnetError,
  InvalidPduFieldError,
  MalformedPduError,
  PduTooLargeError,
  PduTruncatedError,
  UnknownPduTypeError,
} from '../errors.js';
export { PDU_HEADER_LENGTH, PduType } from './pdu-type.js';
export { ItemType } from './item-type.js';
export {
  DEFAULT_MAX_ASSOCIATE_PDU_LENGTH,
  DEFAULT_MAX_PDU_LENGTH,
  DEFAULT_MAX_UNBOUNDED_PDU_LENGTH,
} from './pdu-limits.js';
export { AbortReason, AbortSource, describeAbort } from './abort-reason.js';
export { describeReject, RejectReason, RejectResult, RejectSource } from './reject-reason.js';
export { APPLICATION_CONTEXT_NAME } from './application-context.js';
export type {
  PresentationContextAnswer,
  PresentationContextProposal,
} from './presentation-context.js';
export { MAX_PRESENTATION_CONTEXTS, PresentationContextResult } from './presentation-context.js';
export type {
  AsynchronousOperationsWindow,
  RoleSelection,
  SopClassCommonExtendedNegotiation,
  SopClassExtendedNegotiation,
} from './negotiation-items.js';
export type { UserIdentityRequest, UserIdentityResponse } from './user-identity.js';
export { UserIdentityType } from './user-identity.js';
export type { UnknownSubItem, UserInformation } from './user-information.js';
export type { AssociateRq } from './associate-rq.js';
export { decodeAssociateRq, encodeAssociateRq } from './associate-rq.js';
export type { AssociateAc } from './associate-ac.js';
export { decodeAssociateAc, encodeAssociateAc } from './associate-ac.js';
export type { AssociateRj } from './associate-rj.js';
export { decodeAssociateRj, encodeAssociateRj } from './associate-rj.js';
export type { PDataTf, Pdv } from './p-data-tf.js';
export {
  decodePDataTf,
  encodePDataTf,
  encodePDataTfHeader,
  encodePdvHeader,
  PDV_HEADER_LENGTH,
} from './p-data-tf.js';
export type { ReleaseRp, ReleaseRq } from './release.js';
export { decodeReleaseRp, decodeReleaseRq, encodeReleaseRp, encodeReleaseRq } from './release.js';
export type { Abort } from './abort.js';
export { decodeAbort, encodeAbort } from './abort.js';
export type { Pdu, RawPdu } from './pdu.js';
export { decodePdu, encodePdu } from './pdu.js';
export type { PduReaderOptions } from '../pdu-reader.js';
export { PduReader } from '../pdu-reader.js';
export { readPdus } from '../read-pdus.js';
