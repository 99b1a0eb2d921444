import { InvalidFileMetaError } from './errors.js';
import { VALUE_REPRESENTATIONS } from '../data-set/value-representation.js';

/** dicomnet's Implementation Class UID, written in (0002,0012) by default (PS3.7 D.3.3.2). */
export const DICOMNET_IMPLEMENTATION_CLASS_UID = '2.25.73652781638855999625116983996724504517';
/** dicomnet's Implementation Version Name, written in (0002,0013) by default. */
export const DICOMNET_IMPLEMENTATION_VERSION_NAME = 'DICOMNET_0_1';
/** Bytes of the preamble (PS3.10 §7.1). */
export const PREAMBLE_LENGTH = 128;
/** Offset of the first File Meta element: preamble plus the `DICM` prefix. */
export const META_OFFSET = 132;

/** A group 0002 element without a named field, kept as raw bytes. */
export interface RawMetaElement {
  /** `0x0002eeee`. */
  readonly tag: number;
  /** Its VR (PS3.6 Table 7-1), e.g. `UR` for (0002,0026). */
  readonly vr: string;
  /** The value bytes, padding included. */
  readonly value: Uint8Array;
}

/** The File Meta Information of a Part 10 file (PS3.10 Table 7.1-1). Strings are unpadded. */
export interface FileMetaInformation {
  /** (0002,0001), two bytes, `00 01` for version 1. */
  readonly fileMetaInformationVersion: Uint8Array;
  /** (0002,0002) Media Storage SOP Class UID. */
  readonly mediaStorageSopClassUid: string;
  /** (0002,0003) Media Storage SOP Instance UID. */
  readonly mediaStorageSopInstanceUid: string;
  /** (0002,0010) Transfer Syntax UID of the data set that follows. */
  readonly transferSyntaxUid: string;
  /** (0002,0012) Implementation Class UID of the writer; `''` if a non-conformant file lacks it. */
  readonly implementationClassUid: string;
  /** (0002,0013) Implementation Version Name. */
  readonly implementationVersionName?: string;
  /** (0002,0016) Source Application Entity Title. */
  readonly sourceApplicationEntityTitle?: string;
  /** (0002,0017) Sending Application Entity Title. */
  readonly sendingApplicationEntityTitle?: string;
  /** (0002,0018) Receiving Application Entity Title. */
  readonly receivingApplicationEntityTitle?: string;
  /** (0002,0100) Private Information Creator UID. */
  readonly privateInformationCreatorUid?: string;
  /** (0002,0102) Private Information; written only with a creator UID (Type 1C). */
  readonly privateInformation?: Uint8Array;
  /** Every other group 0002 element (presentation addresses, RTV elements…), in tag order. */
  readonly otherElements: readonly RawMetaElement[];
}

/**
 * What {@link encodeFileMetaInformation} needs: the Type 1 UIDs and the optional fields. The
 * version defaults to `00 01`; `implementationClassUid` to {@link DICOMNET_IMPLEMENTATION_CLASS_UID};
 * `implementationVersionName` to {@link DICOMNET_IMPLEMENTATION_VERSION_NAME}, but only when the
 * class UID is defaulted too (another implementation's class gets no version name of ours).
 */
export type FileMetaInformationInput = Omit<
  FileMetaInformation,
  'fileMetaInformationVersion' | 'implementationClassUid' | 'otherElements'
> & {
  readonly fileMetaInformationVersion?: Uint8Array;
  readonly implementationClassUid?: string;
  readonly otherElements?: readonly RawMetaElement[];
};

/** Tags of the named fields, in the ascending order they are written. */
export const MetaTag = {
  GroupLength: 0x00020000,
  Version: 0x00020001,
  MediaStorageSopClassUid: 0x00020002,
  MediaStorageSopInstanceUid: 0x00020003,
  TransferSyntaxUid: 0x00020010,
  ImplementationClassUid: 0x00020012,
  ImplementationVersionName: 0x00020013,
  SourceApplicationEntityTitle: 0x00020016,
  SendingApplicationEntityTitle: 0x00020017,
  ReceivingApplicationEntityTitle: 0x00020018,
  PrivateInformationCreatorUid: 0x00020100,
  PrivateInformation: 0x00020102,
} as const;

