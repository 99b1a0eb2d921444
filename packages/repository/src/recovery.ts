// The recovery pass at open: what a crash (SIGKILL, power loss) can leave behind is put right
// before the repository serves anything.
//  - staged and temporary files of stores that never finished: removed (no store of theirs
//    resolved, so no one was told they were kept);
//  - files without a row, or whose row describes another file (size or mtime differ: a replace
//    whose row was not yet committed): indexed from the file;
//  - rows whose file is gone (a delete that died between its two steps): dropped.
// Inventory instances (non-patient, PS3.3 A.88) have their own table; the pass knows both.
import { readdir, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { atomicWriterTargetOf, readPart10Attributes } from '@dicomnet/data';
import type { InstanceIndex } from './index-db/instance-index.js';
import { INDEX_TAGS, indexRecordOf, type IndexRecord } from './index-record.js';
import type { InventoryIndex } from './inventory/inventory-index.js';
import {
  INVENTORY_TAGS,
  inventoryRecordOf,
  isInventory,
  type InventoryRecord,
} from './inventory/inventory-record.js';
import { isStoredPath, isStoredPathOf } from './storage-path.js';

/** What the recovery pass found and did. */
export interface RecoveryReport {
  /** Whether every file was checked against the index (after an unclean shutdown, or asked). */
  readonly full: boolean;
  /** Files of unfinished stores removed. */
  readonly leftoversRemoved: number;
  /** Files checked against the index. */
  readonly filesChecked: number;
  /** Files indexed now: they had no row, or a row describing another file. */
  readonly filesIndexed: number;
  /** Rows dropped because their file is gone. */
  readonly rowsDropped: number;
  /** Files in the instances tree that could not be indexed; left where they are. */
  readonly unindexable: readonly { readonly path: string; readonly reason: string }[];
  /**
   * Instances whose file (or deletion) durable mode's store journal redid before the pass: the
   * stores it acknowledged whose files were not yet synced when the process ended.
   */
  readonly journalReplayed: number;
}

/** What {@link recoverRepository} works on. */
export interface RecoveryContext {
  readonly index: InstanceIndex;
  /** The Inventory table, when the index has one. */
  readonly inventories?: InventoryIndex;
  readonly instancesRoot: string;
  readonly incoming: string;
  /** Check every file (else only the staging folder is cleared). */
  readonly full: boolean;
  readonly now: () => string;
}

/** Rows written per transaction while indexing files. */
const BATCH = 500;

/** The attributes read from a file without a row: those of either table. */
const RECOVERY_TAGS: readonly number[] = [...new Set([...INDEX_TAGS, ...INVENTORY_TAGS])];

/** Runs the recovery pass; see the module comment. */
export async function recoverRepository(
  context: RecoveryContext,
): Promise<Omit<RecoveryReport, 'journalReplayed'>> {
  let leftoversRemoved = 0;
  for (const entry of await readdir(context.incoming)) {
    await rm(path.join(context.incoming, entry), { recursive: true, force: true });
    leftoversRemoved++;
  }
  if (!context.full)
    return {
      full: false,
      leftoversRemoved,
      filesChecked: 0,
      filesIndexed: 0,
      rowsDropped: 0,
      unindexable: [],
    };

  const unindexable: { path: string; reason: string }[] = [];
  // One scan of the rows up front rather than a lookup per file: the index keeps no index on
  // stored paths (hashes: random keys, which made every batched insert several times slower).
  // What is left in `unseen` after the walk has lost its file.
  const unseen = new Map<
    string,
    { sizeBytes: number; fileMtimeMs: number; uid: string; inventory: boolean }
  >();
  for (const row of context.index.all()) {
    unseen.set(row.storedPath, {
      sizeBytes: row.sizeBytes,
      fileMtimeMs: row.fileMtimeMs,
      uid: row.sopInstanceUid,
      inventory: false,
    });
  }
  for (const row of context.inventories?.all() ?? []) {
    unseen.set(row.storedPath, {
      sizeBytes: row.sizeBytes,
      fileMtimeMs: row.fileMtimeMs,
      uid: row.sopInstanceUid,
      inventory: true,
    });
  }
  let batch: IndexRecord[] = [];
  let inventoryBatch: InventoryRecord[] = [];
  let filesChecked = 0;
  let filesIndexed = 0;
  const flush = (): void => {
    context.index.put(batch, context.now());
    context.inventories?.put(inventoryBatch, context.now());
    filesIndexed += batch.length + inventoryBatch.length;
    batch = [];
    inventoryBatch = [];
  };

  for await (const { relative, absolute, name } of walk(context.instancesRoot)) {
    if (atomicWriterTargetOf(name) !== undefined) {
      await unlink(absolute).catch(() => undefined);
      leftoversRemoved++;
      continue;
    }
    if (!isStoredPath(relative)) {
      unindexable.push({ path: relative, reason: 'not a file name of this repository' });
      continue;
    }
    filesChecked++;
    const stats = await stat(absolute);
    const row = unseen.get(relative);
    unseen.delete(relative);
    if (
      row !== undefined &&
      row.sizeBytes === stats.size &&
      row.fileMtimeMs === Math.trunc(stats.mtimeMs)
    )
      continue;
    try {
      const attributes = await readPart10Attributes(absolute, RECOVERY_TAGS);
      const facts = {
        sizeBytes: stats.size,
        storedPath: relative,
        fileMtimeMs: Math.trunc(stats.mtimeMs),
      };
      const inventory =
        context.inventories !== undefined && isInventory(attributes.attributes)
          ? inventoryRecordOf(attributes, facts)
          : undefined;
      const record = inventory === undefined ? indexRecordOf(attributes, facts) : undefined;
      const uid = inventory?.sopInstanceUid ?? record?.instance.sopInstanceUid;
      if (uid === undefined || !isStoredPathOf(uid, relative)) {
        unindexable.push({ path: relative, reason: 'its SOP Instance UID belongs elsewhere' });
        if (row !== undefined) unseen.set(relative, row);
        continue;
      }
      // A file that changed table (an Inventory UID reused by a patient instance, or the
      // reverse): the row of the other table goes.
      if (row !== undefined && row.inventory !== (inventory !== undefined)) {
        if (row.inventory) context.inventories?.remove(row.uid);
        else context.index.remove(row.uid, context.now());
      }
      if (inventory !== undefined) inventoryBatch.push(inventory);
      else if (record !== undefined) batch.push(record);
      if (batch.length + inventoryBatch.length >= BATCH) flush();
    } catch (error) {
      if (row !== undefined) unseen.set(relative, row);
      unindexable.push({
        path: relative,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  flush();

  const orphans = [...unseen.values()];
  const now = context.now();
  for (const orphan of orphans) {
    if (orphan.inventory) context.inventories?.remove(orphan.uid);
    else context.index.remove(orphan.uid, now);
  }

  return {
    full: true,
    leftoversRemoved,
    filesChecked,
    filesIndexed,
    rowsDropped: orphans.length,
    unindexable,
  };
}

/** Every file under `root`, depth first, with its `/`-separated path relative to `root`. */
async function* walk(
  root: string,
  relative = '',
): AsyncGenerator<{ relative: string; absolute: string; name: string }> {
  const folder = relative === '' ? root : path.join(root, ...relative.split('/'));
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) yield* walk(root, child);
    else if (entry.isFile())
      yield { relative: child, absolute: path.join(folder, entry.name), name: entry.name };
  }
}
