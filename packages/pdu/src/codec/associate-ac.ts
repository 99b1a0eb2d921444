import { decodeAssociate, encodeAssociate, type AssociateLayout } from './associate-pdu.js';
import { ItemType } from './item-type.js';
import { PduType } from './pdu-type.js';
import {
  readPresentationContextAnswer,
  writePresentationContextAnswer,
  type PresentationContextAnswer,
} from './presentation-context.js';
import type { UserInformation } from './user-information.js';

/**
 * A-ASSOCIATE-AC, PDU type 02H (PS3.8 9.3.3, Table 9-17): the acceptor's answer.
 */
export interface AssociateAc {
  readonly type: 'A-ASSOCIATE-AC';
  /** One bit per supported UL version; version 1 is bit 0, so send 0x0001. */
  readonly protocolVersion: number;
  /**
   * Reserved field sent as a copy of the RQ's called AE title; decoded (trimmed) for display
   * only. A requestor must not test it (PS3.8 Table 9-17).
   */
  readonly calledAeTitle: string;
  /** Reserved field sent as a copy of the RQ's calling AE title; display only, never tested. */
  readonly callingAeTitle: string;
  /** Normally {@link APPLICATION_CONTEXT_NAME}. */
  readonly applicationContextName: string;
  /** One answer per proposed context, in any order (PS3.8 7.1.1.14). */
  readonly presentationContexts: readonly PresentationContextAnswer[];
  /** The User Information item of the acceptor. */
  readonly userInformation: UserInformation;
}

const layout: AssociateLayout<PresentationContextAnswer> = {
  pduType: PduType.AssociateAc,
  contextItemType: ItemType.PresentationContextAc,
  aeTitlesAreEchoes: true,
  writeContext: writePresentationContextAnswer,
  readContext: readPresentationContextAnswer,
};

/**
 * Encodes an A-ASSOCIATE-AC PDU, header included (PS3.8 9.3.3). The AE title fields echo the RQ
 * and may be blank; reserved bytes 43-74 are sent as zeros.
 * @throws {@link InvalidPduFieldError} (`DICOMNET_PDU_INVALID_FIELD`) for an over-long AE title, a
 *   bad UID, an accepted context without transfer syntax, 0 or more than 128 answers, a repeated or
 *   even context ID, or any invalid user information value.
 */
export function encodeAssociateAc(pdu: AssociateAc): Uint8Array {
  return encodeAssociate(layout, pdu);
}

/**
 * Decodes the body (the bytes after the 6-byte header) of an A-ASSOCIATE-AC. The AE title fields
 * are decoded but never tested; a rejected context's transfer syntax is not tested either.
 * @throws {@link MalformedPduError} (`DICOMNET_PDU_MALFORMED`) for a malformed PDU.
 */
export function decodeAssociateAc(body: Uint8Array): AssociateAc {
  return { type: 'A-ASSOCIATE-AC', ...decodeAssociate(layout, body) };
}
