/**
 * Default Maximum-length-received (sub-item 51H): the largest P-DATA-TF PDU-length, in bytes
 * after the 6-byte header, this side announces and accepts (PS3.8 D.1). 16384 is DCMTK's default.
 */
export const DEFAULT_MAX_PDU_LENGTH = 16384;

/**
 * Default limit on the PDU-length of every PDU other than P-DATA-TF (A-ASSOCIATE-RQ/AC are not
 * bounded by the negotiated maximum, PS3.8 D.1), in bytes after the header: 1 MiB.
 */
export const DEFAULT_MAX_ASSOCIATE_PDU_LENGTH = 1024 * 1024;

/**
 * Default cap on a P-DATA-TF PDU-length when the announced maximum is 0 ("no maximum", PS3.8
 * D.1): 64 MiB. A hostile or broken peer must not make the reader buffer gigabytes.
 */
export const DEFAULT_MAX_UNBOUNDED_PDU_LENGTH = 64 * 1024 * 1024;
