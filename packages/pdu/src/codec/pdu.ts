import { InvalidPduFieldError, UnknownPduTypeError } from '../errors.js';
import { decodeAbort, encodeAbort, type Abort } from './abort.js';
import { decodeAssociateAc, encodeAssociateAc, type AssociateAc } from './associate-ac.js';
import { decodeAssociateRj, encodeAssociateRj, type AssociateRj } from './associate-rj.js';
import { decodeAssociateRq, encodeAssociateRq, type AssociateRq } from './associate-rq.js';
import { decodePDataTf, encodePDataTf, type PDataTf } from './p-data-tf.js';
import { PduType } from './pdu-type.js';
import {
  decodeReleaseRp,
  decodeReleaseRq,
  encodeReleaseRp,
  encodeReleaseRq,
  type ReleaseRp,
  type ReleaseRq,
} from './release.js';

/** Any decoded PDU of PS3.8 9.3, told apart by `type`. */
export type Pdu = AssociateRq | AssociateAc | AssociateRj | PDataTf | ReleaseRq | ReleaseRp | Abort;

/** A framed but undecoded PDU, as {@link PduReader} yields it. */
export interface RawPdu {
  /** The PDU-type byte (first byte of the header). */
  readonly type: number;
  /** The bytes after the 6-byte header (a view when the PDU arrived in one chunk). */
  readonly body: Uint8Array;
}

/**
 * Encodes any PDU, 6-byte header included.
 * @throws {@link InvalidPduFieldError} (`DICOMNET_PDU_INVALID_FIELD`) for a value that cannot be
 *   encoded (see the per-type encoders).
 */
export function encodePdu(pdu: Pdu): Uint8Array {
  switch (pdu.type) {
    case 'A-ASSOCIATE-RQ':
      return encodeAssociateRq(pdu);
    case 'A-ASSOCIATE-AC':
      return encodeAssociateAc(pdu);
    case 'A-ASSOCIATE-RJ':
      return encodeAssociateRj(pdu);
    case 'P-DATA-TF':
      return encodePDataTf(pdu);
    case 'A-RELEASE-RQ':
      return encodeReleaseRq(pdu);
    case 'A-RELEASE-RP':
      return encodeReleaseRp(pdu);
    case 'A-ABORT':
      return encodeAbort(pdu);
    default:
      return assertNever(pdu);
  }
}

/**
 * Decodes a framed PDU by its type. Decoding is lenient where PS3.8 says a field is not tested
 * (reserved fields, the AC's AE title echoes, a rejected context's transfer syntax, protocol
 * version bits other than bit 0) and where it says unknown items are ignored (PS3.8 9.3, D.2);
 * everything else that does not fit is an error. Never throws anything but a DicomnetError.
 * @throws {@link UnknownPduTypeError} (`DICOMNET_PDU_UNKNOWN_TYPE`) for a type outside 01H..07H.
 * @throws {@link MalformedPduError} (`DICOMNET_PDU_MALFORMED`) for a malformed body.
 */
export function decodePdu(raw: RawPdu): Pdu {
  switch (raw.type) {
    case PduType.AssociateRq:
      return decodeAssociateRq(raw.body);
    case PduType.AssociateAc:
      return decodeAssociateAc(raw.body);
    case PduType.AssociateRj:
      return decodeAssociateRj(raw.body);
    case PduType.PDataTf:
      return decodePDataTf(raw.body);
    case PduType.ReleaseRq:
      return decodeReleaseRq(raw.body);
    case PduType.ReleaseRp:
      return decodeReleaseRp(raw.body);
    case PduType.Abort:
      return decodeAbort(raw.body);
    default:
      throw new UnknownPduTypeError(raw.type);
  }
}

function assertNever(value: never): never {
  // Reached only when a caller bypasses the type system with an object of another `type`.
  const type: unknown = (value as { type?: unknown }).type; // `value` is an object here
  throw new InvalidPduFieldError(`not a PDU type: ${String(type)}`, 'type');
}
