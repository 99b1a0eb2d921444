// The bytes of a store journal file: a header in the first block, then records one after the
// other. Every record carries the generation of its file's header and a CRC-32, so a reader
// stops at the first record that is torn (a crash mid-write) or left over from an earlier
// generation (the file is reused from its start at each generation).
import { crc32 } from 'node:zlib';

/**
 * CRC-32 of `data` continuing from `value`. An empty array is skipped: zlib's crc32 returns 0,
 * not `value`, for a null buffer, which is what an empty `Uint8Array` may hand it.
 */
function crcOf(data: Uint8Array, value = 0): number {
  return data.byteLength === 0 ? value : crc32(data, value);
}

/** Bytes before the first record: the header's block, so that a record write never touches it. */
export const RECORDS_START = 4096;
/** Bytes of a record before its key. */
export const RECORD_HEADER_BYTES = 24;
/** Longest key a record may carry (a stored path is 69 bytes). */
export const MAX_KEY_BYTES = 1024;

const HEADER_MAGIC = 0x4a534e44; // "DNSJ"
const RECORD_MAGIC = 0x524a4e44; // "DNJR"
const VERSION = 1;
const HEADER_BYTES = 16;

/**
 * `active`: its records since the header are not all durable in their files yet (replayed after
 * a crash). `checkpointed`: every record's effect is durable in the instances tree; ignore them.
 */
export type JournalState = 'active' | 'checkpointed';

/** A journal file's header. */
export interface JournalHeader {
  readonly state: JournalState;
  /** Incremented at each reuse of a file; records of another generation are stale. */
  readonly generation: number;
}

/**
 * What a record says of the file at `key`:
 * - `file`: its whole content is `payload`;
 * - `deleted`: it was deleted;
 * - `external`: it was made durable in place, outside the journal (a large store): an earlier
 *   record of the same key must not be replayed over it.
 */
export type JournalRecordKind = 'file' | 'deleted' | 'external';

/** One record read back. */
export interface JournalRecord {
  readonly kind: JournalRecordKind;
  readonly key: string;
  /** The file's bytes for `file`, empty otherwise (a view into the buffer read). */
  readonly payload: Uint8Array;
}

const KINDS: readonly JournalRecordKind[] = ['file', 'deleted', 'external'];

/** The header block's first bytes for `header`. */
export function encodeHeader(header: JournalHeader): Uint8Array {
  const bytes = new Uint8Array(HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, HEADER_MAGIC, true);
  view.setUint16(4, VERSION, true);
  view.setUint16(6, header.state === 'active' ? 1 : 2, true);
  view.setUint32(8, header.generation, true);
  view.setUint32(12, crcOf(bytes.subarray(0, 12)), true);
  return bytes;
}

/** The header at the start of `bytes`, or undefined if there is none (a new or foreign file). */
export function decodeHeader(bytes: Uint8Array): JournalHeader | undefined {
  if (bytes.byteLength < HEADER_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  if (view.getUint32(0, true) !== HEADER_MAGIC || view.getUint16(4, true) !== VERSION)
    return undefined;
  if (view.getUint32(12, true) !== crcOf(bytes.subarray(0, 12))) return undefined;
  const state = view.getUint16(6, true);
  if (state !== 1 && state !== 2) return undefined;
  return { state: state === 1 ? 'active' : 'checkpointed', generation: view.getUint32(8, true) };
}

/** Bytes a record of `key` and `payloadBytes` takes. */
export function recordBytes(key: Uint8Array, payloadBytes: number): number {
  return RECORD_HEADER_BYTES + key.byteLength + payloadBytes;
}

/**
 * A record's header and key; the payload follows them in the file, its parts one after the
 * other. The CRC covers the header's first 20 bytes, the key and the payload.
 */
export function encodeRecordHead(
  generation: number,
  kind: JournalRecordKind,
  key: Uint8Array,
  payload: readonly Uint8Array[],
): Uint8Array {
  const head = new Uint8Array(RECORD_HEADER_BYTES + key.byteLength);
  const view = new DataView(head.buffer);
  view.setUint32(0, RECORD_MAGIC, true);
  view.setUint32(4, generation, true);
  view.setUint8(8, KINDS.indexOf(kind) + 1);
  view.setUint32(12, key.byteLength, true);
  let payloadBytes = 0;
  for (const part of payload) payloadBytes += part.byteLength;
  view.setUint32(16, payloadBytes, true);
  head.set(key, RECORD_HEADER_BYTES);
  let crc = crcOf(key, crcOf(head.subarray(0, 20)));
  for (const part of payload) crc = crcOf(part, crc);
  view.setUint32(20, crc, true);
  return head;
}

/**
 * The records of `generation` in `bytes` (a whole journal file), from {@link RECORDS_START} up to
 * the first one that is incomplete, corrupt or of another generation.
 */
export function decodeRecords(bytes: Uint8Array, generation: number): JournalRecord[] {
  const records: JournalRecord[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = RECORDS_START;
  while (offset + RECORD_HEADER_BYTES <= bytes.byteLength) {
    if (view.getUint32(offset, true) !== RECORD_MAGIC) break;
    if (view.getUint32(offset + 4, true) !== generation) break;
    const kind = KINDS[view.getUint8(offset + 8) - 1];
    const keyBytes = view.getUint32(offset + 12, true);
    const payloadBytes = view.getUint32(offset + 16, true);
    const end = offset + RECORD_HEADER_BYTES + keyBytes + payloadBytes;
    if (kind === undefined || keyBytes > MAX_KEY_BYTES || end > bytes.byteLength) break;
    if (kind !== 'file' && payloadBytes !== 0) break;
    const keyStart = offset + RECORD_HEADER_BYTES;
    const key = bytes.subarray(keyStart, keyStart + keyBytes);
    const payload = bytes.subarray(keyStart + keyBytes, end);
    const crc = crcOf(payload, crcOf(key, crcOf(bytes.subarray(offset, offset + 20))));
    if (crc !== view.getUint32(offset + 20, true)) break;
    let text: string;
    try {
      text = decoder.decode(key);
    } catch {
      break;
    }
    records.push({ kind, key: text, payload });
    offset = end;
  }
  return records;
}
