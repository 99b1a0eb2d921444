import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAttributes, readPart10 } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import {
  INVENTORY_STORAGE_SOP_CLASS,
  folderSink,
  inventoryFileName,
  produceInventory,
} from '../index.js';
import { arraySource, makeStudies } from '../../test/helpers/inventory-fixtures.js';

describe('folderSink', () => {
  it('writes each produced instance as a Part 10 file, and removes it', async () => {
    const dir = await tempDir('folder-sink-');
    try {
      const folder = path.join(dir.path, 'inventory');
      const sink = folderSink(folder);
      const root = await produceInventory({
        source: arraySource(makeStudies(3, 1, 1)),
        sink,
        request: {
          level: 'INSTANCE',
          query: { conditions: [], returnKeys: [], ignoredKeys: [] },
          startedAt: new Date(),
        },
        maxRecordsPerInstance: 3,
      });
      expect(root.instances).toHaveLength(4);
      expect((await readdir(folder)).sort()).toEqual(root.instances.map(inventoryFileName).sort());
      const file = await readPart10(path.join(folder, inventoryFileName(root.sopInstanceUid)));
      expect(file.meta.mediaStorageSopClassUid).toBe(INVENTORY_STORAGE_SOP_CLASS);
      expect(file.meta.mediaStorageSopInstanceUid).toBe(root.sopInstanceUid);
      const data = await readAttributes(file.dataSet, ['00080018', '00080422'], {
        transferSyntaxUid: file.meta.transferSyntaxUid,
      });
      expect(data['00080018']?.Value).toEqual([root.sopInstanceUid]);
      expect(data['00080422']?.Value).toHaveLength(3);

      await sink.remove(root.sopInstanceUid);
      await sink.remove(root.sopInstanceUid); // already gone: no error
      expect(await readdir(folder)).toHaveLength(3);
    } finally {
      await dir.remove();
    }
  });
});
