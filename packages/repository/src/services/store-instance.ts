// What a C-GET or C-MOVE sub-operation sends, read from the repository when it starts.
import { readPart10 } from '@dicomnet/data';
import type { StoreInstance } from '@dicomnet/dimse';
import type { InstanceReference, Repository } from '../repository.js';

/** The instance to send: the stored file's data set in its transfer syntax. */
export async function storeInstanceOf(
  repository: Repository,
  reference: InstanceReference,
  signal: AbortSignal,
): Promise<StoreInstance> {
  const file = await readPart10(await repository.read(reference.sopInstanceUid, { signal }));
  return {
    sopClassUid: reference.sopClassUid,
    sopInstanceUid: reference.sopInstanceUid,
    transferSyntaxUid: file.meta.transferSyntaxUid,
    dataSet: file.dataSet,
  };
}
