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
  const problem = aeTitleProblem(title, allowBlank);
  if (problem !== undefined) throw new InvalidPduFieldError(problem, field);
}

/**
 * True when a decoded A-ASSOCIATE-RQ AE title is one the AE value representation allows (PS3.5
 * 6.2: 1..16 characters of the default repertoire, no backslash, no control characters, not all
 * spaces; PS3.8 Table 9-11). An acceptor rejects anything else before its policy sees it.
 */
export function isValidAeTitle(title: string): boolean {
  return aeTitleProblem(title, false) === undefined;
}

/** What makes `title` unfit for an AE title field, or undefined when it is fine. */
function aeTitleProblem(title: string, allowBlank: boolean): string | undefined {
  if (title.length > AE_TITLE_LENGTH) return `AE title longer than 16 characters: "${title}"`;
  if (!allowBlank && title.trim() === '') return 'AE title is empty or all spaces';
  for (let i = 0; i < title.length; i++) {
    const code = title.charCodeAt(i);
    if (code < SPACE || code > 0x7e || code === BACKSLASH) {
      return `AE title character ${i} (code ${code}) not allowed`;
    }
  }
  return undefined;
}

/**
 * Reads a 16-byte AE title field. Leading and trailing spaces are not significant (PS3.8 Table
 * 9-11) and are removed; trailing NULs, which some peers pad with, are removed too. Nothing else is
 * tested here: an empty or invalid title is answered by the acceptor with A-ASSOCIATE-RJ 1/1/7 or
 * 1/1/3 (PS3.8 Table 9-21; see {@link isValidAeTitle}), not treated as a malformed PDU.
 */
export function readAeTitle(reader: ByteReader): string {
  return reader
    .ascii(AE_TITLE_LENGTH)
    .replace(/[ \0]+$/, '')
    .replace(/^ +/, '');
}
