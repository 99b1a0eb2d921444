import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { StoreInstance } from '../client/dimse-client.js';
import type { FileMetaInformation, Part10File } from '@dicomnet/data';
import {
  openPart10File,
  openPart10FileSync,
  Part10FileChangedError,
  UnfinishedFileError,
} from '@dicomnet/data';
import { isStoreLeftover } from './store-leftovers.js';

/** A Part 10 file ready to send with C-STORE, its data set read already or not. */
export interface InstanceFile {
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  /** Bytes of the data set (the file without its Part 10 header). */
  readonly size: number;
  readonly meta: FileMetaInformation;
  /** Whether the data set is in memory already (read with the header). */
  readonly loaded: boolean;
  /**
   * The instance to pass to `DimseClient.store`: the data set from memory when it was read with
   * the header, else read from disk as it is sent.
   * @throws (as the data set is read) `DICOMNET_PART10_FILE_CHANGED` when the file no longer
   *   has the size it had when opened.
   */
  instance(): StoreInstance;
  /**
   * The instance with its data set in memory: for small files, to read the next one while the
   * current one is on the wire. Reads nothing when the data set came with the header.
   * @throws `DICOMNET_PART10_FILE_CHANGED` when the file no longer has the size it had when opened.
   */
  load(): Promise<StoreInstance>;
  /**
   * On a file opened with blocking calls ({@link openInstanceFileSync}, `openInstanceFiles` with
   * `sync`) whose data set was not kept: reads the data set with blocking calls into `target`,
   * which needs room for `size` + 1 bytes (filling the last one means the file grew), and
   * returns the view of `target` that holds it. For a sender that reuses its memory, as
   * `storeFiles` does. Undefined on other files.
   * @throws `DICOMNET_PART10_FILE_CHANGED` when the file no longer has the size it had when opened;
   *   a `RangeError` when `target` is too small.
   */
  readonly readDataSetSync?: (target: Uint8Array) => Uint8Array;
}

/** Options of {@link openInstanceFile}. */
export interface OpenInstanceFileOptions {
  /**
   * Read a file of at most 256 KiB whole when opening it and keep its data set in memory, so that
   * sending it reads nothing more. Default true; false reads only the header.
   */
  readonly keepDataSet?: boolean;
}

/**
 * Files up to this size are read whole with their header: a small instance is bound by file
 * system round trips (open, read, close), not by its bytes.
 */
const KEPT_FILE_BYTES = 256 * 1024;
/** Reads of a data set streamed from disk; fragments are cut from these chunks without copying. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Opens a Part 10 file for sending (PS3.10 §7.1), in its own transfer syntax, without decoding
 * its data set: one `open`, a `stat`, one `read` and a `close` nobody waits for. A file
 * of at most 256 KiB comes whole from that read and its data set is kept (unless `keepDataSet` is
 * false); a larger one is read again from its data set offset when sent.
 * @throws `DICOMNET_PART10_NOT_PART10` for a file without preamble and `DICM`,
 *   `DICOMNET_PART10_UNFINISHED` for the temporary file of a transfer that never finished,
 *   `DICOMNET_PART10_FILE_CHANGED` for a file whose size changes while it is read, other
 *   `DICOMNET_PART10_*` codes for a broken header, or the file system's error.
 */
export async function openInstanceFile(
  path: string,
  options: OpenInstanceFileOptions = {},
): Promise<InstanceFile> {
  // A leftover of a killed storeToDirectory has a whole header and a cut data set: refuse it
  // by name, before it could be sent as a truncated instance.
  if (isStoreLeftover(basename(path))) throw new UnfinishedFileError(path);
  return instanceFileOf(path, await openPart10File(path, part10Options(options)), false);
}

/**
 * {@link openInstanceFile} with blocking system calls (`openPart10FileSync`): several times
 * faster on files in the page cache, holding the event loop meanwhile (a few tens of µs a small
 * file). For a command line that opens its files before any association, not for a server.
 * @throws As {@link openInstanceFile}.
 */
