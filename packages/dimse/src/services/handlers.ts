import type { NegotiatedAssociation } from '@dicomnet/pdu';
import type { DimseClient, StoreInstance } from '../client/dimse-client.js';
import type { Priority } from '../command/index.js';
import type { DataSet } from '@dicomnet/data';
import type { StatusReply } from './results.js';

/** What every handler learns about the request's association. */
export interface RequestContext {
  /** AE titles, contexts and user identity as negotiated. */
  readonly association: NegotiatedAssociation;
  /** The presentation context the request arrived on. */
  readonly presentationContextId: number;
  /** The transfer syntax of that context: the request's data set is encoded in it. */
  readonly transferSyntaxUid: string;
  /** Aborted when the association ends before the handler has answered. */
  readonly signal: AbortSignal;
  /** The Message ID of the request. */
  readonly messageId: number;
  /**
   * Sends requests back to the peer on the same association, e.g. the N-EVENT-REPORT that
   * answers an N-ACTION when the peer accepted us as SCP of its SOP class.
   */
  readonly peer: DimseClient;
  /**
   * Resolves once this request's final response has been handed to the transport: `true`, or
   * `false` when the association ended first. Never rejects. Requests that must follow the
   * response on this association wait for it, e.g. the N-EVENT-REPORT after an N-ACTION
   * (PS3.4 J.3.3, KK.2.3): `void request.responded.then((sent) => sent && request.peer.eventReport(…))`.
   * A request sent through `peer` before then would reach the peer ahead of the response.
   */
  readonly responded: Promise<boolean>;
}

/** A C-ECHO request (PS3.7 §9.1.5). */
export interface EchoRequest extends RequestContext {
  readonly sopClassUid: string;
}

/** A C-STORE request (PS3.7 §9.1.1) whose data set arrives while the handler runs. */
export interface StoreRequest extends RequestContext {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly priority: Priority;
  /** The C-MOVE requester's AE title and Message ID, for a C-MOVE sub-operation. */
  readonly moveOriginator: { readonly aeTitle: string; readonly messageId: number } | undefined;
  /**
   * The data set as received, fragment by fragment, in `transferSyntaxUid`. Read it once; what
   * is not read when the handler returns is received and dropped. Reading slowly slows the peer.
   */
  readonly dataSet: AsyncIterable<Uint8Array>;
}

/** A C-FIND request (PS3.7 §9.1.2, PS3.4 C.4.1). */
export interface FindRequest extends RequestContext {
  /** The FIND SOP class of the Information Model (PS3.4 C.6). */
  readonly sopClassUid: string;
  readonly priority: Priority;
  /**
   * The Identifier, decoded: Query/Retrieve Level (0008,0052), the keys to match and the keys to
   * return (PS3.4 C.4.1.1.3.1).
   */
  readonly identifier: DataSet;
}

/**
 * What a C-FIND handler produces: the matches, each sent as a Pending (0xFF00) response once the
 * one before it is written, and as its return value the final status (Success when it returns
 * nothing). An `async function*` is the natural shape.
 */
export type FindMatches =
  AsyncIterable<DataSet, HandlerResult, undefined> | Iterable<DataSet, HandlerResult, undefined>;

/** A C-GET request (PS3.7 §9.1.3, PS3.4 C.4.3). */
export interface CGetRequest extends RequestContext {
  /** The GET SOP class of the Information Model (PS3.4 C.6). */
  readonly sopClassUid: string;
  readonly priority: Priority;
  /**
   * The Identifier, decoded: Query/Retrieve Level and the unique keys of what to retrieve
   * (PS3.4 C.4.2.1.4.1).
   */
  readonly identifier: DataSet;
}

/** A C-MOVE request (PS3.7 §9.1.4, PS3.4 C.4.2). */
export interface CMoveRequest extends CGetRequest {
  /** Move Destination (0000,0600): the AE title to send the instances to. */
  readonly destination: string;
}

/**
 * What a C-GET or C-MOVE handler found to send. Each instance is one C-STORE sub-operation,
 * taken from `instances` only when the one before it has been answered, so files can be opened
 * one at a time.
 */
export interface RetrieveSet {
  /**
   * How many instances `instances` yields: Number of Remaining Sub-operations counts down from
   * it (PS3.4 C.4.2.1.6).
   */
  readonly total: number;
  readonly instances: AsyncIterable<StoreInstance> | Iterable<StoreInstance>;
}

/**
 * A C-GET or C-MOVE handler's answer: the instances to send (a {@link RetrieveSet}, or an array),
 * or a status that refuses the request (e.g. 0xA900 Identifier does not match SOP Class).
 */
