// Value bytes of one element → the model's DataElement (data-set.ts), without dcmjs.
import {
  tagKey,
  type DataElement,
  type DataElementValue,
  type PersonName,
} from '../data-set/data-set.js';
import { viewOf } from '../data-set/element-header.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import { swapBytes } from '../data-set/swap-bytes.js';
import { usesCharacterSet, vrInfo, type VrInfo } from '../data-set/value-representation.js';
import { defaultDecoding, type TextDecoding } from './character-sets.js';

/** How to read the value bytes of a stream. */
export interface DecodeValueContext {
  /** The stream's byte order (binary values, PS3.5 7.3). */
  readonly littleEndian: boolean;
  /**
   * Decoding of text in the Specific Character Set (from {@link textDecoding}); the default
   * repertoire when absent.
   */
  readonly text?: TextDecoding;
}

/**
 * Decodes the value bytes of a non-sequence element into a {@link DataElement}:
 * - character VRs: padding removed (trailing spaces, and NULs some writers use; PS3.5 6.2),
 *   split on backslash unless LT, ST, UT or UR (PS3.5 6.4); LO, LT, PN, SH, ST, UC and UT in the
 *   Specific Character Set (PS3.5 6.1.2.3), the others in the default repertoire; PN split into
 *   its component groups (PS3.5 6.2.1);
 * - FL FD SL SS UL US as numbers, SV UV as bigints, AT as 8 hex digits, all in the stream's byte
 *   order (PS3.5 7.3);
 * - OB OD OF OL OV OW UN as `InlineBinary`, Little Endian (swapped from a Big Endian stream, as
 *   the model holds them): a view of `bytes` when no swap is needed.
 *
 * An empty value gives `{ vr }`.
 * @throws {@link DataSetDecodeError} `DICOMNET_DATASET_MALFORMED` for a binary value whose length
 *   is not a multiple of its size (PS3.5 Table 6.2-1), or an unknown VR;
 *   `DICOMNET_DATASET_UNSUPPORTED` from the character set decoding.
 */
export function decodeValue(
  vr: string,
  bytes: Uint8Array,
  context: DecodeValueContext,
): DataElement {
  const info = vrInfo(vr);
  if (info === undefined || info.kind === 'sequence')
    throw malformed(`cannot decode a value of VR "${vr}"`);
  if (bytes.byteLength === 0) return { vr };
  switch (info.kind) {
    case 'bytes':
      return { vr, InlineBinary: binary(bytes, info, context.littleEndian) };
    case 'number':
    case 'bigint':
    case 'tag':
      return { vr, Value: numbers(vr, bytes, info, context.littleEndian) };
    default:
      return strings(vr, bytes, info, usesCharacterSet(info) ? context.text : undefined);
  }
}

function binary(bytes: Uint8Array, info: VrInfo, littleEndian: boolean): Uint8Array {
  const size = info.size ?? 1;
  if (littleEndian || size === 1) return bytes;
  if (bytes.byteLength % size !== 0)
    throw malformed(`${bytes.byteLength} bytes is not a whole number of ${size}-byte words`);
  return swapBytes(bytes.slice(), size);
}

function numbers(vr: string, bytes: Uint8Array, info: VrInfo, little: boolean): DataElementValue[] {
  const size = info.size ?? 1;
  if (bytes.byteLength % size !== 0)
    throw malformed(`a ${vr} value of ${bytes.byteLength} bytes (PS3.5 Table 6.2-1: ${size} each)`);
  const view = viewOf(bytes);
  const count = bytes.byteLength / size;
  const values: DataElementValue[] = new Array<DataElementValue>(count);
  for (let i = 0, at = 0; i < count; i++, at += size) {
    values[i] = readNumber(vr, view, at, little);
  }
  return values;
}

function readNumber(vr: string, view: DataView, at: number, little: boolean): DataElementValue {
  switch (vr) {
    case 'US':
      return view.getUint16(at, little);
    case 'SS':
      return view.getInt16(at, little);
    case 'UL':
      return view.getUint32(at, little);
    case 'SL':
      return view.getInt32(at, little);
    case 'FL':
      return view.getFloat32(at, little);
    case 'FD':
      return view.getFloat64(at, little);
    case 'SV':
      return view.getBigInt64(at, little);
    case 'UV':
      return view.getBigUint64(at, little);
    default: // AT: group then element, each in the stream's byte order (PS3.5 6.2)
      return tagKey(view.getUint16(at, little), view.getUint16(at + 2, little));
  }
}

function strings(
  vr: string,
  bytes: Uint8Array,
  info: VrInfo,
  text: TextDecoding | undefined,
): DataElement {
  const decoded = (text ?? defaultDecoding)(bytes);
  const single = info.kind === 'text' || info.kind === 'ascii-text' || !decoded.includes('\\');
  if (single) {
    const trimmed = trimPadding(decoded);
    if (trimmed === '') return { vr };
    if (info.kind !== 'person-name') return { vr, Value: [trimmed] };
    const name = personName(trimmed);
    return Object.keys(name).length === 0 ? { vr } : { vr, Value: [name] };
  }
  const values: DataElementValue[] = decoded.split('\\').map((part) => {
    const trimmed = trimPadding(part);
    return info.kind === 'person-name' ? personName(trimmed) : trimmed;
  });
  return { vr, Value: values };
}

/** Trailing spaces, and NULs some writers use, are padding (PS3.5 6.2). */
function trimPadding(text: string): string {
  let end = text.length;
  while (end > 0) {
    const code = text.charCodeAt(end - 1);
    if (code !== 0x20 && code !== 0x00) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}

/** `Alphabetic=Ideographic=Phonetic` component groups (PS3.5 6.2.1.1). */
function personName(text: string): PersonName {
  const [alphabetic = '', ideographic = '', phonetic = ''] = text.split('=');
  return {
    ...(alphabetic === '' ? {} : { Alphabetic: alphabetic }),
    ...(ideographic === '' ? {} : { Ideographic: ideographic }),
    ...(phonetic === '' ? {} : { Phonetic: phonetic }),
  };
}

function malformed(detail: string): DataSetDecodeError {
  return new DataSetDecodeError('DICOMNET_DATASET_MALFORMED', detail);
}
