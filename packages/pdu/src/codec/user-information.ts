import { InvalidPduFieldError } from '../errors.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { checkByte } from './field-checks.js';
import { readItems, writeItem } from './item.js';
import { ItemType } from './item-type.js';
import {
  readAsynchronousOperationsWindow,
  readImplementationClassUid,
  readImplementationVersionName,
  readMaximumLength,
  readRoleSelection,
  readSopClassCommonExtendedNegotiation,
  readSopClassExtendedNegotiation,
  writeAsynchronousOperationsWindow,
  writeImplementationClassUid,
  writeImplementationVersionName,
  writeMaximumLength,
  writeRoleSelection,
  writeSopClassCommonExtendedNegotiation,
  writeSopClassExtendedNegotiation,
  type AsynchronousOperationsWindow,
  type RoleSelection,
  type SopClassCommonExtendedNegotiation,
  type SopClassExtendedNegotiation,
} from './negotiation-items.js';
import {
  readUserIdentityRequest,
  readUserIdentityResponse,
  writeUserIdentityRequest,
  writeUserIdentityResponse,
  type UserIdentityRequest,
  type UserIdentityResponse,
} from './user-identity.js';

/**
 * A user-information sub-item of a type this codec does not know. It is kept and re-encoded as
 * received (after the known sub-items), because an acceptor must "ignore such unrecognized user
 * information Sub-Items and not reject an Association because of their presence" (PS3.8 D.2).
 */
export interface UnknownSubItem {
  /** Its item-type byte (PS3.8 D.2 assigns 51H..FFH). */
  readonly itemType: number;
  /** Its body, the bytes after item-length (a copy). */
  readonly data: Uint8Array;
}

/**
 * The User Information item (50H) of an A-ASSOCIATE-RQ or AC (PS3.8 9.3.2.3, Table 9-16; Annex
 * D; PS3.7 D.3.3). An absent optional property means the sub-item was not present.
 */
export interface UserInformation {
  /** 51H Maximum-length-received: largest P-DATA-TF PDU-length the sender accepts; 0 = none. */
  readonly maxPduLength?: number;
  /** 52H Implementation Class UID. */
  readonly implementationClassUid?: string;
  /** 53H Asynchronous Operations Window; absent means 1/1 (synchronous). */
  readonly asynchronousOperationsWindow?: AsynchronousOperationsWindow;
  /** 54H SCP/SCU Role Selection, one per SOP class. */
  readonly roleSelections: readonly RoleSelection[];
  /** 55H Implementation Version Name. */
  readonly implementationVersionName?: string;
  /** 56H SOP Class Extended Negotiation, one per SOP class. */
  readonly sopClassExtendedNegotiations: readonly SopClassExtendedNegotiation[];
  /** 57H SOP Class Common Extended Negotiation (RQ only), one per SOP class. */
  readonly sopClassCommonExtendedNegotiations: readonly SopClassCommonExtendedNegotiation[];
  /** 58H User Identity (RQ). */
  readonly userIdentityRequest?: UserIdentityRequest;
  /** 59H User Identity (AC). */
  readonly userIdentityResponse?: UserIdentityResponse;
  /** Sub-items of unknown type, in the order received. */
  readonly unknownSubItems: readonly UnknownSubItem[];
}

const FIRST_KNOWN_SUB_ITEM = ItemType.MaximumLength;
const LAST_KNOWN_SUB_ITEM = ItemType.UserIdentityAc;

/**
 * Writes the User Information item (50H). Sub-items go out in ascending item-type order, then the
 * unknown ones in their given order ("some older applications might expect Sub-Items to be
 * encoded in ascending order", note to PS3.8 Table 9-16).
 * @throws {@link InvalidPduFieldError} for any invalid sub-item value, an unknown sub-item whose
 *   type is one this codec models, or an item over 65535 bytes.
 */
