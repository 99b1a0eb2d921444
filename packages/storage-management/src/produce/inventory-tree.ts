// The tree above the leaves (PS3.3 C.38.1.1.5, C.38.2.3): the root references the leaves through
// Incorporated Inventory Instance items; past `fanOut` leaves, intermediate nodes group them, and
// every node's items carry its whole subtree (so the tree has no cycles, PS3.17 YYYY.7.3). The
// root is written last: it needs every leaf's UID and the total of their study records.
import type { InventorySink } from '../inventory-sink.js';
import { INVENTORY_STORAGE_SOP_CLASS } from '../uids.js';
import { InventoryProductionError } from './errors.js';
import { producedInstance, type IncorporatedNode } from './inventory-instance.js';
import { nodeUid, rootUid } from './inventory-uids.js';
import type { FinishOptions, InventoryRoot } from './types.js';

/** Default of {@link FinishOptions.fanOut}. */
export const DEFAULT_FAN_OUT = 1000;

interface CountedNode extends IncorporatedNode {
  readonly studyRecords: number;
}

/** Checks a fan-out option: at least 2, or the tree would never narrow. */
export function fanOutOf(fanOut: number | undefined): number {
  const value = fanOut ?? DEFAULT_FAN_OUT;
  if (!Number.isInteger(value) || value < 2) {
    throw new InventoryProductionError(
      'DICOMNET_INVENTORY_PRODUCE_INVALID_OPTION',
      `fanOut must be an integer of at least 2, not ${value}`,
    );
  }
  return value;
}

async function store(
  sink: InventorySink,
  options: FinishOptions,
  sopInstanceUid: string,
  children: readonly CountedNode[],
  completion: FinishOptions['completion'],
): Promise<number> {
  const total = children.reduce((sum, child) => sum + child.studyRecords, 0);
  await sink.store(
    producedInstance(
      {
        sopInstanceUid,
        request: options.request,
        completion,
        records: [],
        studyRecords: 0,
        totalStudyRecords: total,
        incorporated: children,
        nonAscii: false,
      },
      options.signal,
    ),
    options.signal,
  );
  return total;
}

/**
 * Writes the nodes above the stored leaves of `checkpoint` and the root over them, with
 * `completion` (`PARTIAL` for what a Cancel retaining instances, or a failure after some leaves,
 * leaves behind). Deterministic: the same production and checkpoint give the same UIDs.
 */
export async function finishInventory(options: FinishOptions): Promise<InventoryRoot> {
  const fanOut = fanOutOf(options.fanOut);
  options.signal?.throwIfAborted();
  const instances = options.checkpoint.leaves.map((leaf) => leaf.sopInstanceUid);
  let nodes: CountedNode[] = options.checkpoint.leaves.map((leaf) => ({
    sopInstanceUid: leaf.sopInstanceUid,
    studyRecords: leaf.studyRecords,
    children: [],
  }));
  for (let height = 1; nodes.length > fanOut; height++) {
    const parents: CountedNode[] = [];
    for (let from = 0; from < nodes.length; from += fanOut) {
      const children = nodes.slice(from, from + fanOut);
      const sopInstanceUid = nodeUid(options.request, height, parents.length);
      // A node is one part of the inventory, complete or not as a whole: PARTIAL on its own.
      const studyRecords = await store(options.sink, options, sopInstanceUid, children, 'PARTIAL');
      instances.push(sopInstanceUid);
      parents.push({ sopInstanceUid, studyRecords, children });
    }
    nodes = parents;
  }
  const sopInstanceUid = rootUid(options.request);
  const total = await store(options.sink, options, sopInstanceUid, nodes, options.completion);
  instances.push(sopInstanceUid);
  return {
    sopClassUid: INVENTORY_STORAGE_SOP_CLASS,
    sopInstanceUid,
    totalStudyRecords: total,
    completion: options.completion,
    instances,
  };
}
