// Reads an Inventory instance (PS3.3 A.88) as a stream: header, then records as they are parsed.
// Only the item of the study being read is held in memory (with its series and instances),
// whatever the size of the instance: a 1 GB inventory streams.
import { createReadStream } from 'node:fs';
import { DicomnetError, readElementBatches, readPart10, type ElementToken } from '@dicomnet/data';
import { INVENTORY_STORAGE_SOP_CLASS } from '../uids.js';
import { Tag } from '../tags.js';
import { DataSetBuilder } from './data-set-builder.js';
import { InventoryMalformedError, InventoryTruncatedError, NotInventoryError } from './errors.js';
import { headerOf, recordsOfStudy } from './interpret.js';
import type { InventoryHeader, InventoryItem } from './inventory-records.js';

/**
 * An Inventory instance as Part 10 bytes (PS3.10 7.1), with or without the 128-byte preamble: a
 * file path, a `Readable`, or chunks (sync or async).
 */
export type InventoryInput = string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Options of {@link readInventory}. */
export interface ReadInventoryOptions {
  /** Aborts reading: the iterator rejects with `signal.reason` and releases the input. */
  readonly signal?: AbortSignal;
  /** Names the input in errors and in {@link InventoryHeader.source}; default the path or `stream`. */
  readonly name?: string;
  /** File read size; default 64 KiB. */
  readonly chunkBytes?: number;
}

const STUDIES = Number.parseInt(Tag.InventoriedStudiesSequence, 16);
const DICM = [0x44, 0x49, 0x43, 0x4d];
const PREAMBLE = 128;

/**
 * Reads an Inventory instance and yields, in order: `{ kind: 'header' }` with the attributes
 * encoded before the records (PS3.3 C.38.1; `complete` false), every record (`study`, then its
 * `series`, each followed by its `instance` records, with their parents' UIDs), and
 * `{ kind: 'end' }` with the complete header. Values are decoded with the Specific Character Set
 * in force. Memory: one study item at a time. Breaking out of the loop releases the input.
 * @throws {@link NotInventoryError} for a Part 10 file of another SOP class, or bytes that are
 *   not Part 10; {@link InventoryTruncatedError} when the input ends inside the instance;
 *   {@link InventoryMalformedError} for a broken encoding or a missing Type 1 attribute (the
 *   cause holds the element reader's error); the `signal`'s reason; file system errors as they
 *   are.
 */
export async function* readInventory(
  input: InventoryInput,
  options: ReadInventoryOptions = {},
): AsyncGenerator<InventoryItem, void, undefined> {
  options.signal?.throwIfAborted();
  const where = options.name ?? (typeof input === 'string' ? input : 'stream');
  const tracked = new EndTracker(
    typeof input === 'string'
      ? createReadStream(input, { highWaterMark: options.chunkBytes ?? 64 * 1024 })
      : input,
  );
  let part10;
  try {
    part10 = await readPart10(withPreamble(tracked.chunks()), {
      ...(options.signal && { signal: options.signal }),
    });
  } catch (error) {
    throw translate(error, tracked.ended, where);
  }
  const { meta } = part10;
  if (meta.mediaStorageSopClassUid !== INVENTORY_STORAGE_SOP_CLASS) {
    await part10.dataSet.return();
    throw new NotInventoryError(meta.mediaStorageSopClassUid, where);
  }
  // One array per input chunk, handled without a wait per token (as `readElements` would have
  // it), which halves the time of a large inventory.
  const batches = readElementBatches(part10.dataSet, {
    transferSyntaxUid: meta.transferSyntaxUid,
    ...(options.signal && { signal: options.signal }),
  });
  const littleEndian = meta.transferSyntaxUid !== '1.2.840.10008.1.2.2';
  const context = { source: where, transferSyntaxUid: meta.transferSyntaxUid };
  const top = new DataSetBuilder(littleEndian, undefined, where);
  let headerSent = false;
  let inStudies = false;
  let study: DataSetBuilder | undefined;
  let header: InventoryHeader | undefined;
  let studyRecords = 0;
  const sendHeader = (): InventoryHeader => {
    const found = headerOf(top.dataSet, { ...context, complete: false });
    if (found.sopClassUid !== INVENTORY_STORAGE_SOP_CLASS)
      throw new NotInventoryError(found.sopClassUid, where);
    headerSent = true;
    return found;
  };
  try {
    for (;;) {
      let next: IteratorResult<readonly ElementToken[]>;
      try {
        next = await batches.next();
      } catch (error) {
        throw translate(error, tracked.ended, where);
      }
      if (next.done === true) break;
      // The tokens of one input chunk, handled without waiting: values are views of the chunk.
      for (const token of next.value) {
        if (study !== undefined) {
          if (token.kind === 'item-end' && study.atTop) {
            const item = study.dataSet;
            study = undefined;
            studyRecords += 1;
            const { level, sopInstanceUid } = header as InventoryHeader; // sent before the studies
            yield* recordsOfStudy(item, level, sopInstanceUid, where);
          } else study.add(token);
        } else if (inStudies) {
          if (token.kind === 'item') study = new DataSetBuilder(littleEndian, top.text, where);
          else inStudies = false; // its sequence-end
        } else if (token.kind === 'sequence' && token.tag === STUDIES && top.atTop) {
          header = sendHeader();
          yield { kind: 'header', header };
          inStudies = true;
        } else top.add(token);
      }
    }
    if (inStudies || study !== undefined || !top.atTop)
      throw new InventoryTruncatedError('the data set ends inside a sequence', where);
    if (!headerSent) {
      header = sendHeader();
      yield { kind: 'header', header };
    }
    const complete = headerOf(top.dataSet, { ...context, complete: true });
    // PS3.3 C.38.1: Number of Study Records in Instance is the number of items of (0008,0423).
    if (complete.studyRecordsInInstance !== studyRecords)
      throw new InventoryMalformedError(
        `Number of Study Records in Instance is ${complete.studyRecordsInInstance}, the instance holds ${studyRecords}`,
        where,
      );
    yield { kind: 'end', header: complete, studyRecords };
  } finally {
    await batches.return(undefined);
  }
}

