/**
 * The inventory's source alone: every record repositorySource lists at a level (Repository.walk
 * and the mapping to study, series and instance records), nothing encoded or written. Set beside
 * the whole production and the bare scan, it tells how much of an inventory's time the reading
 * takes.
 */
import { FileRepository } from '@dicomnet/repository';
import type { InventoryLevel } from '@dicomnet/storage-management';
import { repositorySource } from '@dicomnet/storage-management';

/** Walks `root`'s repository at `level`; resolves with the records listed. */
export async function walkSource(root: string, level: InventoryLevel): Promise<number> {
  const repository = await FileRepository.open({ root, fsync: false });
  try {
    let records = 0;
    const everything = { conditions: [], returnKeys: [], ignoredKeys: [] };
    for await (const entry of repositorySource(repository).entries(everything, { level })) {
      void entry;
      records++;
    }
    return records;
  } finally {
    await repository.close();
  }
}
