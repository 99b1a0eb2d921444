import {
  AtomicFileWriter,
  writeFileAtomically,
  type AtomicWriteOptions,
  type AtomicWriteResult,
} from './atomic-file-writer.js';
import {
  encodeFileMetaInformation,
  type FileMetaInformationInput,
} from './file-meta-information.js';

/**
 * Opens an atomic writer for a Part 10 file and writes its preamble and File Meta Information
 * first; the caller then writes the data set bytes as they arrive (a C-STORE SCP: each received
 * fragment, in the transfer syntax of `meta.transferSyntaxUid`, already deflated for the Deflated
 * syntax) and calls `commit()`, or `abort()` when the transfer fails.
 * @throws {@link InvalidFileMetaError} before anything is created; as {@link AtomicFileWriter.open}.
 */
export async function openPart10FileWriter(
  path: string,
  meta: FileMetaInformationInput,
  options: AtomicWriteOptions = {},
): Promise<AtomicFileWriter> {
  const header = encodeFileMetaInformation(meta);
  const writer = await AtomicFileWriter.open(path, options);
  try {
    await writer.write(header);
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
  return writer;
}

/**
 * Writes a whole Part 10 file atomically from its File Meta Information and a stream of data set
 * bytes (stored as given), reading one chunk at a time (PS3.10 §7.1).
 * @returns The size of the file.
 * @throws As {@link writeFileAtomically}; {@link InvalidFileMetaError}.
 */
export async function writePart10File(
  path: string,
  meta: FileMetaInformationInput,
  dataSet: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const header = encodeFileMetaInformation(meta);
  async function* file(): AsyncGenerator<Uint8Array> {
    yield header;
    yield* dataSet;
  }
  return writeFileAtomically(path, file(), options);
}
