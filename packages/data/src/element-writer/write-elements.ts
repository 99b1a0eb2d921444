import { isTagKey, tagNumber, type DataElement, type DataSet } from '../data-set/data-set.js';
import { DataSetEncodeError } from '../data-set/errors.js';
import { deflateDataSet } from '../part10/deflate-data-set.js';
import { nodeZlib } from '../lazy-builtins.js';
import {
  describeTransferSyntax,
  type TransferSyntaxInfo,
} from '../transfer-syntax/transfer-syntax.js';
import {
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_WRITER_MAX_DEPTH,
  DEFAULT_WRITER_CHUNK_BYTES,
  type ElementWriterInput,
  type ElementWriterOptions,
  type ModelElementToken,
} from './writer-input.js';
import { WriterState, type WriterSettings } from './writer-state.js';

/**
 * Writes a data set from a stream of tokens: the element reader's {@link ElementToken}s (value
 * bytes as read), {@link ModelElementToken}s and {@link ModelItemToken}s (model values, encoded
 * here), in any mix. Output is the data set's bytes in `options.transferSyntaxUid` (no preamble,
 * no File Meta Information), raw DEFLATE for a Deflated syntax (PS3.5 A.5).
 *
 * The output is pulled: the next input token is read only when the output buffered so far has
 * been taken, and small elements are gathered into chunks of about `chunkBytes`. Sequences and
 * items of undefined length stream with nothing held (PS3.5 7.5.2), so a sequence of millions of
 * items is written in bounded memory; those of computed length hold their content until they end,
 * up to `maxBufferedBytes` (PS3.5 7.5.1).
 *
 * Checked while writing: tags ascend within each data set (PS3.5 7.1); tokens nest (items only in
 * sequences, fragments only in encapsulated pixel data, every start ended); model values are
 * validated as the dcmjs codec validates them, and non-ASCII text needs Specific Character Set
 * `ISO_IR 192` (text is written as UTF-8). Value bytes of tokens are written as given (padded to
 * even length), swapped for binary VRs when `inputLittleEndian` differs from the output. Large
 * values are passed on by reference, not copied: their bytes must not change until the output
 * holding them has been read (inside a sequence or item of computed length, until it ends).
 * @throws {@link DataSetEncodeError} (from the output iterator) `DICOMNET_DATASET_INVALID_VALUE`
 *   for input that cannot be written, with its tag path; `DICOMNET_DATASET_UNSUPPORTED` past
 *   `maxBufferedBytes` (feature `defined-length-buffer`) or for encapsulated pixel data in a
 *   syntax that is not encapsulated (`encapsulated-pixel-data`); `signal.reason` once aborted.
 */
export function writeElements(
  input: AsyncIterable<ElementWriterInput> | Iterable<ElementWriterInput>,
  options: ElementWriterOptions,
): AsyncGenerator<Uint8Array> {
  const { syntax, settings } = writerSettings(options);
  const plain = writePlain(input, settings, options.signal);
  return syntax.deflated ? deflateDataSet(plain, withLevel(options.deflateLevel)) : plain;
}

/**
 * {@link writeElements} for synchronous input and output, e.g. to encode a whole data set at
 * once: the same tokens, checks and bytes. Input is read as the output is iterated. For a
 * Deflated syntax the data set is gathered and deflated whole at the end (zlib has no
 * synchronous streaming API), so use {@link writeElements} for large deflated output.
 * @throws As {@link writeElements}, from the iterator.
 */
export function* writeElementsSync(
  input: Iterable<ElementWriterInput>,
  options: Omit<ElementWriterOptions, 'signal'>,
): Generator<Uint8Array> {
  const { syntax, settings } = writerSettings(options);
  if (!syntax.deflated) {
    yield* writePlainSync(input, settings);
    return;
  }
  const zlib = nodeZlib();
  const deflated = zlib.deflateRawSync(Buffer.concat([...writePlainSync(input, settings)]), {
    level: options.deflateLevel ?? 6,
  });
  yield new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.byteLength);
  if (deflated.byteLength % 2 === 1) yield Uint8Array.of(0); // PS3.5 A.5: one trailing NUL
}

/** First output block of {@link encodeElementsSync}: a slice of Node's buffer pool. */
const FIRST_BLOCK_BYTES = 1024;

/**
 * {@link writeElementsSync} gathered into one array, for a data set encoded whole in memory (the
 * element codec's `encode`). Its output blocks start at 1 KiB and double up to `chunkBytes`, so
 * a small data set (a 300-byte C-FIND identifier) costs a slice of Node's buffer pool rather than
 * a 64 KiB block of its own, which it would keep alive as long as its bytes are held: sending
 * thousands of them made garbage collection a third of a C-FIND SCP's time.
 * @throws As {@link writeElementsSync}.
 */
