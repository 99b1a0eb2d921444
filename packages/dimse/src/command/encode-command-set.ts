import { COMMAND_FIELD_ELEMENTS, commandElementByTag } from './command-dictionary.js';
import type { CommandFieldElement } from './command-dictionary.js';
import { InvalidCommandFieldError } from './command-errors.js';
import type { CommandSet, OtherCommandElement } from './command-set.js';
import {
  MAX_LO_LENGTH,
  isAeTitleText,
  isDefaultRepertoireText,
  isTagList,
  isUidText,
  isUint16,
  isUint32,
} from './command-value-rules.js';

/** Tag (4) + value length (4): the header of an Implicit VR element (PS3.5 §7.1.3). */
const ELEMENT_HEADER_LENGTH = 8;
/** Command Group Length (0000,0000): header + one UL. */
const GROUP_LENGTH_ELEMENT_LENGTH = ELEMENT_HEADER_LENGTH + 4;

type FieldValue = NonNullable<CommandSet[CommandFieldElement['field']]>;

/**
 * Encodes a command set in Implicit VR Little Endian, as every command set is (PS3.7 §6.3.1):
 * Command Group Length (0000,0000) first and computed, then the elements in ascending tag order
 * (retired and unknown `otherElements` merged in by tag, their bytes copied as given). UI values
 * are padded with one 00H, AE and LO values with one space, to even length (PS3.5 §6.2).
 *
 * One pass measures and checks, one allocation, one pass writes.
 * @throws {@link InvalidCommandFieldError} (`DICOMNET_DIMSE_INVALID_FIELD`) for a missing Command
 *   Field or Command Data Set Type, a US outside 0..65535, a tag outside 0..FFFFFFFFH, a UID over
 *   64 characters or with characters other than digits and dots, an AE title over 16 characters,
 *   an Error Comment over 64 characters, text outside the default repertoire (or with a
 *   backslash), or a bad entry in `otherElements` (not group 0000, a tag that has a field,
 *   repeated, odd length).
 */
export function encodeCommandSet(set: CommandSet): Uint8Array {
  const others = sortedOtherElements(set.otherElements);
  // One walk over the set's own keys (cheaper than probing all 24 names), then the few present
  // elements are put in tag order.
  const present: Present[] = [];
  let length = GROUP_LENGTH_ELEMENT_LENGTH;
  for (const key in set) {
    const element = ELEMENT_BY_FIELD.get(key);
    if (element === undefined) continue; // otherElements, or a property that is no field
    const value = set[element.field];
    if (value === undefined) continue;
    length += ELEMENT_HEADER_LENGTH + measureValue(element, value);
    insertByTag(present, { element, value });
  }
  if (set.commandField === undefined || set.commandDataSetType === undefined) {
    const field = set.commandField === undefined ? 'commandField' : 'commandDataSetType';
    throw new InvalidCommandFieldError(field, 'is required in every command set');
  }
  for (const other of others) length += ELEMENT_HEADER_LENGTH + other.value.byteLength;
  if (length - GROUP_LENGTH_ELEMENT_LENGTH > 0xffffffff) {
    throw new InvalidCommandFieldError('otherElements', 'command set longer than 4 GiB');
  }

  const bytes = new Uint8Array(length);
  putHeader(bytes, 0, 0x0000, 4);
  putUint32(bytes, ELEMENT_HEADER_LENGTH, length - GROUP_LENGTH_ELEMENT_LENGTH);
  let offset = GROUP_LENGTH_ELEMENT_LENGTH;
  let next = 0;
  for (const { element, value } of present) {
    for (let other = others[next]; other !== undefined && other.tag < element.tag;) {
      offset = putOther(bytes, offset, other);
      other = others[++next];
    }
    offset = putValue(bytes, offset, element, value);
  }
  for (let other = others[next]; other !== undefined; other = others[++next]) {
    offset = putOther(bytes, offset, other);
  }
  return bytes;
}

