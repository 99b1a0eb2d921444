import type {
  CCancelRq,
  CEchoRq,
  CEchoRsp,
  CFindRq,
  CFindRsp,
  CGetRq,
  CGetRsp,
  CMoveRq,
  CMoveRsp,
  CStoreRq,
  CStoreRsp,
} from './dimse-c-messages.js';
import type {
  NActionRq,
  NActionRsp,
  NCreateRq,
  NCreateRsp,
  NDeleteRq,
  NDeleteRsp,
  NEventReportRq,
  NEventReportRsp,
  NGetRq,
  NGetRsp,
  NSetRq,
  NSetRsp,
} from './dimse-n-messages.js';

/**
 * Every DIMSE request that carries a Message ID and expects a response, told apart by `kind`.
 * C-CANCEL-RQ is not one of them (no Message ID, no response): see {@link DimseMessage}.
 */
export type DimseRequest =
  | CEchoRq
  | CStoreRq
  | CFindRq
  | CGetRq
  | CMoveRq
  | NEventReportRq
  | NGetRq
  | NSetRq
  | NActionRq
  | NCreateRq
  | NDeleteRq;

/** Every DIMSE response, told apart by `kind`. */
export type DimseResponse =
  | CEchoRsp
  | CStoreRsp
  | CFindRsp
  | CGetRsp
  | CMoveRsp
  | NEventReportRsp
  | NGetRsp
  | NSetRsp
  | NActionRsp
  | NCreateRsp
  | NDeleteRsp;

/** Any DIMSE message of PS3.7 §9.3 and §10.3: a request, a C-CANCEL-RQ or a response. */
export type DimseMessage = DimseRequest | CCancelRq | DimseResponse;

/** The `kind` of a DIMSE message: 'C-ECHO-RQ', 'N-ACTION-RSP', 'C-CANCEL-RQ', … */
export type DimseKind = DimseMessage['kind'];

/**
 * The Message ID (0000,0110) of a request, or undefined for a response and for C-CANCEL-RQ
 * (which only names the Message ID of the operation it cancels).
 */
export function messageIdOf(message: DimseMessage): number | undefined {
  return 'messageId' in message ? message.messageId : undefined;
}

/**
 * The Message ID Being Responded To (0000,0120) of a response or of a C-CANCEL-RQ, or undefined
 * for any other request.
 */
export function respondedIdOf(message: DimseMessage): number | undefined {
  return 'messageIdBeingRespondedTo' in message ? message.messageIdBeingRespondedTo : undefined;
}

const ALWAYS_DATA_SET: ReadonlySet<DimseKind> = new Set<DimseKind>([
  'C-STORE-RQ',
  'C-FIND-RQ',
  'C-GET-RQ',
  'C-MOVE-RQ',
  'N-SET-RQ',
]);

/**
 * True when a data set follows the message's command: always for C-STORE-RQ, C-FIND-RQ, C-GET-RQ,
 * C-MOVE-RQ and N-SET-RQ; `hasDataSet` for the messages whose data set is conditional; never
 * otherwise (PS3.7 Tables 9.3-x and 10.3-x).
 */
export function messageHasDataSet(message: DimseMessage): boolean {
  if ('hasDataSet' in message) return message.hasDataSet;
  return ALWAYS_DATA_SET.has(message.kind);
}
