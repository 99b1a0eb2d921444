// Where an instance's file lives under the storage root. The path is a hash of the SOP Instance
// UID, never the UID or any other peer-supplied text, so no value (`../`, NUL, 10,000 characters,
// a drive letter) can name a file outside the root; the index keys on the UID itself.
import { hash } from 'node:crypto';
import path from 'node:path';

/** Folder of the instance files under the root. */
export const INSTANCES_FOLDER = 'instances';
/** Folder where stores are written and checked before they move into place. */
export const INCOMING_FOLDER = 'incoming';
/** The lock file under the root: the process ID of the one process that has it open. */
export const LOCK_FILE = 'lock';
/** The index database file under the root. */
export const INDEX_FILE = 'index.sqlite';

/**
 * The folders instance files go in, relative to the instances folder: `00` … `ff`, one per first
 * byte of the hash. Few enough to be made once when the repository opens, so that no store pays
 * for a `mkdir` (on ext4 one costs as much as creating the file); a million instances put about
 * 3,900 files in each, which a hashed-directory file system (ext4, XFS, APFS, NTFS) looks up as
 * fast as 10.
 */
export const INSTANCE_FOLDERS: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/** `ab/<64 hex>.dcm`: the shape {@link storedPathOf} gives. */
const STORED_PATH = /^([0-9a-f]{2})\/\1[0-9a-f]{62}\.dcm$/;
/**
 * `ab/cd/<64 hex>.dcm`: the two-level shape of the first repositories (65,536 leaf folders, one
 * `mkdir` for almost every store into a young repository). Files and rows of that shape are still
 * read, replaced in place, deleted and recovered; new instances never get one.
 */
const LEGACY_STORED_PATH = /^([0-9a-f]{2})\/([0-9a-f]{2})\/\1\2[0-9a-f]{60}\.dcm$/;

function hashOf(sopInstanceUid: string): string {
  // The one-shot digest (Node 20.12+): no Hash object per store, about a tenth of the time.
  return hash('sha256', sopInstanceUid, 'hex');
}

/**
 * The path, relative to the instances folder and `/`-separated, of the file of `sopInstanceUid`:
 * the SHA-256 of the UID in hex, in the folder named by its first byte.
 */
export function storedPathOf(sopInstanceUid: string): string {
  const hash = hashOf(sopInstanceUid);
  return `${hash.slice(0, 2)}/${hash}.dcm`;
}

/** Whether `relative` has the shape {@link storedPathOf} gives (or the legacy two-level one). */
export function isStoredPath(relative: string): boolean {
  return STORED_PATH.test(relative) || LEGACY_STORED_PATH.test(relative);
}

/**
 * Whether `relative` is where the file of `sopInstanceUid` belongs: {@link storedPathOf}, or the
 * legacy two-level path of the same hash.
 */
export function isStoredPathOf(sopInstanceUid: string, relative: string): boolean {
  const hash = hashOf(sopInstanceUid);
  return (
    relative === `${hash.slice(0, 2)}/${hash}.dcm` ||
    relative === `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}.dcm`
  );
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
