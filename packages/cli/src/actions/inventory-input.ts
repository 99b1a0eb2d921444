// An inventory named on the command line: an Inventory instance file (the root of its tree; the
// instances it incorporates are looked up in the same folder) or a folder of Inventory instances
// (each root found there is one inventory, PS3.3 C.38.1.1.5).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  InventoryMalformedError,
  readInventory,
  readInventoryFolder,
  type InventoryFolder,
  type InventoryOpener,
} from '@dicomnet/storage-management';

/** One inventory to read: the root's UID and how to open the instances of its tree. */
export interface InventoryTarget {
  readonly root: string;
  readonly open: InventoryOpener;
}

/**
 * The inventories `target` names: one for a file, one per root for a folder.
 * @throws As `readInventoryHeader` for a file that is not an Inventory instance; file system
 *   errors (`ENOENT`) as they are.
 */
export async function inventoryTargets(
  target: string,
  signal: AbortSignal,
): Promise<InventoryTarget[]> {
  if ((await stat(target)).isDirectory()) {
    const folder = await readInventoryFolder(target, { signal });
    return folder.roots.map((root) => ({ root: root.sopInstanceUid, open: folder.open }));
  }
  // Only the header is wanted, but it ends after the records (PS3.3 C.38.1 tag order): the
  // first header item is enough for the UID, so stop there.
  const { sopInstanceUid } = await firstHeader(target, signal);
  let siblings: Promise<InventoryFolder> | undefined;
  return [
    {
      root: sopInstanceUid,
      open: async (uid) => {
        if (uid === sopInstanceUid) return target;
        siblings ??= readInventoryFolder(path.dirname(target), { signal });
        return (await siblings).open(uid);
      },
    },
  ];
}

async function firstHeader(
  file: string,
  signal: AbortSignal,
): Promise<{ readonly sopInstanceUid: string }> {
  const items = readInventory(file, { signal });
  try {
    const first = await items.next();
    // readInventory yields its header first or throws.
    if (first.done === true || first.value.kind !== 'header')
      throw new InventoryMalformedError('no header', file);
    return first.value.header;
  } finally {
    await items.return();
  }
}
