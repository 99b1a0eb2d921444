import {
  InvalidPduFieldError,
  PDU_HEADER_LENGTH,
  PDV_HEADER_LENGTH,
  PduType,
} from '../codec/index.js';
import { checkPresentationContextId } from '../codec/field-checks.js';
import { messageControlHeader } from '../codec/p-data-tf.js';

/** One PDV of a framed message: a fragment of the command or of the data set. */
export interface FramedPdv {
  readonly isCommand: boolean;
  readonly isLast: boolean;
  /** The fragment: a view of the caller's bytes, never a copy. */
  readonly fragment: Uint8Array;
}

/** One P-DATA-TF of a framed message. */
export interface FramedPdu {
  /** Bytes after the 6-byte PDU header: the sum of (6 + fragment length) over its PDVs. */
  readonly pduLength: number;
  readonly pdvs: readonly FramedPdv[];
}

/**
 * Cuts a message held in memory into P-DATA-TF PDUs whose PDU-length is at most `limit`, packing
 * PDVs greedily: the data set's first fragment rides in the PDU that carries the command's last
 * fragment when there is room. PS3.8 9.3.5 lets a P-DATA-TF carry several PDVs, and Annex E.1
 * names exactly this case ("a Command fragment in the first PDV (with the last fragment flag
 * set) followed by a Data Fragment in the second PDV"); so a small message is one PDU. Within
 * a PDU two PDVs of the same kind never follow each other (Annex E.1 recommends against it): a
 * stream only continues into a new PDU when the current one is full.
 * @throws {@link InvalidPduFieldError} for a context ID that is not odd 1..255, a command or data set of odd length (Annex E.1:
 *   every fragment holds an even number of bytes) or a limit that leaves no room for data.
 */
export function frameMessage(
  contextId: number,
  command: Uint8Array,
  dataSet: Uint8Array | undefined,
  limit: number,
): FramedPdu[] {
  checkPresentationContextId('presentationContextId', contextId);
  checkEven('command', command);
  if (dataSet !== undefined) checkEven('data set', dataSet);
  if (limit < PDV_HEADER_LENGTH + 2) {
    throw new InvalidPduFieldError(`a maximum PDU length of ${limit} leaves no room for data`);
  }
  const whole = onePdu(command, dataSet);
  if (whole.pduLength <= limit) return [whole]; // most messages: no cutting to do
  const pdus: FramedPdu[] = [];
  let pdvs: FramedPdv[] = [];
  let length = 0;
  const close = (): void => {
    pdus.push({ pduLength: length, pdvs });
    pdvs = [];
    length = 0;
  };
  const add = (bytes: Uint8Array, isCommand: boolean): void => {
    let offset = 0;
    do {
      // A new PDV needs its header and at least one even fragment (2 bytes), or one empty
      // fragment when the stream is empty.
      const room = limit - length - PDV_HEADER_LENGTH;
      const needed = bytes.byteLength === 0 ? 0 : 2;
      if (pdvs.length > 0 && room < needed) close();
      const free = (limit - length - PDV_HEADER_LENGTH) & ~1;
      const take = Math.min(bytes.byteLength - offset, free);
      const isLast = offset + take === bytes.byteLength;
      pdvs.push({
        isCommand,
        isLast,
        fragment: offset === 0 && isLast ? bytes : bytes.subarray(offset, offset + take),
      });
      length += PDV_HEADER_LENGTH + take;
      offset += take;
      if (!isLast) close();
    } while (offset < bytes.byteLength);
  };
  add(command, true);
  if (dataSet !== undefined) add(dataSet, false);
  if (pdvs.length > 0) close();
  return pdus;
}

/** The message as one PDU: the command's PDV, then the data set's if there is one. */
function onePdu(command: Uint8Array, dataSet: Uint8Array | undefined): FramedPdu {
  const commandPdv = { isCommand: true, isLast: true, fragment: command };
  if (dataSet === undefined) {
    return { pduLength: PDV_HEADER_LENGTH + command.byteLength, pdvs: [commandPdv] };
  }
  return {
    pduLength: 2 * PDV_HEADER_LENGTH + command.byteLength + dataSet.byteLength,
    pdvs: [commandPdv, { isCommand: false, isLast: true, fragment: dataSet }],
  };
}

/** Bytes on the wire of `pdus`: each PDU-length plus its 6-byte header. */
export function framedSize(pdus: readonly FramedPdu[]): number {
  let size = 0;
  for (const pdu of pdus) size += PDU_HEADER_LENGTH + pdu.pduLength;
  return size;
}

/**
 * The PDUs as chunks to write in order, without copying fragments: per PDU one buffer with the
 * PDU header and the first PDV header (12 bytes), the fragment, then for a second PDV its 6-byte
 * header and fragment.
 */
export function framedChunks(contextId: number, pdus: readonly FramedPdu[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (const pdu of pdus) {
    let first = true;
    for (const pdv of pdu.pdvs) {
      const header = new Uint8Array(
        first ? PDU_HEADER_LENGTH + PDV_HEADER_LENGTH : PDV_HEADER_LENGTH,
      );
      let at = 0;
      if (first) at = writePduHeader(header, 0, pdu.pduLength);
      writePdvHeader(header, at, contextId, pdv);
      chunks.push(header);
      if (pdv.fragment.byteLength > 0) chunks.push(pdv.fragment);
      first = false;
    }
  }
  return chunks;
}

/** The PDUs copied into one new buffer of {@link framedSize} bytes (for small messages). */
export function framedCopy(contextId: number, pdus: readonly FramedPdu[]): Uint8Array {
  const out = Buffer.allocUnsafe(framedSize(pdus));
  let at = 0;
  for (const pdu of pdus) {
    at = writePduHeader(out, at, pdu.pduLength);
    for (const pdv of pdu.pdvs) {
      at = writePdvHeader(out, at, contextId, pdv);
      out.set(pdv.fragment, at);
      at += pdv.fragment.byteLength;
    }
  }
  return out;
}

/** PS3.8 Table 9-22: type 04H, reserved 00H, PDU-length (uint32, big endian). */
function writePduHeader(out: Uint8Array, at: number, pduLength: number): number {
  out[at] = PduType.PDataTf;
  out[at + 1] = 0;
  writeUint32(out, at + 2, pduLength);
  return at + PDU_HEADER_LENGTH;
}

/** PS3.8 Table 9-23 and E.2: item-length, presentation context ID, message control header. */
function writePdvHeader(out: Uint8Array, at: number, contextId: number, pdv: FramedPdv): number {
  writeUint32(out, at, pdv.fragment.byteLength + 2);
  out[at + 4] = contextId;
  out[at + 5] = messageControlHeader(pdv.isCommand, pdv.isLast);
  return at + PDV_HEADER_LENGTH;
}

function writeUint32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

function checkEven(what: string, bytes: Uint8Array): void {
  // PS3.8 Annex E.1: fragments hold an even number of bytes; odd data means a broken encoder.
  if (bytes.byteLength % 2 !== 0) {
    throw new InvalidPduFieldError(`a ${what} fragment of odd length ${bytes.byteLength}`);
  }
}
