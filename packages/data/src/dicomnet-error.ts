// @dicomnet/data depends on no other dicomnet package, so it carries its own copy of the base
// error class. Every copy (this one, @dicomnet/pdu's, and the ESM and CJS builds of each) brands
// its errors with one registered symbol, so `DicomnetError.isInstance` and `instanceof
// DicomnetError` from any of them recognise the errors of all.
const BRAND = Symbol.for('dicomnet.error');

/**
 * A stable error code, `DICOMNET_<AREA>_<WHAT>`. Codes are never renamed once released; match on
 * them rather than on classes or messages.
 */
export type DicomnetErrorCode = `DICOMNET_${string}`;

/**
 * Base class of every error thrown by dicomnet packages. Each error carries a stable
 * {@link DicomnetErrorCode} in `code`.
 */
export class DicomnetError extends Error {
  /** Stable machine-readable code, e.g. `DICOMNET_DATASET_MALFORMED`. */
  readonly code: DicomnetErrorCode;
  /** Brand shared by every loaded copy of dicomnet. */
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

  /** True for an error from any loaded copy of any dicomnet package. */
  static isInstance(value: unknown): value is DicomnetError {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  /** `instanceof DicomnetError` is the brand check; subclasses keep the prototype check. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== DicomnetError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return DicomnetError.isInstance(value);
  }
}
