// The DataSetCodec over dcmjs 0.52.2, with every workaround of dcmjs-notes.md that applies to
// small data sets. Defect numbers are those of that file; each one is handled where noted.
import {
  describeTransferSyntax,
  TransferSyntax,
  type TransferSyntaxInfo,
} from '../transfer-syntax/transfer-syntax.js';
import type { DataSetCodec } from './data-set-codec.js';
import { readDataSetStructure } from './data-set-structure.js';
import {
  dicomMessage,
  implicitVrAsDcmjs,
  newInheritingReadStream,
  newWriteStream,
} from './dcmjs-runtime.js';
import { planDcmjsRead } from './dcmjs-read-plan.js';
import { dcmjsToModel } from './dcmjs-to-model.js';
import { declareUtf8WhereNeeded } from './character-set.js';
import { DataSetDecodeError, DataSetEncodeError } from './errors.js';
import { exactArrayBuffer } from './exact-bytes.js';
import { nodeZlib } from '../lazy-builtins.js';
import { modelToDcmjs } from './model-to-dcmjs.js';
import { validateDataSet } from './validate-data-set.js';

/** Default of {@link DcmjsCodecOptions.maxDataSetBytes}: 16 MiB. */
export const DEFAULT_MAX_CODEC_DATA_SET_BYTES = 16 * 1024 * 1024;
/** Default of {@link DcmjsCodecOptions.maxSequenceDepth}. */
export const DEFAULT_MAX_SEQUENCE_DEPTH = 32;

/** Options of {@link createDcmjsCodec}. */
export interface DcmjsCodecOptions {
  /**
   * Largest data set decoded, in bytes after inflation; default
   * {@link DEFAULT_MAX_CODEC_DATA_SET_BYTES}. dcmjs is slow on big sets (its encode time grows
   * faster than linearly), so this codec is for identifiers and attribute lists only.
   */
  readonly maxDataSetBytes?: number;
  /** Deepest sequence nesting decoded or encoded; default {@link DEFAULT_MAX_SEQUENCE_DEPTH}. */
  readonly maxSequenceDepth?: number;
  /** zlib level (0–9) for Deflated Explicit VR Little Endian; default 6. */
  readonly deflateLevel?: number;
}

const READ_OPTIONS = {
  ignoreErrors: false,
  untilTag: null,
  includeUntilTagValue: false,
  stopOnGreaterTag: false,
};
const UNSUPPORTED_VRS: ReadonlySet<string> = new Set(['OL', 'OV', 'SV']);
const PIXEL_DATA_KEY = '7FE00010';

/**
 * A {@link DataSetCodec} backed by dcmjs 0.52.2. Before dcmjs reads anything, an independent
 * structure walk checks the bytes and refuses what dcmjs would misread; afterwards its result is
 * cross-checked against the walk, so a dcmjs defect becomes a typed error, never a silently
 * wrong data set. It writes text as UTF-8 only: non-ASCII text must sit under Specific Character
 * Set (0008,0005) `ISO_IR 192`, and decoding declares `ISO_IR 192` wherever it produced non-ASCII
 * text from another character set. OL, OV and SV, sequences sent as UN, encapsulated pixel data
 * and ISO 2022 code extensions are refused (`DICOMNET_DATASET_UNSUPPORTED`).
 */
