import path from 'node:path';
import {
  AtomicFileWriter,
  DurableFolder,
  encodeFileMetaInformation,
  writeFileAtomically,
  type AtomicWriteOptions,
  type AtomicWriteResult,
} from '@dicomnet/data';
import type { StoreRequest } from '../services/handlers.js';
import type { StatusReply } from '../services/results.js';
import { checkDataSetUids, readUpTo, type CheckedDataSet } from './check-data-set-uids.js';
import { isStorableUid } from './storable-uid.js';
import { removeStoreLeftovers } from './store-leftovers.js';

/**
 * A file smaller than this is read whole before it is written, in one go: what
 * `AtomicFileWriter` holds in memory by default before it creates its file.
 */
const SMALL_FILE_BYTES = 64 * 1024;

/** Options of {@link storeToDirectory}. */
export interface StoreToDirectoryOptions {
  /**
   * Acknowledge an instance only once it is durable: its file is fdatasynced before it appears
   * under its name and the folder fsynced after, one folder fsync serving every instance renamed
   * before it, across all associations using this handler (group commit); default true
   * (nothing acknowledged is lost on a crash).
   */
  readonly fsync?: boolean;
  /**
   * Write an instance whose file fits in 64 KiB with synchronous calls (create, write, close,
   * rename: tens of µs that block the event loop, against one thread-pool round trip each);
   * default true. Larger files and the fsyncs are always asynchronous.
   */
  readonly blockingSmallFiles?: boolean;
  /**
   * Called once at start with the temporary files of transfers that a killed process left in
   * `dir` (see `removeStoreLeftovers`), after they were removed; not called when there were none.
   */
  readonly onLeftoversRemoved?: (paths: readonly string[]) => void;
  /** Called if the leftovers could not be removed (the server stores all the same). */
  readonly onLeftoverError?: (error: Error) => void;
  /** Called after each instance is safely stored. */
  readonly onStored?: (stored: {
    readonly path: string;
    readonly bytes: number;
    readonly request: StoreRequest;
  }) => void;
}

/**
 * A C-STORE handler that writes each instance to `<dir>/<SOP Instance UID>.dcm` as a Part 10
 * file (PS3.10 §7.1) with our File Meta Information, streaming the data set to disk as it
 * arrives. The file appears under its name only once complete: a transfer that fails or is
 * aborted leaves nothing behind. A second copy of an instance replaces the first. A process
 * killed mid-transfer leaves a hidden `.<uid>.dcm.<random>.part` file; the next call removes
 * those of `dir` before its first transfer and reports them (`onLeftoversRemoved`), so `dir`
 * must be written by one server at a time.
 *
 * With `fsync` (the default) the success status leaves only after the file and its folder entry
 * are durable. PS3.4 B.2.3 does not speak of durability; ours is the rule that nothing
 * acknowledged is lost. Concurrent stores share the folder fsyncs (see `DurableFolder`).
 *
 * Statuses: 0x0000 stored; 0x0117 Invalid SOP Instance for a UID that cannot be a file name;
 * 0xA900 Data Set does not match SOP Class when the data set's SOP Class UID or SOP Instance UID
 * differs from the command's, and 0xC000 Cannot understand when it has none (nothing is
 * written in either case); 0xA700 Out of resources when the disk refuses the write (PS3.4
 * Table B.2-1).
 */
export function storeToDirectory(
  dir: string,
  options: StoreToDirectoryOptions = {},
): (request: StoreRequest) => Promise<StatusReply> {
  // Before the first transfer opens a temporary file of its own: a leftover is only ever a file
  // of a process that died, never one of ours in progress.
  let leftoversGone = false;
  const cleaned = removeStoreLeftovers(dir).then(
    (removed) => {
      leftoversGone = true;
      if (removed.length > 0) options.onLeftoversRemoved?.(removed);
    },
    (error: unknown) => {
      leftoversGone = true;
      options.onLeftoverError?.(error instanceof Error ? error : new Error(String(error)));
    },
  );
  // What path.join(dir, name) puts before a name, worked out once.
  const folderPrefix = path.join(dir, 'x').slice(0, -1);
  // One open folder for the handler's life; closed by itself when idle.
  const folder = options.fsync === false ? undefined : new DurableFolder(dir);
  const writeOptions = {
    ...(options.fsync !== undefined && { fsync: options.fsync }),
    ...(folder !== undefined && { folder }),
    ...(options.blockingSmallFiles !== undefined && {
      blockingSmallFiles: options.blockingSmallFiles,
    }),
  };
  return async (request) => {
    if (!leftoversGone) await cleaned;
    if (!isStorableUid(request.sopInstanceUid)) {
      return { status: 0x0117 }; // PS3.7 C.5.12: the UID violates the UID construction rules
    }
    // Nothing is stored, not even a temporary file, unless the data set is what the command says.
    const checked = await checkDataSetUids(request.dataSet, request);
    if ('status' in checked) return checked;
    const file = `${folderPrefix}${request.sopInstanceUid}.dcm`; // a UID has no separator
    let header: Uint8Array;
    try {
      header = encodeFileMetaInformation({
        mediaStorageSopClassUid: request.sopClassUid,
        mediaStorageSopInstanceUid: request.sopInstanceUid,
        transferSyntaxUid: request.transferSyntaxUid,
        sourceApplicationEntityTitle: request.association.callingAeTitle,
        receivingApplicationEntityTitle: request.association.calledAeTitle,
      });
    } catch (error) {
      return {
        status: 0xa700,
        errorComment: `cannot create the file: ${(error as Error).message}`,
      };
    }
    const atomic = { signal: request.signal, ...writeOptions };
    try {
      // A small data set is written in one go (no writer, no promise per fragment; see
      // writeFileAtomically), a larger one streamed to disk as it arrives.
      await readUpTo(checked, SMALL_FILE_BYTES - header.byteLength);
      const { bytes } = checked.ended
        ? await writeFileAtomically(file, [header, ...checked.fragments], atomic)
        : await streamToFile(file, header, checked, atomic);
      options.onStored?.({ path: file, bytes, request });
      return { status: 0x0000 };
    } catch (error) {
      if (request.signal.aborted) throw error; // the association is gone: nobody hears a status
      return { status: 0xa700, errorComment: `cannot write the file: ${(error as Error).message}` };
    }
  };
}

/** Writes the header, the fragments read and the rest of the data set as it arrives. */
async function streamToFile(
  file: string,
  header: Uint8Array,
  data: CheckedDataSet,
  options: AtomicWriteOptions,
): Promise<AtomicWriteResult> {
  const writer = await AtomicFileWriter.open(file, options);
  try {
    await writer.write(header);
    for (const fragment of data.fragments) await writer.write(fragment);
    for (
      let next = await data.iterator.next();
      next.done !== true;
      next = await data.iterator.next()
    )
      await writer.write(next.value);
    return await writer.commit();
  } catch (error) {
    await writer.abort(error).catch(() => undefined);
    throw error;
  }
}