/** Reads the whole Inventory instance and returns its complete header (records are skipped). */
export async function readInventoryHeader(
  input: InventoryInput,
  options: ReadInventoryOptions = {},
): Promise<InventoryHeader> {
  for await (const item of readInventory(input, options))
    if (item.kind === 'end') return item.header;
  throw new InventoryTruncatedError('no end', options.name);
}

/**
 * Errors of the readers below as this module's own: the Part 10 header's, the element reader's
 * and inflation's (any `DICOMNET_PART10_*` or `DICOMNET_DATASET_*`) are a truncation when the
 * input had ended, else a malformed instance.
 */
function translate(error: unknown, ended: boolean, where: string): unknown {
  if (!(error instanceof DicomnetError)) return error;
  if (error.code === 'DICOMNET_PART10_NOT_PART10')
    return ended && error.message.includes('shorter')
      ? new InventoryTruncatedError(error.message, where, { cause: error })
      : new NotInventoryError(undefined, where, { cause: error });
  if (error.code.startsWith('DICOMNET_PART10_') || error.code.startsWith('DICOMNET_DATASET_')) {
    return ended
      ? new InventoryTruncatedError(error.message, where, { cause: error })
      : new InventoryMalformedError(error.message, where, { cause: error });
  }
  return error;
}

/** Knows whether its source has ended: a decode error after that is a truncation. */
class EndTracker {
  ended = false;
  readonly #source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.#source = source;
  }

  async *chunks(): AsyncGenerator<Uint8Array> {
    if (Symbol.asyncIterator in this.#source) yield* this.#source;
    else yield* this.#source;
    this.ended = true;
  }
}

/**
 * The chunks with a zero preamble put in front when they start with `DICM` (a file written
 * without its 128-byte preamble, which some tools do): PS3.10 7.1 has the prefix at byte 128.
 */
async function* withPreamble(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < PREAMBLE + DICM.length) {
      const next = await iterator.next();
      if (next.done === true) break;
      head.push(next.value);
      size += next.value.byteLength;
    }
    const first = Buffer.concat(head);
    const atStart = DICM.every((byte, i) => first[i] === byte);
    const atPreamble = DICM.every((byte, i) => first[PREAMBLE + i] === byte);
    if (atStart && !atPreamble) yield new Uint8Array(PREAMBLE);
    if (first.byteLength > 0)
      yield new Uint8Array(first.buffer, first.byteOffset, first.byteLength);
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
      yield next.value;
  } finally {
    await iterator.return?.();
  }
}