const NAMED_TAGS: ReadonlySet<number> = new Set(Object.values(MetaTag));
/** Whether an Explicit VR header of `vr` has a 4-byte length (PS3.5 7.1.2). */
function hasLongLength(vr: string): boolean {
  return VALUE_REPRESENTATIONS[vr]?.longLength === true;
}

interface MetaElement {
  readonly tag: number;
  readonly vr: string;
  /** Bytes, or a checked ASCII string written one byte per character (no array per field). */
  readonly value: Uint8Array | string;
  /** Appended when the value's length is odd (PS3.5 6.2: NUL for UI and bytes, space for text). */
  readonly pad: number;
}

/**
 * Encodes the 128-byte zero preamble, `DICM` and the File Meta Information in Explicit VR Little
 * Endian, elements ascending, (0002,0000) group length first, UIDs padded with NUL and other
 * strings with a space to even length (PS3.10 §7.1, Table 7.1-1; PS3.5 6.2).
 * @throws {@link InvalidFileMetaError} (`DICOMNET_PART10_INVALID_META`) for a field that cannot
 *   be written.
 */
export function encodeFileMetaInformation(meta: FileMetaInformationInput): Uint8Array {
  const elements: MetaElement[] = [
    { tag: MetaTag.Version, vr: 'OB', value: version(meta.fileMetaInformationVersion), pad: 0 },
    uid(MetaTag.MediaStorageSopClassUid, 'mediaStorageSopClassUid', meta.mediaStorageSopClassUid),
    uid(
      MetaTag.MediaStorageSopInstanceUid,
      'mediaStorageSopInstanceUid',
      meta.mediaStorageSopInstanceUid,
    ),
    uid(MetaTag.TransferSyntaxUid, 'transferSyntaxUid', meta.transferSyntaxUid),
    uid(
      MetaTag.ImplementationClassUid,
      'implementationClassUid',
      meta.implementationClassUid ?? DICOMNET_IMPLEMENTATION_CLASS_UID,
    ),
  ];
  const versionName =
    meta.implementationClassUid === undefined && meta.implementationVersionName === undefined
      ? DICOMNET_IMPLEMENTATION_VERSION_NAME
      : meta.implementationVersionName;
  if (versionName !== undefined)
    elements.push(
      text(MetaTag.ImplementationVersionName, 'SH', 'implementationVersionName', versionName),
    );
  if (meta.sourceApplicationEntityTitle !== undefined)
    elements.push(
      text(
        MetaTag.SourceApplicationEntityTitle,
        'AE',
        'sourceApplicationEntityTitle',
        meta.sourceApplicationEntityTitle,
      ),
    );
  if (meta.sendingApplicationEntityTitle !== undefined)
    elements.push(
      text(
        MetaTag.SendingApplicationEntityTitle,
        'AE',
        'sendingApplicationEntityTitle',
        meta.sendingApplicationEntityTitle,
      ),
    );
  if (meta.receivingApplicationEntityTitle !== undefined)
    elements.push(
      text(
        MetaTag.ReceivingApplicationEntityTitle,
        'AE',
        'receivingApplicationEntityTitle',
        meta.receivingApplicationEntityTitle,
      ),
    );
  if (meta.privateInformationCreatorUid !== undefined) {
    elements.push(
      uid(
        MetaTag.PrivateInformationCreatorUid,
        'privateInformationCreatorUid',
        meta.privateInformationCreatorUid,
      ),
    );
    if (meta.privateInformation !== undefined)
      elements.push({
        tag: MetaTag.PrivateInformation,
        vr: 'OB',
        value: meta.privateInformation,
        pad: 0,
      });
  } else if (meta.privateInformation !== undefined) {
    // PS3.10 Table 7.1-1: (0002,0102) is Type 1C, "required if (0002,0100) is present".
    throw new InvalidFileMetaError('privateInformation', 'needs privateInformationCreatorUid');
  }
  const others = meta.otherElements ?? [];
  if (others.length > 0) {
    // The named fields were pushed in ascending order; only other elements need sorting in.
    for (const element of others) elements.push(checkOther(element));
    elements.sort((a, b) => a.tag - b.tag);
    for (let i = 1; i < elements.length; i++) {
      if (elements[i]?.tag === elements[i - 1]?.tag)
        throw new InvalidFileMetaError(
          'otherElements',
          `tag 0x${elements[i]?.tag.toString(16)} given twice`,
        );
    }
  }

  let groupLength = 0;
  for (const element of elements) groupLength += headerLength(element.vr) + paddedLength(element);
  const out = new Uint8Array(META_OFFSET + 12 + groupLength);
  // "DICM"; the preamble stays zero
  out[PREAMBLE_LENGTH] = 0x44;
  out[PREAMBLE_LENGTH + 1] = 0x49;
  out[PREAMBLE_LENGTH + 2] = 0x43;
  out[PREAMBLE_LENGTH + 3] = 0x4d;
  let offset = writeHeader(out, META_OFFSET, MetaTag.GroupLength, 'UL', 4);
  putUint32(out, offset, groupLength);
  offset += 4;
  for (const element of elements) {
    const length = paddedLength(element);
    offset = writeHeader(out, offset, element.tag, element.vr, length);
    const value = element.value;
    if (typeof value === 'string') {
      for (let i = 0; i < value.length; i++) out[offset + i] = value.charCodeAt(i);
    } else {
      out.set(value, offset);
    }
    if (length !== value.length) out[offset + length - 1] = element.pad;
    offset += length;
  }
  return out;
}

