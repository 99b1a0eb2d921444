import type { FileMetaInformationInput } from '../part10/file-meta-information.js';
import type { AtomicWriteOptions, AtomicWriteResult } from '../part10/atomic-file-writer.js';
import { writePart10File } from '../part10/part10-file-writer.js';
import { writeElements } from './write-elements.js';
import type { ElementWriterInput, ElementWriterOptions } from './writer-input.js';

/**
 * Options of {@link writePart10FileFromElements}: the writer's (its transfer syntax is the File
 * Meta Information's) and the atomic file write's. One `signal` stops both.
 */
export type WritePart10ElementsOptions = Omit<ElementWriterOptions, 'transferSyntaxUid'> &
  Omit<AtomicWriteOptions, 'signal'>;

/**
 * Writes a Part 10 file atomically (PS3.10 7.1): preamble, File Meta Information, then the data
 * set written by {@link writeElements} from `tokens` in `meta.transferSyntaxUid` (deflated for a
 * Deflated syntax), streamed to disk as it is encoded.
 * @returns The size of the file.
 * @throws As {@link writeElements} and {@link writePart10File}; nothing is left on disk.
 */
export function writePart10FileFromElements(
  path: string,
  meta: FileMetaInformationInput,
  tokens: AsyncIterable<ElementWriterInput> | Iterable<ElementWriterInput>,
  options: WritePart10ElementsOptions = {},
): Promise<AtomicWriteResult> {
  const { mode, bufferBytes, fsync, ...writer } = options;
  const atomic: AtomicWriteOptions = {
    ...(mode === undefined ? {} : { mode }),
    ...(bufferBytes === undefined ? {} : { bufferBytes }),
    ...(fsync === undefined ? {} : { fsync }),
    ...(writer.signal === undefined ? {} : { signal: writer.signal }),
  };
  const dataSet = writeElements(tokens, { ...writer, transferSyntaxUid: meta.transferSyntaxUid });
  return writePart10File(path, meta, dataSet, atomic);
}
