/**
 * dicomnet's in-memory data set: the DICOM JSON Model of PS3.18 F.2 with three deliberate
 * differences, all lossless and all undone by {@link toDicomJson}:
 *
 * - `InlineBinary` holds the value bytes (`Uint8Array`, Little Endian byte order for OW, OF, OD,
 *   OL and OV whatever the transfer syntax), not base64 text (PS3.18 F.2.7).
 * - IS and DS values are the exact strings of the encoding (PS3.18 F.2.3 allows JSON strings for
 *   IS/DS "to preserve the original format"); a codec also accepts numbers when encoding.
 *   UV and SV values are `bigint`.
 * - An empty value inside a multi-valued element is `''` (strings) or `{}` (PN), where PS3.18
 *   F.2.5 writes `null`.
 *
 * Keys are tags as 8 upper-case hex digits, `ggggeeee`. Group length elements (gggg,0000) are
 * never present (PS3.18 F.2.2).
 */
export type DataSet = Readonly<Record<string, DataElement>>;

/** One attribute: its VR and at most one of `Value` and `InlineBinary` (PS3.18 F.2.2). */
export interface DataElement {
  /** Two upper-case letters, e.g. `PN` (PS3.5 Table 6.2-1). */
  readonly vr: string;
  /**
   * The values: strings (AE AS AT CS DA DS DT IS LO LT SH ST TM UC UI UR UT; AT as 8 hex digits),
   * numbers (FL FD SL SS UL US), bigints (SV UV), {@link PersonName} objects (PN) or nested
   * {@link DataSet} items (SQ). Absent when the element is empty.
   */
  readonly Value?: readonly DataElementValue[];
  /** The value bytes of OB, OD, OF, OL, OV, OW and UN; absent when empty. */
  readonly InlineBinary?: Uint8Array;
}

/** One entry of {@link DataElement.Value}. */
export type DataElementValue = string | number | bigint | PersonName | DataSet;

/** A PN value split into its component groups (PS3.5 6.2.1; PS3.18 F.2.2). */
export interface PersonName {
  /** Single-byte (alphabetic) representation, components separated by `^`. */
  readonly Alphabetic?: string;
  /** Ideographic representation. */
  readonly Ideographic?: string;
  /** Phonetic representation. */
  readonly Phonetic?: string;
}

/** True for a data set key: 8 upper-case hex digits. */
export function isTagKey(key: string): boolean {
  return /^[0-9A-F]{8}$/.test(key);
}

/** The key of tag (group, element): `tagKey(0x0010, 0x0010)` is `'00100010'`. */
export function tagKey(group: number, element: number): string {
  return ((((group & 0xffff) << 16) | (element & 0xffff)) >>> 0)
    .toString(16)
    .toUpperCase()
    .padStart(8, '0');
}

/** The 32-bit tag number of a key (`0xggggeeee`). */
export function tagNumber(key: string): number {
  return Number.parseInt(key, 16);
}

/** `(gggg,eeee)`, as DICOM writes tags for people. */
export function formatTag(tag: number): string {
  const hex = tag.toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}
