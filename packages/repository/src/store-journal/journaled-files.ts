// What the store journal's keys name: instance files by their stored path. How a replayed record
// is redone in the instances tree, and how a checkpoint makes those files durable.
import { closeSync, fdatasync, openSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '@dicomnet/data';
import { syncFolder } from '../file-support.js';
import type { InstanceFolders } from '../instance-folders.js';
import { absoluteStoredPath, isStoredPath } from '../storage-path.js';
import type { JournalRecord } from './journal-format.js';

/**
 * Syncs a checkpoint runs at once. The journal's own `fdatasync`, which each acknowledgement waits
 * for, goes through the same four threads of libuv's pool: two are always left to it, so it never
 * queues behind the checkpoint's syncs (files and folders alike).
 */
const SYNC_CONCURRENCY = 2;

/** The calls a checkpoint makes; the default is `node:fs`. A test passes its own. */
export interface CheckpointSyncCalls {
  /** `fdatasync`s the file at `file`; nothing when there is no such file (deleted since). */
  syncFile(file: string): Promise<void>;
  /** fsyncs `folder`, so that the renames into it are durable. */
  syncFolder(folder: string): Promise<void>;
}

/**
 * Makes the file at `record.key` what the record says (not synced). A key that is not a stored
 * path is skipped: nothing read from disk may name a file outside the instances tree.
 */
export async function redoJournaled(
  instancesRoot: string,
  folders: InstanceFolders,
  record: JournalRecord,
): Promise<void> {
  if (!isStoredPath(record.key)) return;
  const file = absoluteStoredPath(instancesRoot, record.key);
  if (record.kind === 'file') {
    await (
      await folders.ensure(path.dirname(file))
    ).durable;
    await writeFileAtomically(file, [record.payload], { fsync: false });
  } else if (record.kind === 'deleted') {
    await unlink(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/**
 * `fdatasync`s each file at `keys` that exists, then fsyncs their folders (one fsync per folder
 * covers every rename into it), {@link SYNC_CONCURRENCY} at a time.
 */
export async function syncJournaled(
  instancesRoot: string,
  folders: InstanceFolders,
  keys: ReadonlySet<string>,
  calls: CheckpointSyncCalls = nodeCalls(folders),
): Promise<void> {
  const files = [...keys].filter(isStoredPath).map((key) => absoluteStoredPath(instancesRoot, key));
  await inTurn(files, (file) => calls.syncFile(file));
  // A file's folder even when the file is gone: its removal (a replayed `deleted` record) must be
  // durable before the journal that holds the record is reused.
  await inTurn([...new Set(files.map((file) => path.dirname(file)))], (folder) =>
    calls.syncFolder(folder),
  );
}

/** Runs `task` on each item, {@link SYNC_CONCURRENCY} at a time; rejects with the first failure. */
async function inTurn<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
}

/**
 * `node:fs`. The file is opened and closed with blocking calls (a lookup in the dentry cache and a
 * descriptor, a few µs), so each file costs the pool one request, its `fdatasync`, not three.
 */
function nodeCalls(folders: InstanceFolders): CheckpointSyncCalls {
  return {
    async syncFile(file) {
      let fd: number;
      try {
        // Writable: Windows flushes only a handle open for writing.
        fd = openSync(file, 'r+');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      try {
        await new Promise<void>((resolve, reject) =>
          fdatasync(fd, (error) => (error === null ? resolve() : reject(error))),
        );
      } finally {
        closeSync(fd);
      }
    },
    // Through the kept-open folder of durable mode; opened for the purpose in a relaxed one that
    // replays what a durable run left.
    syncFolder: (folder) => folders.durable(folder)?.sync() ?? syncFolder(folder),
  };
}
