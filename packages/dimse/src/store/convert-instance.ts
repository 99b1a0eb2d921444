import {
  canTranscode,
  DataSetEncodeError,
  transcodeDataSet,
  transcodeDataSetSync,
} from '@dicomnet/data';
import type { StoreInstance } from '../client/dimse-client.js';
import type { InstanceFile } from './instance-file.js';

/** Largest file {@link convertInstance} converts in memory, before sending, by default. */
export const DEFAULT_MAX_CONVERT_BYTES = 64 * 1024 * 1024;

/**
 * An instance re-encoded in another transfer syntax, for a peer that accepts only that one.
 * Only native (uncompressed) syntaxes convert: Implicit and Explicit VR Little Endian, Explicit
 * VR Big Endian and Deflated (PS3.5 §10, Annex A), through `transcodeDataSet` of
 * `@dicomnet/data`. A file up to `maxBytes` is converted in memory at once, so that a malformed
 * one fails here; a larger one is converted as it is sent (each value held whole meanwhile), and
 * a malformed one then aborts the association its C-STORE had begun on.
 * @throws `DICOMNET_DATASET_UNSUPPORTED` for an encapsulated syntax, and the reader's errors for a
 *   small data set it cannot read.
 */
export async function convertInstance(
  file: InstanceFile,
  transferSyntaxUid: string,
  options: { readonly maxBytes?: number } = {},
): Promise<StoreInstance> {
  const from = file.transferSyntaxUid;
  const to = transferSyntaxUid;
  if (!canTranscode(from, to)) {
    throw new DataSetEncodeError(
      'DICOMNET_DATASET_UNSUPPORTED',
      `cannot convert from ${from} to ${to}: only native transfer syntaxes convert`,
      undefined,
      'encapsulated-conversion',
    );
  }
  if (file.size > (options.maxBytes ?? DEFAULT_MAX_CONVERT_BYTES)) {
    const instance = file.instance();
    return {
      ...instance,
      transferSyntaxUid: to,
      dataSet: transcodeDataSet(instance.dataSet, { from, to }),
    };
  }
  const loaded = await file.load();
  const bytes =
    loaded.dataSet instanceof Uint8Array ? loaded.dataSet : await gathered(loaded.dataSet);
  return { ...loaded, transferSyntaxUid: to, dataSet: transcodeDataSetSync(bytes, { from, to }) };
}

async function gathered(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}
