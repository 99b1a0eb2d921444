// A repository filled with the demo's generated studies, for tests that serve it.
import { FileRepository } from '@dicomnet/repository';
import { DEMO_SYNTAX, type DemoInstance } from '../src/actions/demo-studies.js';

/** A repository at `root` holding `instances`, closed again for `serve` to open. */
export async function fillRepository(
  root: string,
  instances: readonly DemoInstance[],
): Promise<void> {
  const repository = await FileRepository.open({ root, fsync: false });
  try {
    for (const instance of instances) {
      await repository.store({
        dataSet: instance.bytes,
        sopClassUid: instance.sopClassUid,
        sopInstanceUid: instance.sopInstanceUid,
        transferSyntaxUid: DEMO_SYNTAX,
      });
    }
  } finally {
    await repository.close();
  }
}
