import type { ServiceName, StatusCategory } from '@dicomnet/status-codes';
import { describeStatus, statusCategory } from '@dicomnet/status-codes';
import type { DimseResponse } from '../command/index.js';
import { DimseStatusError } from '../errors.js';
import type { StatusDetails } from '../errors.js';

/** The outcome of a request the peer answered with Success or Warning. */
export interface DimseResult {
  /** Status (0000,0900). */
  readonly status: number;
  readonly category: StatusCategory;
  /** The status's meaning in the service's context (PS3.4 tables, PS3.7 Annex C). */
  readonly meaning: string;
  /** Error Comment (0000,0902), when the peer sent one (warnings may carry one). */
  readonly errorComment: string | undefined;
  /** Offending Element (0000,0901) tags, when the peer sent them. */
  readonly offendingElement: readonly number[] | undefined;
}

/** A status with its optional companion elements (PS3.7 Annex C), as a handler returns it. */
export interface StatusReply {
  readonly status: number;
  readonly errorComment?: string;
  readonly errorId?: number;
  readonly offendingElement?: readonly number[];
  /**
   * Attribute Identifier List (0000,1005), in the responses that may carry it: N-GET/N-SET/
   * N-CREATE-RSP, and N-ACTION-RSP with 0120H Missing Attribute (PS3.7 C.5.13) or a warning
   * whose service table lists it (e.g. 0xB010, PS3.4 Table KK.2.2.3-1).
   */
  readonly attributeIdentifierList?: readonly number[];
}

/**
 * Turns a final response into a result, or throws for Failure and Cancel statuses.
 * @throws {@link DimseStatusError} (`DICOMNET_DIMSE_FAILURE_STATUS`) carrying the status.
 */
export function resultOf(
  operation: string,
  response: DimseResponse,
  service?: ServiceName,
): DimseResult {
  const fields = response as Partial<
    Record<
      | 'errorComment'
      | 'errorId'
      | 'offendingElement'
      | 'attributeIdentifierList'
      | 'actionTypeId'
      | 'eventTypeId'
      | 'affectedSopClassUid'
      | 'affectedSopInstanceUid',
      unknown
    >
  >; // optional companions
  const errorComment = typeof fields.errorComment === 'string' ? fields.errorComment : undefined;
  const errorId = typeof fields.errorId === 'number' ? fields.errorId : undefined;
  const offendingElement = Array.isArray(fields.offendingElement)
    ? (fields.offendingElement as number[])
    : undefined;
  const category = statusCategory(response.status);
  if (category === 'Failure' || category === 'Cancel') {
    const list = fields.attributeIdentifierList;
    const { actionTypeId, eventTypeId, affectedSopClassUid, affectedSopInstanceUid } = fields;
    const details: StatusDetails = {
      ...(errorComment !== undefined && { errorComment }),
      ...(errorId !== undefined && { errorId }),
      ...(offendingElement !== undefined && { offendingElement }),
      // Annex C companions of N-service failures (PS3.7 C.5.7, C.5.10, C.5.12, C.5.13, C.5.16, C.5.24).
      ...(Array.isArray(list) && { attributeIdentifierList: list as number[] }),
      ...(typeof actionTypeId === 'number' && { actionTypeId }),
      ...(typeof eventTypeId === 'number' && { eventTypeId }),
      ...(typeof affectedSopClassUid === 'string' && { affectedSopClassUid }),
      ...(typeof affectedSopInstanceUid === 'string' && { affectedSopInstanceUid }),
    };
    throw new DimseStatusError(operation, response.status, details, service);
  }
  return {
    status: response.status,
    category,
    meaning: describeStatus(response.status, service).meaning,
    errorComment,
    offendingElement,
  };
}

/** Normalises what a handler returned: nothing means Success. */
export function replyOf(value: StatusReply | number | void | undefined): StatusReply {
  if (value === undefined) return { status: 0x0000 };
  if (typeof value === 'number') return { status: value };
  return value;
}

/** The status and its companion fields of a reply, without anything else it carries. */
export function statusFields(reply: StatusReply): StatusReply {
  return {
    status: reply.status,
    ...(reply.errorComment !== undefined && { errorComment: reply.errorComment }),
    ...(reply.errorId !== undefined && { errorId: reply.errorId }),
    ...(reply.offendingElement !== undefined && { offendingElement: reply.offendingElement }),
    ...(reply.attributeIdentifierList !== undefined && {
      attributeIdentifierList: reply.attributeIdentifierList,
    }),
  };
}
