// The element reader's header decoding: the same rules as data-set/element-header.ts (PS3.5
// 7.1.1–7.1.3, 7.5), without allocating: the header is written into an object the parser reuses,
// and the VR field is looked up by its two bytes as one number.
import { VALUE_REPRESENTATIONS } from '../data-set/value-representation.js';

/** A header as the parser keeps it, overwritten by each read. */
export interface HeaderSlot {
  /** `0xggggeeee`. */
  tag: number;
  /** The VR field in Explicit VR; undefined in Implicit VR and for item/delimiter tags. */
  vr: string | undefined;
  /** Value length; 0xFFFFFFFF when undefined. */
  length: number;
  /** 8, or 12 for the long Explicit VR form. */
  headerLength: number;
  /** The two VR bytes when the result is {@link HEADER_UNKNOWN_VR}. */
  vrCode: number;
}

/** {@link readHeader} results. */
export const HEADER_OK = 0;
export const HEADER_NEED_MORE = 1;
export const HEADER_UNKNOWN_VR = 2;

interface VrForm {
  readonly vr: string;
  readonly long: boolean;
}

let forms: Map<number, VrForm> | undefined;

function vrForms(): Map<number, VrForm> {
  forms = new Map();
  for (const [vr, info] of Object.entries(VALUE_REPRESENTATIONS))
    forms.set((vr.charCodeAt(0) << 8) | vr.charCodeAt(1), { vr, long: info.longLength });
  return forms;
}

/**
 * Reads the header at `offset` of `bytes` (up to `end`) into `out`.
 * @returns {@link HEADER_OK}, {@link HEADER_NEED_MORE} (fewer bytes than the header), or
 *   {@link HEADER_UNKNOWN_VR} (an Explicit VR field not in PS3.5 Table 6.2-1).
 */
export function readHeader(
  bytes: Uint8Array,
  offset: number,
  end: number,
  explicitVr: boolean,
  littleEndian: boolean,
  out: HeaderSlot,
): number {
  if (end - offset < 8) return HEADER_NEED_MORE;
  const b0 = bytes[offset] as number; // offset + 7 < end <= bytes.length
  const b1 = bytes[offset + 1] as number;
  const b2 = bytes[offset + 2] as number;
  const b3 = bytes[offset + 3] as number;
  const group = littleEndian ? b0 | (b1 << 8) : (b0 << 8) | b1;
  const element = littleEndian ? b2 | (b3 << 8) : (b2 << 8) | b3;
  out.tag = ((group << 16) | element) >>> 0;
  // Items and delimiters (group FFFE) have the 8-byte implicit form in every syntax (PS3.5 7.5).
  if (!explicitVr || group === 0xfffe) {
    out.vr = undefined;
    out.length = read32(bytes, offset + 4, littleEndian);
    out.headerLength = 8;
    return HEADER_OK;
  }
  const code = ((bytes[offset + 4] as number) << 8) | (bytes[offset + 5] as number);
  const form = (forms ?? vrForms()).get(code);
  if (form === undefined) {
    out.vrCode = code;
    return HEADER_UNKNOWN_VR;
  }
  out.vr = form.vr;
  if (!form.long) {
    const c0 = bytes[offset + 6] as number;
    const c1 = bytes[offset + 7] as number;
    out.length = littleEndian ? c0 | (c1 << 8) : (c0 << 8) | c1;
    out.headerLength = 8;
    return HEADER_OK;
  }
  if (end - offset < 12) return HEADER_NEED_MORE;
  out.length = read32(bytes, offset + 8, littleEndian);
  out.headerLength = 12;
  return HEADER_OK;
}

function read32(bytes: Uint8Array, at: number, littleEndian: boolean): number {
  const a = bytes[at] as number; // in bounds: checked by the caller
  const b = bytes[at + 1] as number;
  const c = bytes[at + 2] as number;
  const d = bytes[at + 3] as number;
  return littleEndian
    ? (a | (b << 8) | (c << 16) | (d << 24)) >>> 0
    : ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}
