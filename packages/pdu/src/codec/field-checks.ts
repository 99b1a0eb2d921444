import { InvalidPduFieldError } from '../errors.js';

/**
 * Encode-time checks shared by the PDU encoders. Each throws {@link InvalidPduFieldError} naming
 * the field, so a bad value never reaches the wire or a DataView.
 */

/** Checks that `value` is an integer in `0..max`. */
export function checkUnsigned(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidPduFieldError(`must be an integer 0..${max}, got ${value}`, field);
  }
}

/** Checks that `value` fits one byte. */
export function checkByte(field: string, value: number): void {
  checkUnsigned(field, value, 0xff);
}

/** Checks that `value` fits 16 bits. */
export function checkUint16(field: string, value: number): void {
  checkUnsigned(field, value, 0xffff);
}

/** Checks that `value` fits 32 bits. */
export function checkUint32(field: string, value: number): void {
  checkUnsigned(field, value, 0xffffffff);
}

/**
 * Checks a presentation context ID: "odd integers between 1 and 255" (PS3.8 Tables 9-13, 9-18
 * and 9-23).
 */
export function checkPresentationContextId(field: string, id: number): void {
  if (!Number.isInteger(id) || id < 1 || id > 255 || id % 2 === 0) {
    throw new InvalidPduFieldError(`presentation context ID must be odd, 1..255, got ${id}`, field);
  }
}

/** True for a byte that may appear in a received presentation context ID (odd, 1..255). */
export function isValidPresentationContextId(id: number): boolean {
  return id % 2 === 1;
}

/**
 * Checks a string of ISO 646:1990 basic G0 characters (20H..7EH) of 1..`maxLength` characters,
 * the form of the Implementation Version Name (PS3.7 Table D.3-3).
 */
export function checkG0Text(field: string, text: string, maxLength: number): void {
  if (text.length < 1 || text.length > maxLength) {
    throw new InvalidPduFieldError(`must be 1..${maxLength} characters, got ${text.length}`, field);
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      throw new InvalidPduFieldError(
        `character ${i} (code ${code}) is not ISO 646 basic G0`,
        field,
      );
    }
  }
}
