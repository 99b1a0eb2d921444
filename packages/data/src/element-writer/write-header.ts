// Byte-level helpers of the writer state: headers (PS3.5 7.1.1–7.1.3, 7.5), byte-order word
// sizes (PS3.5 7.3) and Specific Character Set terms.
import type { VrInfo } from '../data-set/value-representation.js';
import type { ByteCollector } from './byte-collector.js';

/**
 * Writes an element, item or delimiter header (PS3.5 7.1.1–7.1.3, 7.5): items and delimiters
 * (no VR) always have the 8-byte form; in Explicit VR, VRs with a 32-bit length have 2 reserved
 * bytes first.
 */
export function writeHeader(
  collector: ByteCollector,
  tag: number,
  vr: string | undefined,
  length: number,
  encoding: { readonly explicitVr: boolean; readonly littleEndian: boolean },
  info: VrInfo,
): void {
  const little = encoding.littleEndian;
  const explicit = encoding.explicitVr && vr !== undefined;
  const size = explicit && info.longLength ? 12 : 8;
  const { view, offset } = collector.reserve(size);
  view.setUint16(offset, tag >>> 16, little);
  view.setUint16(offset + 2, tag & 0xffff, little);
  if (!explicit) {
    view.setUint32(offset + 4, length, little);
  } else {
    view.setUint8(offset + 4, vr.charCodeAt(0));
    view.setUint8(offset + 5, vr.charCodeAt(1));
    if (info.longLength) {
      view.setUint16(offset + 6, 0);
      view.setUint32(offset + 8, length, little);
    } else {
      view.setUint16(offset + 6, length, little);
    }
  }
  collector.commit(size);
}

/** The word size to swap between byte orders; AT is two 16-bit numbers (PS3.5 6.2). */
export function swapSize(info: VrInfo): number {
  if (info.kind === 'tag') return 2;
  if (info.kind === 'number' || info.kind === 'bigint' || info.kind === 'bytes')
    return info.size ?? 1;
  return 1;
}

/** The terms of a Specific Character Set value (ASCII, PS3.5 6.1.2.5). */
export function charsetTerms(value: Uint8Array): string[] {
  return String.fromCharCode(...value)
    .split('\\')
    .map((term) => term.replace(/[\0 ]+$/, '').trim());
}

export function tagKeyOf(tag: number): string {
  return tag.toString(16).toUpperCase().padStart(8, '0');
}