/**
 * {@link encodeCommandSet} for a set as {@link toCommandSet} builds it: only the fields of
 * `layout` (the elements its message may carry, Command Field and Command Data Set Type
 * included, in ascending tag order), every value already checked against the message's rules,
 * no `otherElements`. Gives the same bytes without sorting, checking again or a fresh
 * `ArrayBuffer` (above 64 bytes V8 allocates one outside its heap, which cost more than the
 * rest of the encoding): the bytes lie in Node's shared pool, so they are for a send, which
 * copies them or holds them until written, not for keeping.
 */
export function encodeLaidOutCommandSet(
  set: CommandSet,
  layout: readonly CommandFieldElement[],
): Uint8Array {
  // Each field is read once: `set[element.field]` is a megamorphic keyed load (every message
  // kind's set has its own shape), the costliest step of a C-ECHO's encoding.
  const values = LAID_OUT_VALUES;
  let count = 0;
  let length = GROUP_LENGTH_ELEMENT_LENGTH;
  for (const element of layout) {
    const value = set[element.field];
    if (value === undefined) continue;
    values[count] = value;
    LAID_OUT_ELEMENTS[count++] = element;
    length += ELEMENT_HEADER_LENGTH + paddedLength(value);
  }
  const bytes = Buffer.allocUnsafe(length);
  // Written byte by byte, not through a DataView: one DataView per command cost more than the
  // stores. Implicit VR Little Endian (PS3.7 §6.3.1).
  putHeader(bytes, 0, 0x0000, 4);
  putUint32(bytes, ELEMENT_HEADER_LENGTH, length - GROUP_LENGTH_ELEMENT_LENGTH);
  let offset = GROUP_LENGTH_ELEMENT_LENGTH;
  for (let index = 0; index < count; index++) {
    offset = putValue(bytes, offset, LAID_OUT_ELEMENTS[index]!, values[index]!);
    values[index] = undefined; // the scratch holds no caller's value past this call
  }
  return bytes;
}

/** Scratch of {@link encodeLaidOutCommandSet} (synchronous, so never shared between calls). */
const LAID_OUT_VALUES: (FieldValue | undefined)[] = [];
const LAID_OUT_ELEMENTS: CommandFieldElement[] = [];

/**
 * Writes one element, its value checked against its VR beforehand (`measureValue`, or the message
 * rules of `toCommandSet`), so the narrowings below are safe. Every byte is written, the UI pad
 * included: pool memory is not zeroed.
 */
function putValue(
  bytes: Uint8Array,
  offset: number,
  element: CommandFieldElement,
  value: FieldValue,
): number {
  const start = offset + ELEMENT_HEADER_LENGTH;
  if (typeof value === 'number') {
    putHeader(bytes, offset, element.tag, 2);
    bytes[start] = value & 0xff;
    bytes[start + 1] = value >>> 8;
    return start + 2;
  }
  if (typeof value !== 'string') {
    putHeader(bytes, offset, element.tag, value.length * 4);
    let at = start;
    for (const tag of value) {
      putHeaderTag(bytes, at, tag);
      at += 4;
    }
    return at;
  }
  const padded = value.length + (value.length & 1);
  putHeader(bytes, offset, element.tag, padded);
  for (let i = 0; i < value.length; i++) bytes[start + i] = value.charCodeAt(i);
  // UI is padded with a single NUL, the text VRs with a space (PS3.5 §6.2).
  if (padded !== value.length) bytes[start + value.length] = element.vr === 'UI' ? 0x00 : 0x20;
  return start + padded;
}

/** A tag as group then element, each a little-endian uint16 (PS3.5 §7.1.3). */
function putHeaderTag(bytes: Uint8Array, offset: number, tag: number): void {
  bytes[offset] = (tag >>> 16) & 0xff;
  bytes[offset + 1] = tag >>> 24;
  bytes[offset + 2] = tag & 0xff;
  bytes[offset + 3] = (tag >>> 8) & 0xff;
}

