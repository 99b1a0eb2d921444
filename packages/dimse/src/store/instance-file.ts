import type { StoreInstance } from '../client/dimse-client.js';
import type { FileMetaInformation } from '../part10/index.js';
import { openPart10File } from '../part10/index.js';

/** A Part 10 file ready to send with C-STORE, without its data set having been read. */
export interface InstanceFile {
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  /** Bytes of the data set (the file without its Part 10 header). */
  readonly size: number;
  readonly meta: FileMetaInformation;
  /** The instance to pass to `DimseClient.store`, with a fresh stream of the data set. */
  instance(): StoreInstance;
}

/**
 * Opens a Part 10 file for sending (PS3.10 §7.1): reads only its header, then streams the data
 * set from disk when sent, in its own transfer syntax, without decoding it.
 * @throws `DICOMNET_PART10_NOT_PART10` for a file without preamble and `DICM`, other
 *   `DICOMNET_PART10_*` codes for a broken header, or the file system's error.
 */
export async function openInstanceFile(path: string): Promise<InstanceFile> {
  const file = await openPart10File(path);
  const { meta } = file;
  return {
    path,
    sopClassUid: meta.mediaStorageSopClassUid,
    sopInstanceUid: meta.mediaStorageSopInstanceUid,
    transferSyntaxUid: meta.transferSyntaxUid,
    size: file.size - file.dataSetOffset,
    meta,
    instance: () => ({
      sopClassUid: meta.mediaStorageSopClassUid,
      sopInstanceUid: meta.mediaStorageSopInstanceUid,
      transferSyntaxUid: meta.transferSyntaxUid,
      // 256 KiB reads: fewer syscalls, and fragments are cut from these chunks without copying.
      dataSet: file.dataSetStream({ highWaterMark: 256 * 1024 }),
    }),
  };
}
