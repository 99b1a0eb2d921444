// UIDs shared by the interop tests (PS3.6 Annex A).

export const VERIFICATION = '1.2.840.10008.1.1';
export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
/** Storage Commitment Push Model SOP Class and its well-known instance (PS3.4 J.3). */
export const STORAGE_COMMITMENT = '1.2.840.10008.1.20.1';
export const STORAGE_COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';

export const IMPLICIT = '1.2.840.10008.1.2';
export const EXPLICIT = '1.2.840.10008.1.2.1';
export const DEFLATED = '1.2.840.10008.1.2.1.99';
export const BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const RLE = '1.2.840.10008.1.2.5';
export const JPEG_LOSSLESS = '1.2.840.10008.1.2.4.70';

/** Every syntax our test SCPs accept, most preferred first. */
export const ALL_TEST_SYNTAXES = [
  EXPLICIT,
  IMPLICIT,
  BIG_ENDIAN,
  DEFLATED,
  RLE,
  JPEG_LOSSLESS,
] as const;
