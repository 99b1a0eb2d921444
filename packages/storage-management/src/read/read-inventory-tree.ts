// Follows the tree of an inventory split over several instances: Incorporated Inventory Instance
// Sequence (0008,0422), PS3.3 C.38.1.1.5 and C.38.2.3, depth first, each node's own records
// before those of the instances it incorporates.
import {
  InventoryCycleError,
  InventoryLevelMismatchError,
  InventoryNotFoundError,
} from './errors.js';
import type { InventoryItem } from './inventory-records.js';
import { readInventory, type InventoryInput } from './read-inventory.js';

/**
 * Opens the Inventory instance with a SOP Instance UID: a file path, a stream or chunks. Throw
 * (or return undefined) when there is none.
 */
export type InventoryOpener = (
  sopInstanceUid: string,
  signal?: AbortSignal,
) => InventoryInput | undefined | Promise<InventoryInput | undefined>;

/** Options of {@link readInventoryTree}. */
export interface ReadInventoryTreeOptions {
  /** Aborts reading: the iterator rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** An item of {@link readInventoryTree}: an item of one instance, with where it sits. */
export type InventoryTreeItem = InventoryItem & {
  /** SOP Instance UIDs from the root to the instance the item comes from. */
  readonly path: readonly string[];
};

/**
 * Reads the whole tree under `rootUid`: for each instance, depth first from the root, its
 * `header`, its records and its `end` (see {@link readInventory}), then the instances it
 * incorporates, in the order of its Incorporated Inventory Instance Sequence. Only one instance
 * is open at a time; memory holds the UIDs of the instances met (to refuse one met twice).
 * @throws {@link InventoryCycleError} when an instance is met a second time (C.38.2.3 says a
 *   tree has no cycles; every record is still yielded at most once);
 *   {@link InventoryLevelMismatchError} when an incorporated instance has another Inventory
 *   Level (C.38.1.1.5); {@link InventoryNotFoundError} when `open` finds no instance, or the one
 *   opened has another SOP Instance UID; as {@link readInventory}.
 */
export async function* readInventoryTree(
  rootUid: string,
  open: InventoryOpener,
  options: ReadInventoryTreeOptions = {},
): AsyncGenerator<InventoryTreeItem, void, undefined> {
  const seen = new Set<string>();
  // Instances still to read, last first; each with its path and the level it must have.
  const pending: { path: readonly string[]; level: string | undefined }[] = [
    { path: [rootUid], level: undefined },
  ];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    options.signal?.throwIfAborted();
    const uid = node.path.at(-1) as string; // a path is never empty
    if (seen.has(uid)) throw new InventoryCycleError(node.path);
    seen.add(uid);
    let input: InventoryInput | undefined;
    try {
      input = await open(uid, options.signal);
    } catch (error) {
      options.signal?.throwIfAborted();
      throw new InventoryNotFoundError(uid, 'cannot be opened', { cause: error });
    }
    if (input === undefined) throw new InventoryNotFoundError(uid, 'not found');
    const children: string[] = [];
    for await (const item of readInventory(input, {
      ...(options.signal && { signal: options.signal }),
      ...(typeof input === 'string' ? {} : { name: uid }),
    })) {
      if (item.kind === 'header') {
        const { header } = item;
        if (header.sopInstanceUid !== uid)
          throw new InventoryNotFoundError(uid, `the instance opened is ${header.sopInstanceUid}`);
        // PS3.3 C.38.1.1.5: incorporated instances shall have the same Inventory Level.
        if (node.level !== undefined && header.level !== node.level)
          throw new InventoryLevelMismatchError(uid, header.level, node.level);
        children.push(...header.incorporated.map((reference) => reference.sopInstanceUid));
        node = { ...node, level: header.level };
      }
      yield { ...item, path: node.path };
    }
    for (const child of children.reverse())
      pending.push({ path: [...node.path, child], level: node.level });
  }
}