export function writeUserInformation(writer: ByteWriter, info: UserInformation): void {
  writeItem(writer, ItemType.UserInformation, 'userInformation', () => {
    const sub = (itemType: number, field: string, writeBody: () => void): void =>
      writeItem(writer, itemType, field, writeBody);
    const { maxPduLength, implementationClassUid, asynchronousOperationsWindow: window } = info;
    if (maxPduLength !== undefined) {
      sub(ItemType.MaximumLength, 'maxPduLength', () => writeMaximumLength(writer, maxPduLength));
    }
    if (implementationClassUid !== undefined) {
      sub(ItemType.ImplementationClassUid, 'implementationClassUid', () =>
        writeImplementationClassUid(writer, implementationClassUid),
      );
    }
    if (window !== undefined) {
      sub(ItemType.AsynchronousOperationsWindow, 'asynchronousOperationsWindow', () =>
        writeAsynchronousOperationsWindow(writer, window),
      );
    }
    info.roleSelections.forEach((role, i) => {
      const field = `roleSelections[${i}]`;
      sub(ItemType.RoleSelection, field, () => writeRoleSelection(writer, role, field));
    });
    const { implementationVersionName: versionName } = info;
    if (versionName !== undefined) {
      sub(ItemType.ImplementationVersionName, 'implementationVersionName', () =>
        writeImplementationVersionName(writer, versionName),
      );
    }
    info.sopClassExtendedNegotiations.forEach((negotiation, i) => {
      const field = `sopClassExtendedNegotiations[${i}]`;
      sub(ItemType.SopClassExtendedNegotiation, field, () =>
        writeSopClassExtendedNegotiation(writer, negotiation, field),
      );
    });
    info.sopClassCommonExtendedNegotiations.forEach((negotiation, i) => {
      const field = `sopClassCommonExtendedNegotiations[${i}]`;
      sub(ItemType.SopClassCommonExtendedNegotiation, field, () =>
        writeSopClassCommonExtendedNegotiation(writer, negotiation, field),
      );
    });
    const { userIdentityRequest: request, userIdentityResponse: response } = info;
    if (request !== undefined) {
      sub(ItemType.UserIdentityRq, 'userIdentityRequest', () =>
        writeUserIdentityRequest(writer, request),
      );
    }
    if (response !== undefined) {
      sub(ItemType.UserIdentityAc, 'userIdentityResponse', () =>
        writeUserIdentityResponse(writer, response),
      );
    }
    info.unknownSubItems.forEach((item, i) => {
      const field = `unknownSubItems[${i}]`;
      checkByte(`${field}.itemType`, item.itemType);
      if (item.itemType >= FIRST_KNOWN_SUB_ITEM && item.itemType <= LAST_KNOWN_SUB_ITEM) {
        throw new InvalidPduFieldError(
          `0x${item.itemType.toString(16)} is a known sub-item type`,
          `${field}.itemType`,
        );
      }
      sub(item.itemType, field, () => writer.bytes(item.data));
    });
  });
}

/** Mutable twin of {@link UserInformation} used while decoding. */
interface UserInformationDraft {
  maxPduLength?: number;
  implementationClassUid?: string;
  asynchronousOperationsWindow?: AsynchronousOperationsWindow;
  roleSelections: RoleSelection[];
  implementationVersionName?: string;
  sopClassExtendedNegotiations: SopClassExtendedNegotiation[];
  sopClassCommonExtendedNegotiations: SopClassCommonExtendedNegotiation[];
  userIdentityRequest?: UserIdentityRequest;
  userIdentityResponse?: UserIdentityResponse;
  unknownSubItems: UnknownSubItem[];
}

/**
 * Reads the body of a User Information item (50H). Sub-items are accepted in any order (note to
 * PS3.8 Table 9-16); unknown types are kept in `unknownSubItems` (PS3.8 D.2). Where the standard
 * allows one sub-item of a type ("Only one ... shall be present": 51H, 52H, 53H, 55H, 58H, 59H)
 * and a peer sends several, the first is used and the rest ignored. No sub-item is mandatory
 * here: an absent 51H or 52H is left to the association to handle. An empty item is accepted.
 * @throws {@link MalformedPduError} for a sub-item whose lengths overrun or do not match.
 */
export function readUserInformation(body: ByteReader): UserInformation {
  const draft: UserInformationDraft = {
    roleSelections: [],
    sopClassExtendedNegotiations: [],
    sopClassCommonExtendedNegotiations: [],
    unknownSubItems: [],
  };
  for (const item of readItems(body)) {
    const sub = item.body;
    switch (item.itemType) {
      case ItemType.MaximumLength:
        setOnce(draft, 'maxPduLength', readMaximumLength(sub));
        break;
      case ItemType.ImplementationClassUid:
        setOnce(draft, 'implementationClassUid', readImplementationClassUid(sub));
        break;
      case ItemType.AsynchronousOperationsWindow:
        setOnce(draft, 'asynchronousOperationsWindow', readAsynchronousOperationsWindow(sub));
        break;
      case ItemType.RoleSelection:
        draft.roleSelections.push(readRoleSelection(sub));
        break;
      case ItemType.ImplementationVersionName:
        setOnce(draft, 'implementationVersionName', readImplementationVersionName(sub));
        break;
      case ItemType.SopClassExtendedNegotiation:
        draft.sopClassExtendedNegotiations.push(readSopClassExtendedNegotiation(sub));
        break;
      case ItemType.SopClassCommonExtendedNegotiation:
        draft.sopClassCommonExtendedNegotiations.push(readSopClassCommonExtendedNegotiation(sub));
        break;
      case ItemType.UserIdentityRq:
        setOnce(draft, 'userIdentityRequest', readUserIdentityRequest(sub));
        break;
      case ItemType.UserIdentityAc:
        setOnce(draft, 'userIdentityResponse', readUserIdentityResponse(sub));
        break;
      default:
        draft.unknownSubItems.push({
          itemType: item.itemType,
          data: sub.bytes(sub.remaining).slice(),
        });
    }
  }
  return draft;
}

/** Sets a single-valued sub-item unless an earlier one of the same type already set it. */
function setOnce<K extends keyof UserInformationDraft>(
  draft: UserInformationDraft,
  key: K,
  value: NonNullable<UserInformationDraft[K]>,
): void {
  if (draft[key] === undefined) draft[key] = value;
}
