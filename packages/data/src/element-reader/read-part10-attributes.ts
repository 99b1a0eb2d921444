// Attributes of Part 10 files for an archive index: the header, then only as much of the data set
// as the requested tags need, read in chunks from one file handle that is closed at once.
import { close, closeSync, open, openSync, read, readSync } from 'node:fs';
import type { FileMetaInformation } from '../part10/file-meta-information.js';
import { DEFAULT_MAX_META_BYTES, parsePart10Header } from '../part10/parse-file-meta.js';
import type { Part10Header } from '../part10/parse-file-meta.js';
import { AttributeCollector, type AttributeTag, type Attributes } from './attribute-collector.js';
import { ElementParser } from './element-parser.js';
import { readFlatAttributes } from './flat-attributes.js';
import { collectDeflated, drain, type ReadAttributesOptions } from './read-attributes.js';
import { elementEncoding, readElements } from './read-elements.js';

/** Options of {@link readPart10Attributes}. */
export interface ReadPart10AttributesOptions extends Omit<
  ReadAttributesOptions,
  'transferSyntaxUid'
> {
  /**
   * Bytes read from the file at a time; default 64 KiB. The first read takes at most 16 KiB:
   * the header and the attributes an index wants usually end there.
   */
  readonly chunkBytes?: number;
  /** Largest File Meta Information accepted after `DICM`; default 64 KiB. */
  readonly maxMetaBytes?: number;
}

/** What {@link readPart10Attributes} found in a file. */
export interface Part10Attributes {
  /** The File Meta Information (PS3.10 7.1); its transfer syntax is the data set's. */
  readonly meta: FileMetaInformation;
  /** Offset of the first data set byte in the file. */
  readonly dataSetOffset: number;
  /** The requested data set attributes, by tag key (`ggggeeee`). */
  readonly attributes: Attributes;
  /** Bytes of the file read (at most the chunks it took to pass the requested tags). */
  readonly bytesRead: number;
}

/** Default of {@link ReadPart10AttributesOptions.chunkBytes}: 64 KiB. */
export const DEFAULT_READER_CHUNK_BYTES = 64 * 1024;
/** Most bytes of the first read of a file. */
const FIRST_READ_BYTES = 16 * 1024;

let sharedFirstRead: Uint8Array | undefined;

/** The buffer of {@link readPart10AttributesSync}'s first reads (synchronous: one user at a time). */
function firstReadBuffer(): Uint8Array {
  sharedFirstRead ??= new Uint8Array(FIRST_READ_BYTES);
  return sharedFirstRead;
}

/**
 * Reads the File Meta Information of a Part 10 file and the requested top-level attributes of its
 * data set (see {@link readAttributes}), reading the file in `chunkBytes` pieces only until the
 * largest requested tag is passed, then closing it. Any transfer syntax of {@link readElements},
 * Deflated included.
 * @throws {@link NotPart10Error}, {@link Part10MalformedError}, {@link Part10MetaTooLargeError}
 *   for the header; as {@link readAttributes} for the data set; Node.js file system errors
 *   (`ENOENT`…) as they are; the `signal`'s reason.
 */
export async function readPart10Attributes(
  path: string,
  tags: Iterable<AttributeTag>,
  options: ReadPart10AttributesOptions = {},
): Promise<Part10Attributes> {
  options.signal?.throwIfAborted();
  const chunkBytes = options.chunkBytes ?? DEFAULT_READER_CHUNK_BYTES;
  const fd = await openFile(path);
  try {
    const file = new FileChunks(fd, chunkBytes, options.signal);
    const { header, rest } = await readHeader(file, options.maxMetaBytes);
    const transferSyntaxUid = header.meta.transferSyntaxUid;
    const encoding = elementEncoding(transferSyntaxUid);
    // Most attributes asked for lie in the first chunk: read without the parser when they can.
    const flat = encoding.deflated
      ? undefined
      : readFlatAttributes(rest, encoding, tags, options, false, false);
    if (flat !== undefined)
      return { ...headerFacts(header), attributes: flat, bytesRead: file.position };
    const collector = new AttributeCollector(tags, options);
    if (encoding.deflated) {
      const chunks = (async function* () {
        if (rest.byteLength > 0) yield rest;
        for (let chunk = await file.next(); chunk !== undefined; chunk = await file.next())
          yield chunk;
      })();
      for await (const token of readElements(chunks, {
        ...options,
        transferSyntaxUid,
        ...collector.parserOptions,
      })) {
        collector.add(token);
      }
    } else {
      const parser = new ElementParser(encoding, collector.parserOptions);
      parser.push(rest);
      for (;;) {
        drain(parser, collector);
        if (parser.done) break;
        const chunk = await file.next();
        if (chunk === undefined) parser.end();
        else parser.push(chunk);
      }
    }
    return {
      ...headerFacts(header),
      attributes: collector.result(encoding.littleEndian),
      bytesRead: file.position,
    };
  } finally {
    await closeFile(fd);
  }
}

/**
 * {@link readPart10Attributes} with synchronous file reads: no waiting between chunks, for batch
 * jobs that read many files one after the other. A Deflated data set is inflated from the start
 * of its stream as far as the requested tags need (a prefix four times longer at each retry).
 * @throws As {@link readPart10Attributes}.
 */
