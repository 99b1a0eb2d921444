import { InvalidPduFieldError } from '../errors.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';

/** Length of an AE title field in A-ASSOCIATE-RQ/AC (PS3.8 Tables 9-11 and 9-17). */
export const AE_TITLE_LENGTH = 16;

const SPACE = 0x20;
const BACKSLASH = 0x5c;

/**
 * Writes an AE title as its 16-byte field: left-justified, padded with trailing spaces (PS3.8
 * Table 9-11: 16 characters of the ISO 646:1990 basic G0 set; the AE value representation of
 * PS3.5 6.2 also excludes backslash and control characters).
 * @param allowBlank - true for the A-ASSOCIATE-AC, whose AE title fields are reserved echoes that
 *   the receiver never tests (PS3.8 Table 9-17). An RQ title must not be all spaces: Table 9-11
 *   forbids the 16-space value that would mean "no application name".
 * @throws {@link InvalidPduFieldError} for more than 16 characters, a blank RQ title, or a
 *   character outside 20H..7EH or a backslash.
 */
export function writeAeTitle(
  writer: ByteWriter,
  field: string,
  title: string,
  allowBlank: boolean,
): void {
  checkAeTitle(field, title, allowBlank);
  writer.ascii(title);
  for (let i = title.length; i < AE_TITLE_LENGTH; i++) writer.uint8(SPACE);
}

/** Checks an AE title for {@link writeAeTitle}. */
export function checkAeTitle(field: string, title: string, allowBlank: boolean): void {
  if (title.length > AE_TITLE_LENGTH) {
    throw new InvalidPduFieldError(`AE title longer than 16 characters: "${title}"`, field);
  }
  if (!allowBlank && title.trim() === '') {
    throw new InvalidPduFieldError('AE title is empty or all spaces', field);
  }
  for (let i = 0; i < title.length; i++) {
    const code = title.charCodeAt(i);
    if (code < SPACE || code > 0x7e || code === BACKSLASH) {
      throw new InvalidPduFieldError(`AE title character ${i} (code ${code}) not allowed`, field);
    }
  }
}

/**
 * Reads a 16-byte AE title field. Leading and trailing spaces are not significant (PS3.8 Table
 * 9-11) and are removed; trailing NULs, which some peers pad with, are removed too. Nothing else is
 * tested: an empty or odd title is the acceptor's business (A-ASSOCIATE-RJ 1/1/7 or 1/1/3), not a
 * malformed PDU.
 */
export function readAeTitle(reader: ByteReader): string {
  return reader
    .ascii(AE_TITLE_LENGTH)
    .replace(/[ \0]+$/, '')
    .replace(/^ +/, '');
}
