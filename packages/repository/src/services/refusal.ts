// The refusals the Query/Retrieve SCP handlers answer with, shared by the Patient/Study Root models
// (query-retrieve.ts) and Inventory Query/Retrieve (inventory-query-retrieve.ts).
import type { StatusReply } from '@dicomnet/dimse';

/** PS3.4 C.4.1.1.4, C.4.2.1.5, C.4.3.1.4: "Identifier does not match SOP Class". */
export const IDENTIFIER_DOES_NOT_MATCH = 0xa900;
/** PS3.7 Annex C, 0122H Refused: SOP Class not supported. */
export const SOP_CLASS_NOT_SUPPORTED = 0x0122;

/** A refusal with its Error Comment and, when given, the Offending Element `tag` (8 hex digits). */
export function refusal(status: number, errorComment: string, tag?: string): StatusReply {
  return {
    status,
    errorComment: errorComment.slice(0, 64), // Error Comment is an LO (PS3.7 C.5.6)
    ...(tag === undefined ? {} : { offendingElement: [Number.parseInt(tag, 16)] }),
  };
}
