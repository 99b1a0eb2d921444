// Relaxed mode acknowledges a C-STORE before the instance's index row is committed: a C-FIND
// sent right after the Success status must still find it. One server holds the Storage handler
// and the Q/R handlers over a relaxed repository whose rows would otherwise wait a minute.
import path from 'node:path';
import type { DataElement, DataSet } from '@dicomnet/data';
import { connect, createServer, isStorageSopClass } from '@dicomnet/dimse';
import type { DimseClient, DimseServer } from '@dicomnet/dimse';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstances, type TestInstance } from '../../test/instances.js';
import { FileRepository } from '../file-repository.js';
import { createQueryRetrieveHandlers } from './query-retrieve.js';
import { QUERY_RETRIEVE_SOP_CLASSES as QR } from './query-retrieve-models.js';
import { createStoreHandler } from './store-handler.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

const cs = (value: string): DataElement => ({ vr: 'CS', Value: [value] });
const ui = (value?: string): DataElement =>
  value === undefined ? { vr: 'UI' } : { vr: 'UI', Value: [value] };

let work: { path: string; remove(): Promise<void> };
let instances: TestInstance[];
let repo: FileRepository;
let server: DimseServer;
let client: DimseClient;

beforeAll(async () => {
  work = await tempDir('dicomnet-store-find-');
  instances = await makeInstances(path.join(work.path, 'instances'), 5);
  repo = await FileRepository.open({
    root: path.join(work.path, 'root'),
    fsync: false,
    deferredIndex: { delayMs: 60_000 },
  });
  server = createServer({
    contexts: [
      { abstractSyntax: isStorageSopClass, transferSyntaxes: [EXPLICIT] },
      { abstractSyntax: QR.studyRootFind, transferSyntaxes: [EXPLICIT] },
    ],
    handlers: { store: createStoreHandler(repo), ...createQueryRetrieveHandlers(repo) },
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  client = await connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: 'SENDER',
    calledAeTitle: 'SCP',
    contexts: [SECONDARY_CAPTURE, QR.studyRootFind].map((abstractSyntax) => ({
      abstractSyntax,
      transferSyntaxes: [EXPLICIT],
    })),
  });
}, 60_000);
afterAll(async () => {
  await client?.release();
  await server?.close();
  await repo?.close();
  await work?.remove();
});

async function find(identifier: DataSet): Promise<DataSet[]> {
  const found: DataSet[] = [];
  for await (const match of client.find({ sopClassUid: QR.studyRootFind, identifier }))
    found.push(match);
  return found;
}

describe('relaxed repository: C-STORE then C-FIND', () => {
  it('finds each instance right after its Success status, and counts it in its study', async () => {
    for (const [i, instance] of instances.entries()) {
      const stored = await client.store({
        sopClassUid: instance.sopClassUid,
        sopInstanceUid: instance.sopInstanceUid,
        transferSyntaxUid: EXPLICIT,
        dataSet: instance.dataSetBytes,
      });
      expect(stored.status).toBe(0x0000);
      const images = await find({
        '00080052': cs('IMAGE'),
        '0020000D': ui(instance.studyInstanceUid),
        '0020000E': ui(instance.seriesInstanceUid),
        '00080018': ui(instance.sopInstanceUid),
      });
      expect(images.map((match) => match['00080018']?.Value)).toEqual([[instance.sopInstanceUid]]);
      // The study's Number of Study Related Instances counts every instance stored so far.
      const studies = await find({
        '00080052': cs('STUDY'),
        '0020000D': ui(instance.studyInstanceUid),
        '00201208': { vr: 'IS' },
      });
      const sameStudy = instances
        .slice(0, i + 1)
        .filter((each) => each.studyInstanceUid === instance.studyInstanceUid).length;
      expect(studies.map((match) => Number(match['00201208']?.Value?.[0]))).toEqual([sameStudy]);
    }
  });
});
