import { AbortReason, AbortSource } from './codec/abort-reason.js';
import { pduTypeName } from './codec/pdu-type.js';

const BRAND = Symbol.for('dicomnet.error');

/**
 * A stable error code, `DICOMNET_<AREA>_<WHAT>`. Codes are never renamed once released; match on
 * them rather than on classes or messages. Higher packages add their own codes.
 */
export type DicomnetErrorCode = `DICOMNET_${string}`;

/**
 * Base class of every error thrown by dicomnet packages. Each error carries a stable
 * {@link DicomnetErrorCode} in `code`.
 */
export class DicomnetError extends Error {
  /** Stable machine-readable code, e.g. `DICOMNET_PDU_MALFORMED`. */
  readonly code: DicomnetErrorCode;
  /** Brand shared by every loaded copy of dicomnet (ESM and CJS side by side). */
  readonly [BRAND] = true;

  /**
   * @param code - The stable code.
   * @param message - Human text; not part of the API.
   * @param options - Standard error options, e.g. `{ cause }`.
   */
  constructor(code: DicomnetErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** True for an error from any loaded copy of dicomnet (ESM and CJS side by side). */
  static isInstance(value: unknown): value is DicomnetError {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  /**
   * `instanceof DicomnetError` is the brand check, so it also holds for errors of
   * `@dicomnet/data`, which carries its own copy of this class; subclasses keep the prototype
   * check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== DicomnetError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return DicomnetError.isInstance(value);
  }
}

/**
 * The peer declared a PDU longer than this side accepts (PS3.8 D.1 for P-DATA-TF; a local limit
 * for the other PDU types). Found as soon as the 6-byte PDU header is in, before the body is
 * buffered. The association answers with A-ABORT source 2, reason 6 (PS3.8 Table 9-26).
 */
export class PduTooLargeError extends DicomnetError {
  /** A-ABORT source to send: DICOM UL service-provider (PS3.8 Table 9-26). */
  readonly abortSource = AbortSource.ServiceProvider;
  /** A-ABORT reason to send: invalid-PDU-parameter value (PS3.8 Table 9-26). */
  readonly abortReason = AbortReason.InvalidPduParameterValue;

  /**
   * @param declaredLength - The PDU-length field, in bytes after the 6-byte header.
   * @param maxPduLength - The limit that applied, in the same unit.
   * @param pduType - The PDU-type byte of the offending PDU.
   */
  constructor(
    readonly declaredLength: number,
    readonly maxPduLength: number,
    readonly pduType: number,
  ) {
    super(
      'DICOMNET_PDU_TOO_LARGE',
      `${pduTypeName(pduType)} declares ${declaredLength} bytes, the limit is ${maxPduLength}`,
    );
  }
}

/**
 * The byte stream ended inside a PDU: `bufferedBytes` bytes of an unfinished PDU were left. No
 * A-ABORT applies (the transport is already gone).
 */
export class PduTruncatedError extends DicomnetError {
  /** @param bufferedBytes - Bytes of the unfinished PDU, header included. */
  constructor(readonly bufferedBytes: number) {
    super('DICOMNET_PDU_TRUNCATED', `stream ended inside a PDU (${bufferedBytes} bytes buffered)`);
  }
}

/**
 * The PDU-type byte is none of the seven of PS3.8 9.3. The association answers with A-ABORT
 * source 2, reason 1 unrecognized-PDU (PS3.8 Table 9-26).
 */
export class UnknownPduTypeError extends DicomnetError {
  /** A-ABORT source to send: DICOM UL service-provider (PS3.8 Table 9-26). */
  readonly abortSource = AbortSource.ServiceProvider;
  /** A-ABORT reason to send: unrecognized-PDU (PS3.8 Table 9-26). */
  readonly abortReason = AbortReason.UnrecognizedPdu;

  /** @param pduType - The unknown PDU-type byte. */
  constructor(readonly pduType: number) {
    super('DICOMNET_PDU_UNKNOWN_TYPE', pduTypeName(pduType));
  }
}

/** The A-ABORT reasons a {@link MalformedPduError} may carry (PS3.8 Table 9-26). */
export type MalformedPduAbortReason =
  | typeof AbortReason.UnrecognizedPduParameter
  | typeof AbortReason.UnexpectedPduParameter
  | typeof AbortReason.InvalidPduParameterValue;

/**
 * A received PDU of a known type is malformed: a length that does not match its content or
 * overruns its parent, a missing mandatory item, a wrong fixed length, a bad presentation context
 * ID, and so on (state-machine event Evt19, PS3.8 9.2.3). The association answers with A-ABORT
 * source 2 and `abortReason`: 6 invalid-PDU-parameter value unless stated otherwise, 5
 * unexpected-PDU parameter for an item that does not belong where it was found.
 */
export class MalformedPduError extends DicomnetError {
  /** A-ABORT source to send: DICOM UL service-provider (PS3.8 Table 9-26). */
  readonly abortSource = AbortSource.ServiceProvider;

  /**
   * @param pduType - The PDU-type byte of the PDU being decoded.
   * @param offset - Where the problem was found, in bytes from the first byte of the PDU
   *   (0-based, the 6-byte header included).
   * @param detail - What is wrong.
   * @param abortReason - A-ABORT reason to send (PS3.8 Table 9-26); default 6.
   */
  constructor(
    readonly pduType: number,
    readonly offset: number,
    readonly detail: string,
    readonly abortReason: MalformedPduAbortReason = AbortReason.InvalidPduParameterValue,
  ) {
    super(
      'DICOMNET_PDU_MALFORMED',
      `malformed ${pduTypeName(pduType)} at byte ${offset}: ${detail}`,
    );
  }
}

/**
 * A value handed to an encoder cannot be put on the wire: an AE title longer than 16 characters,
 * a UID longer than 64, a presentation context ID that is not odd, an odd-length PDV fragment, and
 * so on. A local programming error, thrown before anything is sent; no A-ABORT applies.
 */
export class InvalidPduFieldError extends DicomnetError {
  /** Name of the offending field (e.g. `calledAeTitle`, `presentationContexts[2].id`), if known. */
  readonly field: string | undefined;
  /** What is wrong, without the field name. */
  readonly detail: string;

  /**
   * @param detail - What is wrong.
   * @param field - Name of the offending field, if there is one.
   */
  constructor(detail: string, field?: string) {
    super('DICOMNET_PDU_INVALID_FIELD', field === undefined ? detail : `${field}: ${detail}`);
    this.detail = detail;
    this.field = field;
  }
}
