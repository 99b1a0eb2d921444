// The writer's state machine: one token in, bytes into the current collector. A stack of frames
// mirrors the nesting (PS3.5 7.5); a sequence or item of computed length gets a collector of its
// own, emptied into its parent's, behind its header, when it ends (PS3.5 7.5.1).
import { formatTag, type DataElement } from '../data-set/data-set.js';
import {
  ITEM_DELIMITATION_TAG,
  ITEM_TAG,
  SEQUENCE_DELIMITATION_TAG,
  UNDEFINED_LENGTH,
} from '../data-set/element-header.js';
import { DataSetEncodeError } from '../data-set/errors.js';
import { swapBytes } from '../data-set/swap-bytes.js';
import { vrInfo, type VrInfo } from '../data-set/value-representation.js';
import type {
  EncapsulatedToken,
  FragmentToken,
  ItemToken,
  SequenceToken,
  ValueToken,
} from '../element-stream/element-token.js';
import { ByteCollector } from './byte-collector.js';
import { charsetTerms, swapSize, tagKeyOf, writeHeader } from './write-header.js';
import { encodeValue } from './encode-value.js';
import { checkModel, itemTokens, sequenceTokens, type ExpandedToken } from './model-tokens.js';
import type { ElementWriterInput, ModelElementToken, ModelItemToken } from './writer-input.js';

/** Everything the state consumes: public input and validated model expansions. */
export type StateInput = ElementWriterInput | ExpandedToken;

/** The fixed choices of one write. */
export interface WriterSettings {
  readonly explicitVr: boolean;
  readonly littleEndian: boolean;
  readonly inputLittleEndian: boolean;
  readonly encapsulatedAllowed: boolean;
  /** False in a known encapsulated syntax: top-level Pixel Data must be fragments (PS3.5 A.4). */
  readonly nativePixelDataAllowed: boolean;
  readonly lengths: 'as-given' | 'undefined' | 'defined';
  readonly groupLengths: 'drop' | 'keep';
  readonly maxBufferedBytes: number;
  readonly maxDepth: number;
  readonly chunkBytes: number;
}

interface Frame {
  readonly kind: 'top' | 'item' | 'sequence' | 'encapsulated';
  /** Sequence or encapsulated element: its tag; item: its index. */
  readonly id: number;
  readonly vr: string;
  /** Encoding of the frame's content. */
  readonly explicitVr: boolean;
  readonly littleEndian: boolean;
  readonly inputLittleEndian: boolean;
  /** Sequence nesting depth of the content (the top level is 0). */
  readonly depth: number;
  /** The content's own collector, for a computed length; undefined for undefined length. */
  readonly collector: ByteCollector | undefined;
  /** Data sets: the last tag written (PS3.5 7.1 order). */
  lastTag: number;
  /** Sequences: items so far. */
  items: number;
  /** Data sets: Specific Character Set in force (its own or inherited). */
  charset: readonly string[];
}

const SPECIFIC_CHARACTER_SET = 0x00080005;
const PIXEL_DATA = 0x7fe00010;
const MAX_DEFINED_LENGTH = 0xfffffffe;
const IMPLICIT_LITTLE = { explicitVr: false, littleEndian: true, inputLittleEndian: true };

/** Writes tokens into collectors; see writeElements for the rules. */
export class WriterState {
  /** The final output; chunks are taken from it as they complete. */
  readonly output: ByteCollector;
  readonly #settings: WriterSettings;
  readonly #frames: Frame[];
  /** Model expansions being walked, innermost last. */
  readonly #expansions: Iterator<ExpandedToken>[] = [];

