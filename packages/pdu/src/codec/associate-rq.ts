import { decodeAssociate, encodeAssociate, type AssociateLayout } from './associate-pdu.js';
import { PduType } from './pdu-type.js';
import { ItemType } from './item-type.js';
import {
  readPresentationContextProposal,
  writePresentationContextProposal,
  type PresentationContextProposal,
} from './presentation-context.js';
import type { UserInformation } from './user-information.js';

/**
 * A-ASSOCIATE-RQ, PDU type 01H (PS3.8 9.3.2, Table 9-11): the requestor's proposal.
 */
export interface AssociateRq {
  readonly type: 'A-ASSOCIATE-RQ';
  /** One bit per supported UL version; version 1 is bit 0, so send 0x0001. */
  readonly protocolVersion: number;
  /** Destination AE title, 1..16 characters (trimmed when decoded). */
  readonly calledAeTitle: string;
  /** Source AE title, 1..16 characters (trimmed when decoded). */
  readonly callingAeTitle: string;
  /** Normally {@link APPLICATION_CONTEXT_NAME}. */
  readonly applicationContextName: string;
  /** 1..128 proposals with unique odd IDs. */
  readonly presentationContexts: readonly PresentationContextProposal[];
  /** The User Information item; send at least `maxPduLength` and `implementationClassUid`. */
  readonly userInformation: UserInformation;
}

const layout: AssociateLayout<PresentationContextProposal> = {
  pduType: PduType.AssociateRq,
  contextItemType: ItemType.PresentationContextRq,
  aeTitlesAreEchoes: false,
  writeContext: writePresentationContextProposal,
  readContext: readPresentationContextProposal,
};

/**
 * Encodes an A-ASSOCIATE-RQ PDU, header included (PS3.8 9.3.2).
 * @throws {@link InvalidPduFieldError} (`DICOMNET_PDU_INVALID_FIELD`) for a blank or over-long AE
 *   title, a bad UID, 0 or more than 128 contexts, a repeated or even context ID, or any invalid
 *   user information value.
 */
export function encodeAssociateRq(pdu: AssociateRq): Uint8Array {
  return encodeAssociate(layout, pdu);
}

/**
 * Decodes the body (the bytes after the 6-byte header) of an A-ASSOCIATE-RQ. See
 * {@link decodePdu} for the leniency rules (reserved fields, protocol version bits, unknown items).
 * @throws {@link MalformedPduError} (`DICOMNET_PDU_MALFORMED`) for a malformed PDU.
 */
export function decodeAssociateRq(body: Uint8Array): AssociateRq {
  return { type: 'A-ASSOCIATE-RQ', ...decodeAssociate(layout, body) };
}