function putHeader(bytes: Uint8Array, offset: number, tag: number, valueLength: number): void {
  putHeaderTag(bytes, offset, tag);
  putUint32(bytes, offset + 4, valueLength);
}

function putUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = value >>> 24;
}

/** The value length on the wire of a value checked against its VR (US, AT or text). */
function paddedLength(value: FieldValue): number {
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return value.length + (value.length & 1);
  return value.length * 4;
}

interface Present {
  readonly element: CommandFieldElement;
  readonly value: FieldValue;
}

const ELEMENT_BY_FIELD: ReadonlyMap<string, CommandFieldElement> = new Map(
  COMMAND_FIELD_ELEMENTS.map((element) => [element.field, element]),
);

/** Insertion into a short list kept in ascending tag order. */
function insertByTag(list: Present[], entry: Present): void {
  let at = list.length;
  while (at > 0 && list[at - 1]!.element.tag > entry.element.tag) at -= 1; // at - 1 is in range
  list.splice(at, 0, entry);
}

/** Checks `value` against the element's VR and returns its padded length in bytes. */
function measureValue(element: CommandFieldElement, value: FieldValue): number {
  switch (element.vr) {
    case 'US':
      if (!isUint16(value)) throw invalid(element, 'must be an integer in 0..65535');
      return 2;
    case 'AT':
      if (!isTagList(value)) throw invalid(element, 'must be a list of tags 0xGGGGEEEE');
      return value.length * 4;
    case 'UI':
      if (!isUidText(value)) {
        throw invalid(element, 'must be a UID of at most 64 digits and dots (PS3.5 9.1)');
      }
      return value.length + (value.length & 1);
    case 'AE':
      if (!isAeTitleText(value)) {
        throw invalid(element, 'must be at most 16 default-repertoire characters, no backslash');
      }
      return value.length + (value.length & 1);
    case 'LO':
      if (!isDefaultRepertoireText(value, MAX_LO_LENGTH)) {
        throw invalid(element, 'must be at most 64 default-repertoire characters (PS3.7 C.5.2)');
      }
      return value.length + (value.length & 1);
    default:
      throw invalid(element, `has VR ${element.vr}, which no command field uses`);
  }
}

function putOther(bytes: Uint8Array, offset: number, other: OtherCommandElement): number {
  putHeader(bytes, offset, other.tag, other.value.byteLength);
  bytes.set(other.value, offset + ELEMENT_HEADER_LENGTH);
  return offset + ELEMENT_HEADER_LENGTH + other.value.byteLength;
}

/** Checks the raw elements and returns them in ascending tag order (a copy only if needed). */
function sortedOtherElements(
  list: readonly OtherCommandElement[] | undefined,
): readonly OtherCommandElement[] {
  if (list === undefined || list.length === 0) return [];
  let sorted = true;
  list.forEach((other, index) => {
    const field = `otherElements[${index}]`;
    if (!isUint32(other.tag) || other.tag >>> 16 !== 0) {
      throw new InvalidCommandFieldError(field, 'tag must be in group 0000 (PS3.7 §6.3.1)');
    }
    if (other.tag === 0x0000 || commandElementByTag(other.tag)?.field !== undefined) {
      throw new InvalidCommandFieldError(field, 'this tag has its own command set field');
    }
    if (!(other.value instanceof Uint8Array) || other.value.byteLength % 2 !== 0) {
      throw new InvalidCommandFieldError(field, 'value must be a Uint8Array of even length');
    }
    const previous = list[index - 1];
    if (previous !== undefined && previous.tag >= other.tag) sorted = false;
  });
  const result = sorted ? list : [...list].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < result.length; i++) {
    // Both indexes are inside the array.
    if (result[i - 1]!.tag === result[i]!.tag) {
      throw new InvalidCommandFieldError('otherElements', 'a tag occurs twice (PS3.7 §6.3.1)');
    }
  }
  return result;
}

function invalid(element: CommandFieldElement, detail: string): InvalidCommandFieldError {
  return new InvalidCommandFieldError(element.field, `(${element.keyword}) ${detail}`);
}
