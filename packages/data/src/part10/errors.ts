import { DicomnetError } from '../dicomnet-error.js';

/**
 * The bytes are not a DICOM Part 10 file: shorter than the 128-byte preamble and the prefix, or
 * no `DICM` prefix at byte 128 (PS3.10 §7.1). Code `DICOMNET_PART10_NOT_PART10`.
 */
export class NotPart10Error extends DicomnetError {
  /** @param detail - What was found instead. */
  constructor(readonly detail: string) {
    super('DICOMNET_PART10_NOT_PART10', `not a DICOM Part 10 file: ${detail}`);
  }
}

/**
 * The file is the temporary file of a transfer that never finished (`.<uid>.dcm.<random>.part`,
 * left by a process killed while storing): never a complete instance, so it is not read as one.
 * Code `DICOMNET_PART10_UNFINISHED`.
 */
export class UnfinishedFileError extends DicomnetError {
  constructor(readonly path: string) {
    super(
      'DICOMNET_PART10_UNFINISHED',
      `${path} is the temporary file of an unfinished transfer, not an instance`,
    );
  }
}

/**
 * The File Meta Information of a Part 10 file is broken: it ends early, an element overruns the
 * group length, a VR is unknown, a Type 1 element (Media Storage SOP Class/Instance UID, Transfer
 * Syntax UID) is missing (PS3.10 Table 7.1-1). Code `DICOMNET_PART10_MALFORMED`.
 */
export class Part10MalformedError extends DicomnetError {
  /**
   * @param detail - What is wrong.
   * @param offset - Byte offset in the file, when known.
   */
  constructor(
    readonly detail: string,
    readonly offset?: number,
  ) {
    super(
      'DICOMNET_PART10_MALFORMED',
      offset === undefined
        ? `malformed File Meta Information: ${detail}`
        : `malformed File Meta Information at byte ${offset}: ${detail}`,
    );
  }
}

/**
 * The File Meta Information is larger than the reader accepts (`maxMetaBytes`), found before it
 * is buffered. Code `DICOMNET_PART10_META_TOO_LARGE`.
 */
export class Part10MetaTooLargeError extends DicomnetError {
  /**
   * @param size - Bytes declared by the group length, or read so far without one.
   * @param maxMetaBytes - The limit.
   */
  constructor(
    readonly size: number,
    readonly maxMetaBytes: number,
  ) {
    super(
      'DICOMNET_PART10_META_TOO_LARGE',
      `File Meta Information of ${size} bytes exceeds the limit of ${maxMetaBytes}`,
    );
  }
}

/**
 * A File Meta Information given to the encoder cannot be written: a UID that is not 1–64
 * digits and dots, an AE title over 16 characters, an `otherElements` entry outside group 0002 or
 * clashing with a named field… Code `DICOMNET_PART10_INVALID_META`.
 */
export class InvalidFileMetaError extends DicomnetError {
  /**
   * @param field - The offending field.
   * @param detail - What is wrong.
   */
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super('DICOMNET_PART10_INVALID_META', `${field}: ${detail}`);
  }
}

/**
 * Writing a file failed in the file system (open, write, fsync, rename). The temporary file has
 * been removed and the final path was not touched. `cause` is the Node.js system error. Code
 * `DICOMNET_PART10_WRITE_FAILED`.
 */
export class AtomicWriteError extends DicomnetError {
  /**
   * @param path - The final path being written.
   * @param operation - What failed (`open`, `write`, `fsync`, `close`, `rename`).
   * @param cause - The system error.
   */
  constructor(
    readonly path: string,
    readonly operation: string,
    cause: unknown,
  ) {
    super(
      'DICOMNET_PART10_WRITE_FAILED',
      `cannot ${operation} while writing ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * A file changed size while it was read, or between being opened and being read again: reading
 * on would hand out a cut or mixed instance (a C-STORE of it would send what no file ever held).
 * Code `DICOMNET_PART10_FILE_CHANGED`.
 */
export class Part10FileChangedError extends DicomnetError {
  /**
   * @param path - The file.
   * @param expectedSize - Its size when it was opened, in bytes.
   * @param detail - What was found instead.
   */
  constructor(
    readonly path: string,
    readonly expectedSize: number,
    readonly detail: string,
  ) {
    super(
      'DICOMNET_PART10_FILE_CHANGED',
      `${path} changed while being read: it had ${expectedSize} bytes when opened, ${detail}`,
    );
  }
}

/** Codes an {@link InflateError} carries. */
export type InflateErrorCode =
  'DICOMNET_PART10_INFLATE_FAILED' | 'DICOMNET_PART10_INFLATE_TOO_LARGE';

/**
 * A Deflated Explicit VR Little Endian data set could not be inflated: `..._INFLATE_FAILED` for
 * bytes that are not a raw DEFLATE stream (PS3.5 A.5), `..._INFLATE_TOO_LARGE` when the output
 * would exceed `maxOutputBytes`.
 */
export class InflateError extends DicomnetError {
  /**
   * @param code - Which failure.
   * @param detail - What happened.
   * @param options - `{ cause }`: the zlib error.
   */
  constructor(
    override readonly code: InflateErrorCode,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(code, detail, options);
  }
}