export function openInstanceFileSync(
  path: string,
  options: OpenInstanceFileOptions = {},
): InstanceFile {
  if (isStoreLeftover(basename(path))) throw new UnfinishedFileError(path);
  return instanceFileOf(path, openPart10FileSync(path, part10Options(options)), true);
}

function part10Options(options: OpenInstanceFileOptions): { readonly wholeFileBytes: number } {
  return { wholeFileBytes: options.keepDataSet === false ? 0 : KEPT_FILE_BYTES };
}

function instanceFileOf(path: string, file: Part10File, isSync: boolean): InstanceFile {
  const { meta, dataSetOffset, dataSet } = file;
  const size = file.size - dataSetOffset;
  const identity = {
    sopClassUid: meta.mediaStorageSopClassUid,
    sopInstanceUid: meta.mediaStorageSopInstanceUid,
    transferSyntaxUid: meta.transferSyntaxUid,
  };
  if (dataSet !== undefined) {
    return {
      path,
      ...identity,
      size,
      meta,
      loaded: true,
      instance: () => ({ ...identity, dataSet }),
      load: () => Promise.resolve({ ...identity, dataSet }),
    };
  }
  return {
    path,
    ...identity,
    size,
    meta,
    loaded: false,
    instance: () => ({ ...identity, dataSet: readRange(path, dataSetOffset, size) }),
    load: async () => ({ ...identity, dataSet: await readWhole(path, dataSetOffset, size) }),
    ...(isSync && {
      readDataSetSync: (target: Uint8Array) => readIntoSync(path, dataSetOffset, size, target),
    }),
  };
}

/** `size` bytes of a file from `start` into `target`, with blocking calls (see `readWhole`). */
function readIntoSync(path: string, start: number, size: number, target: Uint8Array): Uint8Array {
  if (target.byteLength <= size) {
    throw new RangeError(
      `${target.byteLength} bytes cannot hold a data set of ${size} and one more`,
    );
  }
  const fd = openSync(path, 'r');
  try {
    let filled = 0;
    // One read in the usual case: it asks for all of `target`, so a grown file fills one more.
    while (filled < size) {
      const bytesRead = readSync(fd, target, filled, target.byteLength - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    checkRead(path, start + size, start, size, filled);
    return target.subarray(0, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * `size` bytes of a file from `start`, in fresh chunks (the socket may still hold earlier ones).
 * The last read asks for one byte more: getting it means the file grew since it was opened.
 */
async function* readRange(path: string, start: number, size: number): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const end = start + size;
    for (let position = start; position < end;) {
      const wanted = Math.min(CHUNK_BYTES, end - position);
      const chunk = Buffer.allocUnsafe(position + wanted === end ? wanted + 1 : wanted);
      checkRead(path, end, position, wanted, await readFully(handle, chunk, position));
      position += wanted;
      yield chunk.subarray(0, wanted);
    }
  } finally {
    void handle.close().catch(() => {});
  }
}

/** The whole data set in one array, with one read (plus one byte, as {@link readRange}). */
async function readWhole(path: string, start: number, size: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const bytes = Buffer.allocUnsafe(size + 1);
    checkRead(path, start + size, start, size, await readFully(handle, bytes, start));
    return bytes.subarray(0, size);
  } finally {
    void handle.close().catch(() => {});
  }
}

/**
 * Throws unless a read from `position` got the `wanted` bytes, no fewer (the file shrank) and
 * not the one byte more a last read asks for (it grew): a C-STORE must send the file as opened.
 */
function checkRead(
  path: string,
  fileSize: number,
  position: number,
  wanted: number,
  bytesRead: number,
): void {
  if (bytesRead < wanted) {
    throw new Part10FileChangedError(path, fileSize, `then it ended at ${position + bytesRead}`);
  }
  if (bytesRead > wanted) throw new Part10FileChangedError(path, fileSize, 'then it had more');
}

async function readFully(handle: FileHandle, chunk: Buffer, position: number): Promise<number> {
  let filled = 0;
  while (filled < chunk.byteLength) {
    const { bytesRead } = await handle.read(
      chunk,
      filled,
      chunk.byteLength - filled,
      position + filled,
    );
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}
