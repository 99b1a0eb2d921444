import type { DataSet } from './data-set.js';

/**
 * Decodes and encodes small data sets: C-FIND/C-MOVE/C-GET identifiers and the attribute lists
 * of the N-services. Synchronous and whole-buffer; C-STORE payloads and pixel data never go
 * through a codec (they are stored and sent as received). The contract suite in
 * `test/contract/data-set-codec.contract.ts` runs against every implementation.
 */
export interface DataSetCodec {
  /**
   * Decodes the bytes of one data set (no preamble, no File Meta Information) encoded in
   * `transferSyntaxUid` (a Deflated syntax means raw DEFLATE bytes, PS3.5 A.5).
   * @throws {@link DataSetDecodeError} `DICOMNET_DATASET_MALFORMED` or
   *   `DICOMNET_DATASET_UNSUPPORTED`.
   */
  decode(bytes: Uint8Array, transferSyntaxUid: string): DataSet;
  /**
   * Encodes a data set in `transferSyntaxUid`.
   * @throws {@link DataSetEncodeError} `DICOMNET_DATASET_INVALID_VALUE` or
   *   `DICOMNET_DATASET_UNSUPPORTED`.
   */
  encode(dataSet: DataSet, transferSyntaxUid: string): Uint8Array;
}
