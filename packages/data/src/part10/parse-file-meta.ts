import { readElementHeader, UNDEFINED_LENGTH, viewOf } from '../data-set/element-header.js';
import { NotPart10Error, Part10MalformedError, Part10MetaTooLargeError } from './errors.js';
import {
  META_OFFSET,
  MetaTag,
  PREAMBLE_LENGTH,
  type FileMetaInformation,
  type RawMetaElement,
} from './file-meta-information.js';

/** Default of `maxMetaBytes`: 64 KiB of File Meta Information after `DICM`. */
export const DEFAULT_MAX_META_BYTES = 64 * 1024;

/** The File Meta Information and where the data set starts. */
export interface Part10Header {
  readonly meta: FileMetaInformation;
  /** Offset of the first data set byte in the file. */
  readonly dataSetOffset: number;
}

/** Result of {@link parsePart10Header}: the header, or how many bytes it needs at least. */
export type Part10HeaderParse = { readonly header: Part10Header } | { readonly needBytes: number };

const EXPLICIT_LITTLE = { explicitVr: true, littleEndian: true } as const;
const DICM = [0x44, 0x49, 0x43, 0x4d];

/**
 * Parses the preamble, `DICM` and File Meta Information from the start of a file (PS3.10 §7.1).
 * The group length (0002,0000), when present, fixes the end of the meta group; without it the
 * group ends at the first tag outside group 0002. Pure and restartable: call again with more
 * bytes when it answers `needBytes`.
 * @param bytes - The first bytes of the file.
 * @param isWholeFile - True when `bytes` is the entire file (the data set may then be empty).
 * @throws {@link NotPart10Error}, {@link Part10MalformedError}, {@link Part10MetaTooLargeError}.
 */
export function parsePart10Header(
  bytes: Uint8Array,
  isWholeFile: boolean,
  maxMetaBytes = DEFAULT_MAX_META_BYTES,
): Part10HeaderParse {
  if (bytes.byteLength < META_OFFSET) {
    if (isWholeFile)
      throw new NotPart10Error(`${bytes.byteLength} bytes, shorter than preamble and prefix`);
    return { needBytes: META_OFFSET };
  }
  if (DICM.some((byte, i) => bytes[PREAMBLE_LENGTH + i] !== byte))
    throw new NotPart10Error('no "DICM" prefix at byte 128');
  const view = viewOf(bytes);
  const elements: RawMetaElement[] = [];
  let offset = META_OFFSET;
  let metaEnd: number | undefined;
  for (;;) {
    if (offset === metaEnd) break;
    if (offset - META_OFFSET > maxMetaBytes)
      throw new Part10MetaTooLargeError(offset - META_OFFSET, maxMetaBytes);
    if (metaEnd === undefined && bytes.byteLength - offset < 4) {
      if (isWholeFile && offset === bytes.byteLength) break; // a file of meta only
      if (isWholeFile) throw new Part10MalformedError('file ends inside an element header', offset);
      return { needBytes: offset + 4 };
    }
    if (metaEnd === undefined && view.getUint16(offset, true) !== 0x0002) break;
    const limit = Math.min(metaEnd ?? bytes.byteLength, bytes.byteLength);
    const header = readElementHeader(view, offset, limit, EXPLICIT_LITTLE);
    if ('problem' in header) {
      if (header.problem === 'unknown-vr')
        throw new Part10MalformedError(`unknown VR "${header.vr}"`, offset);
      if (metaEnd !== undefined && metaEnd <= bytes.byteLength)
        throw new Part10MalformedError('element overruns the group length', offset);
      if (isWholeFile) throw new Part10MalformedError('file ends inside an element header', offset);
      return { needBytes: Math.max(offset + 12, metaEnd ?? 0) };
    }
    if (header.tag >>> 16 !== 0x0002)
      throw new Part10MalformedError('non-0002 element inside the group length', offset);
    if (header.length === UNDEFINED_LENGTH)
      throw new Part10MalformedError('undefined length in File Meta Information', offset);
    const valueOffset = offset + header.headerLength;
    const valueEnd = valueOffset + header.length;
    if (valueEnd - META_OFFSET > maxMetaBytes)
      throw new Part10MetaTooLargeError(valueEnd - META_OFFSET, maxMetaBytes);
    if (metaEnd !== undefined && valueEnd > metaEnd)
      throw new Part10MalformedError('element overruns the group length', offset);
    if (valueEnd > bytes.byteLength) {
      if (isWholeFile)
        throw new Part10MalformedError('file ends inside the File Meta Information', offset);
      return { needBytes: Math.max(valueEnd, metaEnd ?? 0) };
    }
    const value = bytes.slice(valueOffset, valueEnd);
    if (
      header.tag === MetaTag.GroupLength &&
      offset === META_OFFSET &&
      header.vr === 'UL' &&
      header.length === 4
    ) {
      metaEnd = valueEnd + view.getUint32(valueOffset, true);
      if (metaEnd - META_OFFSET > maxMetaBytes)
        throw new Part10MetaTooLargeError(metaEnd - META_OFFSET, maxMetaBytes);
    } else {
      elements.push({ tag: header.tag, vr: header.vr ?? 'UN', value });
    }
    offset = valueEnd;
  }
  return { header: { meta: toMeta(elements), dataSetOffset: offset } };
}

