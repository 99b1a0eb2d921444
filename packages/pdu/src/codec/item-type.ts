/**
 * Item and sub-item types inside A-ASSOCIATE-RQ/AC PDUs (PS3.8 9.3.2–9.3.3 and Annex D; PS3.7
 * D.3.3). The PDV item of P-DATA-TF has no item-type byte and is not listed.
 */
export const ItemType = {
  /** Application Context item, PS3.8 9.3.2.1 (Table 9-12) and 9.3.3.1. */
  ApplicationContext: 0x10,
  /** Presentation Context item of the RQ, PS3.8 9.3.2.2 (Table 9-13). */
  PresentationContextRq: 0x20,
  /** Presentation Context item of the AC, PS3.8 9.3.3.2 (Table 9-18). */
  PresentationContextAc: 0x21,
  /** Abstract Syntax sub-item, PS3.8 9.3.2.2.1 (Table 9-14). */
  AbstractSyntax: 0x30,
  /** Transfer Syntax sub-item, PS3.8 9.3.2.2.2 (Table 9-15) and 9.3.3.2.1 (Table 9-19). */
  TransferSyntax: 0x40,
  /** User Information item, PS3.8 9.3.2.3 (Table 9-16) and 9.3.3.3. */
  UserInformation: 0x50,
  /** Maximum Length sub-item, PS3.8 D.1 (Tables D.1-1, D.1-2). */
  MaximumLength: 0x51,
  /** Implementation Class UID sub-item, PS3.7 D.3.3.2 (Tables D.3-1, D.3-2). */
  ImplementationClassUid: 0x52,
  /** Asynchronous Operations Window sub-item, PS3.7 D.3.3.3 (Tables D.3-7, D.3-8). */
  AsynchronousOperationsWindow: 0x53,
  /** SCP/SCU Role Selection sub-item, PS3.7 D.3.3.4 (Tables D.3-9, D.3-10). */
  RoleSelection: 0x54,
  /** Implementation Version Name sub-item, PS3.7 D.3.3.2 (Tables D.3-3, D.3-4). */
  ImplementationVersionName: 0x55,
  /** SOP Class Extended Negotiation sub-item, PS3.7 D.3.3.5 (Table D.3-11). */
  SopClassExtendedNegotiation: 0x56,
  /** SOP Class Common Extended Negotiation sub-item, PS3.7 D.3.3.6 (Table D.3-12). */
  SopClassCommonExtendedNegotiation: 0x57,
  /** User Identity sub-item of the RQ, PS3.7 D.3.3.7.1 (Table D.3-14). */
  UserIdentityRq: 0x58,
  /** User Identity sub-item of the AC, PS3.7 D.3.3.7.2 (Table D.3-15). */
  UserIdentityAc: 0x59,
} as const;

/** One of the {@link ItemType} values. */
export type ItemType = (typeof ItemType)[keyof typeof ItemType];

/** Length of the header of every item and sub-item: type (1), reserved (1), item-length (2). */
export const ITEM_HEADER_LENGTH = 4;

const KNOWN_ITEM_TYPES: ReadonlySet<number> = new Set(Object.values(ItemType));

/** True when `value` is one of the {@link ItemType} values this codec knows. */
export function isKnownItemType(value: number): value is ItemType {
  return KNOWN_ITEM_TYPES.has(value);
}
