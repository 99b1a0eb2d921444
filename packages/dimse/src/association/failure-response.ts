import type { CommandSet, DimseRequest, DimseResponse } from '../command/index.js';
import { COMMAND_DATA_SET_ABSENT, CommandField, encodeMessageCommand } from '../command/index.js';
import { namesTypeId } from './type-id-rule.js';

// The responses the DIMSE layer itself composes: a handler's answer made encodable, and the
// failure answers to requests that never reach a handler (PS3.7 Annex C).

/**
 * Encodes a handler's response. Companion fields the status does not allow (PS3.7 Annex C, e.g.
 * an Error Comment with 0x0211) are dropped rather than turning the answer into a failure.
 */
export function encodeResponse(message: DimseResponse, request: DimseRequest): Uint8Array {
  const comment = (message as { errorComment?: unknown }).errorComment; // every response may carry one
  if (typeof comment === 'string') message = { ...message, errorComment: printable(comment) };
  try {
    return encodeMessageCommand(message, { request });
  } catch (error) {
    const {
      errorComment: _comment,
      errorId: _id,
      offendingElement: _offending,
      attributeIdentifierList: _attributes,
      ...bare
    } = message as DimseResponse & {
      errorComment?: string;
      errorId?: number;
      offendingElement?: readonly number[];
      attributeIdentifierList?: readonly number[];
    }; // every response type may carry these companions
    if (bare === message) throw error;
    return encodeMessageCommand(bare as DimseResponse, { request });
  }
}

/** A minimal response to a request we refuse: its command field with the response bit, the status. */
export function failureResponse(
  request: CommandSet,
  status: number,
  errorComment: string,
): CommandSet {
  return {
    commandField: (request.commandField | 0x8000) & 0xffff,
    commandDataSetType: COMMAND_DATA_SET_ABSENT,
    messageIdBeingRespondedTo: request.messageId ?? 0,
    status,
    // PS3.7 Annex C lists Error Comment with 0110H, 0122H, 0124H, Axxx, Bxxx and Cxxx only; LO
    // holds at most 64 characters.
    ...(allowsErrorComment(status) && { errorComment: printable(errorComment) }),
    ...(request.affectedSopClassUid !== undefined && {
      affectedSopClassUid: request.affectedSopClassUid,
    }),
    ...(request.affectedSopInstanceUid !== undefined && {
      affectedSopInstanceUid: request.affectedSopInstanceUid,
    }),
    ...(request.commandField === CommandField.NActionRq &&
      request.actionTypeId !== undefined &&
      namesTypeId(status) && { actionTypeId: request.actionTypeId }),
    ...(request.commandField === CommandField.NEventReportRq &&
      request.eventTypeId !== undefined &&
      namesTypeId(status) && { eventTypeId: request.eventTypeId }),
    otherElements: [],
  };
}

function allowsErrorComment(status: number): boolean {
  return (
    status === 0x0110 ||
    status === 0x0122 ||
    status === 0x0124 ||
    (status >= 0xa000 && status <= 0xcfff)
  );
}

/** Error Comment is LO: at most 64 characters of the default repertoire, no backslash (PS3.5 §6.2). */
function printable(text: string): string {
  return text.replace(/[^\x20-\x5b\x5d-\x7e]/g, ' ').slice(0, 64);
}

/** The text of anything thrown: handlers may throw non-errors (`throw undefined`, a string). */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'handler failed';
}
