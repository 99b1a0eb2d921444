import { encodeFixedPdu, readFixedBody } from './pdu-frame.js';
import { PduType } from './pdu-type.js';

/** A-RELEASE-RQ, PDU type 05H (PS3.8 9.3.6, Table 9-24): asks the peer to release. */
export interface ReleaseRq {
  readonly type: 'A-RELEASE-RQ';
}

/** A-RELEASE-RP, PDU type 06H (PS3.8 9.3.7, Table 9-25): agrees to the release. */
export interface ReleaseRp {
  readonly type: 'A-RELEASE-RP';
}

/** Encodes an A-RELEASE-RQ PDU: header, then 4 reserved bytes sent as 00000000H (10 bytes). */
export function encodeReleaseRq(_pdu: ReleaseRq = { type: 'A-RELEASE-RQ' }): Uint8Array {
  return encodeFixedPdu(PduType.ReleaseRq, [0, 0, 0, 0]);
}

/**
 * Decodes the body of an A-RELEASE-RQ; its reserved bytes are not tested (PS3.8 Table 9-24).
 * @throws {@link MalformedPduError} if the body is not exactly 4 bytes.
 */
export function decodeReleaseRq(body: Uint8Array): ReleaseRq {
  readFixedBody(body, PduType.ReleaseRq);
  return { type: 'A-RELEASE-RQ' };
}

/** Encodes an A-RELEASE-RP PDU: header, then 4 reserved bytes sent as 00000000H (10 bytes). */
export function encodeReleaseRp(_pdu: ReleaseRp = { type: 'A-RELEASE-RP' }): Uint8Array {
  return encodeFixedPdu(PduType.ReleaseRp, [0, 0, 0, 0]);
}

/**
 * Decodes the body of an A-RELEASE-RP; its reserved bytes are not tested (PS3.8 Table 9-25).
 * @throws {@link MalformedPduError} if the body is not exactly 4 bytes.
 */
export function decodeReleaseRp(body: Uint8Array): ReleaseRp {
  readFixedBody(body, PduType.ReleaseRp);
  return { type: 'A-RELEASE-RP' };
}
