// Collects the requested top-level attributes (a requested sequence whole, with its items) from
// a token stream, tells the parser which values to deliver and where to stop, and decodes them.
import { formatTag, type DataElement, type DataSet } from '../data-set/data-set.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import type { ElementToken } from '../element-stream/element-token.js';
import { textDecoding, type TextDecoding } from './character-sets.js';
import { dictionaryVr } from './data-dictionary.js';
import { decodeValue } from './decode-value.js';
import type { ElementParserOptions } from './reader-options.js';

/** A tag as `0xggggeeee` or as its 8-hex-digit key (`'0020000D'`). */
export type AttributeTag = number | string;

/** The attributes found, by tag key (`ggggeeee`); a requested tag that is absent has no key. */
export type Attributes = Record<string, DataElement>;

/** (0008,0005), read wherever it is met: it says how text is decoded (PS3.5 6.1). */
export const SPECIFIC_CHARACTER_SET = 0x00080005;

/** A requested element's VR and value bytes (or a sequence's items), before decoding. */
export interface RawElement {
  readonly tag: number;
  readonly vr: string;
  readonly value?: Uint8Array;
  readonly items?: RawElement[][];
}

/** The parser options and the token sink of one attribute read. */
export class AttributeCollector {
  readonly #wanted: Set<number>;
  readonly #elements: RawElement[] = [];
  /** Open requested sequences and their current item, innermost last. */
  readonly #open: { element: RawElement; items: RawElement[][]; item: RawElement[] | undefined }[] =
    [];
  #characterSet: readonly string[] | undefined;
  /** Depth of unrequested sequences entered (their content is skipped). */
  #skipping = 0;
  readonly parserOptions: ElementParserOptions;

  /**
   * @param tags - The requested top-level tags.
   * @param options - Limits passed on to the parser.
   */
  constructor(tags: Iterable<AttributeTag>, options: Omit<ElementParserOptions, 'wantValue'>) {
    const { wanted, last } = compileTags(tags);
    this.#wanted = wanted;
    this.parserOptions = {
      ...options,
      stopAfter: Math.min(last, options.stopAfter ?? Number.POSITIVE_INFINITY),
      wantValue: (tag, _vr, _length, depth) =>
        depth === 0
          ? this.#wanted.has(tag) || tag === SPECIFIC_CHARACTER_SET
          : this.#open.length > 0 && this.#skipping === 0,
    };
  }

