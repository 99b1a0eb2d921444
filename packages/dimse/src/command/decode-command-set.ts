import { commandElementByTag } from './command-dictionary.js';
import type { CommandFieldElement } from './command-dictionary.js';
import { CommandSetError } from './command-errors.js';
import type { CommandSet, CommandSetFieldName, OtherCommandElement } from './command-set.js';

const ELEMENT_HEADER_LENGTH = 8;
const UNDEFINED_LENGTH = 0xffffffff;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Decodes a command set (Implicit VR Little Endian, PS3.7 §6.3.1, Annex E). Respects the view's
 * `byteOffset`; never reads outside it. Strings lose their trailing padding (NUL or space;
 * space-padded UIDs are accepted, as DCMTK's dimcmd.cc also does for peers that send them), AE
 * titles are trimmed on both sides (leading and trailing spaces are not significant, PS3.5 Table
 * 6.2-1). Retired elements (PS3.7 Table E.2-1) and unknown group-0000 elements are kept raw in
 * `otherElements`.
 *
 * Strict where the framing of the message depends on it, lenient where it does not:
 * - Command Group Length (0000,0000) may be absent: every message table lists it, but DCMTK
 *   (dimcmd.cc) and pynetdicom never read it on receipt, and the command set is already
 *   delimited by the PDV last-fragment bit (PS3.8 E.2). When present its value must equal the
 *   number of bytes after it; a wrong value (zero included) means the framing went wrong.
 * - Elements must be in strictly ascending tag order, which also refuses repeats (PS3.7 §6.3.1:
 *   "ordered by increasing Command Element Tag number … shall occur at most once").
 * - Every tag must be in group 0000 (PS3.7 §6.3.1).
 * - Value lengths must be even and inside the buffer; undefined length is refused.
 * - US values must be 2 bytes, UL 4, AT a multiple of 4.
 * - Command Field (0000,0100) and Command Data Set Type (0000,0800) must be present: without
 *   them neither the message nor whether a data set follows can be known.
 * @throws {@link CommandSetError} (`DICOMNET_DIMSE_BAD_COMMAND_SET`) carrying the byte offset.
 */
export function decodeCommandSet(bytes: Uint8Array): CommandSet {
  const end = bytes.byteLength;
  const fields: Partial<Mutable<Omit<CommandSet, 'otherElements'>>> = {};
  let others: OtherCommandElement[] | undefined; // made for the first such element
  let previousTag = -1;
  let offset = 0;
  while (offset < end) {
    if (end - offset < ELEMENT_HEADER_LENGTH) {
      throw new CommandSetError(offset, `${end - offset} bytes left, an element header needs 8`);
    }
    // Read byte by byte, not through a DataView: one DataView per command cost more than this.
    const group = uint16(bytes, offset);
    const element = uint16(bytes, offset + 2);
    const length = uint32(bytes, offset + 4);
    const tag = element; // group is 0000, checked next
    if (group !== 0x0000) {
      throw new CommandSetError(
        offset,
        `tag (${hex4(group)},${hex4(element)}) is not in group 0000`,
      );
    }
    if (tag <= previousTag) {
      throw new CommandSetError(
        offset,
        tag === previousTag
          ? `element (0000,${hex4(element)}) occurs twice`
          : `element (0000,${hex4(element)}) is out of ascending order`,
      );
    }
    previousTag = tag;
    if (length === UNDEFINED_LENGTH) {
      throw new CommandSetError(offset + 4, 'undefined length is not allowed in a command set');
    }
    if (length % 2 !== 0) {
      throw new CommandSetError(offset + 4, `odd value length ${length}`);
    }
    const start = offset + ELEMENT_HEADER_LENGTH;
    if (length > end - start) {
      throw new CommandSetError(offset + 4, `value length ${length} overruns the ${end} bytes`);
    }
    const definition = commandElementByTag(tag);
    if (tag === 0x0000) {
      checkGroupLength(bytes, start, length, end);
    } else if (definition?.field !== undefined) {
      // A definition with a field is a CommandFieldElement by construction.
      readField(bytes, start, length, definition as CommandFieldElement, fields);
    } else {
      // A copy: Buffer#slice would alias the caller's (often pooled) memory.
      (others ??= []).push({ tag, value: new Uint8Array(bytes.subarray(start, start + length)) });
    }
    offset = start + length;
  }
  const { commandField, commandDataSetType } = fields;
  if (commandField === undefined) {
    throw new CommandSetError(end, 'no Command Field (0000,0100)');
  }
  if (commandDataSetType === undefined) {
    throw new CommandSetError(end, 'no Command Data Set Type (0000,0800)');
  }
  // Both required fields are in `fields`, checked above: it is the command set, as read.
  const set = fields as Mutable<CommandSet>;
  if (others !== undefined) set.otherElements = others;
  return set;
}

function checkGroupLength(bytes: Uint8Array, start: number, length: number, end: number): void {
  if (length !== 4) {
    throw new CommandSetError(start - 4, `Command Group Length (UL) has length ${length}, not 4`);
  }
  const value = uint32(bytes, start);
  const rest = end - (start + 4);
  if (value !== rest) {
    throw new CommandSetError(start, `Command Group Length says ${value} bytes, ${rest} follow`);
  }
}

function readField(
  bytes: Uint8Array,
  start: number,
  length: number,
  definition: CommandFieldElement,
  fields: Partial<Record<CommandSetFieldName, unknown>>,
): void {
  switch (definition.vr) {
    case 'US':
      if (length !== 2) {
        throw new CommandSetError(start - 4, `${definition.keyword} (US) has length ${length}`);
      }
      fields[definition.field] = uint16(bytes, start);
      return;
    case 'AT': {
      if (length % 4 !== 0) {
        throw new CommandSetError(start - 4, `${definition.keyword} (AT) has length ${length}`);
      }
      const tags: number[] = [];
      for (let at = start; at < start + length; at += 4) {
        tags.push(((uint16(bytes, at) << 16) | uint16(bytes, at + 2)) >>> 0);
      }
      fields[definition.field] = tags;
      return;
    }
    default: {
      // Padding is stripped by scanning the bytes (a regex on hostile input could backtrack).
      let last = start + length;
      while (last > start && (bytes[last - 1] === 0x00 || bytes[last - 1] === 0x20)) last -= 1;
      let first = start;
      if (definition.vr === 'AE') while (first < last && bytes[first] === 0x20) first += 1;
      // A Buffer (what a socket gives) is read in place; a plain Uint8Array through a view of it.
      fields[definition.field] = Buffer.isBuffer(bytes)
        ? bytes.toString('latin1', first, last)
        : Buffer.from(bytes.buffer, bytes.byteOffset + first, last - first).toString('latin1');
    }
  }
}

function uint16(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8); // the caller checked the bounds
}

function uint32(bytes: Uint8Array, offset: number): number {
  return (uint16(bytes, offset) | (uint16(bytes, offset + 2) << 16)) >>> 0;
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0').toUpperCase();
}
