import { readFile } from 'node:fs/promises';
import { createDcmjsCodec, DataSetEncodeError, describeTransferSyntax } from '@dicomnet/data';
import type { DataSetCodec } from '@dicomnet/data';
import type { StoreInstance } from '../client/dimse-client.js';
import type { InstanceFile } from './instance-file.js';

/** Largest data set {@link convertInstance} decodes in memory by default. */
export const DEFAULT_MAX_CONVERT_BYTES = 64 * 1024 * 1024;

/**
 * An instance re-encoded in another transfer syntax, for a peer that accepts only that one.
 * Only native (uncompressed) syntaxes convert: Implicit and Explicit VR Little Endian, Explicit
 * VR Big Endian and Deflated (PS3.5 §10, Annex A). The data set is decoded in memory, so this is
 * for files up to `maxBytes`; sending a file in its own syntax never decodes it.
 * @throws `DICOMNET_DATASET_UNSUPPORTED` for an encapsulated syntax or a file over `maxBytes`,
 *   and the codec's errors for a data set it cannot read.
 */
export async function convertInstance(
  file: InstanceFile,
  transferSyntaxUid: string,
  options: { readonly codec?: DataSetCodec; readonly maxBytes?: number } = {},
): Promise<StoreInstance> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_CONVERT_BYTES;
  for (const uid of [file.transferSyntaxUid, transferSyntaxUid]) {
    if (describeTransferSyntax(uid).encapsulated) {
      throw new DataSetEncodeError(
        'DICOMNET_DATASET_UNSUPPORTED',
        `cannot convert from or to the encapsulated transfer syntax ${uid}`,
        undefined,
        'encapsulated-conversion',
      );
    }
  }
  if (file.size > maxBytes) {
    throw new DataSetEncodeError(
      'DICOMNET_DATASET_UNSUPPORTED',
      `${file.path} is larger than ${maxBytes} bytes; convert it with a file tool`,
      undefined,
      'large-conversion',
    );
  }
  const codec = options.codec ?? createDcmjsCodec({ maxDataSetBytes: maxBytes });
  const whole = await readFile(file.path);
  const dataSet = codec.decode(
    whole.subarray(whole.byteLength - file.size),
    file.transferSyntaxUid,
  );
  return {
    sopClassUid: file.sopClassUid,
    sopInstanceUid: file.sopInstanceUid,
    transferSyntaxUid,
    dataSet: codec.encode(dataSet, transferSyntaxUid),
  };
}
