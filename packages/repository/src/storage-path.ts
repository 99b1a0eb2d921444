// Where an instance's file lives under the storage root. The path is a hash of the SOP Instance
// UID, never the UID or any other peer-supplied text, so no value (`../`, NUL, 10,000 characters,
// a drive letter) can name a file outside the root; the index keys on the UID itself.
import { createHash } from 'node:crypto';
import path from 'node:path';

/** Folder of the instance files under the root. */
export const INSTANCES_FOLDER = 'instances';
/** Folder where stores are written and checked before they move into place. */
export const INCOMING_FOLDER = 'incoming';
/** The lock file under the root: the process ID of the one process that has it open. */
export const LOCK_FILE = 'lock';
/** The index database file under the root. */
export const INDEX_FILE = 'index.sqlite';

/** `ab/cd/<64 hex>.dcm`: two levels of 256 folders keep each folder small. */
const STORED_PATH = /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}\.dcm$/;

/**
 * The path, relative to the instances folder and `/`-separated, of the file of `sopInstanceUid`:
 * the SHA-256 of the UID in hex, under folders named by its first two bytes.
 */
export function storedPathOf(sopInstanceUid: string): string {
  const hash = createHash('sha256').update(sopInstanceUid, 'utf8').digest('hex');
  return `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}.dcm`;
}

/** Whether `relative` has the shape {@link storedPathOf} gives. */
export function isStoredPath(relative: string): boolean {
  return STORED_PATH.test(relative);
}

/**
 * The absolute path of a stored path under `instancesRoot`. A stored path read back from the
 * index is checked again, so a tampered row cannot point outside the root either.
 * @throws RangeError when `relative` is not of the shape {@link storedPathOf} gives.
 */
export function absoluteStoredPath(instancesRoot: string, relative: string): string {
  if (!isStoredPath(relative))
    throw new RangeError(`not a stored path: ${JSON.stringify(relative)}`);
  return path.join(instancesRoot, ...relative.split('/'));
}
