// A small store's file, written with blocking calls from the bytes in memory under a temporary
// name, then renamed into place: no writer object and no turn of promises (the atomic writer of
// `@dicomnet/data` takes a few of each per file), and its mtime from the descriptor. In durable
// mode the file is written while its journal record is being synced: the record's
// `fdatasync` (a flush of the disk's cache, 0.2-0.9 ms on this project's VM) and the file's
// creation and write (0.1-4 ms, most of it the file system making an inode) used to run one after
// the other; the file now waits under its temporary name and takes the instance's name only once
// the record is durable.
import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, openSync, renameSync, unlinkSync, writevSync } from 'node:fs';
import path from 'node:path';
import { AtomicWriteError } from '@dicomnet/data';

/** A temporary file being written. */
interface Temporary {
  readonly path: string;
  fd: number | undefined;
}

/**
 * Writes `parts` to `final` atomically, not synced: the bytes go to a new file under the atomic
 * writer's temporary name beside `final`, which is then renamed into place.
 * @returns The file's modification time in ms (for the index).
 * @throws {@link AtomicWriteError}; the temporary file is removed.
 */
export function writeSmallFile(final: string, parts: readonly Uint8Array[]): number {
  const temporary = writeTemporary(final, parts);
  return renameIntoPlace(final, temporary);
}

/**
 * Writes `parts` to `final` atomically once `record` resolves. The file is written now, under a
 * temporary name beside `final` (as {@link writeSmallFile}; the recovery pass removes such a file
 * after a crash); it is renamed into place only after `record`, so a file under the instance's
 * name always has a durable record to redo it after a power failure, and an instance it replaces
 * is never lost to a torn file of an unacknowledged store. Not synced: the record is durable.
 * @returns The file's modification time in ms.
 * @throws `record`'s failure; {@link AtomicWriteError} for the file. The temporary file is removed.
 */
export async function writeBehindRecord(
  final: string,
  parts: readonly Uint8Array[],
  record: Promise<void>,
): Promise<number> {
  let temporary: Temporary | undefined;
  let failure: unknown;
  try {
    temporary = writeTemporary(final, parts);
  } catch (error) {
    failure = error;
  }
  try {
    await record;
  } catch (error) {
    if (temporary !== undefined) removeTemporary(temporary);
    throw error;
  }
  if (temporary === undefined) throw failure;
  return renameIntoPlace(final, temporary);
}

/**
 * `.<name>.<12 hex digits>.part` beside `final`: the name the atomic writer of `@dicomnet/data`
 * gives its temporary files, which `atomicWriterTargetOf` recognises (a test pins the two).
 */
export function temporaryPathOf(final: string): string {
  const uuid = randomUUID(); // version 4: its first 12 hex digits are random (RFC 9562 5.4)
  const name = path.basename(final);
  // In the same spelling of the folder as `final` (path.join would normalise it).
  return `${final.slice(0, final.length - name.length)}.${name}.${uuid.slice(0, 8)}${uuid.slice(9, 13)}.part`;
}

/** Creates a temporary file beside `final` and writes `parts` to it. */
function writeTemporary(final: string, parts: readonly Uint8Array[]): Temporary {
  let temporary: Temporary;
  const made = temporaryPathOf(final);
  try {
    temporary = { path: made, fd: openSync(made, 'wx') };
  } catch (error) {
    throw new AtomicWriteError(final, 'open', error);
  }
  try {
    writeFully(temporary.fd as number, parts);
  } catch (error) {
    removeTemporary(temporary);
    throw new AtomicWriteError(final, 'write', error);
  }
  return temporary;
}

/** Closes the temporary file and renames it to `final`; returns its modification time. */
function renameIntoPlace(final: string, temporary: Temporary): number {
  let step = 'stat';
  try {
    // Of the descriptor: no path lookup. Neither the close nor the rename changes it.
    const mtimeMs = Math.trunc(fstatSync(temporary.fd as number).mtimeMs);
    step = 'close';
    const fd = temporary.fd as number;
    temporary.fd = undefined; // closed even when the close fails: never closed twice
    closeSync(fd);
    step = 'rename';
    renameSync(temporary.path, final);
    return mtimeMs;
  } catch (error) {
    removeTemporary(temporary);
    throw new AtomicWriteError(final, step, error);
  }
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

function removeTemporary(temporary: Temporary): void {
  const fd = temporary.fd;
  temporary.fd = undefined;
  if (fd !== undefined) {
    try {
      closeSync(fd);
    } catch {
      // Already unusable; the file goes all the same.
    }
  }
  try {
    unlinkSync(temporary.path);
  } catch {
    // Gone already: nothing is left either way.
  }
}
