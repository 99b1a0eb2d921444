/**
 * Bytes of P-DATA-TF PDUs as a peer would send them, written by hand (PS3.8 Table 9-22 and
 * 9-23): type 04H, reserved, PDU-length; then one PDV item per PDU with item-length, context ID
 * and message control header, then the fragment.
 */

/** Socket reads on Linux loopback deliver up to 64 KiB at a time. */
export const SOCKET_CHUNK = 64 * 1024;

/** A stream of data-set P-DATA-TF PDUs, whole and cut into socket-sized chunks. */
export interface PDataStream {
  /** PDU-length of every PDU (bytes after the 6-byte PDU header). */
  readonly pduLength: number;
  /** Number of PDUs. */
  readonly pduCount: number;
  /** Fragment bytes per PDU (PDU-length minus the 6-byte PDV header). */
  readonly fragmentLength: number;
  /** All bytes of the stream. */
  readonly bytes: Uint8Array;
  /** `bytes` cut every {@link SOCKET_CHUNK} bytes (views, not copies). */
  readonly chunks: readonly Uint8Array[];
}

/**
 * Builds about `totalBytes` of P-DATA-TF PDUs of PDU-length `pduLength`, each with one data-set
 * PDV on presentation context 1; the last PDU is marked last. `pduLength` must be even and ≥ 8.
 */
export function buildPDataStream(pduLength: number, totalBytes: number): PDataStream {
  const pduBytes = 6 + pduLength;
  const pduCount = Math.max(1, Math.ceil(totalBytes / pduBytes));
  const fragmentLength = pduLength - 6;
  const bytes = new Uint8Array(pduCount * pduBytes);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < pduCount; index++) {
    const at = index * pduBytes;
    bytes[at] = 0x04; // P-DATA-TF
    view.setUint32(at + 2, pduLength, false);
    view.setUint32(at + 6, fragmentLength + 2, false); // PDV item-length counts ID and control
    bytes[at + 10] = 1; // presentation context ID
    bytes[at + 11] = index === pduCount - 1 ? 0x02 : 0x00; // data set; last fragment?
    bytes.fill(index & 0xff, at + 12, at + pduBytes);
  }
  return { pduLength, pduCount, fragmentLength, bytes, chunks: cut(bytes, SOCKET_CHUNK) };
}

/** Views of `bytes`, `size` bytes each (the last may be shorter). */
export function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += size) {
    chunks.push(bytes.subarray(offset, Math.min(offset + size, bytes.byteLength)));
  }
  return chunks;
}
