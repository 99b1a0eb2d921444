import { DicomnetError } from '../dicomnet-error.js';

/** Codes a {@link DataSetDecodeError} carries. */
export type DataSetDecodeErrorCode = 'DICOMNET_DATASET_MALFORMED' | 'DICOMNET_DATASET_UNSUPPORTED';

/**
 * Bytes could not be decoded as a data set in the given transfer syntax.
 *
 * - `DICOMNET_DATASET_MALFORMED`: not a well-formed encoding (a length overruns its container,
 *   a missing delimiter, a duplicate tag, an unknown VR, a value of impossible length…).
 * - `DICOMNET_DATASET_UNSUPPORTED`: well-formed, but the codec cannot decode it faithfully
 *   (for the dcmjs codec: a sequence sent as UN, OL/OV/SV, encapsulated pixel data, ISO 2022
 *   character sets, item content that dcmjs would cut short). `feature` names what.
 *
 * A DIMSE service answering a request whose data set fails so uses a failure status
 * (e.g. 0xA900 / 0xC000 class "cannot understand"); nothing here aborts the association.
 */
export class DataSetDecodeError extends DicomnetError {
  /**
   * @param code - Which of the two failures.
   * @param detail - What is wrong.
   * @param where - Tag path (e.g. `(0008,1110)[0](0008,1150)`) and byte offset, when known.
   * @param feature - For `DICOMNET_DATASET_UNSUPPORTED`, a short stable name of the feature.
   * @param options - `{ cause }`, e.g. the exception dcmjs threw.
   */
  constructor(
    override readonly code: DataSetDecodeErrorCode,
    readonly detail: string,
    readonly where: { readonly path?: string; readonly offset?: number } = {},
    readonly feature?: string,
    options?: ErrorOptions,
  ) {
    super(code, describe('cannot decode data set', detail, where), options);
  }
}

/** Codes a {@link DataSetEncodeError} carries. */
export type DataSetEncodeErrorCode =
  'DICOMNET_DATASET_INVALID_VALUE' | 'DICOMNET_DATASET_UNSUPPORTED';

/**
 * A {@link DataSet} could not be encoded.
 *
 * - `DICOMNET_DATASET_INVALID_VALUE`: the model is not a valid data set (a bad key or VR, a value
 *   of the wrong type or out of range, an over-long string, a backslash inside a value of a
 *   multi-valued VR, non-ASCII text in an ASCII-only VR…).
 * - `DICOMNET_DATASET_UNSUPPORTED`: valid, but the codec cannot encode it (for the dcmjs codec:
 *   OL/OV/SV, non-ASCII text whose Specific Character Set (0008,0005) is not `ISO_IR 192`).
 */
export class DataSetEncodeError extends DicomnetError {
  /**
   * @param code - Which of the two failures.
   * @param detail - What is wrong.
   * @param path - Tag path of the offending element, when known.
   * @param feature - For `DICOMNET_DATASET_UNSUPPORTED`, a short stable name of the feature.
   * @param options - `{ cause }`.
   */
  constructor(
    override readonly code: DataSetEncodeErrorCode,
    readonly detail: string,
    readonly path?: string,
    readonly feature?: string,
    options?: ErrorOptions,
  ) {
    super(
      code,
      describe('cannot encode data set', detail, path === undefined ? {} : { path }),
      options,
    );
  }
}

/**
 * Text given to {@link fromDicomJson} is not a DICOM JSON Model object (PS3.18 F.2), or a value
 * in it has the wrong JSON type for its VR. Code `DICOMNET_DATASET_INVALID_JSON`.
 */
export class DicomJsonError extends DicomnetError {
  /**
   * @param detail - What is wrong.
   * @param path - Tag path of the offending attribute, when known.
   */
  constructor(
    readonly detail: string,
    readonly path?: string,
  ) {
    super(
      'DICOMNET_DATASET_INVALID_JSON',
      describe('invalid DICOM JSON', detail, path === undefined ? {} : { path }),
    );
  }
}

function describe(
  prefix: string,
  detail: string,
  where: { readonly path?: string; readonly offset?: number },
): string {
  const at = [where.path, where.offset === undefined ? undefined : `byte ${where.offset}`]
    .filter(Boolean)
    .join(', ');
  return at === '' ? `${prefix}: ${detail}` : `${prefix}: ${detail} (at ${at})`;
}