export function readPart10AttributesSync(
  path: string,
  tags: Iterable<AttributeTag>,
  options: Omit<ReadPart10AttributesOptions, 'signal'> = {},
): Part10Attributes {
  const chunkBytes = options.chunkBytes ?? DEFAULT_READER_CHUNK_BYTES;
  const fd = openSync(path, 'r');
  try {
    let position = 0;
    const next = (): Uint8Array | undefined => {
      const size = position === 0 ? Math.min(chunkBytes, FIRST_READ_BYTES) : chunkBytes;
      // The first read goes to one buffer kept for all calls (nothing returned points into it:
      // the header's values are copies, binary attributes are copied by result()); the others
      // to new ones, not zero-filled: only the bytes read are ever looked at.
      const chunk = position === 0 ? firstReadBuffer() : Buffer.allocUnsafe(size);
      const count = readSync(fd, chunk, 0, size, position);
      position += count;
      return count === 0 ? undefined : new Uint8Array(chunk.buffer, chunk.byteOffset, count);
    };
    let bytes: Uint8Array = new Uint8Array(0);
    let ended = false;
    let header: Part10Header | undefined;
    while (header === undefined) {
      const parsed = parsePart10Header(
        bytes,
        ended,
        options.maxMetaBytes ?? DEFAULT_MAX_META_BYTES,
      );
      if ('header' in parsed) {
        header = parsed.header;
        break;
      }
      const chunk = next();
      if (chunk === undefined) ended = true;
      else bytes = bytes.byteLength === 0 ? chunk : concat(bytes, chunk);
    }
    const encoding = elementEncoding(header.meta.transferSyntaxUid);
    const rest = bytes.subarray(header.dataSetOffset);
    // The first read may be reused by the next call: binary values are copied (copyBinary).
    const flat = encoding.deflated
      ? undefined
      : readFlatAttributes(rest, encoding, tags, options, ended, true);
    if (flat !== undefined)
      return { ...headerFacts(header), attributes: flat, bytesRead: position };
    let collector = new AttributeCollector(tags, options);
    if (encoding.deflated) {
      collector = collectDeflated(rest, ended, next, tags, options);
    } else {
      const parser = new ElementParser(encoding, collector.parserOptions);
      parser.push(rest);
      if (ended) parser.end();
      for (;;) {
        drain(parser, collector);
        if (parser.done) break;
        const chunk = next();
        if (chunk === undefined) parser.end();
        else parser.push(chunk);
      }
    }
    return {
      ...headerFacts(header),
      attributes: collector.result(encoding.littleEndian, true),
      bytesRead: position,
    };
  } finally {
    closeSync(fd);
  }
}

/** Chunks of an open file, each a new buffer (the parser keeps views of them). */
class FileChunks {
  position = 0;
  #ended = false;

  constructor(
    readonly fd: number,
    readonly chunkBytes: number,
    readonly signal: AbortSignal | undefined,
  ) {}

  get ended(): boolean {
    return this.#ended;
  }

  async next(): Promise<Uint8Array | undefined> {
    if (this.#ended) return undefined;
    this.signal?.throwIfAborted();
    const size =
      this.position === 0 ? Math.min(this.chunkBytes, FIRST_READ_BYTES) : this.chunkBytes;
    const chunk = Buffer.allocUnsafe(size); // only the bytes read are looked at
    const bytesRead = await readFile(this.fd, chunk, size, this.position);
    this.position += bytesRead;
    if (bytesRead === 0) {
      this.#ended = true;
      return undefined;
    }
    return new Uint8Array(chunk.buffer, chunk.byteOffset, bytesRead);
  }
}

async function readHeader(
  file: FileChunks,
  maxMetaBytes = DEFAULT_MAX_META_BYTES,
): Promise<{ header: Part10Header; rest: Uint8Array }> {
  let bytes: Uint8Array = new Uint8Array(0);
  for (;;) {
    const parsed = parsePart10Header(bytes, file.ended, maxMetaBytes);
    if ('header' in parsed)
      return { header: parsed.header, rest: bytes.subarray(parsed.header.dataSetOffset) };
    const chunk = await file.next();
    if (chunk !== undefined) bytes = bytes.byteLength === 0 ? chunk : concat(bytes, chunk);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

// The callback API of node:fs, not a FileHandle: an indexer opens thousands of files, and each
// FileHandle costs an object with its own close tracking (about a tenth of the I/O time).
function openFile(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    open(path, 'r', (error, fd) => (error === null ? resolve(fd) : reject(error)));
  });
}

function readFile(fd: number, into: Uint8Array, size: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, into, 0, size, position, (error, count) =>
      error === null ? resolve(count) : reject(error),
    );
  });
}

function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    close(fd, (error) => (error === null || error === undefined ? resolve() : reject(error)));
  });
}

function headerFacts(header: Part10Header): Pick<Part10Attributes, 'meta' | 'dataSetOffset'> {
  return { meta: header.meta, dataSetOffset: header.dataSetOffset };
}
