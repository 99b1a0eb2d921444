import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { FIXED_PDU_BODY_LENGTH, PDU_HEADER_LENGTH } from './pdu-type.js';

/**
 * Encodes a whole PDU: PDU-type, reserved 00H, PDU-length (filled in after the body), body
 * (PS3.8 9.3.2–9.3.8).
 */
export function encodeFramedPdu(
  pduType: number,
  writeBody: (writer: ByteWriter) => void,
  initialCapacity = 256,
): Uint8Array {
  const writer = new ByteWriter(initialCapacity);
  writer.uint8(pduType);
  writer.uint8(0);
  const lengthPosition = writer.reserveUint32();
  writeBody(writer);
  writer.fillUint32Length(lengthPosition, 'pduLength');
  return writer.finish();
}

/**
 * Encodes a fixed-size PDU (A-ASSOCIATE-RJ, A-RELEASE-RQ/RP, A-ABORT): the header with
 * PDU-length 4, then the four body bytes (PS3.8 Tables 9-21, 9-24, 9-25, 9-26). Callers have
 * checked that each byte is 0..255.
 */
export function encodeFixedPdu(
  pduType: number,
  body: readonly [number, number, number, number],
): Uint8Array {
  const bytes = new Uint8Array(PDU_HEADER_LENGTH + FIXED_PDU_BODY_LENGTH);
  bytes[0] = pduType;
  bytes[5] = FIXED_PDU_BODY_LENGTH;
  bytes.set(body, PDU_HEADER_LENGTH);
  return bytes;
}

/**
 * A reader over the body of a fixed-size PDU, after checking that it holds exactly 4 bytes ("it
 * shall have the fixed value of 00000004H", PS3.8 Tables 9-21, 9-24, 9-25, 9-26).
 * @throws {@link MalformedPduError} (offset 2, the PDU-length field) for any other length.
 */
export function readFixedBody(body: Uint8Array, pduType: number): ByteReader {
  const reader = new ByteReader(body, pduType);
  if (body.byteLength !== FIXED_PDU_BODY_LENGTH) {
    reader.fail(`PDU-length must be 4, got ${body.byteLength}`, undefined, 2);
  }
  return reader;
}