  /**
   * @param firstBlock - Size of the output's first block; later ones double up to `chunkBytes`.
   */
  constructor(settings: WriterSettings, firstBlock = settings.chunkBytes) {
    this.#settings = settings;
    this.output = new ByteCollector(settings.chunkBytes, firstBlock);
    this.#frames = [
      {
        kind: 'top',
        id: 0,
        vr: '',
        explicitVr: settings.explicitVr,
        littleEndian: settings.littleEndian,
        inputLittleEndian: settings.inputLittleEndian,
        depth: 0,
        collector: undefined,
        lastTag: -1,
        items: 0,
        charset: [],
      },
    ];
  }

  /** The next token of a pending model expansion, or undefined when none is pending. */
  nextExpanded(): ExpandedToken | undefined {
    while (this.#expansions.length > 0) {
      const next = (this.#expansions.at(-1) as Iterator<ExpandedToken>).next();
      if (!next.done) return next.value;
      this.#expansions.pop();
    }
    return undefined;
  }

  /** Consumes one token. @throws {@link DataSetEncodeError} for input that cannot be written. */
  write(token: StateInput): void {
    switch (token.kind) {
      case 'element':
        this.#rawElement(token);
        break;
      case 'checked-element':
        this.#modelValue(this.#dataSet('an element', token.tag), token.tag, token.element);
        break;
      case 'model-element':
        this.#modelElement(token);
        break;
      case 'model-item':
        this.#modelItem(token);
        break;
      case 'sequence':
        this.#sequence(token);
        break;
      case 'item':
        this.#item(token);
        break;
      case 'item-end':
        this.#itemEnd();
        break;
      case 'sequence-end':
        this.#sequenceEnd();
        break;
      case 'encapsulated':
        this.#encapsulated(token);
        break;
      case 'fragment':
        this.#fragment(token);
        break;
      default:
        this.#fail(`unknown token kind "${String((token as { kind: unknown }).kind)}"`);
    }
    this.#checkBuffered();
  }

  /** Checks that the input ended at the top level. */
  end(): void {
    const frame = this.#top();
    if (frame.kind !== 'top')
      this.#fail(`the input ends inside ${frame.kind === 'item' ? 'an item' : 'a sequence'}`);
  }

  #rawElement(token: ValueToken): void {
    const frame = this.#dataSet('an element', token.tag);
    // PS3.5 7.2: Group Length is optional and readers accept or ignore it; a copied one is wrong
    // as soon as any length in its group changes (VR form, padding, sequence lengths).
    if ((token.tag & 0xffff) === 0 && this.#settings.groupLengths === 'drop') return;
    const info = vrInfo(token.vr);
    if (info === undefined || info.kind === 'sequence')
      this.#fail(`VR "${token.vr}" cannot be written as a value token`, token.tag);
    if (token.value === undefined)
      this.#fail('the value bytes were not read (skipped by the reader)', token.tag);
    let value = token.value;
    const swap = swapSize(info);
    if (frame.inputLittleEndian !== frame.littleEndian && swap > 1)
      value = swapBytes(value.slice(), swap); // PS3.5 7.3: binary words in the output's order
    if (value.byteLength & 1) {
      const padded = new Uint8Array(value.byteLength + 1); // PS3.5 7.1.1: even lengths
      padded.set(value);
      padded[value.byteLength] = info.pad;
      value = padded;
    }
    if (token.tag === SPECIFIC_CHARACTER_SET) frame.charset = charsetTerms(value);
    this.#value(frame, token.tag, token.vr, info, value);
  }

  #modelElement(token: ModelElementToken): void {
    // A sequence records its tag when its expansion's first token is written.
    const frame = this.#dataSet('an element', token.tag, token.element.vr !== 'SQ');
    const key = tagKeyOf(token.tag);
    checkModel(
      { [key]: token.element },
      frame.charset,
      this.#settings.maxDepth - frame.depth,
      this.#path(),
    );
    if (token.element.vr === 'SQ') {
      this.#expansions.push(
        sequenceTokens(token.tag, token.element, this.#defined(token.definedLength === true)),
      );
    } else {
      this.#modelValue(frame, token.tag, token.element);
    }
  }

  #modelItem(token: ModelItemToken): void {
    const frame = this.#top();
    if (frame.kind !== 'sequence') this.#fail('an item outside a sequence');
    const parent = this.#frames.at(-2) as Frame; // a sequence always has a parent data set
    checkModel(
      token.dataSet,
      parent.charset,
      this.#settings.maxDepth - frame.depth,
      `${this.#path()}[${frame.items}]`,
    );
    this.#expansions.push(
      itemTokens(token.dataSet, frame.items, this.#defined(token.definedLength === true)),
    );
  }

  #modelValue(frame: Frame, tag: number, element: DataElement): void {
    const info = vrInfo(element.vr) as VrInfo; // validated
    const value = encodeValue(element, frame.littleEndian);
    if (tag === SPECIFIC_CHARACTER_SET)
      frame.charset = (element.Value ?? []).map((term) => String(term).trim());
    this.#value(frame, tag, element.vr, info, value);
  }

  #value(frame: Frame, tag: number, vr: string, info: VrInfo, value: Uint8Array): void {
    if (tag === PIXEL_DATA && frame.kind === 'top' && !this.#settings.nativePixelDataAllowed) {
      throw new DataSetEncodeError(
        'DICOMNET_DATASET_UNSUPPORTED',
        'Pixel Data of defined length in an encapsulated transfer syntax (PS3.5 A.4)',
        this.#path(tag),
        'encapsulated-pixel-data',
      );
    }
    const limit = frame.explicitVr && !info.longLength ? 0xffff : MAX_DEFINED_LENGTH;
    if (value.byteLength > limit)
      this.#fail(`a ${vr} value of ${value.byteLength} bytes (at most ${limit} here)`, tag);
    const collector = this.#collector();
    writeHeader(collector, tag, vr, value.byteLength, frame, info);
    collector.append(value);
  }

  #sequence(token: SequenceToken): void {
    const frame = this.#dataSet('a sequence', token.tag);
    if (token.vr !== 'SQ' && token.vr !== 'UN')
      this.#fail(`a sequence of VR "${String(token.vr)}"`, token.tag);
    if (frame.depth + 1 > this.#settings.maxDepth)
      this.#fail(`sequences nested deeper than ${this.#settings.maxDepth}`, token.tag);
    const defined = this.#defined(token.length !== undefined);
    if (!defined) {
      writeHeader(this.#collector(), token.tag, token.vr, UNDEFINED_LENGTH, frame, LONG);
    }
    // PS3.5 6.2.2: the items of a sequence of VR UN are Implicit VR Little Endian.
    const encoding = token.vr === 'UN' ? IMPLICIT_LITTLE : frame;
    this.#frames.push({
      kind: 'sequence',
      id: token.tag,
      vr: token.vr,
      explicitVr: encoding.explicitVr,
      littleEndian: encoding.littleEndian,
      inputLittleEndian: encoding.inputLittleEndian,
      depth: frame.depth + 1,
      collector: defined ? this.#newCollector() : undefined,
      lastTag: -1,
      items: 0,
      charset: frame.charset,
    });
  }

  #item(token: ItemToken): void {
    const frame = this.#top();
    if (frame.kind !== 'sequence') this.#fail('an item outside a sequence');
    const defined = this.#defined(token.length !== undefined);
    if (!defined)
      writeHeader(this.#collector(), ITEM_TAG, undefined, UNDEFINED_LENGTH, frame, LONG);
    const parent = this.#frames.at(-2) as Frame;
    this.#frames.push({
      ...frame,
      kind: 'item',
      id: frame.items,
      collector: defined ? this.#newCollector() : undefined,
      lastTag: -1,
      items: 0,
      charset: parent.charset,
    });
    frame.items++;
  }

  #itemEnd(): void {
    const frame = this.#top();
    if (frame.kind !== 'item') this.#fail('an item end outside an item');
    this.#frames.pop();
    this.#close(frame, ITEM_TAG, undefined, ITEM_DELIMITATION_TAG);
  }

  #sequenceEnd(): void {
    const frame = this.#top();
    if (frame.kind === 'sequence') {
      this.#frames.pop();
      this.#close(frame, frame.id, frame.vr, SEQUENCE_DELIMITATION_TAG);
    } else if (frame.kind === 'encapsulated') {
      this.#frames.pop();
      // PS3.5 A.4: the fragments end with a Sequence Delimitation Item.
      writeHeader(this.#collector(), SEQUENCE_DELIMITATION_TAG, undefined, 0, frame, LONG);
    } else {
      this.#fail('a sequence end outside a sequence');
    }
  }

  /** Ends a sequence or item: its delimiter, or its header with the computed length. */
  #close(frame: Frame, tag: number, vr: string | undefined, delimiter: number): void {
    const parent = this.#top();
    // Items and delimiters use the encoding of the sequence content; a sequence header its parent's.
    const headerEncoding = frame.kind === 'item' ? frame : parent;
    if (frame.collector === undefined) {
      writeHeader(this.#collector(), delimiter, undefined, 0, frame, LONG);
      return;
    }
    const chunks = frame.collector.finish();
    const length = frame.collector.total;
    if (length > MAX_DEFINED_LENGTH)
      this.#fail(`a computed length of ${length} bytes does not fit in 32 bits`, tag);
    const collector = this.#collector();
    writeHeader(collector, tag, vr, length, headerEncoding, LONG);
    collector.appendAll(chunks);
  }

  #encapsulated(token: EncapsulatedToken): void {
    const frame = this.#dataSet('encapsulated pixel data', token.tag);
    if (!this.#settings.encapsulatedAllowed) {
      throw new DataSetEncodeError(
        'DICOMNET_DATASET_UNSUPPORTED',
        'encapsulated pixel data in a transfer syntax that is not encapsulated (PS3.5 A.4)',
        this.#path(token.tag),
        'encapsulated-pixel-data',
      );
    }
    if (token.vr !== 'OB' && token.vr !== 'OW')
      this.#fail(`encapsulated pixel data of VR "${token.vr}" (PS3.5 A.4: OB)`, token.tag);
    writeHeader(this.#collector(), token.tag, token.vr, UNDEFINED_LENGTH, frame, LONG);
    this.#frames.push({
      ...frame,
      kind: 'encapsulated',
      id: token.tag,
      vr: token.vr,
      collector: undefined,
      items: 0,
    });
  }

  #fragment(token: FragmentToken): void {
    const frame = this.#top();
    if (frame.kind !== 'encapsulated') this.#fail('a fragment outside encapsulated pixel data');
    if (token.value === undefined)
      this.#fail(`fragment ${frame.items}: the bytes were not read (skipped by the reader)`);
    const odd = token.value.byteLength & 1;
    const collector = this.#collector();
    // PS3.5 A.4: fragments are items of even, defined length.
    writeHeader(collector, ITEM_TAG, undefined, token.value.byteLength + odd, frame, LONG);
    collector.append(token.value);
    if (odd) collector.append(NUL);
    frame.items++;
  }

  /**
   * The current frame, which must be a data set; checks that `tag` ascends (PS3.5 7.1) and,
   * when `record`, makes it the last tag.
   */
  #dataSet(what: string, tag: number, record = true): Frame {
    const frame = this.#top();
    if (frame.kind !== 'top' && frame.kind !== 'item')
      this.#fail(
        `${what} directly inside a ${frame.kind === 'sequence' ? 'sequence' : 'pixel data element'}`,
        tag,
      );
    if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffffff)
      this.#fail(`${String(tag)} is not a tag (0xggggeeee)`);
    if (tag >>> 16 === 0xfffe) this.#fail('item and delimiter tags are not elements', tag);
    if (tag <= frame.lastTag) {
      this.#fail(
        `tags must ascend within a data set (PS3.5 7.1): ${formatTag(tag)} after ${formatTag(frame.lastTag)}`,
        tag,
      );
    }
    if (record) frame.lastTag = tag;
    return frame;
  }

  #defined(asked: boolean): boolean {
    const lengths = this.#settings.lengths;
    return lengths === 'as-given' ? asked : lengths === 'defined';
  }

  #newCollector(): ByteCollector {
    return new ByteCollector(this.#settings.chunkBytes, 256);
  }

  /** Where bytes go now: the innermost computed-length frame's collector, or the output. */
  #collector(): ByteCollector {
    for (let i = this.#frames.length - 1; i > 0; i--) {
      const collector = (this.#frames[i] as Frame).collector;
      if (collector !== undefined) return collector;
    }
    return this.output;
  }

  #checkBuffered(): void {
    let buffered = 0;
    for (const frame of this.#frames) buffered += frame.collector?.total ?? 0;
    if (buffered > this.#settings.maxBufferedBytes) {
      throw new DataSetEncodeError(
        'DICOMNET_DATASET_UNSUPPORTED',
        `more than ${this.#settings.maxBufferedBytes} bytes held for computed lengths (PS3.5 7.5.1); write undefined lengths or raise maxBufferedBytes`,
        this.#path(),
        'defined-length-buffer',
      );
    }
  }

  #top(): Frame {
    return this.#frames.at(-1) as Frame; // the top-level frame is never popped
  }

  /** Tag path of the current position, e.g. `(0008,1110)[2](0008,1150)`. */
  #path(tag?: number): string {
    let path = '';
    for (const frame of this.#frames) {
      if (frame.kind === 'sequence' || frame.kind === 'encapsulated') path += formatTag(frame.id);
      else if (frame.kind === 'item') path += `[${frame.id}]`;
    }
    return tag === undefined ? path : path + formatTag(tag);
  }

  #fail(detail: string, tag?: number): never {
    const path = this.#path(tag);
    throw new DataSetEncodeError(
      'DICOMNET_DATASET_INVALID_VALUE',
      detail,
      path === '' ? undefined : path,
    );
  }
}

const NUL = Uint8Array.of(0);
/** Header facts of SQ, items and delimiters: a 32-bit length. */
const LONG = vrInfo('SQ') as VrInfo;
