import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { StoreInstance } from '../client/dimse-client.js';
import type { FileMetaInformation, Part10Header } from '@dicomnet/data';
import { openPart10File, parsePart10Header, UnfinishedFileError } from '@dicomnet/data';
import { isStoreLeftover } from './store-leftovers.js';

/** A Part 10 file ready to send with C-STORE, without its data set having been read. */
export interface InstanceFile {
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  /** Bytes of the data set (the file without its Part 10 header). */
  readonly size: number;
  readonly meta: FileMetaInformation;
  /** The instance to pass to `DimseClient.store`, reading the data set from disk as it is sent. */
  instance(): StoreInstance;
  /**
   * The instance with its data set read into memory first: for small files, to read the next
   * one while the current one is on the wire.
   */
  load(): Promise<StoreInstance>;
}

/** Bytes read at once to find the header: File Meta Information is rarely more than 1 KiB. */
const HEAD_BYTES = 16 * 1024;
/** Reads of a large data set; fragments are cut from these chunks without copying. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Opens a Part 10 file for sending (PS3.10 §7.1): reads only its header, then reads the data
 * set from disk when sent, in its own transfer syntax, without decoding it. Few file system
 * calls per file, since small instances are bound by them.
 * @throws `DICOMNET_PART10_NOT_PART10` for a file without preamble and `DICM`,
 *   `DICOMNET_PART10_UNFINISHED` for the temporary file of a transfer that never finished, other
 *   `DICOMNET_PART10_*` codes for a broken header, or the file system's error.
 */
export async function openInstanceFile(path: string): Promise<InstanceFile> {
  // A leftover of a killed storeToDirectory has a whole header and a cut data set: refuse it
  // by name, before it could be sent as a truncated instance.
  if (isStoreLeftover(basename(path))) throw new UnfinishedFileError(path);
  const handle = await open(path, 'r');
  let header: Part10Header;
  let fileSize: number;
  try {
    const [stats, head] = await Promise.all([
      handle.stat(),
      handle.read(Buffer.allocUnsafe(HEAD_BYTES), 0, HEAD_BYTES, 0),
    ]);
    fileSize = stats.size;
    const parsed = parsePart10Header(
      head.buffer.subarray(0, head.bytesRead),
      head.bytesRead >= fileSize,
    );
    // A header larger than the first read (long private meta elements) takes the careful path.
    header = 'header' in parsed ? parsed.header : await openPart10File(path);
  } finally {
    void handle.close().catch(() => {});
  }
  const { meta, dataSetOffset } = header;
  const size = fileSize - dataSetOffset;
  const identity = {
    sopClassUid: meta.mediaStorageSopClassUid,
    sopInstanceUid: meta.mediaStorageSopInstanceUid,
    transferSyntaxUid: meta.transferSyntaxUid,
  };
  return {
    path,
    ...identity,
    size,
    meta,
    instance: () => ({ ...identity, dataSet: readRange(path, dataSetOffset, size) }),
    load: async () => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of readRange(path, dataSetOffset, size)) chunks.push(chunk);
      return {
        ...identity,
        dataSet: chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks),
      };
    },
  };
}

/** `size` bytes of a file from `start`, in fresh chunks (the socket may still hold earlier ones). */
async function* readRange(path: string, start: number, size: number): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    let position = start;
    const end = start + size;
    while (position < end) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, end - position));
      const bytesRead = await readFully(handle, chunk, position);
      if (bytesRead === 0) break; // the file shrank: send what there is
      position += bytesRead;
      yield chunk.subarray(0, bytesRead);
    }
  } finally {
    void handle.close().catch(() => {});
  }
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
