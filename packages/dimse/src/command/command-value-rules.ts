/** Longest UID, in characters (PS3.5 §9.1). */
export const MAX_UID_LENGTH = 64;
/** Longest AE title, in characters (PS3.5 Table 6.2-1, AE). */
export const MAX_AE_TITLE_LENGTH = 16;
/** Longest LO value, in characters (PS3.5 Table 6.2-1, LO). */
export const MAX_LO_LENGTH = 64;

/** True for an integer in 0..65535: the range of a US value (PS3.5 Table 6.2-1). */
export function isUint16(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff;
}

/** True for an integer in 0..0xFFFFFFFF: a tag 0xGGGGEEEE or a UL value. */
export function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/** True for an array of tags 0xGGGGEEEE (an AT value of any multiplicity, empty included). */
export function isTagList(value: unknown): value is readonly number[] {
  return Array.isArray(value) && value.every(isUint32);
}

/**
 * True for a UID as this library sends it: at most 64 characters, only digits and dots (PS3.5
 * §9.1). The finer component rules (no leading zero, no empty component) are not checked: a
 * response must echo the UID a peer sent, even one that breaks them.
 */
export function isUidText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_UID_LENGTH && /^[0-9.]*$/.test(value);
}

/**
 * True for a string of the default character repertoire without control characters or
 * backslash (PS3.5 §6.1, Table 6.2-1 for AE, CS, SH, LO, LT) of at most `maxLength` characters.
 */
export function isDefaultRepertoireText(value: unknown, maxLength: number): value is string {
  return (
    typeof value === 'string' && value.length <= maxLength && /^[\x20-\x5b\x5d-\x7e]*$/.test(value)
  );
}

/** True for an AE title value: at most 16 default-repertoire characters, no backslash. */
export function isAeTitleText(value: unknown): value is string {
  return isDefaultRepertoireText(value, MAX_AE_TITLE_LENGTH);
}
