import { InvalidPduFieldError } from '../errors.js';
import { ByteReader } from './byte-reader.js';
import {
  checkPresentationContextId,
  checkUint32,
  checkUnsigned,
  isValidPresentationContextId,
} from './field-checks.js';
import { encodeFramedPdu } from './pdu-frame.js';
import { PDU_HEADER_LENGTH, PduType } from './pdu-type.js';

/**
 * Bytes in front of each fragment inside a PDV item: item-length (4), presentation context ID (1),
 * message control header (1) (PS3.8 Table 9-23, Annex E.2).
 */
export const PDV_HEADER_LENGTH = 6;

/** Message control header bit 0: the fragment is command information (PS3.8 E.2). */
const COMMAND_BIT = 0x01;
/** Message control header bit 1: the fragment is the last of its command or data set. */
const LAST_BIT = 0x02;

/** The message control header byte of a PDV (PS3.8 E.2). */
export function messageControlHeader(isCommand: boolean, isLast: boolean): number {
  return (isCommand ? COMMAND_BIT : 0) | (isLast ? LAST_BIT : 0);
}

/** One Presentation Data Value item of a P-DATA-TF (PS3.8 9.3.5.1, Table 9-23; Annex E). */
export interface Pdv {
  /** Odd, 1..255: an accepted presentation context of the association. */
  readonly presentationContextId: number;
  /** Message control header bit 0: command (true) or data set (false) fragment. */
  readonly isCommand: boolean;
  /** Message control header bit 1: last fragment of its command or data set. */
  readonly isLast: boolean;
  /** The fragment: a view into the PDU body, never a copy. */
  readonly fragment: Uint8Array;
}

/** P-DATA-TF, PDU type 04H (PS3.8 9.3.5, Table 9-22): one or more PDVs. */
export interface PDataTf {
  readonly type: 'P-DATA-TF';
  /** One or more PDV items, in wire order. */
  readonly pdvs: readonly Pdv[];
}

/**
 * Encodes the 6-byte header of a P-DATA-TF PDU: type 04H, reserved 00H, PDU-length (PS3.8
 * Table 9-22). For the send path that writes `[pduHeader, pdvHeader, fragment]` without
 * concatenating.
 * @param pduLength - Bytes after this header: the sum of (6 + fragment length) over its PDVs.
 * @throws {@link InvalidPduFieldError} if `pduLength` is not 0..2^32-1.
 */
export function encodePDataTfHeader(pduLength: number): Uint8Array {
  checkUint32('pduLength', pduLength);
  const header = new Uint8Array(PDU_HEADER_LENGTH);
  header[0] = PduType.PDataTf;
  new DataView(header.buffer).setUint32(2, pduLength, false);
  return header;
}

/**
 * Encodes the 6 bytes in front of one fragment: item-length (fragment length + 2), presentation
 * context ID, message control header (PS3.8 Table 9-23, E.2; bits 2-7 sent as 0).
 * @throws {@link InvalidPduFieldError} if the fragment length is odd (PS3.8 E.1 requires every
 *   fragment to hold an even number of bytes) or too long, or the context ID is not odd 1..255.
 */
export function encodePdvHeader(
  fragmentLength: number,
  presentationContextId: number,
  isCommand: boolean,
  isLast: boolean,
): Uint8Array {
  checkUnsigned('fragmentLength', fragmentLength, 0xffffffff - 2);
  if (fragmentLength % 2 !== 0) {
    throw new InvalidPduFieldError(
      `fragment length must be even (PS3.8 E.1), got ${fragmentLength}`,
      'fragmentLength',
    );
  }
  checkPresentationContextId('presentationContextId', presentationContextId);
  const header = new Uint8Array(PDV_HEADER_LENGTH);
  const view = new DataView(header.buffer);
  view.setUint32(0, fragmentLength + 2, false);
  header[4] = presentationContextId;
  header[5] = messageControlHeader(isCommand, isLast);
  return header;
}

/**
 * Encodes a whole P-DATA-TF PDU (header included), copying the fragments. Fine for commands and
 * small data; large data sets should go out as `[encodePDataTfHeader, encodePdvHeader, fragment]`.
 * @throws {@link InvalidPduFieldError} for no PDVs or any invalid PDV (see
 *   {@link encodePdvHeader}).
 */
export function encodePDataTf(pdu: PDataTf): Uint8Array {
  if (pdu.pdvs.length === 0) {
    throw new InvalidPduFieldError('a P-DATA-TF carries one or more PDVs (PS3.8 9.3.5)', 'pdvs');
  }
  let size = 0;
  for (const pdv of pdu.pdvs) size += PDV_HEADER_LENGTH + pdv.fragment.byteLength;
  return encodeFramedPdu(
    PduType.PDataTf,
    (writer) => {
      for (const pdv of pdu.pdvs) {
        const { fragment, presentationContextId, isCommand, isLast } = pdv;
        writer.bytes(
          encodePdvHeader(fragment.byteLength, presentationContextId, isCommand, isLast),
        );
        writer.bytes(fragment);
      }
    },
    PDU_HEADER_LENGTH + size,
  );
}

/**
 * Decodes the body of a P-DATA-TF into its PDVs. Fragments are views into `body`. The control
 * header is masked with 03H (bits 2-7 are not tested, PS3.8 E.2). Odd fragment lengths are
 * accepted here; reassembly is the DIMSE layer's business.
 * @throws {@link MalformedPduError} for an empty body ("one or more" PDVs, PS3.8 9.3.5), a PDV
 *   item-length below 2 or overrunning the PDU, or a presentation context ID that is even or 0.
 */
export function decodePDataTf(body: Uint8Array): PDataTf {
  const reader = new ByteReader(body, PduType.PDataTf);
  if (reader.isAtEnd) reader.fail('P-DATA-TF holds no PDV item');
  const pdvs: Pdv[] = [];
  while (!reader.isAtEnd) {
    const itemOffset = reader.offset;
    const itemLength = reader.uint32be();
    if (itemLength < 2) {
      reader.fail(`PDV item-length ${itemLength} is below 2`, undefined, itemOffset);
    }
    if (itemLength > reader.remaining) {
      reader.fail(
        `PDV item-length ${itemLength} overruns the PDU (${reader.remaining} bytes left)`,
        undefined,
        itemOffset,
      );
    }
    const presentationContextId = reader.uint8();
    if (!isValidPresentationContextId(presentationContextId)) {
      reader.fail(
        `presentation context ID ${presentationContextId} is not odd`,
        undefined,
        reader.offset - 1,
      );
    }
    const control = reader.uint8() & (COMMAND_BIT | LAST_BIT);
    const fragment = reader.bytes(itemLength - 2);
    pdvs.push({
      presentationContextId,
      isCommand: (control & COMMAND_BIT) !== 0,
      isLast: (control & LAST_BIT) !== 0,
      fragment,
    });
  }
  return { type: 'P-DATA-TF', pdvs };
}
