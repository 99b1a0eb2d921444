import { DataSetDecodeError } from '../data-set/errors.js';
import { ElementParser } from '../element-reader/element-parser.js';
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
    if (token.tag === SOP_CLASS_UID) found.sopClassUid = ascii(token.value);
    else found.sopInstanceUid = ascii(token.value);
  }
  // Done only by stopping at (0008,0018) or past it: a missing UID is then really absent.
  return { ...found, complete: parser.done };
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