export function encodeElementsSync(
  input: Iterable<ElementWriterInput>,
  options: Omit<ElementWriterOptions, 'signal'>,
): Uint8Array {
  const { syntax, settings } = writerSettings(options);
  const chunks = syntax.deflated
    ? [...writeElementsSync(input, options)]
    : [...writePlainSync(input, settings, Math.min(FIRST_BLOCK_BYTES, settings.chunkBytes))];
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = Buffer.concat(chunks);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function writerSettings(options: Omit<ElementWriterOptions, 'signal'>): {
  syntax: TransferSyntaxInfo;
  settings: WriterSettings;
} {
  const syntax = describeTransferSyntax(options.transferSyntaxUid);
  const settings: WriterSettings = {
    explicitVr: syntax.explicitVr,
    littleEndian: syntax.littleEndian,
    inputLittleEndian: options.inputLittleEndian ?? syntax.littleEndian,
    encapsulatedAllowed: syntax.encapsulated,
    // PS3.5 A.4: a known encapsulated syntax carries Pixel Data only as fragments.
    nativePixelDataAllowed: !(syntax.encapsulated && syntax.known),
    lengths: options.lengths ?? 'as-given',
    groupLengths: options.groupLengths ?? 'drop',
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    maxDepth: options.maxDepth ?? DEFAULT_WRITER_MAX_DEPTH,
    chunkBytes: options.chunkBytes ?? DEFAULT_WRITER_CHUNK_BYTES,
  };
  if (!Number.isInteger(settings.chunkBytes) || settings.chunkBytes < 64)
    throw new RangeError(
      `chunkBytes must be an integer of at least 64, not ${settings.chunkBytes}`,
    );
  return { syntax, settings };
}

function withLevel(level: number | undefined): { level?: number } {
  return level === undefined ? {} : { level };
}

async function* writePlain(
  input: AsyncIterable<ElementWriterInput> | Iterable<ElementWriterInput>,
  settings: WriterSettings,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  const state = new WriterState(settings);
  const source = openSource(input);
  try {
    for (;;) {
      signal?.throwIfAborted();
      const expanded = state.nextExpanded();
      if (expanded !== undefined) {
        state.write(expanded);
      } else {
        const next = source.sync ? source.iterator.next() : await source.iterator.next();
        if (next.done === true) break;
        state.write(next.value);
      }
      const chunks = state.output.take();
      if (chunks !== undefined) for (const chunk of chunks) yield chunk;
    }
    state.end();
    for (const chunk of state.output.finish()) yield chunk;
    signal?.throwIfAborted();
  } finally {
    // Ends the input early when the write fails or the consumer stops reading.
    await source.iterator.return?.();
  }
}

function* writePlainSync(
  input: Iterable<ElementWriterInput>,
  settings: WriterSettings,
  firstBlock = settings.chunkBytes,
): Generator<Uint8Array> {
  const state = new WriterState(settings, firstBlock);
  const iterator = input[Symbol.iterator]();
  try {
    for (;;) {
      const expanded = state.nextExpanded();
      if (expanded !== undefined) {
        state.write(expanded);
      } else {
        const next = iterator.next();
        if (next.done === true) break;
        state.write(next.value);
      }
      const chunks = state.output.take();
      if (chunks !== undefined) yield* chunks;
    }
    state.end();
    yield* state.output.finish();
  } finally {
    iterator.return?.();
  }
}

type Source =
  | { readonly sync: true; readonly iterator: Iterator<ElementWriterInput> }
  | { readonly sync: false; readonly iterator: AsyncIterator<ElementWriterInput> };

/** Sync input is read without an `await` per token (a million items cost no million ticks). */
function openSource(
  input: AsyncIterable<ElementWriterInput> | Iterable<ElementWriterInput>,
): Source {
  if (Symbol.asyncIterator in input)
    return { sync: false, iterator: input[Symbol.asyncIterator]() };
  return { sync: true, iterator: input[Symbol.iterator]() };
}

/**
 * The elements of a model data set as {@link ModelElementToken}s in ascending tag order
 * (PS3.5 7.1): `writeElements(dataSetTokens(dataSet), options)` writes a whole data set.
 * @param definedLength - Give its sequences and items computed lengths.
 */
export function* dataSetTokens(
  dataSet: DataSet,
  definedLength = false,
): Generator<ModelElementToken> {
  if (typeof dataSet !== 'object' || dataSet === null)
    throw new DataSetEncodeError('DICOMNET_DATASET_INVALID_VALUE', 'a data set must be an object');
  // Keys of 8 upper-case hex digits sort as their tags; the values are checked as written.
  for (const key of Object.keys(dataSet).sort()) {
    if (!isTagKey(key)) {
      throw new DataSetEncodeError(
        'DICOMNET_DATASET_INVALID_VALUE',
        `key "${key}" is not 8 upper-case hex digits`,
      );
    }
    yield {
      kind: 'model-element',
      tag: tagNumber(key),
      element: dataSet[key] as DataElement,
      definedLength,
    };
  }
}
