// What the store journal's keys name: instance files by their stored path. How a replayed record
// is redone in the instances tree, and how a checkpoint makes those files durable.
import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '@dicomnet/data';
import { syncFolder } from '../file-support.js';
import type { InstanceFolders } from '../instance-folders.js';
import { absoluteStoredPath, isStoredPath } from '../storage-path.js';
import type { JournalRecord } from './journal-format.js';

/** Files synced at once by a checkpoint: leaves libuv's other threads to the stores going on. */
const SYNC_CONCURRENCY = 2;

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

/** `fdatasync`s each file at `keys` that exists, then fsyncs their folders. */
export async function syncJournaled(
  instancesRoot: string,
  folders: InstanceFolders,
  keys: ReadonlySet<string>,
): Promise<void> {
  const pending = [...keys].filter(isStoredPath);
  const folderSet = new Set<string>();
  const worker = async (): Promise<void> => {
    for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
      const file = absoluteStoredPath(instancesRoot, key);
      folderSet.add(path.dirname(file));
      let handle;
      try {
        // Writable: Windows flushes only a handle open for writing.
        handle = await open(file, 'r+');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted since
        throw error;
      }
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    }
  };
  await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
  // Through the kept-open folder of durable mode; opened for the purpose in a relaxed one that
  // replays what a durable run left.
  await Promise.all(
    [...folderSet].map((folder) => folders.durable(folder)?.sync() ?? syncFolder(folder)),
  );
}
