import {
  ITEM_DELIMITATION_TAG,
  ITEM_TAG,
  readElementHeader,
  SEQUENCE_DELIMITATION_TAG,
  UNDEFINED_LENGTH,
  viewOf,
  type DataSetEncoding,
} from '../data-set/element-header.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import { nodeZlib } from '../lazy-builtins.js';
import { describeTransferSyntax } from '../transfer-syntax/transfer-syntax.js';

/** What {@link readDataSetUids} found. */
export interface DataSetUids {
  /** SOP Class UID (0008,0016), unpadded; undefined if not seen. */
  readonly sopClassUid?: string;
  /** SOP Instance UID (0008,0018), unpadded; undefined if not seen. */
  readonly sopInstanceUid?: string;
  /**
   * True when the scan reached (0008,0018) or a later top-level tag, so a missing UID is really
   * absent; false when the bytes ended first (pass more of the data set to be sure).
   */
  readonly complete: boolean;
}

const SOP_CLASS_UID = 0x00080016;
const SOP_INSTANCE_UID = 0x00080018;
/** Deflated input inflated at most: 4 KiB (≤ ~4 MiB out at DEFLATE's 1032:1 worst case). */
const DEFLATED_WINDOW = 4096;
const MAX_SKIP_DEPTH = 64;

type Need = 'need-more';

/**
 * Reads SOP Class UID (0008,0016) and SOP Instance UID (0008,0018) from the start of an encoded
 * data set without decoding the rest: element headers are walked (sequences before them are
 * skipped by their lengths and delimiters) until (0008,0018) or a later tag. Works on the first
 * received fragment of a C-STORE data set, in any transfer syntax; a Deflated one (PS3.5 A.5) is
 * inflated only over its first 4 KiB.
 * @throws {@link DataSetDecodeError} `DICOMNET_DATASET_MALFORMED` for a broken element structure
 *   before the UIDs.
 */
export function readDataSetUids(bytes: Uint8Array, transferSyntaxUid: string): DataSetUids {
  const syntax = describeTransferSyntax(transferSyntaxUid);
  const plain = syntax.deflated ? inflateStart(bytes) : bytes;
  const encoding: DataSetEncoding = {
    explicitVr: syntax.explicitVr,
    littleEndian: syntax.littleEndian,
  };
  const view = viewOf(plain);
  const found: { sopClassUid?: string; sopInstanceUid?: string } = {};
  let offset = 0;
  while (offset < plain.byteLength) {
    const header = readElementHeader(view, offset, plain.byteLength, encoding);
    if ('problem' in header) {
      if (header.problem === 'need-more') break;
      malformed(`unknown VR "${header.vr}"`, offset);
    }
    if (header.tag > SOP_INSTANCE_UID) return { ...found, complete: true };
    if (header.tag >>> 16 === 0xfffe) malformed('item or delimiter at the top level', offset);
    const valueOffset = offset + header.headerLength;
    if (header.length === UNDEFINED_LENGTH) {
      const itemEncoding =
        header.vr === 'UN' ? { explicitVr: false, littleEndian: true } : encoding;
      const end = skipDelimited(view, valueOffset, itemEncoding, 1);
      if (end === 'need-more') break;
      offset = end;
      continue;
    }
    const end = valueOffset + header.length;
    if (header.tag === SOP_CLASS_UID || header.tag === SOP_INSTANCE_UID) {
      if (end > plain.byteLength) break;
      const uid = ascii(plain.subarray(valueOffset, end));
      if (header.tag === SOP_CLASS_UID) found.sopClassUid = uid;
      else return { ...found, sopInstanceUid: uid, complete: true };
    }
    offset = end;
  }
  return { ...found, complete: false };
}

/**
 * Skips the items of an undefined-length sequence (or encapsulated pixel data) starting at
 * `offset`, up to and including its sequence delimiter (PS3.5 7.5).
 */
function skipDelimited(
  view: DataView,
  offset: number,
  encoding: DataSetEncoding,
  depth: number,
): number | Need {
  if (depth > MAX_SKIP_DEPTH) malformed('sequences nested too deeply', offset);
  let position = offset;
  for (;;) {
    const header = readElementHeader(view, position, view.byteLength, encoding);
    if ('problem' in header) return 'need-more';
    if (header.tag === SEQUENCE_DELIMITATION_TAG) return position + 8;
    if (header.tag !== ITEM_TAG) malformed('expected an item', position);
    position += 8;
    if (header.length !== UNDEFINED_LENGTH) {
      position += header.length;
      continue;
    }
    const end = skipItemElements(view, position, encoding, depth);
    if (end === 'need-more') return end;
    position = end;
  }
}

/** Skips the elements of an undefined-length item, up to and including its delimiter. */
function skipItemElements(
  view: DataView,
  offset: number,
  encoding: DataSetEncoding,
  depth: number,
): number | Need {
  let position = offset;
  for (;;) {
    const header = readElementHeader(view, position, view.byteLength, encoding);
    if ('problem' in header) {
      if (header.problem === 'need-more') return 'need-more';
      malformed(`unknown VR "${header.vr}"`, position);
    }
    if (header.tag === ITEM_DELIMITATION_TAG) return position + 8;
    position += header.headerLength;
    if (header.length === UNDEFINED_LENGTH) {
      const nested = skipDelimited(
        view,
        position,
        header.vr === 'UN' ? { explicitVr: false, littleEndian: true } : encoding,
        depth + 1,
      );
      if (nested === 'need-more') return nested;
      position = nested;
    } else {
      position += header.length;
    }
  }
}

function inflateStart(bytes: Uint8Array): Uint8Array {
  try {
    // Z_SYNC_FLUSH: inflate what the window holds instead of failing on the cut stream.
    const zlib = nodeZlib();
    return zlib.inflateRawSync(bytes.subarray(0, DEFLATED_WINDOW), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
  } catch (error) {
    throw new DataSetDecodeError(
      'DICOMNET_DATASET_MALFORMED',
      `not a raw DEFLATE stream: ${error instanceof Error ? error.message : String(error)}`,
      {},
      undefined,
      { cause: error },
    );
  }
}

function ascii(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\0 ]+$/, '');
}

function malformed(detail: string, offset: number): never {
  throw new DataSetDecodeError('DICOMNET_DATASET_MALFORMED', detail, { offset });
}
