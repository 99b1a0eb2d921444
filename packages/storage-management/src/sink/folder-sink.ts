// Produced Inventory instances as Part 10 files in a folder (PS3.10 7.1), one `<SOP Instance
// UID>.dcm` per instance: for a user who wants the inventory as files, and for tests.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DurableFolder, writePart10File } from '@dicomnet/data';
import type { InventorySink, ProducedInstance } from '../inventory-sink.js';

/** The file name a {@link folderSink} gives an instance. */
export function inventoryFileName(sopInstanceUid: string): string {
  return `${sopInstanceUid}.dcm`;
}

/**
 * A sink writing each instance to `dir` (created if missing) as a Part 10 file, atomically (a
 * temporary file renamed into place: readers see the whole file or none) and durably (the file
 * and the folder fsynced before `store` resolves). A UID stored again replaces its file, as a
 * resumed production does with the leaves it writes again. `remove` deletes the file, durably.
 */
export function folderSink(dir: string): InventorySink {
  const folder = new DurableFolder(dir);
  let made: Promise<unknown> | undefined;
  const ready = (): Promise<unknown> => (made ??= mkdir(dir, { recursive: true }));
  return {
    async store(instance: ProducedInstance, signal?: AbortSignal): Promise<void> {
      await ready();
      await writePart10File(
        path.join(dir, inventoryFileName(instance.sopInstanceUid)),
        {
          mediaStorageSopClassUid: instance.sopClassUid,
          mediaStorageSopInstanceUid: instance.sopInstanceUid,
          transferSyntaxUid: instance.transferSyntaxUid,
        },
        instance.dataSet,
        { fsync: true, folder, ...(signal === undefined ? {} : { signal }) },
      );
    },
    async remove(sopInstanceUid: string): Promise<void> {
      await rm(path.join(dir, inventoryFileName(sopInstanceUid)), { force: true });
      await folder.sync();
    },
  };
}
