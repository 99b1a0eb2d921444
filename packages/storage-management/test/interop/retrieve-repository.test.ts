// retrieveInventory against the repository's own Inventory GET and MOVE handlers (PS3.4 JJ.3.2,
// @dicomnet/repository/services) over TCP: an inventory produced into the repository (split into
// a tree, stored by repositorySink) comes back whole, every record once.
import path from 'node:path';
import { createServer, type DimseServer } from '@dicomnet/dimse';
import { FileRepository } from '@dicomnet/repository';
import {
  createInventoryQueryRetrieveHandlers,
  INVENTORY_QUERY_RETRIEVE_SOP_CLASSES,
} from '@dicomnet/repository/services';
import { freePort, tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceInventory } from '../../src/produce/produce-inventory.js';
import { retrieveInventory } from '../../src/retrieve/retrieve-inventory.js';
import { repositorySink } from '../../src/sink/repository-sink.js';
import { INVENTORY_STORAGE_SOP_CLASS } from '../../src/uids.js';
import { arraySource, makeStudies } from '../helpers/inventory-fixtures.js';

const SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];
const studies = makeStudies(6, 2, 2);
let work: { path: string; remove(): Promise<void> };
let repository: FileRepository;
let server: DimseServer;
let port: number;
let movePort: number;
let root: { sopInstanceUid: string; instances: readonly string[] };

beforeAll(async () => {
  work = await tempDir('retrieve-repository-');
  repository = await FileRepository.open({ root: path.join(work.path, 'repo'), fsync: false });
  root = await produceInventory({
    source: arraySource(studies),
    sink: repositorySink(repository),
    request: {
      level: 'INSTANCE',
      query: { conditions: [], returnKeys: [], ignoredKeys: [] },
      startedAt: new Date(),
      transactionUid: '1.2.826.0.1.3680043.10.1.55',
    },
    maxRecordsPerInstance: 6,
  });
  movePort = await freePort();
  const handlers = createInventoryQueryRetrieveHandlers(repository);
  server = createServer({
    aeTitles: ['ARCHIVE'],
    contexts: [
      ...Object.values(INVENTORY_QUERY_RETRIEVE_SOP_CLASSES).map((abstractSyntax) => ({
        abstractSyntax,
        transferSyntaxes: SYNTAXES,
      })),
      {
        abstractSyntax: INVENTORY_STORAGE_SOP_CLASS,
        transferSyntaxes: ['1.2.840.10008.1.2.1.99', ...SYNTAXES],
        requestorRoles: { scu: false, scp: true },
      },
    ],
    handlers,
    moveDestinations: { RECONCILER: { host: '127.0.0.1', port: movePort } },
  });
  port = (await server.listen({ port: 0 })).port;
});

afterAll(async () => {
  await server?.close();
  await repository?.close();
  await work?.remove();
});

describe('retrieveInventory from a repository (PS3.4 JJ.3.2)', () => {
  it.each(['get', 'move'] as const)(
    'brings back the whole tree through Inventory %s',
    async (via) => {
      expect(root.instances.length).toBeGreaterThan(2);
      const uids = new Set<string>();
      const instances: string[] = [];
      for await (const item of retrieveInventory({
        host: '127.0.0.1',
        port,
        callingAeTitle: 'RECONCILER',
        calledAeTitle: 'ARCHIVE',
        root: root.sopInstanceUid,
        via,
        ...(via === 'move' && { destination: { aeTitle: 'RECONCILER', port: movePort } }),
      })) {
        if (item.kind === 'end') instances.push(item.header.sopInstanceUid);
        if (item.kind === 'instance') uids.add(item.sopInstanceUid);
      }
      expect(instances.sort()).toEqual([...root.instances].sort());
      const expected = studies.flatMap((study) =>
        study.series.flatMap((series) => series.instances.map((instance) => instance.uid)),
      );
      expect([...uids].sort()).toEqual(expected.sort());
    },
  );
});
