import { vrInfo } from './value-representation.js';

/** Tag of an Item (FFFE,E000) (PS3.5 7.5). */
export const ITEM_TAG = 0xfffee000;
/** Tag of an Item Delimitation Item (FFFE,E00D) (PS3.5 7.5). */
export const ITEM_DELIMITATION_TAG = 0xfffee00d;
/** Tag of a Sequence Delimitation Item (FFFE,E0DD) (PS3.5 7.5). */
export const SEQUENCE_DELIMITATION_TAG = 0xfffee0dd;
/** Value length meaning "undefined, ended by a delimiter" (PS3.5 7.1.1). */
export const UNDEFINED_LENGTH = 0xffffffff;

/** The two encoding choices a transfer syntax makes for the elements of a data set. */
export interface DataSetEncoding {
  /** Elements carry a VR field (PS3.5 7.1.2); false for Implicit VR (7.1.3). */
  readonly explicitVr: boolean;
  /** Tags, lengths and binary values are Little Endian (PS3.5 7.3). */
  readonly littleEndian: boolean;
}

/** The header of one data element, item or delimiter. */
export interface ElementHeader {
  /** `0xggggeeee`. */
  readonly tag: number;
  /** The VR field in Explicit VR; undefined in Implicit VR and for item/delimiter tags. */
  readonly vr: string | undefined;
  /** Value length; {@link UNDEFINED_LENGTH} when undefined. */
  readonly length: number;
  /** Bytes of the header: 8, or 12 for the long Explicit VR form. */
  readonly headerLength: number;
}

/** Why {@link readElementHeader} could not return a header. */
export type ElementHeaderProblem =
  | { readonly problem: 'need-more' }
  | { readonly problem: 'unknown-vr'; readonly tag: number; readonly vr: string };

/**
 * Reads the element header at `offset` (PS3.5 7.1.1–7.1.3). Items and delimiters (group FFFE)
 * always have the 8-byte implicit form, in every transfer syntax (PS3.5 7.5).
 * @returns The header; or `need-more` when fewer bytes than the header are left; or
 *   `unknown-vr` for an Explicit VR field that is not a VR of PS3.5 Table 6.2-1.
 */
export function readElementHeader(
  view: DataView,
  offset: number,
  end: number,
  encoding: DataSetEncoding,
): ElementHeader | ElementHeaderProblem {
  if (end - offset < 8) return { problem: 'need-more' };
  const little = encoding.littleEndian;
  const tag = ((view.getUint16(offset, little) << 16) | view.getUint16(offset + 2, little)) >>> 0;
  if (!encoding.explicitVr || tag >>> 16 === 0xfffe) {
    return { tag, vr: undefined, length: view.getUint32(offset + 4, little), headerLength: 8 };
  }
  const vr = String.fromCharCode(view.getUint8(offset + 4), view.getUint8(offset + 5));
  const info = vrInfo(vr);
  if (info === undefined) return { problem: 'unknown-vr', tag, vr };
  if (!info.longLength)
    return { tag, vr, length: view.getUint16(offset + 6, little), headerLength: 8 };
  if (end - offset < 12) return { problem: 'need-more' };
  return { tag, vr, length: view.getUint32(offset + 8, little), headerLength: 12 };
}

/** A DataView over exactly the bytes of `bytes` (its byteOffset respected). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
