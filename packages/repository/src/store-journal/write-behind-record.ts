// A durable small store's file, written while its journal record is being synced. The record's
// `fdatasync` (a flush of the disk's cache, 0.2-0.9 ms on this project's VM) and the file's
// creation and write (0.1-0.7 ms, most of it the file system making an inode) used to run one
// after the other; the file now waits under a temporary name while the record syncs and takes the
// instance's name only once the record is durable.
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, renameSync, unlinkSync, writevSync } from 'node:fs';
import path from 'node:path';
import { AtomicWriteError } from '@dicomnet/data';

/**
 * Writes `parts` to `final` atomically once `record` resolves. The file is created and written
 * now, with blocking calls, under the atomic writer's temporary name beside `final` (which the
 * recovery pass removes after a crash, as it removes any unfinished atomic write); it is closed and
 * renamed into place only after `record`, so a file under the instance's name always has a durable
 * record to redo it after a power failure, and an instance it replaces is never lost to a torn
 * file of an unacknowledged store. Not synced: the record is what is durable.
 * @throws `record`'s failure; {@link AtomicWriteError} for the file. The temporary file is removed.
 */
export async function writeBehindRecord(
  final: string,
  parts: readonly Uint8Array[],
  record: Promise<void>,
): Promise<void> {
  const temporary = temporaryPathOf(final);
  let fd: number | undefined;
  let created = false;
  let failure: AtomicWriteError | undefined;
  try {
    fd = openSync(temporary, 'wx');
    created = true;
    writeFully(fd, parts);
  } catch (error) {
    failure = new AtomicWriteError(final, fd === undefined ? 'open' : 'write', error);
  }
  try {
    await record;
  } catch (error) {
    if (created) removeTemporary(temporary, fd);
    throw error;
  }
  if (failure !== undefined) {
    if (created) removeTemporary(temporary, fd);
    throw failure;
  }
  let step = 'close';
  try {
    const open = fd as number;
    fd = undefined; // closed even when the close fails: never closed twice
    closeSync(open);
    step = 'rename';
    renameSync(temporary, final);
  } catch (error) {
    if (created) removeTemporary(temporary, fd);
    throw new AtomicWriteError(final, step, error);
  }
}

/**
 * `.<name>.<12 hex digits>.part` beside `final`: the name the atomic writer of `@dicomnet/data`
 * gives its temporary files, which `atomicWriterTargetOf` recognises (a test pins the two).
 */
export function temporaryPathOf(final: string): string {
  const uuid = randomUUID(); // version 4: its first 12 hex digits are random (RFC 9562 5.4)
  return path.join(
    path.dirname(final),
    `.${path.basename(final)}.${uuid.slice(0, 8)}${uuid.slice(9, 13)}.part`,
  );
}

function writeFully(fd: number, parts: readonly Uint8Array[]): void {
  let remaining = 0;
  for (const part of parts) remaining += part.byteLength;
  let buffers = parts;
  while (remaining > 0) {
    const written = writevSync(fd, buffers);
    remaining -= written;
    // A regular file takes the whole write but for a full disk; go on from where it stopped.
    if (remaining > 0) buffers = [Buffer.concat(buffers).subarray(written)];
  }
}

function removeTemporary(temporary: string, fd: number | undefined): void {
  if (fd !== undefined) {
    try {
      closeSync(fd);
    } catch {
      // Already unusable; the file goes all the same.
    }
  }
  try {
    unlinkSync(temporary);
  } catch {
    // Never created, or gone: nothing is left either way.
  }
}
