import { DataSetDecodeError } from '../data-set/errors.js';
import { dictionaryVr } from '../element-reader/data-dictionary.js';
import { ElementParser } from '../element-reader/element-parser.js';
import { HEADER_OK, readHeader, type HeaderSlot } from '../element-reader/header-reader.js';
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
const MAX_DEPTH = 64;
const UNDEFINED_LENGTH = 0xffffffff;
/** A UID is at most 64 bytes (PS3.5 9.1); a longer value is left to the parser. */
const MAX_PLAIN_VALUE_BYTES = 256;

// Overwritten by each header read; the loop below never re-enters itself.
const slot: HeaderSlot = { tag: 0, vr: undefined, length: 0, headerLength: 0, vrCode: 0 };

/**
 * Reads SOP Class UID (0008,0016) and SOP Instance UID (0008,0018) from the start of an encoded
 * data set without decoding the rest: the element reader walks it (sequences before them are
 * skipped by their lengths and delimiters, no other value is delivered) and stops at (0008,0018)
 * or a later tag. Works on the first received fragment of a C-STORE data set, in any transfer
 * syntax; a Deflated one (PS3.5 A.5) is inflated only over its first 4 KiB.
 * @throws {@link DataSetDecodeError} `DICOMNET_DATASET_MALFORMED` for a broken element structure
 *   before the UIDs.
 */
export function readDataSetUids(bytes: Uint8Array, transferSyntaxUid: string): DataSetUids {
  const syntax = describeTransferSyntax(transferSyntaxUid);
  if (!syntax.deflated) {
    const plain = readPlainUids(bytes, syntax.explicitVr, syntax.littleEndian);
    if (plain !== undefined) return plain;
  }
  return readUidsByParser(bytes, syntax);
}

/**
 * The element parser's reading of {@link readDataSetUids}: any syntax, sequences walked and
 * checked, every structural error thrown. Exported for the tests, which hold the plain loop to it.
 */
export function readUidsByParser(
  bytes: Uint8Array,
  syntax: {
    readonly explicitVr: boolean;
    readonly littleEndian: boolean;
    readonly deflated: boolean;
  },
): DataSetUids {
  const parser = new ElementParser(
    { explicitVr: syntax.explicitVr, littleEndian: syntax.littleEndian },
    {
      maxDepth: MAX_DEPTH,
      stopAfter: SOP_INSTANCE_UID,
      wantValue: (tag, _vr, _length, depth) =>
        depth === 0 && (tag === SOP_CLASS_UID || tag === SOP_INSTANCE_UID),
    },
  );
  // No end(): the bytes may be only the start of the data set.
  parser.push(syntax.deflated ? inflateStart(bytes) : bytes);
  const found: { sopClassUid?: string; sopInstanceUid?: string } = {};
  for (let token = parser.read(); token !== undefined; token = parser.read()) {
    if (token.kind !== 'element' || token.value === undefined) continue;
    if (token.tag === SOP_CLASS_UID) found.sopClassUid = unpadded(token.value);
    else found.sopInstanceUid = unpadded(token.value);
  }
  // Done only by stopping at (0008,0018) or past it: a missing UID is then really absent.
  return { ...found, complete: parser.done };
}

/**
 * The UIDs by a plain loop over the top-level element headers, for the common data set whose
 * elements before (0008,0018) are plain: defined even lengths, ascending tags, no sequence, no
 * item tag, known VRs, within the bytes (a value cut by the end of `bytes` included). Anything
 * else gives undefined, and the parser reads the bytes instead: it returns the same result or
 * throws the error, so the loop needs no error of its own. No parser, no token per element.
 */
function readPlainUids(
  bytes: Uint8Array,
  explicitVr: boolean,
  littleEndian: boolean,
): DataSetUids | undefined {
  const end = bytes.byteLength;
  let sopClassUid: string | undefined;
  let lastTag = -1;
  let at = 0;
  while (at < end) {
    if (readHeader(bytes, at, end, explicitVr, littleEndian, slot) !== HEADER_OK) return undefined;
    const { tag, length, headerLength } = slot;
    // The parser stops at the header of a later top-level tag (PS3.5 7.1: tags ascend).
    if (tag > SOP_INSTANCE_UID && tag >>> 16 !== 0xfffe) return withClass(sopClassUid, true);
    if (tag <= lastTag || tag >>> 16 === 0xfffe) return undefined;
    if (length === UNDEFINED_LENGTH || length % 2 === 1) return undefined;
    if ((slot.vr ?? dictionaryVr(tag)) === 'SQ') return undefined;
    const valueAt = at + headerLength;
    if (valueAt + length > end) return undefined;
    lastTag = tag;
    at = valueAt + length;
    if (tag !== SOP_CLASS_UID && tag !== SOP_INSTANCE_UID) continue;
    if (length > MAX_PLAIN_VALUE_BYTES) return undefined;
    const text = unpadded(bytes, valueAt, at);
    if (tag === SOP_CLASS_UID) sopClassUid = text;
    else if (sopClassUid === undefined) return { sopInstanceUid: text, complete: true };
    else return { sopClassUid, sopInstanceUid: text, complete: true };
  }
  return withClass(sopClassUid, false);
}

function withClass(sopClassUid: string | undefined, complete: boolean): DataSetUids {
  return sopClassUid === undefined ? { complete } : { sopClassUid, complete };
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

/** `bytes` from `start` to `end` as Latin-1 without trailing NUL and space padding (PS3.5 6.2). */
function unpadded(bytes: Uint8Array, start = 0, end = bytes.byteLength): string {
  let length = end - start;
  while (length > 0 && (bytes[start + length - 1] === 0x00 || bytes[start + length - 1] === 0x20))
    length--;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString('latin1');
}