  /** Takes the next token of the stream. */
  add(token: ElementToken): void {
    const top = this.#open[this.#open.length - 1];
    switch (token.kind) {
      case 'element': {
        if (token.value === undefined) {
          // Asked for, yet skipped: longer than maxValueBytes. Absent would be a wrong answer.
          const asked = top === undefined ? this.#wanted.has(token.tag) : this.#skipping === 0;
          if (asked && this.#skipping === 0) {
            throw new DataSetDecodeError(
              'DICOMNET_DATASET_UNSUPPORTED',
              `${formatTag(token.tag)} has ${token.length} bytes, more than maxValueBytes`,
              {},
              'value-too-large',
            );
          }
          return;
        }
        const element: RawElement = { tag: token.tag, vr: token.vr, value: token.value };
        if (top === undefined) {
          if (token.tag === SPECIFIC_CHARACTER_SET) this.#characterSet = splitTerms(token.value);
          if (this.#wanted.has(token.tag)) this.#elements.push(element);
        } else if (this.#skipping === 0) {
          top.item?.push(element);
        }
        return;
      }
      case 'sequence':
      case 'encapsulated': {
        const requested = top === undefined ? this.#wanted.has(token.tag) : this.#skipping === 0;
        if (!requested || token.kind === 'encapsulated') {
          this.#skipping++; // until its sequence-end
          return;
        }
        const items: RawElement[][] = [];
        const element: RawElement = { tag: token.tag, vr: 'SQ', items };
        if (top === undefined) this.#elements.push(element);
        else top.item?.push(element);
        this.#open.push({ element, items, item: undefined });
        return;
      }
      case 'item':
        if (this.#skipping === 0 && top !== undefined) {
          top.item = [];
          top.items.push(top.item);
        }
        return;
      case 'item-end':
        return;
      case 'sequence-end':
        if (this.#skipping > 0) this.#skipping--;
        else this.#open.pop();
        return;
      case 'fragment':
        return;
    }
  }

  /**
   * The decoded attributes, text in the top-level Specific Character Set.
   * @param littleEndian - The stream's byte order.
   * @param copyBinary - Copy binary values rather than return views of the input (when the
   *   input buffer is about to be reused).
   */
  result(littleEndian: boolean, copyBinary = false): Attributes {
    return decodeAttributes(this.#elements, this.#characterSet, littleEndian, copyBinary);
  }
}

/**
 * The requested elements decoded, text in the top-level Specific Character Set.
 * @param characterSet - The terms of (0008,0005) at the top level; undefined when absent.
 */
export function decodeAttributes(
  elements: readonly RawElement[],
  characterSet: readonly string[] | undefined,
  littleEndian: boolean,
  copyBinary: boolean,
): Attributes {
  const text = textDecoding(characterSet);
  return decodeElements(elements, { littleEndian, text, copyBinary });
}

function decodeElements(
  elements: readonly RawElement[],
  context: { littleEndian: boolean; text: TextDecoding; copyBinary: boolean },
): Attributes {
  const result: Attributes = {};
  for (const element of elements) {
    const key = keyOf(element.tag);
    if (element.items !== undefined) {
      const items: DataSet[] = element.items.map((item) => {
        // PS3.5 7.5: a Specific Character Set in an item applies to that item (and below).
        const own = item.find((inner) => inner.tag === SPECIFIC_CHARACTER_SET)?.value;
        const text = own === undefined ? context.text : textDecoding(splitTerms(own));
        return decodeElements(item, { ...context, text });
      });
      result[key] = items.length === 0 ? { vr: 'SQ' } : { vr: 'SQ', Value: items };
    } else {
      const value = element.value ?? new Uint8Array(0);
      const decoded = decodeKnown(element, value, context);
      const binary = decoded.InlineBinary;
      result[key] =
        context.copyBinary && binary !== undefined && binary.buffer === value.buffer
          ? { vr: decoded.vr, InlineBinary: binary.slice() }
          : decoded;
    }
  }
  return result;
}

// The last tag list compiled, kept so that a caller asking for the same tags file after file
// (an indexer) does not build the same set each time; its contents are compared, not its identity
// alone, since an array may change between calls.
let lastTags: readonly AttributeTag[] | undefined;
let lastCopy: readonly AttributeTag[] = [];
let lastCompiled: { readonly wanted: Set<number>; readonly last: number } | undefined;

/** The requested tags as numbers, and the largest (-1 when none). */
export function compileTags(tags: Iterable<AttributeTag>): {
  readonly wanted: Set<number>;
  readonly last: number;
} {
  if (Array.isArray(tags) && tags === lastTags && lastCompiled !== undefined) {
    const same = tags.length === lastCopy.length && tags.every((tag, i) => tag === lastCopy[i]);
    if (same) return lastCompiled;
  }
  const wanted = new Set<number>();
  for (const tag of tags) wanted.add(toTagNumber(tag));
  let last = -1;
  for (const tag of wanted) last = Math.max(last, tag);
  if (Array.isArray(tags)) {
    lastTags = tags as readonly AttributeTag[];
    lastCopy = [...(tags as readonly AttributeTag[])];
    lastCompiled = { wanted, last };
  }
  return { wanted, last };
}

// Keys of the tags met, so that each is formatted once per process (bounded: hostile input may
// bring any number of distinct private tags).
const KEYS = new Map<number, string>();
const MAX_CACHED_KEYS = 8192;

function keyOf(tag: number): string {
  let key = KEYS.get(tag);
  if (key === undefined) {
    key = (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
    if (KEYS.size < MAX_CACHED_KEYS) KEYS.set(tag, key);
  }
  return key;
}

/**
 * A UN whose tag the dictionary knows is decoded with the dictionary's VR, its value read as
 * Little Endian whatever the transfer syntax (PS3.5 6.2.2), as the dcmjs codec does.
 */
function decodeKnown(
  element: RawElement,
  value: Uint8Array,
  context: { littleEndian: boolean; text: TextDecoding },
): DataElement {
  if (element.vr === 'UN') {
    const known = dictionaryVr(element.tag);
    if (known !== 'UN' && known !== 'SQ')
      return decodeValue(known, value, { ...context, littleEndian: true });
  }
  return decodeValue(element.vr, value, context);
}

/** The terms of a Specific Character Set value. */
export function splitTerms(bytes: Uint8Array): string[] {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .split('\\')
    .map((term) => term.replace(/[ \0]+$/, '').trim());
}

/** `0xggggeeee` of a tag given as a number or a key. */
export function toTagNumber(tag: AttributeTag): number {
  if (typeof tag === 'number') {
    if (Number.isInteger(tag) && tag >= 0 && tag <= 0xffffffff) return tag;
  } else if (/^[0-9A-Fa-f]{8}$/.test(tag)) {
    return Number.parseInt(tag, 16);
  }
  throw new TypeError(`not a tag: ${String(tag)} (expected 0xggggeeee or 8 hex digits)`);
}
