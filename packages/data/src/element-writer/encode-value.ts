// The value bytes of one model element (PS3.5 6.2, 6.4, 7.3). The element has been validated
// (validateDataSet), so every value has the type its VR calls for.
import type { DataElement, PersonName } from '../data-set/data-set.js';
import { formatDecimal, formatPersonName } from '../data-set/format-values.js';
import { swapBytes } from '../data-set/swap-bytes.js';
import { vrInfo, type VrInfo } from '../data-set/value-representation.js';

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();

/**
 * Encodes the value of a validated, non-sequence element in the given byte order, padded to even
 * length (PS3.5 7.1.1): with a space for character data, a NUL for UI and binary VRs (PS3.5 6.2).
 * Text is UTF-8 (the caller has checked that Specific Character Set allows it). Binary values
 * that need no swap or pad are returned as they are (a view, not a copy).
 */
export function encodeValue(element: DataElement, littleEndian: boolean): Uint8Array {
  const info = vrInfo(element.vr) as VrInfo; // validated: a VR of PS3.5 Table 6.2-1
  switch (info.kind) {
    case 'bytes':
      return encodeBytes(element.InlineBinary, info, littleEndian);
    case 'number':
      return encodeNumbers(element.vr, (element.Value ?? []) as readonly number[], littleEndian);
    case 'bigint':
      return encodeBigInts(element.vr, element.Value ?? [], littleEndian);
    case 'tag':
      return encodeTags((element.Value ?? []) as readonly string[], littleEndian);
    case 'sequence':
      throw new TypeError('a sequence has no value bytes of its own'); // the writer walks its items
    default:
      return encodeText(textOf(element, info), info.pad);
  }
}

/** The element's values as one string, backslash-separated (PS3.5 6.4). */
function textOf(element: DataElement, info: VrInfo): string {
  const values = element.Value ?? [];
  if (values.length === 1 && typeof values[0] === 'string') return values[0]; // the common case
  if (info.kind === 'person-name')
    return values.map((value) => formatPersonName(value as PersonName)).join('\\');
  if (element.vr === 'DS')
    return values.map((value) => formatDecimal(value as string | number)).join('\\');
  return values.map(String).join('\\'); // IS numbers as their decimal form
}

/** UTF-8 bytes of `text`, with one `pad` byte when their count is odd. */
export function encodeText(text: string, pad: number): Uint8Array {
  const count = text.length;
  if (count === 0) return EMPTY;
  if (count <= SHORT_TEXT) {
    // Most values are short ASCII (UIDs, codes, dates): copied directly, faster than encodeInto.
    const bytes = new Uint8Array(count + (count & 1));
    for (let i = 0; i < count; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) return encodeUtf8(text, pad);
      bytes[i] = code;
    }
    if (count & 1) bytes[count] = pad;
    return bytes;
  }
  return encodeUtf8(text, pad);
}

const SHORT_TEXT = 64;

function encodeUtf8(text: string, pad: number): Uint8Array {
  const length = Buffer.byteLength(text, 'utf8');
  const bytes = new Uint8Array(length + (length & 1));
  utf8.encodeInto(text, bytes);
  if (length & 1) bytes[length] = pad;
  return bytes;
}

function encodeBytes(
  bytes: Uint8Array | undefined,
  info: VrInfo,
  littleEndian: boolean,
): Uint8Array {
  if (bytes === undefined || bytes.byteLength === 0) return EMPTY;
  const swap = !littleEndian && info.size !== undefined && info.size > 1;
  const odd = bytes.byteLength & 1;
  if (!swap && !odd) return bytes;
  const copy = new Uint8Array(bytes.byteLength + odd); // OB/UN padded with NUL (PS3.5 6.2)
  copy.set(bytes);
  // The model keeps OW/OF/OD/OL/OV Little Endian; Big Endian writes each word reversed (PS3.5 7.3).
  return swap ? swapBytes(copy, info.size as number) : copy;
}

function encodeNumbers(vr: string, values: readonly number[], littleEndian: boolean): Uint8Array {
  const size = NUMBER_SIZE[vr] as number;
  const bytes = new Uint8Array(values.length * size);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    const at = index * size;
    switch (vr) {
      case 'US':
        view.setUint16(at, value, littleEndian);
        break;
      case 'SS':
        view.setInt16(at, value, littleEndian);
        break;
      case 'UL':
        view.setUint32(at, value, littleEndian);
        break;
      case 'SL':
        view.setInt32(at, value, littleEndian);
        break;
      case 'FL':
        view.setFloat32(at, value, littleEndian);
        break;
      default: // FD
        view.setFloat64(at, value, littleEndian);
    }
  });
  return bytes;
}

const NUMBER_SIZE: Readonly<Record<string, number>> = {
  US: 2,
  SS: 2,
  UL: 4,
  SL: 4,
  FL: 4,
  FD: 8,
};

function encodeBigInts(vr: string, values: readonly unknown[], littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    // validateDataSet accepts safe-integer numbers for SV/UV too.
    const big = typeof value === 'bigint' ? value : BigInt(value as number);
    if (vr === 'UV') view.setBigUint64(index * 8, big, littleEndian);
    else view.setBigInt64(index * 8, big, littleEndian);
  });
  return bytes;
}

/** AT: group then element, each a 16-bit number in the syntax's byte order (PS3.5 6.2). */
function encodeTags(values: readonly string[], littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => {
    const tag = Number.parseInt(value, 16);
    view.setUint16(index * 4, tag >>> 16, littleEndian);
    view.setUint16(index * 4 + 2, tag & 0xffff, littleEndian);
  });
  return bytes;
}
