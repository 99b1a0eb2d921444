import { checkByte } from './field-checks.js';
import { encodeFixedPdu, readFixedBody } from './pdu-frame.js';
import { PduType } from './pdu-type.js';

/**
 * A-ABORT, PDU type 07H (PS3.8 9.3.8, Table 9-26): carries both the user's A-ABORT and the
 * provider's A-P-ABORT. See {@link AbortSource}, {@link AbortReason} and {@link describeAbort}.
 */
export interface Abort {
  readonly type: 'A-ABORT';
  /** Byte 9: 0 service-user, 1 reserved, 2 service-provider. */
  readonly source: number;
  /** Byte 10: significant only when `source` is 2 (PS3.8 Table 9-26). */
  readonly reason: number;
}

/**
 * Encodes an A-ABORT PDU, header included (10 bytes); reserved bytes 7 and 8 are sent as 00H.
 * @throws {@link InvalidPduFieldError} if source or reason is not 0..255.
 */
export function encodeAbort(pdu: Abort): Uint8Array {
  checkByte('source', pdu.source);
  checkByte('reason', pdu.reason);
  return encodeFixedPdu(PduType.Abort, [0, 0, pdu.source, pdu.reason]);
}

/**
 * Decodes the body of an A-ABORT. Reserved bytes are not tested and reserved values are returned
 * as they are.
 * @throws {@link MalformedPduError} if the body is not exactly 4 bytes.
 */
export function decodeAbort(body: Uint8Array): Abort {
  const reader = readFixedBody(body, PduType.Abort);
  reader.skip(2); // reserved, not tested (PS3.8 Table 9-26)
  const source = reader.uint8();
  const reason = reader.uint8();
  return { type: 'A-ABORT', source, reason };
}
