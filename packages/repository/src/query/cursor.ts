// Resumable match cursors: the keyset of the last record returned (its level's unique key), so
// that a match resumes with `WHERE key > cursor` (never OFFSET) and survives a restart: it names
// values, not rows or positions. Opaque to callers; only its first characters are a version.
import { InvalidCursorError } from '../errors.js';
import type { QueryLevel } from '../match/index.js';

const PREFIX = 'c1.';
const KEY_COUNT: Readonly<Record<QueryLevel, number>> = {
  PATIENT: 2, // Patient ID and Issuer of Patient ID
  STUDY: 1,
  SERIES: 1,
  IMAGE: 1,
};

/** The cursor after a record of `level` whose unique key is `keys`. */
export function encodeCursor(level: QueryLevel, keys: readonly string[]): string {
  return PREFIX + Buffer.from(JSON.stringify([level, ...keys]), 'utf8').toString('base64url');
}

/**
 * The keys a cursor holds.
 * @throws {@link InvalidCursorError} for a string that is not a cursor of `level`.
 */
export function decodeCursor(cursor: string, level: QueryLevel): readonly string[] {
  if (!cursor.startsWith(PREFIX)) throw new InvalidCursorError('not a cursor of this repository');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor of this repository');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== KEY_COUNT[level] + 1 ||
    !parsed.every((entry) => typeof entry === 'string')
  ) {
    throw new InvalidCursorError('not a cursor of this repository');
  }
  const [cursorLevel, ...keys] = parsed as string[];
  if (cursorLevel !== level)
    throw new InvalidCursorError(`a cursor of a ${cursorLevel} query used at level ${level}`);
  return keys;
}