export type RetrieveAnswer = RetrieveSet | readonly StoreInstance[] | HandlerResult;

/** An N-EVENT-REPORT request (PS3.7 §10.1.1). */
export interface EventReportRequest extends RequestContext {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly eventTypeId: number;
  /** Event Information, decoded. */
  readonly eventInformation: DataSet | undefined;
}

/** An N-GET request (PS3.7 §10.1.2). */
export interface NGetRequest extends RequestContext {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** The tags asked for; empty means all attributes. */
  readonly attributeIdentifierList: readonly number[];
}

/** An N-SET request (PS3.7 §10.1.3). */
export interface SetRequest extends RequestContext {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly modificationList: DataSet;
}

/** An N-ACTION request (PS3.7 §10.1.4). */
export interface ActionRequest extends RequestContext {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly actionTypeId: number;
  /** Action Information, decoded. */
  readonly actionInformation: DataSet | undefined;
}

/** An N-CREATE request (PS3.7 §10.1.5). */
export interface CreateRequest extends RequestContext {
  readonly sopClassUid: string;
  /** Absent when the requester leaves the choice of UID to us. */
  readonly sopInstanceUid: string | undefined;
  readonly attributeList: DataSet | undefined;
}

/** An N-DELETE request (PS3.7 §10.1.6). */
export interface DeleteRequest extends RequestContext {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
}

/** A status, with a data set for the responses that may carry one. */
export interface ReplyWithDataSet extends StatusReply {
  readonly dataSet?: DataSet;
}

/** N-CREATE's answer: the UID we assigned when the requester gave none (PS3.7 §10.1.5.1.4). */
export interface CreateReply extends ReplyWithDataSet {
  readonly sopInstanceUid?: string;
}

/** What a handler may return: nothing (Success), a status code, or a status with details. */
export type HandlerResult<R extends StatusReply = StatusReply> = R | number | void;

/**
 * The services an AE performs, one async function each (PS3.7 §9, §10). A missing handler makes
 * the request fail with 0x0211 Unrecognized operation for N-services, 0x0122 SOP class not
 * supported for C-services. A handler that throws answers 0x0110 Processing failure (0xC000
 * Cannot understand for C-STORE, 0xC000 Unable to process for C-FIND, also after some matches);
 * the error never reaches the socket.
 */
export interface DimseHandlers {
  echo?(request: EchoRequest): HandlerResult | Promise<HandlerResult>;
  store?(request: StoreRequest): HandlerResult | Promise<HandlerResult>;
  /**
   * C-FIND: yields the matches. When the peer cancels (C-CANCEL-RQ), `request.signal` aborts,
   * no more matches are taken, and the final status is 0xFE00 Cancel (PS3.4 C.4.1.3.2).
   */
  find?(request: FindRequest): FindMatches;
  /**
   * C-GET: the instances to send back on this association, as C-STORE sub-operations on the
   * contexts where the peer took the SCP role (PS3.4 C.4.3.3). Pending responses report the
   * counts; a C-CANCEL-RQ stops before the next instance, final status 0xFE00.
   */
  get?(request: CGetRequest): RetrieveAnswer | Promise<RetrieveAnswer>;
  /**
   * C-MOVE: the instances to send to `request.destination`, on an association the server opens
   * to the address `moveDestinations` gives for that AE title (0xA801 when it gives none,
   * PS3.4 C.4.2.1.5). Counts and cancellation as for `get`.
   */
  move?(request: CMoveRequest): RetrieveAnswer | Promise<RetrieveAnswer>;
  eventReport?(
    request: EventReportRequest,
  ): HandlerResult<ReplyWithDataSet> | Promise<HandlerResult<ReplyWithDataSet>>;
  /** N-GET (not `get`, which is C-GET). */
  nGet?(
    request: NGetRequest,
  ): HandlerResult<ReplyWithDataSet> | Promise<HandlerResult<ReplyWithDataSet>>;
  set?(
    request: SetRequest,
  ): HandlerResult<ReplyWithDataSet> | Promise<HandlerResult<ReplyWithDataSet>>;
  action?(
    request: ActionRequest,
  ): HandlerResult<ReplyWithDataSet> | Promise<HandlerResult<ReplyWithDataSet>>;
  create?(request: CreateRequest): HandlerResult<CreateReply> | Promise<HandlerResult<CreateReply>>;
  delete?(request: DeleteRequest): HandlerResult | Promise<HandlerResult>;
}
