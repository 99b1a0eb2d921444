// The synchronous core of the element reader: bytes in (push), tokens out (read). Everything else
// (async sources, Deflate, attributes, Part 10 files) is built on it. Its input (chunk-queue.ts)
// is copied only where something spans two chunks: a header (into 12 scratch bytes) or a
// delivered value (into a buffer of its exact length); a value inside one chunk is a view of it.
import { formatTag } from '../data-set/data-set.js';
import {
  ITEM_DELIMITATION_TAG,
  ITEM_TAG,
  SEQUENCE_DELIMITATION_TAG,
  UNDEFINED_LENGTH,
  type DataSetEncoding,
} from '../data-set/element-header.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import type { ElementToken, FragmentToken, ValueToken } from '../element-stream/element-token.js';
import { ChunkQueue } from './chunk-queue.js';
import {
  DEFAULT_READER_MAX_DEPTH,
  DEFAULT_READER_MAX_VALUE_BYTES,
  type ElementParserOptions,
} from './reader-options.js';
import { dictionaryVr, isSignedWithPixels } from './data-dictionary.js';
import {
  HEADER_NEED_MORE,
  HEADER_OK,
  HEADER_UNKNOWN_VR,
  readHeader,
  type HeaderSlot,
} from './header-reader.js';

const PIXEL_DATA = 0x7fe00010;
const PIXEL_REPRESENTATION = 0x00280103;
// Whether the pending value is a Pixel Representation to note, and whether to show its value.
const TRACK_NONE = 0;
const TRACK_SHOW = 1;
const TRACK_HIDE = 2;
const IMPLICIT_LITTLE: DataSetEncoding = { explicitVr: false, littleEndian: true };
const EMPTY = new Uint8Array(0);

// Kinds of frame, and states of the reader (plain numbers: cheap to compare).
const FrameKind = { DataSet: 0, Sequence: 1, Encapsulated: 2 } as const;
type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];
const State = { Header: 0, Collect: 1, Skip: 2, Done: 3 } as const;
type State = (typeof State)[keyof typeof State];

/** One open container: the top-level data set, an item, a sequence or encapsulated pixels. */
interface Frame {
  readonly kind: FrameKind;
  /** Absolute offset just past the container; -1 for undefined length (ended by a delimiter). */
  readonly end: number;
  /** `end`, or for undefined length the nearest enclosing defined end; -1 if none. */
  readonly limit: number;
  readonly encoding: DataSetEncoding;
  /** The sequence's tag, or the item's index, for tag paths in errors. */
  readonly label: number;
  /** Items (or fragments) seen so far. */
  count: number;
  /** Pixel Representation (0028,0103) in effect, for "US or SS" in Implicit VR; -1 unknown. */
  pixelRepresentation: number;
  /** The last element tag read in this data set (-1 before the first). */
  lastTag: number;
}

/**
 * Walks an encoded data set (PS3.5 7) from chunks of bytes and yields {@link ElementToken}s.
 * Push chunks with {@link ElementParser.push}, call {@link ElementParser.end} after the last,
 * and drain {@link ElementParser.read} after each: it returns undefined when it needs more input
 * or is {@link ElementParser.done}.
 * @throws {@link DataSetDecodeError} from `read` for malformed input: `DICOMNET_DATASET_MALFORMED`
 *   with the tag path and the byte offset (from the first byte pushed).
 */
export class ElementParser {
  readonly #maxDepth: number;
  readonly #maxValueBytes: number;
  readonly #maxBufferedBytes: number;
  readonly #wantValue: ElementParserOptions['wantValue'];
  readonly #fragments: boolean;
  readonly #stopAfter: number;

  readonly #input = new ChunkQueue();
  /** Absolute offset of the next unread byte. */
  #offset = 0;
  #ended = false;
  readonly #scratch = new Uint8Array(12);
  readonly #slot: HeaderSlot = { tag: 0, vr: undefined, length: 0, headerLength: 0, vrCode: 0 };

