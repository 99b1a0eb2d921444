// A small store's file, written with blocking calls from the bytes in memory under a temporary
// name, then renamed into place (`TemporaryFile` of `@dicomnet/data`): no writer object and no
// turn of promises, and its mtime from the descriptor. In durable mode the file is written while
// its journal record is being synced: the record's `fdatasync` (a flush of the disk's cache,
// 0.2-0.9 ms on this project's VM) and the file's creation and write (0.1-4 ms, most of it the
// file system making an inode) used to run one after the other; the file now waits under its
// temporary name and takes the instance's name only once the record is durable.
import { TemporaryFile } from '@dicomnet/data';

/**
 * Writes `parts` to `final` atomically, not synced.
 * @returns The file's modification time in ms (for the index).
 * @throws {@link AtomicWriteError}; the temporary file is removed.
 */
export function writeSmallFile(final: string, parts: readonly Uint8Array[]): number {
  return commitWithMtime(TemporaryFile.writeSync(final, parts));
}

/**
 * Writes `parts` to `final` atomically once `record` resolves. The file is written now, under a
 * temporary name beside `final` (the recovery pass removes such a file after a crash); it is
 * renamed into place only after `record`, so a file under the instance's name always has a
 * durable record to redo it after a power failure, and an instance it replaces is never lost to
 * a torn file of an unacknowledged store. Not synced: the record is durable.
 * @returns The file's modification time in ms.
 * @throws `record`'s failure; {@link AtomicWriteError} for the file. The temporary file is removed.
 */
export async function writeBehindRecord(
  final: string,
  parts: readonly Uint8Array[],
  record: Promise<void>,
): Promise<number> {
  let file: TemporaryFile | undefined;
  let failure: unknown;
  try {
    file = TemporaryFile.writeSync(final, parts);
  } catch (error) {
    failure = error;
  }
  try {
    await record;
  } catch (error) {
    file?.discardSync();
    throw error;
  }
  if (file === undefined) throw failure;
  return commitWithMtime(file);
}

function commitWithMtime(file: TemporaryFile): number {
  const mtimeMs = file.mtimeMsSync();
  file.commitSync();
  return mtimeMs;
}
