// A DataSetCodec with no dcmjs in it: the element writer encodes, the element reader and its
// decodeValue decode. Whole data sets in memory, as the DataSetCodec interface is.
import type { DataElement, DataSet } from '../data-set/data-set.js';
import type { DataSetCodec } from '../data-set/data-set-codec.js';
import { declareUtf8WhereNeeded } from '../data-set/character-set.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import { DICTIONARY_SIGNED_WITH_PIXELS } from '../element-reader/dictionary-table.js';
import { readElementsSync } from '../element-reader/read-elements.js';
import { InflateError } from '../part10/errors.js';
import { describeTransferSyntax } from '../transfer-syntax/transfer-syntax.js';
import { tokensToModel } from './tokens-to-model.js';
import { dataSetTokens, encodeElementsSync } from './write-elements.js';

/** Options of {@link createElementCodec}. */
export interface ElementCodecOptions {
  /** Largest data set decoded, in bytes after inflation; default 64 MiB. */
  readonly maxDataSetBytes?: number;
  /** Deepest sequence nesting decoded or encoded; default 32. */
  readonly maxSequenceDepth?: number;
  /** zlib level (0–9) for Deflated syntaxes; default 6. */
  readonly deflateLevel?: number;
  /**
   * VRs for Implicit VR elements (PS3.5 7.1.3), asked before the reader's dictionary: for
   * private tags, or tags newer than the dictionary, which otherwise decode as UN (PS3.5 6.2.2).
   * Return undefined to keep the dictionary's VR. SQ is not honoured (a defined-length value the
   * dictionary does not know stays bytes).
   */
  readonly implicitVr?: (tag: number) => string | undefined;
}

/** Default of {@link ElementCodecOptions.maxSequenceDepth}: 32, as the dcmjs codec's. */
const DEFAULT_ELEMENT_CODEC_DEPTH = 32;

/** Default of {@link ElementCodecOptions.maxDataSetBytes}: 64 MiB. */
export const DEFAULT_MAX_ELEMENT_CODEC_BYTES = 64 * 1024 * 1024;

/**
 * A {@link DataSetCodec} built on dicomnet's own element reader and writer: no dcmjs, every VR
 * (OL, OV and SV included), sequences written with undefined lengths as the dcmjs codec writes
 * them. Text is written as UTF-8, so non-ASCII text needs Specific Character Set `ISO_IR 192`;
 * decoding reads the character sets the reader knows and declares `ISO_IR 192` where it produced
 * non-ASCII text from another. A sequence sent as UN of undefined length decodes as SQ
 * (PS3.5 6.2.2). Encapsulated pixel data is refused (`DICOMNET_DATASET_UNSUPPORTED`): the model
 * has no fragments.
 */
export function createElementCodec(options: ElementCodecOptions = {}): DataSetCodec {
  const maxBytes = options.maxDataSetBytes ?? DEFAULT_MAX_ELEMENT_CODEC_BYTES;
  const maxDepth = options.maxSequenceDepth ?? DEFAULT_ELEMENT_CODEC_DEPTH;
  return {
    decode(bytes, transferSyntaxUid) {
      const syntax = describeTransferSyntax(transferSyntaxUid);
      if (!syntax.deflated && bytes.byteLength > maxBytes) tooLarge(maxBytes);
      let dataSet: DataSet;
      try {
        const tokens = readElementsSync(bytes, {
          transferSyntaxUid,
          maxDepth,
          maxValueBytes: maxBytes,
          maxInflatedBytes: maxBytes,
        });
        dataSet = tokensToModel(
          tokens,
          syntax.littleEndian,
          syntax.explicitVr ? undefined : options.implicitVr,
        );
      } catch (error) {
        if (!(error instanceof InflateError)) throw error;
        if (error.code === 'DICOMNET_PART10_INFLATE_TOO_LARGE') tooLarge(maxBytes, error);
        throw new DataSetDecodeError('DICOMNET_DATASET_MALFORMED', error.detail, {}, undefined, {
          cause: error,
        });
      }
      if (!syntax.explicitVr) resolveUsOrSs(dataSet, undefined);
      return declareUtf8WhereNeeded(dataSet);
    },

    encode(dataSet, transferSyntaxUid) {
      return encodeElementsSync(dataSetTokens(dataSet), {
        transferSyntaxUid,
        lengths: 'undefined',
        maxDepth,
        ...(options.deflateLevel === undefined ? {} : { deflateLevel: options.deflateLevel }),
      });
    },
  };
}

function tooLarge(maxBytes: number, cause?: unknown): never {
  throw new DataSetDecodeError(
    'DICOMNET_DATASET_UNSUPPORTED',
    `more than ${maxBytes} bytes`,
    {},
    'size',
    cause === undefined ? undefined : { cause },
  );
}

let signedWithPixels: ReadonlySet<string> | undefined;

/** The reader's "US or SS" tags that follow Pixel Representation (LUT descriptors excluded). */
function usOrSs(): ReadonlySet<string> {
  signedWithPixels ??= new Set(DICTIONARY_SIGNED_WITH_PIXELS.match(/.{8}/g) ?? []);
  return signedWithPixels;
}

const PIXEL_REPRESENTATION = '00280103';

/**
 * In Implicit VR, "US or SS" values are signed when Pixel Representation (0028,0103), in the
 * same data set or an enclosing one, is 1 (PS3.3 C.7.6.3.1, PS3.5 Annex A.1): rewritten in place.
 */
function resolveUsOrSs(dataSet: DataSet, inherited: number | undefined): void {
  const own = dataSet[PIXEL_REPRESENTATION]?.Value?.[0];
  const pixelRepresentation = typeof own === 'number' ? own : inherited;
  const elements = dataSet as Record<string, DataElement>;
  for (const [key, element] of Object.entries(elements)) {
    if (element.vr === 'SQ') {
      for (const item of element.Value ?? []) resolveUsOrSs(item as DataSet, pixelRepresentation);
    } else if (pixelRepresentation === 1 && element.vr === 'US' && usOrSs().has(key)) {
      const values = (element.Value ?? []) as readonly number[];
      elements[key] =
        values.length === 0
          ? { vr: 'SS' }
          : { vr: 'SS', Value: values.map((value) => (value >= 0x8000 ? value - 0x10000 : value)) };
    }
  }
}
