import { InvalidPduFieldError } from '../errors.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

/** Longest UID allowed: 64 characters (PS3.5 9.1). */
export const MAX_UID_LENGTH = 64;

/**
 * Checks a UID before it is written into an item: 1..64 characters of digits and dots (PS3.5
 * 9.1). The component rules (no leading zeros, no empty component) are not enforced, so UIDs
 * received from non-conforming peers can still be echoed.
 * @param allowEmpty - true where the standard allows an empty field (the transfer syntax of a
 *   rejected presentation context, PS3.8 Table 9-18).
 * @throws {@link InvalidPduFieldError} otherwise.
 */
export function checkUid(field: string, uid: string, allowEmpty = false): void {
  if (uid === '' && allowEmpty) return;
  if (uid.length < 1 || uid.length > MAX_UID_LENGTH) {
    throw new InvalidPduFieldError(`UID must be 1..64 characters, got ${uid.length}`, field);
  }
  if (!UID_CHARACTERS.test(uid)) {
    throw new InvalidPduFieldError(`UID may hold only digits and dots: "${uid}"`, field);
  }
}

const UID_CHARACTERS = /^[0-9.]+$/;

/**
 * True for a UID that {@link checkUid} lets through (1..64 digits and dots, PS3.5 9.1): one that
 * can be echoed back to the peer without the encoder refusing it.
 */
export function isValidUid(uid: string): boolean {
  return uid.length >= 1 && uid.length <= MAX_UID_LENGTH && UID_CHARACTERS.test(uid);
}

/**
 * Writes a checked UID without padding: the item-length gives the exact length, so odd lengths
 * need no trailing NUL (PS3.8 9.3.2.2.1; the PS3.5 padding rule is for data elements).
 */
export function writeUid(writer: ByteWriter, field: string, uid: string, allowEmpty = false): void {
  checkUid(field, uid, allowEmpty);
  writer.ascii(uid);
}

/**
 * Reads a UID of `length` bytes leniently: one trailing NUL and then trailing spaces are removed
 * (some peers pad item UIDs to even length as in data elements). The characters are not tested;
 * an unknown or malformed UID is a negotiation outcome, not a malformed PDU.
 */
export function readUid(reader: ByteReader, length: number): string {
  return reader.ascii(length).replace(/\0$/, '').replace(/ +$/, '');
}
