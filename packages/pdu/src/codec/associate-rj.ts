import { checkByte } from './field-checks.js';
import { encodeFixedPdu, readFixedBody } from './pdu-frame.js';
import { PduType } from './pdu-type.js';

/**
 * A-ASSOCIATE-RJ, PDU type 03H (PS3.8 9.3.4, Table 9-21): the acceptor refuses the association.
 * Values are kept as numbers so reserved ones survive decoding; see {@link RejectResult},
 * {@link RejectSource}, {@link RejectReason} and {@link describeReject}.
 */
export interface AssociateRj {
  readonly type: 'A-ASSOCIATE-RJ';
  /** Byte 8: 1 rejected-permanent, 2 rejected-transient. */
  readonly result: number;
  /** Byte 9: 1 service-user, 2 service-provider (ACSE), 3 service-provider (Presentation). */
  readonly source: number;
  /** Byte 10: meaning depends on `source` (PS3.8 Table 9-21). */
  readonly reason: number;
}

/**
 * Encodes an A-ASSOCIATE-RJ PDU, header included (10 bytes; PS3.8 Table 9-21). Reserved byte 7 is
 * sent as 00H.
 * @throws {@link InvalidPduFieldError} if result, source or reason is not 0..255.
 */
export function encodeAssociateRj(pdu: AssociateRj): Uint8Array {
  checkByte('result', pdu.result);
  checkByte('source', pdu.source);
  checkByte('reason', pdu.reason);
  return encodeFixedPdu(PduType.AssociateRj, [0, pdu.result, pdu.source, pdu.reason]);
}

/**
 * Decodes the body (the 4 bytes after the header) of an A-ASSOCIATE-RJ. Reserved values of
 * result, source and reason are returned as they are, not rejected.
 * @throws {@link MalformedPduError} if the body is not exactly 4 bytes.
 */
export function decodeAssociateRj(body: Uint8Array): AssociateRj {
  const reader = readFixedBody(body, PduType.AssociateRj);
  reader.skip(1); // reserved, not tested (PS3.8 Table 9-21)
  const result = reader.uint8();
  const source = reader.uint8();
  const reason = reader.uint8();
  return { type: 'A-ASSOCIATE-RJ', result, source, reason };
}
