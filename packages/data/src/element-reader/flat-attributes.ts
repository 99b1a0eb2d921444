// The requested top-level attributes of a data set held whole in memory, read by a plain loop over
// its element headers: no parser, no token per element, a skipped value (Pixel Data above all)
// costs an offset addition. It reads only the plain case: top-level elements of defined, even
// length, within the bytes, in ascending order, up to the last requested tag; a sequence not asked
// for is walked by an ElementParser of its own and passed. At anything else (a requested sequence,
// undefined length, an item tag, an unknown VR, a malformed or truncated header, a requested value
// over maxValueBytes) it gives up, and the caller reads the data set again with the ElementParser,
// which returns the same attributes or throws the same error for it.
import type { DataSetEncoding } from '../data-set/element-header.js';
import {
  compileTags,
  decodeAttributes,
  splitTerms,
  SPECIFIC_CHARACTER_SET,
  type AttributeTag,
  type Attributes,
  type RawElement,
} from './attribute-collector.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import { dictionaryVr, isSignedWithPixels } from './data-dictionary.js';
import { ElementParser } from './element-parser.js';
import { HEADER_OK, readHeader, type HeaderSlot } from './header-reader.js';
import { DEFAULT_READER_MAX_VALUE_BYTES, type ElementParserOptions } from './reader-options.js';

const PIXEL_REPRESENTATION = 0x00280103;
const UNDEFINED_LENGTH = 0xffffffff;

// Overwritten by each header read; the loop below never re-enters itself.
const slot: HeaderSlot = { tag: 0, vr: undefined, length: 0, headerLength: 0, vrCode: 0 };

/**
 * The requested attributes of `bytes` when it is a plain data set up to the last of them (see
 * above), as the ElementParser and AttributeCollector would return them; undefined otherwise.
 * @param complete - True when `bytes` is the whole data set; false for its first bytes only
 *   (then bytes that end before the last requested tag is passed are given up on too).
 * @param copyBinary - Copy binary values rather than return views of `bytes`.
 * @throws As {@link decodeAttributes} (a value that does not decode, an unsupported character
 *   set), in the order the general path throws them.
 */
export function readFlatAttributes(
  input: Uint8Array,
  encoding: DataSetEncoding,
  tags: Iterable<AttributeTag>,
  options: Pick<ElementParserOptions, 'maxValueBytes' | 'maxDepth'>,
  complete: boolean,
  copyBinary: boolean,
): Attributes | undefined {
  const { wanted, last } = compileTags(tags);
  const limit = options.maxValueBytes ?? DEFAULT_READER_MAX_VALUE_BYTES;
  // Values are views of the input: plain Uint8Arrays, also when a Buffer came (as the parser's).
  const bytes = Buffer.isBuffer(input)
    ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
    : input;
  const { explicitVr, littleEndian } = encoding;
  const end = bytes.byteLength;
  const elements: RawElement[] = [];
  let characterSet: readonly string[] | undefined;
  let lastTag = -1;
  let pixelRepresentation = -1;
  let at = 0;
  // PS3.5 7.1: tags ascend, so nothing requested lies past the last requested tag.
  while (lastTag < last) {
    if (at === end) {
      if (complete) break;
      return undefined;
    }
    if (readHeader(bytes, at, end, explicitVr, littleEndian, slot) !== HEADER_OK) return undefined;
    const { tag, length, headerLength } = slot;
    if (tag >>> 16 === 0xfffe) return undefined;
    if (tag > last) break;
    if (tag <= lastTag) return undefined;
    const implicit = slot.vr === undefined;
    let vr = slot.vr ?? dictionaryVr(tag);
    // "US or SS" take the pixels' signedness in Implicit VR, as the ElementParser reads them.
    if (implicit && vr === 'US' && pixelRepresentation === 1 && isSignedWithPixels(tag)) vr = 'SS';
    // PS3.5 6.2.2: a UN of undefined length holds a sequence.
    if (vr === 'SQ' || (vr === 'UN' && length === UNDEFINED_LENGTH)) {
      if (wanted.has(tag)) return undefined; // the collector's work: items, their character sets
      const after = skipSequence(bytes, at, encoding, tag, options.maxDepth, complete);
      if (after === -1) return undefined;
      lastTag = tag;
      at = after;
      continue;
    }
    if (length === UNDEFINED_LENGTH || length % 2 === 1) return undefined;
    const valueAt = at + headerLength;
    if (valueAt + length > end) return undefined;
    lastTag = tag;
    at = valueAt + length;
    if (implicit && tag === PIXEL_REPRESENTATION && length === 2)
      pixelRepresentation = (bytes[valueAt] as number) | ((bytes[valueAt + 1] as number) << 8);
    const asked = wanted.has(tag);
    if (!asked && tag !== SPECIFIC_CHARACTER_SET) continue;
    if (length > limit) return undefined;
    const value = bytes.subarray(valueAt, at);
    if (tag === SPECIFIC_CHARACTER_SET) characterSet = splitTerms(value);
    if (asked) elements.push({ tag, vr, value });
  }
  return decodeAttributes(elements, characterSet, littleEndian, copyBinary);
}

const NO_VALUES = (): boolean => false;

/**
 * The offset just past the unrequested sequence whose header is at `at`, walked (its values
 * skipped) and checked by the ElementParser as the general path walks it; -1 when the parser
 * refuses it or it does not end within `bytes`.
 */
function skipSequence(
  bytes: Uint8Array,
  at: number,
  encoding: DataSetEncoding,
  tag: number,
  maxDepth: number | undefined,
  complete: boolean,
): number {
  const parser = new ElementParser(encoding, {
    stopAfter: tag,
    wantValue: NO_VALUES,
    ...(maxDepth === undefined ? {} : { maxDepth }),
  });
  parser.push(bytes.subarray(at));
  if (complete) parser.end();
  try {
    while (parser.read() !== undefined);
  } catch (error) {
    if (error instanceof DataSetDecodeError) return -1; // the general path throws it again
    throw error;
  }
  return parser.stopped ? at + parser.offset : -1;
}
