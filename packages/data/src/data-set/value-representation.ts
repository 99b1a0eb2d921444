/**
 * How each VR is encoded (PS3.5 Table 6.2-1, §6.4 and §7.1.2): the facts the structure walker,
 * the model validation and the codecs share.
 */

/** What kind of value a VR holds. */
export type VrKind =
  | 'ascii' // AE AS CS DA DS DT IS TM UI: default repertoire, backslash-separated values
  | 'ascii-text' // UR: default repertoire, one value, backslash allowed
  | 'string' // LO SH UC: Specific Character Set, backslash-separated values
  | 'text' // LT ST UT: Specific Character Set, one value, backslash allowed
  | 'person-name' // PN
  | 'number' // FL FD SL SS UL US
  | 'bigint' // SV UV
  | 'tag' // AT
  | 'bytes' // OB OD OF OL OV OW UN
  | 'sequence'; // SQ

/** The encoding facts of one VR. */
export interface VrInfo {
  readonly kind: VrKind;
  /** Explicit VR: 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1); else a 16-bit length. */
  readonly longLength: boolean;
  /** Bytes per value for fixed-size binary VRs; the word size to swap for OW/OF/OD/OL/OV. */
  readonly size?: number;
  /** Padding byte to even length (PS3.5 6.2): NUL for UI and binary, space for text. */
  readonly pad: 0x00 | 0x20;
  /** Largest value, in characters for text VRs and bytes for the others (PS3.5 Table 6.2-1). */
  readonly maxLength?: number;
  /** Largest value in a C-FIND range match (`from-to`, PS3.4 C.2.2.2.5). */
  readonly maxRangeLength?: number;
}

const ascii = (maxLength: number, pad: 0x00 | 0x20 = 0x20, maxRangeLength?: number): VrInfo =>
  maxRangeLength === undefined
    ? { kind: 'ascii', longLength: false, pad, maxLength }
    : { kind: 'ascii', longLength: false, pad, maxLength, maxRangeLength };
const number = (size: number): VrInfo => ({ kind: 'number', longLength: false, size, pad: 0x00 });
const bytes = (size: number): VrInfo => ({ kind: 'bytes', longLength: true, size, pad: 0x00 });

/** Every VR of PS3.5 Table 6.2-1. */
export const VALUE_REPRESENTATIONS: Readonly<Record<string, VrInfo>> = {
  AE: ascii(16),
  AS: ascii(4),
  AT: { kind: 'tag', longLength: false, size: 4, pad: 0x00 },
  CS: ascii(16),
  DA: ascii(8, 0x20, 18),
  DS: ascii(16),
  DT: ascii(26, 0x20, 54),
  FD: number(8),
  FL: number(4),
  IS: ascii(12),
  LO: { kind: 'string', longLength: false, pad: 0x20, maxLength: 64 },
  LT: { kind: 'text', longLength: false, pad: 0x20, maxLength: 10240 },
  OB: bytes(1),
  OD: bytes(8),
  OF: bytes(4),
  OL: bytes(4),
  OV: bytes(8),
  OW: bytes(2),
  PN: { kind: 'person-name', longLength: false, pad: 0x20, maxLength: 64 },
  SH: { kind: 'string', longLength: false, pad: 0x20, maxLength: 16 },
  SL: number(4),
  SQ: { kind: 'sequence', longLength: true, pad: 0x00 },
  SS: number(2),
  ST: { kind: 'text', longLength: false, pad: 0x20, maxLength: 1024 },
  SV: { kind: 'bigint', longLength: true, size: 8, pad: 0x00 },
  // TM: 16 (older editions; current ones say 14), 28 for a range.
  TM: ascii(16, 0x20, 28),
  UC: { kind: 'string', longLength: true, pad: 0x20 },
  UI: ascii(64, 0x00),
  UL: number(4),
  UN: bytes(1),
  UR: { kind: 'ascii-text', longLength: true, pad: 0x20 },
  US: number(2),
  UT: { kind: 'text', longLength: true, pad: 0x20 },
  UV: { kind: 'bigint', longLength: true, size: 8, pad: 0x00 },
};

/** The facts of `vr`, or undefined for a string that is not a VR. */
export function vrInfo(vr: string): VrInfo | undefined {
  return Object.hasOwn(VALUE_REPRESENTATIONS, vr) ? VALUE_REPRESENTATIONS[vr] : undefined;
}

/** True if `vr` holds character data split on backslash into several values (PS3.5 6.4). */
export function isMultiValuedString(info: VrInfo): boolean {
  return info.kind === 'ascii' || info.kind === 'string' || info.kind === 'person-name';
}

/** True for VRs whose text is in the Specific Character Set (PS3.5 6.1.2.3). */
export function usesCharacterSet(info: VrInfo): boolean {
  return info.kind === 'string' || info.kind === 'text' || info.kind === 'person-name';
}
