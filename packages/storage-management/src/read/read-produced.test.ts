// readInventory and readInventoryTree on what produceInventory writes (the real producer, split
// into a tree by a small maxRecordsPerInstance, stored by folderSink).
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arraySource, makeStudies } from '../../test/helpers/inventory-fixtures.js';
import { produceInventory } from '../produce/produce-inventory.js';
import { folderSink } from '../sink/folder-sink.js';
import type { InventoryLevel } from '../message-types.js';
import { readInventoryFolder } from './inventory-folder.js';
import { readInventoryTree } from './read-inventory-tree.js';

let dir: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir('read-produced-');
});
afterAll(async () => {
  await dir.remove();
});

describe('reading produced inventories', () => {
  it.each(['STUDY', 'SERIES', 'INSTANCE'] as const)(
    'reads back every record of a tree split by the producer (%s level)',
    async (level: InventoryLevel) => {
      const studies = makeStudies(7, 2, 3);
      const folder = `${dir.path}/${level}`;
      const root = await produceInventory({
        source: arraySource(studies),
        sink: folderSink(folder),
        request: {
          level,
          query: { conditions: [], returnKeys: [], ignoredKeys: [] },
          startedAt: new Date(Date.UTC(2026, 11, 5, 12, 0, 0)),
          transactionUid: '1.2.826.0.1.3680043.10.1.17',
          purpose: 'read back',
        },
        maxRecordsPerInstance: 5,
      });
      expect(root.instances.length).toBeGreaterThan(1);
      const found = await readInventoryFolder(folder);
      expect(found.skipped).toEqual([]);
      expect(found.roots.map((header) => header.sopInstanceUid)).toEqual([root.sopInstanceUid]);
      const records = new Set<string>();
      const instances: string[] = [];
      let studyItems = 0;
      let total: number | undefined;
      for await (const item of readInventoryTree(root.sopInstanceUid, found.open)) {
        if (item.kind === 'end') {
          instances.push(item.header.sopInstanceUid);
          studyItems += item.studyRecords;
          if (item.path.length === 1) {
            total = item.header.totalStudyRecords;
            expect(item.header).toMatchObject({
              level,
              completion: root.completion,
              transactionUid: '1.2.826.0.1.3680043.10.1.17',
              purpose: 'read back',
            });
          }
        } else if (item.kind === 'study') records.add(item.studyInstanceUid);
        else if (item.kind === 'series') records.add(item.seriesInstanceUid);
        else if (item.kind === 'instance') records.add(item.sopInstanceUid);
      }
      expect(instances.sort()).toEqual([...root.instances].sort());
      // Sum of the study items of the tree = Total Number of Study Records (C.38.1).
      expect(total).toBe(root.totalStudyRecords);
      expect(studyItems).toBe(root.totalStudyRecords);
      const expected = new Set<string>();
      for (const study of studies) {
        expected.add(study.uid);
        if (level === 'STUDY') continue;
        for (const series of study.series) {
          expected.add(series.uid);
          if (level === 'INSTANCE')
            for (const instance of series.instances) expected.add(instance.uid);
        }
      }
      expect([...records].sort()).toEqual([...expected].sort());
    },
  );
});
