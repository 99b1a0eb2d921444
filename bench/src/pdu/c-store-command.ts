/**
 * A C-STORE-RQ command set written by hand in Implicit VR Little Endian (PS3.7 §6.3.1, Table
 * 9.1-1), so that the loopback benchmark sends what a real store sends before its data set.
 */

/** Secondary Capture Image Storage (PS3.4 B.5), the abstract syntax of the benchmark's context. */
export const SECONDARY_CAPTURE_STORAGE = '1.2.840.10008.5.1.4.1.1.7';

/** Explicit VR Little Endian (PS3.5 §A.2), the transfer syntax of the benchmark's context. */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

function element(tag: number, value: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(8 + value.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0x0000, true); // command group
  view.setUint16(2, tag, true);
  view.setUint32(4, value.byteLength, true);
  bytes.set(value, 8);
  return bytes;
}

function uid(text: string): Uint8Array {
  // UIDs are padded with a trailing NUL to an even length (PS3.5 §9.1).
  const bytes = new Uint8Array(text.length + (text.length % 2));
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
  return bytes;
}

function us(value: number): Uint8Array {
  return new Uint8Array([value & 0xff, value >> 8]);
}

/** The encoded C-STORE-RQ command set for message `messageId` (even length, ~170 bytes). */
export function cStoreCommand(messageId: number, sopInstanceUid: string): Uint8Array {
  const body = [
    element(0x0002, uid(SECONDARY_CAPTURE_STORAGE)), // Affected SOP Class UID
    element(0x0100, us(0x0001)), // Command Field: C-STORE-RQ
    element(0x0110, us(messageId)), // Message ID
    element(0x0700, us(0x0000)), // Priority: medium
    element(0x0800, us(0x0000)), // Command Data Set Type: a data set follows
    element(0x1000, uid(sopInstanceUid)), // Affected SOP Instance UID
  ];
  const length = body.reduce((sum, part) => sum + part.byteLength, 0);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, length, true);
  const parts = [element(0x0000, groupLength), ...body]; // Command Group Length
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
