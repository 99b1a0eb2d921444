import { InvalidPduFieldError } from '../errors.js';
import { AbortReason } from './abort-reason.js';
import { readAeTitle, writeAeTitle } from './ae-title.js';
import { readApplicationContext, writeApplicationContext } from './application-context.js';
import { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { checkUint16 } from './field-checks.js';
import { readItems } from './item.js';
import { isKnownItemType, ItemType } from './item-type.js';
import { encodeFramedPdu } from './pdu-frame.js';
import { MAX_PRESENTATION_CONTEXTS } from './presentation-context.js';
import {
  readUserInformation,
  writeUserInformation,
  type UserInformation,
} from './user-information.js';

// The layout A-ASSOCIATE-RQ (PS3.8 Table 9-11) and A-ASSOCIATE-AC (Table 9-17) share: protocol
// version, reserved, two 16-byte AE title fields, 32 reserved bytes, then the variable items.
// They differ only in the presentation context item (20H or 21H) and in the AC's AE title fields
// being reserved echoes.

/** Fields common to the A-ASSOCIATE-RQ and AC models, with `C` the presentation context type. */
export interface AssociateFields<C extends { readonly id: number }> {
  readonly protocolVersion: number;
  readonly calledAeTitle: string;
  readonly callingAeTitle: string;
  readonly applicationContextName: string;
  readonly presentationContexts: readonly C[];
  readonly userInformation: UserInformation;
}

/** How one PDU type writes and reads its presentation context items. */
export interface AssociateLayout<C extends { readonly id: number }> {
  readonly pduType: number;
  readonly contextItemType: number;
  /** True for the AC, whose AE title fields are reserved echoes that may be blank. */
  readonly aeTitlesAreEchoes: boolean;
  writeContext(writer: ByteWriter, context: C, field: string): void;
  readContext(body: ByteReader): C;
}

/** Length of the fixed fields before the variable items: 2 + 2 + 16 + 16 + 32 (Table 9-11). */
const FIXED_FIELDS_LENGTH = 68;

/**
 * Encodes an A-ASSOCIATE-RQ or AC, header included. Reserved fields are sent as zeros (for the
 * AC, the AE titles are echoed; bytes 43-74 are sent as zeros, which a receiver does not test).
 * @throws {@link InvalidPduFieldError} for any field that cannot be encoded.
 */
export function encodeAssociate<C extends { readonly id: number }>(
  layout: AssociateLayout<C>,
  pdu: AssociateFields<C>,
): Uint8Array {
  checkUint16('protocolVersion', pdu.protocolVersion);
  const contexts = pdu.presentationContexts;
  if (contexts.length < 1 || contexts.length > MAX_PRESENTATION_CONTEXTS) {
    throw new InvalidPduFieldError(
      `needs 1..${MAX_PRESENTATION_CONTEXTS} presentation contexts, got ${contexts.length}`,
      'presentationContexts',
    );
  }
  const ids = new Set<number>();
  for (const context of contexts) {
    if (ids.has(context.id)) {
      throw new InvalidPduFieldError(
        `presentation context ID ${context.id} is used twice`,
        'presentationContexts',
      );
    }
    ids.add(context.id);
  }
  return encodeFramedPdu(layout.pduType, (writer) => {
    writer.uint16be(pdu.protocolVersion);
    writer.zeros(2);
    writeAeTitle(writer, 'calledAeTitle', pdu.calledAeTitle, layout.aeTitlesAreEchoes);
    writeAeTitle(writer, 'callingAeTitle', pdu.callingAeTitle, layout.aeTitlesAreEchoes);
    writer.zeros(32);
    // Items in ascending item-type order (PS3.8 9.3): 10H, then 20H/21H, then 50H.
    writeApplicationContext(writer, pdu.applicationContextName);
    contexts.forEach((context, i) =>
      layout.writeContext(writer, context, `presentationContexts[${i}]`),
    );
    writeUserInformation(writer, pdu.userInformation);
  });
}

/**
 * Decodes the body of an A-ASSOCIATE-RQ or AC.
 *
 * - Protocol version: returned as is; a clear bit 0 is for the acceptor to reject (RJ 1/2/2), not
 *   a decode error (PS3.8 Table 9-11: a receiver tests only bit 0).
 * - Reserved fields are never tested; AE titles are trimmed (see {@link readAeTitle}).
 * - Items may come in any order. "Items of unrecognized types shall be ignored and skipped"
 *   (PS3.8 9.3), so unknown item types are skipped. A known item type that does not belong in
 *   this PDU (e.g. 21H in an RQ) is an unexpected parameter (A-ABORT reason 5).
 * @throws {@link MalformedPduError} if the fixed part is short, an item overruns the PDU, the
 *   application context or user information item is missing or repeated, there is no
 *   presentation context, or two contexts share an ID.
 */
export function decodeAssociate<C extends { readonly id: number }>(
  layout: AssociateLayout<C>,
  body: Uint8Array,
): AssociateFields<C> {
  // Explicit type: lets `reader.fail()` (returns never) narrow the variables below.
  const reader: ByteReader = new ByteReader(body, layout.pduType);
  if (reader.remaining < FIXED_FIELDS_LENGTH) {
    reader.fail(
      `needs at least ${FIXED_FIELDS_LENGTH} bytes of fixed fields, got ${reader.remaining}`,
    );
  }
  const protocolVersion = reader.uint16be();
  reader.skip(2); // reserved, not tested
  const calledAeTitle = readAeTitle(reader);
  const callingAeTitle = readAeTitle(reader);
  reader.skip(32); // reserved, not tested
  let applicationContextName: string | undefined;
  let userInformation: UserInformation | undefined;
  const presentationContexts: C[] = [];
  const ids = new Set<number>();
  for (const item of readItems(reader)) {
    if (item.itemType === ItemType.ApplicationContext) {
      if (applicationContextName !== undefined) {
        reader.fail(
          'second application context item',
          AbortReason.UnexpectedPduParameter,
          item.offset,
        );
      }
      applicationContextName = readApplicationContext(item.body);
    } else if (item.itemType === layout.contextItemType) {
      const context = layout.readContext(item.body);
      if (ids.has(context.id)) {
        reader.fail(`presentation context ID ${context.id} appears twice`, undefined, item.offset);
      }
      ids.add(context.id);
      presentationContexts.push(context);
    } else if (item.itemType === ItemType.UserInformation) {
      if (userInformation !== undefined) {
        reader.fail(
          'second user information item',
          AbortReason.UnexpectedPduParameter,
          item.offset,
        );
      }
      userInformation = readUserInformation(item.body);
    } else if (isKnownItemType(item.itemType)) {
      reader.fail(
        `item 0x${item.itemType.toString(16)} does not belong in this PDU`,
        AbortReason.UnexpectedPduParameter,
        item.offset,
      );
    }
    // Any other item type is unrecognized: ignored and skipped (PS3.8 9.3).
  }
  if (applicationContextName === undefined) reader.fail('no application context item');
  if (presentationContexts.length === 0) reader.fail('no presentation context item');
  if (userInformation === undefined) reader.fail('no user information item');
  return {
    protocolVersion,
    calledAeTitle,
    callingAeTitle,
    applicationContextName,
    presentationContexts,
    userInformation,
  };
}
