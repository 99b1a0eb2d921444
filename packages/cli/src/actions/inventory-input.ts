// An inventory named on the command line: an Inventory instance file (the root of its tree; the
// instances it incorporates are looked up in the same folder), a folder of Inventory instances
// (each root found there is one inventory, PS3.3 C.38.1.1.5), or a tree on a peer, retrieved
// with Inventory GET or MOVE (PS3.4 JJ.3.2).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  InventoryMalformedError,
  readInventory,
  readInventoryFolder,
  readInventoryTree,
  retrieveInventory,
  type InventoryFolder,
  type InventoryOpener,
  type InventoryTreeItem,
} from '@dicomnet/storage-management';
import type { InventoryPeer } from '../commands/inventory.js';

/** One inventory to read: its tree's items, read when asked for. */
export interface InventoryTarget {
  /** The root's SOP Instance UID. */
  readonly root: string;
  items(signal: AbortSignal): AsyncIterable<InventoryTreeItem>;
}

function local(root: string, open: InventoryOpener): InventoryTarget {
  return { root, items: (signal) => readInventoryTree(root, open, { signal }) };
}

/** How to reach a peer's inventory tree. */
export interface PeerTargetOptions {
  readonly peer: InventoryPeer;
  readonly root: string;
  /** Our AE title. */
  readonly aet: string;
  readonly via: 'get' | 'move';
  /** For `move`: the port our storage SCP listens on, known to the peer as `aet`. */
  readonly listen?: number;
  /** Seconds for connecting and each response. */
  readonly timeout: number;
}

/** The tree rooted at `root` on a peer, retrieved into a temporary folder as it is read. */
export function peerTarget(options: PeerTargetOptions): InventoryTarget {
  return {
    root: options.root,
    items: (signal) =>
      retrieveInventory({
        host: options.peer.host,
        port: options.peer.port,
        callingAeTitle: options.aet,
        calledAeTitle: options.peer.calledAeTitle,
        root: options.root,
        via: options.via,
        ...(options.via === 'move' &&
          options.listen !== undefined && {
            destination: { aeTitle: options.aet, port: options.listen, host: '0.0.0.0' },
          }),
        connection: {
          connectTimeout: options.timeout * 1000,
          dimseTimeout: options.timeout * 1000,
        },
        signal,
      }),
  };
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
    return folder.roots.map((root) => local(root.sopInstanceUid, folder.open));
  }
  // Only the header is wanted, but it ends after the records (PS3.3 C.38.1 tag order): the
  // first header item is enough for the UID, so stop there.
  const { sopInstanceUid } = await firstHeader(target, signal);
  let siblings: Promise<InventoryFolder> | undefined;
  return [
    local(sopInstanceUid, async (uid) => {
      if (uid === sopInstanceUid) return target;
      siblings ??= readInventoryFolder(path.dirname(target), { signal });
      return (await siblings).open(uid);
    }),
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