  readonly #frames: Frame[];
  #depth = 0;
  #state: State = State.Header;
  /** The token waiting for its value to be collected or skipped. */
  #pending: ElementToken | undefined;
  #collected: Uint8Array = EMPTY;
  #filled = 0;
  #remaining = 0;
  /** Offset of the first byte of the pending value, for errors. */
  #valueOffset = 0;
  #stopped = false;
  #tracking = TRACK_NONE;

  /**
   * @param encoding - VR form and byte order of the data set (from its transfer syntax).
   * @param options - Limits and choices.
   */
  constructor(encoding: DataSetEncoding, options: ElementParserOptions = {}) {
    this.#maxDepth = options.maxDepth ?? DEFAULT_READER_MAX_DEPTH;
    this.#maxValueBytes = options.maxValueBytes ?? DEFAULT_READER_MAX_VALUE_BYTES;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? this.#maxValueBytes;
    this.#wantValue = options.wantValue;
    this.#fragments = options.fragments ?? false;
    this.#stopAfter = options.stopAfter ?? Number.POSITIVE_INFINITY;
    this.#frames = [
      {
        kind: FrameKind.DataSet,
        end: -1,
        limit: -1,
        encoding,
        label: -1,
        count: 0,
        pixelRepresentation: -1,
        lastTag: -1,
      },
    ];
  }

  /** True once the data set has ended, or the reader stopped after `stopAfter`. */
  get done(): boolean {
    return this.#state === State.Done;
  }

  /** True when the reader stopped because of `stopAfter` rather than at the end of input. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Absolute offset of the next byte the reader will consume. */
  get offset(): number {
    return this.#offset;
  }

  /** Adds the next chunk of input. The reader keeps views of it; do not modify it afterwards. */
  push(chunk: Uint8Array): void {
    if (this.#ended) throw new TypeError('push() after end()');
    if (chunk.byteLength === 0) return;
    // Values are views of the chunks: plain Uint8Arrays, also when a Buffer (zlib's, fs's) came.
    this.#input.push(
      Buffer.isBuffer(chunk)
        ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
        : chunk,
    );
  }

  /** Says that no more input will come. */
  end(): void {
    this.#ended = true;
  }

  /** The next token, or undefined when more input is needed or the reader is done. */
  read(): ElementToken | undefined {
    for (;;) {
      switch (this.#state) {
        case State.Done:
          return undefined;
        case State.Collect:
          if (!this.#collect()) return undefined;
          return this.#release();
        case State.Skip:
          if (!this.#skip()) return undefined;
          return this.#release();
        case State.Header: {
          const token = this.#next();
          if (token !== null) return token;
        }
      }
    }
  }

  /** The next token from a header; null when the state changed without one; undefined to wait. */
  #next(): ElementToken | undefined | null {
    const frame = this.#frames[this.#frames.length - 1] as Frame; // never empty
    if (frame.end !== -1 && this.#offset === frame.end) return this.#close(frame);
    if (this.#frames.length === 1 && frame.lastTag >= this.#stopAfter) return this.#stop();
    // An item or sequence of undefined length inside one of defined length must end before it.
    if (frame.limit !== -1 && this.#offset >= frame.limit)
      this.#fail('an item or sequence of undefined length runs past its container (PS3.5 7.5)');
    const header = this.#header(frame);
    if (header === undefined) return undefined;
    if (frame.limit !== -1 && this.#offset + header.headerLength > frame.limit)
      this.#fail(`${formatTag(header.tag)} overruns its container`);
    switch (frame.kind) {
      case FrameKind.DataSet:
        return this.#element(frame, header);
      case FrameKind.Sequence:
        return this.#item(frame, header);
      case FrameKind.Encapsulated:
        return this.#fragment(frame, header);
    }
  }

  #element(frame: Frame, header: HeaderSlot): ElementToken | undefined | null {
    const { tag, length } = header;
    if (tag >>> 16 === 0xfffe) {
      if (tag === ITEM_DELIMITATION_TAG && frame.end === -1 && this.#frames.length > 1) {
        if (length !== 0) this.#fail('item delimiter with non-zero length (PS3.5 7.5.2)');
        this.#consume(8);
        return this.#close(frame);
      }
      this.#fail(`${formatTag(tag)} outside a sequence (PS3.5 7.5)`);
    }
    if (this.#frames.length === 1 && tag > this.#stopAfter) return this.#stop();
    // PS3.5 7.1: ascending tags, each at most once (stopping early relies on it).
    if (tag <= frame.lastTag) {
      this.#fail(
        `${formatTag(tag)} after ${formatTag(frame.lastTag)}: tags not in ascending order (PS3.5 7.1)`,
      );
    }
    frame.lastTag = tag;
    const vr = header.vr ?? this.#implicitVr(frame, tag);
    const undefinedLength = length === UNDEFINED_LENGTH;
    if (!undefinedLength) this.#checkLength(frame, header, tag);
    if (vr === 'SQ' || (vr === 'UN' && undefinedLength)) {
      this.#enter(tag);
      this.#consume(header.headerLength);
      const end = undefinedLength ? -1 : this.#offset + length;
      this.#frames.push({
        kind: FrameKind.Sequence,
        end,
        limit: end === -1 ? frame.limit : end,
        // PS3.5 6.2.2: a UN of undefined length holds a sequence in Implicit VR Little Endian.
        encoding: vr === 'UN' ? IMPLICIT_LITTLE : frame.encoding,
        label: tag,
        count: 0,
        pixelRepresentation: frame.pixelRepresentation,
        lastTag: -1,
      });
      return { kind: 'sequence', tag, vr, length: undefinedLength ? undefined : length };
    }
    if (undefinedLength) {
      // PS3.5 A.4: only Pixel Data (OB or OW) may be encapsulated.
      if (tag !== PIXEL_DATA || (vr !== 'OB' && vr !== 'OW'))
        this.#fail(`undefined length on a ${vr} element ${formatTag(tag)}`);
      this.#enter(tag);
      this.#consume(header.headerLength);
      this.#frames.push({
        kind: FrameKind.Encapsulated,
        end: -1,
        limit: frame.limit,
        encoding: frame.encoding,
        label: tag,
        count: 0,
        pixelRepresentation: frame.pixelRepresentation,
        lastTag: -1,
      });
      return { kind: 'encapsulated', tag, vr };
    }
    this.#consume(header.headerLength);
    const deliver =
      length <= this.#maxValueBytes &&
      (this.#wantValue === undefined || this.#wantValue(tag, vr, length, this.#depth));
    // Pixel Representation is read in Implicit VR whether asked for or not ("US or SS" below).
    const track = tag === PIXEL_REPRESENTATION && length === 2 && !frame.encoding.explicitVr;
    if (track) this.#tracking = deliver ? TRACK_SHOW : TRACK_HIDE;
    if (deliver || track) {
      // The common case, a value inside the current chunk: one token, no pending state.
      const view = this.#view(length);
      if (view !== undefined) {
        const token = { kind: 'element' as const, tag, vr, length, value: view };
        return track ? this.#track(token) : token;
      }
    }
    const token: ValueToken = { kind: 'element', tag, vr, length, value: undefined };
    return this.#value(token, length, deliver || track);
  }

  /** The VR of an Implicit VR element: the dictionary's, signed "US or SS" for signed pixels. */
  #implicitVr(frame: Frame, tag: number): string {
    const vr = dictionaryVr(tag);
    return vr === 'US' && frame.pixelRepresentation === 1 && isSignedWithPixels(tag) ? 'SS' : vr;
  }

  /** Notes the Pixel Representation a token carries, and hides it if it was not asked for. */
  #track(token: (ValueToken | FragmentToken) & { readonly value: Uint8Array }): ElementToken {
    const tracking = this.#tracking;
    this.#tracking = TRACK_NONE;
    const frame = this.#frames[this.#frames.length - 1] as Frame; // never empty
    // Implicit VR is always Little Endian (PS3.5 A.1).
    frame.pixelRepresentation = (token.value[0] ?? 0) | ((token.value[1] ?? 0) << 8);
    return tracking === TRACK_HIDE ? { ...token, value: undefined } : token;
  }

  #item(frame: Frame, header: HeaderSlot): ElementToken | undefined | null {
    if (header.tag === SEQUENCE_DELIMITATION_TAG && frame.end === -1) {
      if (header.length !== 0) this.#fail('sequence delimiter with non-zero length (PS3.5 7.5.2)');
      this.#consume(8);
      return this.#close(frame);
    }
    if (header.tag !== ITEM_TAG)
      this.#fail(`expected an item, found ${formatTag(header.tag)} (PS3.5 7.5)`);
    const undefinedLength = header.length === UNDEFINED_LENGTH;
    if (!undefinedLength) this.#checkLength(frame, header, -1 - frame.count);
    this.#consume(8);
    const index = frame.count++;
    const end = undefinedLength ? -1 : this.#offset + header.length;
    this.#frames.push({
      kind: FrameKind.DataSet,
      end,
      limit: end === -1 ? frame.limit : end,
      encoding: frame.encoding,
      label: index,
      count: 0,
      pixelRepresentation: frame.pixelRepresentation,
      lastTag: -1,
    });
    return { kind: 'item', index, length: undefinedLength ? undefined : header.length };
  }

  #fragment(frame: Frame, header: HeaderSlot): ElementToken | undefined | null {
    if (header.tag === SEQUENCE_DELIMITATION_TAG) {
      if (header.length !== 0) this.#fail('sequence delimiter with non-zero length (PS3.5 7.5.2)');
      this.#consume(8);
      return this.#close(frame);
    }
    // PS3.5 A.4: fragments are Items of defined, even length.
    if (header.tag !== ITEM_TAG || header.length === UNDEFINED_LENGTH)
      this.#fail(`expected a fragment item, found ${formatTag(header.tag)} (PS3.5 A.4)`);
    this.#checkLength(frame, header, -1 - frame.count);
    this.#consume(8);
    const index = frame.count++;
    const deliver = this.#fragments && header.length <= this.#maxValueBytes;
    const view = deliver ? this.#view(header.length) : undefined;
    if (view !== undefined) return { kind: 'fragment', index, length: header.length, value: view };
    return this.#value(
      { kind: 'fragment', index, length: header.length, value: undefined },
      header.length,
      deliver,
    );
  }

  /**
   * Odd lengths and lengths past the container are malformed (PS3.5 7.1.1, 7.5).
   * @param which - The element's tag, or -1 - the index of an item or fragment.
   */
  #checkLength(frame: Frame, header: HeaderSlot, which: number): void {
    const odd = header.length % 2 === 1;
    const end = this.#offset + header.headerLength + header.length;
    if (!odd && (frame.limit === -1 || end <= frame.limit)) return;
    const what = which < 0 ? `item [${-1 - which}]` : formatTag(which);
    if (odd) this.#fail(`odd length ${header.length} of ${what} (PS3.5 7.1.1)`);
    this.#fail(`length ${header.length} of ${what} overruns its container`);
  }

  #enter(tag: number): void {
    if (this.#depth + 1 > this.#maxDepth)
      this.#fail(`${formatTag(tag)} nests deeper than maxDepth ${this.#maxDepth}`);
    this.#depth += 1;
  }

  #close(frame: Frame): ElementToken {
    this.#frames.pop();
    if (frame.kind === FrameKind.DataSet) return { kind: 'item-end' };
    this.#depth -= 1;
    return { kind: 'sequence-end' };
  }

  #stop(): undefined {
    this.#state = State.Done;
    this.#stopped = true;
    return undefined;
  }

  /** The next `length` bytes as a view when the current chunk holds them all; else undefined. */
  #view(length: number): Uint8Array | undefined {
    if (length === 0) return EMPTY;
    const value = this.#input.view(length);
    if (value !== undefined) this.#offset += length;
    return value;
  }

  /** Sets up delivery or skipping of `length` value bytes for `token`. */
  #value(
    token: ValueToken | FragmentToken,
    length: number,
    deliver: boolean,
  ): ElementToken | undefined | null {
    this.#valueOffset = this.#offset;
    if (!deliver) {
      this.#pending = token;
      this.#remaining = length;
      this.#state = State.Skip;
      return null;
    }
    const value = this.#view(length);
    if (value !== undefined)
      return this.#tracking === TRACK_NONE ? { ...token, value } : this.#track({ ...token, value });
    // Whatever the chunking, the same tokens come before the error; this only spares the buffer.
    if (this.#ended && length > this.#input.available) this.#fail('data ends inside a value');
    if (length > this.#maxBufferedBytes) {
      throw new DataSetDecodeError(
        'DICOMNET_DATASET_UNSUPPORTED',
        `a value of ${length} bytes spans input chunks and exceeds maxBufferedBytes ${this.#maxBufferedBytes}`,
        this.#where(),
        'value-too-large',
      );
    }
    this.#pending = token;
    this.#collected = new Uint8Array(length);
    this.#filled = 0;
    this.#state = State.Collect;
    return null;
  }

  #release(): ElementToken {
    const token = this.#pending as ElementToken; // set with the state
    this.#pending = undefined;
    this.#state = State.Header;
    if (this.#collected === EMPTY) return token;
    const value = this.#collected;
    this.#collected = EMPTY;
    const full = { ...(token as ValueToken | FragmentToken), value }; // a collected value's token
    return this.#tracking === TRACK_NONE ? full : this.#track(full);
  }

  /** Copies available bytes into the value buffer; true when it is full. */
  #collect(): boolean {
    while (this.#filled < this.#collected.byteLength) {
      const take = this.#input.copyInto(this.#collected, this.#filled);
      if (take === 0) {
        if (this.#ended) this.#fail('data ends inside a value', this.#valueOffset);
        return false;
      }
      this.#filled += take;
      this.#offset += take;
    }
    return true;
  }

  /** Drops available bytes of a skipped value; true when all are gone. */
  #skip(): boolean {
    while (this.#remaining > 0) {
      if (this.#input.available === 0) {
        if (this.#ended) this.#fail('data ends inside a value', this.#valueOffset);
        return false;
      }
      const take = Math.min(this.#input.available, this.#remaining);
      this.#consume(take);
      this.#remaining -= take;
    }
    return true;
  }

  /** The header at the current offset, or undefined if more input is needed. */
  #header(frame: Frame): HeaderSlot | undefined {
    const available = this.#input.available;
    if (available < 8) {
      if (!this.#ended) return undefined;
      if (available === 0 && this.#frames.length === 1) {
        this.#state = State.Done;
        return undefined;
      }
      if (available === 0) this.#fail('data ends before the end of a sequence or item (PS3.5 7.5)');
      this.#fail('data ends inside an element header');
    }
    const { explicitVr, littleEndian } = frame.encoding;
    const chunk = this.#input.head as Uint8Array; // available >= 8
    const at = this.#input.headOffset;
    const slot = this.#slot;
    let result = readHeader(chunk, at, chunk.byteLength, explicitVr, littleEndian, slot);
    if (result === HEADER_NEED_MORE) {
      // The header spans chunks: its (at most 12) bytes are copied together.
      const size = this.#input.peekInto(this.#scratch, Math.min(12, available));
      result = readHeader(this.#scratch, 0, size, explicitVr, littleEndian, slot);
    }
    if (result === HEADER_OK) return slot;
    if (result === HEADER_UNKNOWN_VR) {
      const vr = String.fromCharCode(slot.vrCode >>> 8, slot.vrCode & 0xff);
      this.#fail(`unknown VR "${escape(vr)}" for ${formatTag(slot.tag)} (PS3.5 6.2)`);
    }
    if (this.#ended) this.#fail('data ends inside an element header');
    return undefined;
  }

  #consume(count: number): void {
    this.#input.consume(count);
    this.#offset += count;
  }

  #where(offset = this.#offset): { path?: string; offset: number } {
    let path = '';
    for (const frame of this.#frames) {
      if (frame.label === -1) continue;
      path += frame.kind === FrameKind.DataSet ? `[${frame.label}]` : formatTag(frame.label);
    }
    return path === '' ? { offset } : { path, offset };
  }

  #fail(detail: string, offset = this.#offset): never {
    this.#state = State.Done;
    throw new DataSetDecodeError('DICOMNET_DATASET_MALFORMED', detail, this.#where(offset));
  }
}

function escape(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
