/** A UID: 1–64 characters of digits and dots, components without leading zeros (PS3.5 §9.1). */
const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/** Whether `uid` follows the UID rules of PS3.5 §9.1, and so can name a stored file. */
export function isStorableUid(uid: string): boolean {
  return uid.length <= 64 && UID.test(uid);
}