export function createDcmjsCodec(options: DcmjsCodecOptions = {}): DataSetCodec {
  const maxBytes = options.maxDataSetBytes ?? DEFAULT_MAX_CODEC_DATA_SET_BYTES;
  const maxDepth = options.maxSequenceDepth ?? DEFAULT_MAX_SEQUENCE_DEPTH;
  const level = options.deflateLevel ?? 6;
  return {
    decode(bytes, transferSyntaxUid) {
      const syntax = describeTransferSyntax(transferSyntaxUid);
      const plain = syntax.deflated ? inflate(bytes, maxBytes) : bytes;
      if (plain.byteLength > maxBytes) {
        throw new DataSetDecodeError(
          'DICOMNET_DATASET_UNSUPPORTED',
          `${plain.byteLength} bytes, the limit is ${maxBytes}`,
          {},
          'size',
        );
      }
      const encoding = { explicitVr: syntax.explicitVr, littleEndian: syntax.littleEndian };
      const nodes = readDataSetStructure(plain, {
        ...encoding,
        implicitVr: implicitVrAsDcmjs,
        maxDepth,
      });
      const plans = planDcmjsRead(plain, nodes, encoding);
      let dict;
      try {
        // Defect 1: dcmjs ignores a view's byteOffset, so hand it an ArrayBuffer holding exactly
        // the data set. Defect 3: InheritingReadStream passes the decoder into items.
        const stream = newInheritingReadStream(exactArrayBuffer(plain), syntax.littleEndian);
        // Defects 2, 6: dcmjs gets one of the three syntaxes it reads correctly. Defect 18:
        // ignoreErrors false. Defect 19: `_read`, which does not log. Defect 15: no untilTag.
        dict = dicomMessage()._read(stream, dcmjsSyntax(syntax), READ_OPTIONS);
      } catch (error) {
        throw new DataSetDecodeError(
          'DICOMNET_DATASET_MALFORMED',
          `dcmjs: ${message(error)}`,
          {},
          undefined,
          { cause: error },
        );
      }
      return declareUtf8WhereNeeded(dcmjsToModel(dict, plans, syntax.littleEndian));
    },

    encode(dataSet, transferSyntaxUid) {
      const syntax = describeTransferSyntax(transferSyntaxUid);
      validateDataSet(dataSet, {
        maxDepth,
        unsupportedVrs: UNSUPPORTED_VRS, // defect 11: dcmjs writes them as UN
        // Defect 12: dcmjs writes every string as UTF-8, so only ISO_IR 192 is honest.
        canEncodeCharacterSet: (terms) => terms.length === 1 && terms[0] === 'ISO_IR 192',
      });
      if (syntax.encapsulated && Object.hasOwn(dataSet, PIXEL_DATA_KEY)) {
        // Defect 8: never give pixel data to dcmjs in an encapsulated syntax.
        throw new DataSetEncodeError(
          'DICOMNET_DATASET_UNSUPPORTED',
          'Pixel Data in an encapsulated transfer syntax',
          '(7FE0,0010)',
          'encapsulated-pixel-data',
        );
      }
      const stream = newWriteStream(4096, syntax.littleEndian);
      try {
        // Defect 17: our own conversion, never denaturalizeDataset. Defect 7: BE words swapped in it.
        dicomMessage().write(
          modelToDcmjs(dataSet, syntax.littleEndian),
          stream,
          dcmjsSyntax(syntax),
          { fragmentMultiframe: false },
        );
      } catch (error) {
        throw new DataSetEncodeError(
          'DICOMNET_DATASET_INVALID_VALUE',
          `dcmjs: ${message(error)}`,
          undefined,
          undefined,
          { cause: error },
        );
      }
      const bytes = new Uint8Array(stream.getBuffer(0, stream.size));
      // Defect 5: dcmjs does not deflate; PS3.5 A.5 raw DEFLATE, padded to even length.
      return syntax.deflated ? deflate(bytes, level) : bytes;
    },
  };
}

/** The syntax UID to give dcmjs: one of the three it handles (defect 2). */
function dcmjsSyntax(syntax: TransferSyntaxInfo): string {
  if (!syntax.explicitVr) return TransferSyntax.ImplicitVrLittleEndian;
  return syntax.littleEndian
    ? TransferSyntax.ExplicitVrLittleEndian
    : TransferSyntax.ExplicitVrBigEndian;
}

function inflate(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    // Raw DEFLATE (RFC 1951) as PS3.5 A.5 says; a trailing NUL pad after the stream end is ignored.
    return nodeZlib().inflateRawSync(bytes, { maxOutputLength: maxBytes + 1 });
  } catch (error) {
    if (isCode(error, 'ERR_BUFFER_TOO_LARGE')) {
      throw new DataSetDecodeError(
        'DICOMNET_DATASET_UNSUPPORTED',
        `inflates to more than ${maxBytes} bytes`,
        {},
        'size',
        { cause: error },
      );
    }
    throw new DataSetDecodeError(
      'DICOMNET_DATASET_MALFORMED',
      `not a raw DEFLATE stream: ${message(error)}`,
      {},
      undefined,
      { cause: error },
    );
  }
}

function deflate(bytes: Uint8Array, level: number): Uint8Array {
  const zlib = nodeZlib();
  const deflated = zlib.deflateRawSync(bytes, { level, finishFlush: zlib.constants.Z_FINISH });
  if (deflated.byteLength % 2 === 0) return deflated;
  const padded = new Uint8Array(deflated.byteLength + 1); // PS3.5 A.5: one trailing NUL
  padded.set(deflated);
  return padded;
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