/** The tags {@link toMeta} gives a field of their own; the others go to `otherElements`. */
const NAMED_TAGS = new Set<number>(Object.values(MetaTag));

/** Values up to this length are decoded byte by byte. */
const SHORT_TEXT_BYTES = 256;

/**
 * A text value as Latin-1 without its trailing NUL and space padding (PS3.5 §6.2). The UIDs and
 * AE titles of a header are short: decoding them byte by byte costs less than a Buffer view.
 */
function paddedTextOf(value: Uint8Array): string {
  let end = value.byteLength;
  while (end > 0 && (value[end - 1] === 0x00 || value[end - 1] === 0x20)) end--;
  if (end > SHORT_TEXT_BYTES)
    return Buffer.from(value.buffer, value.byteOffset, end).toString('latin1');
  let text = '';
  for (let i = 0; i < end; i++) text += String.fromCharCode(value[i] ?? 0);
  return text;
}

function toMeta(elements: readonly RawMetaElement[]): FileMetaInformation {
  const byTag = new Map(elements.map((element) => [element.tag, element]));
  const text = (tag: number, trimLeading = false): string | undefined => {
    const element = byTag.get(tag);
    if (element === undefined) return undefined;
    const value = paddedTextOf(element.value);
    return trimLeading ? value.trimStart() : value;
  };
  const required = (tag: number, name: string): string => {
    const value = text(tag);
    if (value === undefined || value === '')
      throw new Part10MalformedError(`Type 1 element ${name} is missing (PS3.10 Table 7.1-1)`);
    return value;
  };
  const optional = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: string }; // a one-key object of K
  const privateInformation = byTag.get(MetaTag.PrivateInformation)?.value;
  return {
    fileMetaInformationVersion: byTag.get(MetaTag.Version)?.value ?? new Uint8Array(0),
    mediaStorageSopClassUid: required(
      MetaTag.MediaStorageSopClassUid,
      'Media Storage SOP Class UID (0002,0002)',
    ),
    mediaStorageSopInstanceUid: required(
      MetaTag.MediaStorageSopInstanceUid,
      'Media Storage SOP Instance UID (0002,0003)',
    ),
    transferSyntaxUid: required(MetaTag.TransferSyntaxUid, 'Transfer Syntax UID (0002,0010)'),
    implementationClassUid: text(MetaTag.ImplementationClassUid) ?? '',
    ...optional('implementationVersionName', text(MetaTag.ImplementationVersionName, true)),
    ...optional('sourceApplicationEntityTitle', text(MetaTag.SourceApplicationEntityTitle, true)),
    ...optional('sendingApplicationEntityTitle', text(MetaTag.SendingApplicationEntityTitle, true)),
    ...optional(
      'receivingApplicationEntityTitle',
      text(MetaTag.ReceivingApplicationEntityTitle, true),
    ),
    ...optional('privateInformationCreatorUid', text(MetaTag.PrivateInformationCreatorUid)),
    ...(privateInformation === undefined ? {} : { privateInformation }),
    otherElements: elements.filter((element) => !NAMED_TAGS.has(element.tag)),
  };
}
