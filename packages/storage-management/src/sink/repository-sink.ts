// The default InventorySink: the repository itself, where Inventory instances are Inventory
// Storage instances (PS3.4 GG.6.6) found and retrieved through Inventory FIND/GET/MOVE (PS3.4 JJ).
import type { Repository } from '@dicomnet/repository';
import type { InventorySink, ProducedInstance } from '../inventory-sink.js';

/**
 * A sink storing each instance into `repository` (durable before `store` resolves when the
 * repository fsyncs). An instance stored again replaces the earlier one, as a resumed production
 * does with the leaves it writes again; `remove` deletes it.
 */
export function repositorySink(repository: Repository): InventorySink {
  return {
    async store(instance: ProducedInstance, signal?: AbortSignal): Promise<void> {
      await repository.store(
        {
          dataSet: instance.dataSet,
          sopClassUid: instance.sopClassUid,
          sopInstanceUid: instance.sopInstanceUid,
          transferSyntaxUid: instance.transferSyntaxUid,
        },
        {
          duplicate: 'replace',
          // Its own keys: the repository need not read megabytes of records back to find them.
          inventoryKeys: instance.keys,
          ...(signal === undefined ? {} : { signal }),
        },
      );
    },
    async remove(sopInstanceUid: string): Promise<void> {
      await repository.delete(sopInstanceUid);
    },
  };
}
