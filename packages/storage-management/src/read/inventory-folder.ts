// Inventory instances kept as Part 10 files in a folder (a retrieve's destination, a folder sink,
// a copy made by hand): which file holds which instance, and which instances are roots.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DicomnetError } from '@dicomnet/data';
import type { InventoryHeader } from './inventory-records.js';
import { readInventory } from './read-inventory.js';
import type { InventoryOpener } from './read-inventory-tree.js';

/** The Inventory instances of a folder. */
export interface InventoryFolder {
  /** SOP Instance UID → file path. */
  readonly files: ReadonlyMap<string, string>;
  /**
   * The instances no other instance of the folder incorporates (PS3.3 C.38.1.1.5: the root of
   * each tree), by Content Date/Time then UID.
   */
  readonly roots: readonly InventoryHeader[];
  /** Files that are not Inventory instances, with why. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  /** Opens an instance of the folder by SOP Instance UID, for {@link readInventoryTree}. */
  readonly open: InventoryOpener;
}

/**
 * Reads the header of every file of `dir` (not recursive; only the attributes before the
 * records, so each file is read only as far as its header) and finds the roots.
 * @throws File system errors of `dir` itself; files that are not Inventory instances are skipped.
 */
export async function readInventoryFolder(
  dir: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<InventoryFolder> {
  const files = new Map<string, string>();
  const headers: InventoryHeader[] = [];
  const incorporated = new Set<string>();
  const skipped: { path: string; reason: string }[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const file = path.join(dir, entry.name);
    try {
      for await (const item of readInventory(file, options)) {
        if (item.kind !== 'header') continue;
        files.set(item.header.sopInstanceUid, file);
        headers.push(item.header);
        for (const reference of item.header.incorporated)
          incorporated.add(reference.sopInstanceUid);
        break;
      }
    } catch (error) {
      if (!(error instanceof DicomnetError)) throw error;
      skipped.push({ path: file, reason: error.message });
    }
  }
  const roots = headers
    .filter((header) => !incorporated.has(header.sopInstanceUid))
    .sort((a, b) => {
      const left = `${a.contentDate}${a.contentTime}`;
      const right = `${b.contentDate}${b.contentTime}`;
      if (left !== right) return left < right ? -1 : 1;
      return a.sopInstanceUid < b.sopInstanceUid ? -1 : 1;
    });
  return { files, roots, skipped, open: (uid) => files.get(uid) };
}