/** The value's length padded to even (PS3.5 7.1.1). */
function paddedLength(element: MetaElement): number {
  const length = element.value.length;
  return length + (length & 1);
}

/** An Explicit VR Little Endian header (PS3.5 7.1.2); returns the offset of its value. */
function writeHeader(
  out: Uint8Array,
  offset: number,
  tag: number,
  vr: string,
  length: number,
): number {
  putUint16(out, offset, tag >>> 16);
  putUint16(out, offset + 2, tag & 0xffff);
  out[offset + 4] = vr.charCodeAt(0);
  out[offset + 5] = vr.charCodeAt(1);
  if (!hasLongLength(vr)) {
    putUint16(out, offset + 6, length);
    return offset + 8;
  }
  putUint16(out, offset + 6, 0);
  putUint32(out, offset + 8, length);
  return offset + 12;
}

function putUint16(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
}

function putUint32(out: Uint8Array, offset: number, value: number): void {
  putUint16(out, offset, value & 0xffff);
  putUint16(out, offset + 2, value >>> 16);
}

function headerLength(vr: string): number {
  return hasLongLength(vr) ? 12 : 8;
}

/** Version 1 (PS3.10 Table 7.1-1), only ever copied into a header. */
const VERSION_1 = Uint8Array.of(0x00, 0x01);

function version(value: Uint8Array | undefined): Uint8Array {
  if (value === undefined) return VERSION_1;
  if (value.byteLength !== 2)
    throw new InvalidFileMetaError('fileMetaInformationVersion', 'must be 2 bytes');
  return value;
}

function uid(tag: number, field: string, value: string): MetaElement {
  // PS3.5 9.1: 1..64 characters of digits and dots.
  if (!/^[0-9.]{1,64}$/.test(value)) throw new InvalidFileMetaError(field, `not a UID: "${value}"`);
  return { tag, vr: 'UI', value, pad: 0x00 };
}

function text(tag: number, vr: 'AE' | 'SH', field: string, value: string): MetaElement {
  // PS3.5 Table 6.2-1: AE and SH are at most 16 default-repertoire characters, no backslash.
  if (!/^[\x20-\x5b\x5d-\x7e]{0,16}$/.test(value))
    throw new InvalidFileMetaError(field, `not a valid ${vr} value: "${value}"`);
  return { tag, vr, value, pad: 0x20 };
}

function checkOther(element: RawMetaElement): MetaElement {
  const field = `otherElements[0x${element.tag.toString(16).padStart(8, '0')}]`;
  if (element.tag >>> 16 !== 0x0002 || NAMED_TAGS.has(element.tag))
    throw new InvalidFileMetaError(field, 'must be a group 0002 tag without a named field');
  if (!/^[A-Z]{2}$/.test(element.vr))
    throw new InvalidFileMetaError(field, `bad VR "${element.vr}"`);
  if (element.value.byteLength % 2 !== 0)
    throw new InvalidFileMetaError(field, 'value length must be even (PS3.5 7.1.1)');
  if (!hasLongLength(element.vr) && element.value.byteLength > 0xfffe)
    throw new InvalidFileMetaError(field, 'value too long for a 16-bit length');
  return { ...element, pad: 0 };
}
