import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { atomicWriterTargetOf } from '@dicomnet/data';
import { isStorableUid } from './storable-uid.js';

/**
 * Whether `fileName` (a base name) is a temporary file that {@link storeToDirectory} leaves when
 * its process dies mid-transfer: `.<SOP Instance UID>.dcm.<12 hex digits>.part`, exactly the
 * name our atomic writer gives the file of one instance, and nothing else. Such a file is never
 * a complete instance; a folder walker should skip it.
 */
export function isStoreLeftover(fileName: string): boolean {
  const target = atomicWriterTargetOf(fileName);
  return target !== undefined && target.endsWith('.dcm') && isStorableUid(target.slice(0, -4));
}

/**
 * Removes the leftovers of {@link storeToDirectory} in `dir` (see {@link isStoreLeftover}): the
 * temporary files of transfers that a killed process never finished. Only regular files with
 * exactly our naming are touched; other files, folders and links stay. Call it before any
 * transfer into `dir` starts: a folder is meant to be written by one server at a time.
 * @returns The paths removed (none when `dir` does not exist).
 */
export async function removeStoreLeftovers(dir: string): Promise<readonly string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !isStoreLeftover(entry.name)) continue;
    const file = path.join(dir, entry.name);
    try {
      await unlink(file);
      removed.push(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}
