// C-CANCEL of a long C-FIND over a real association: an index of thousands of rows (synthesised
// through the index's own writer; C-FIND reads no file) is matched at IMAGE level, the SCU cancels
// after the first match, and the SCP ends with 0xFE00 (PS3.4 C.4.1.3.2) long before the last.
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import { connect, createServer, DimseStatusError } from '@dicomnet/dimse';
import type { DimseClient, DimseServer } from '@dicomnet/dimse';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRepository } from '../file-repository.js';
import { InstanceIndex } from '../index-db/instance-index.js';
import { prepareSchema } from '../index-db/schema.js';
import type { IndexRecord } from '../index-record.js';
import { openSqlite } from '../sqlite/open-sqlite.js';
import { INDEX_FILE } from '../storage-path.js';
import { createQueryRetrieveHandlers } from './query-retrieve.js';
import { QUERY_RETRIEVE_SOP_CLASSES as QR } from './query-retrieve-models.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const ROWS = 5000;
const STUDY = '1.2.826.0.1.3680043.10.1';
const SERIES = '1.2.826.0.1.3680043.10.2';

function record(index: number): IndexRecord {
  const sop = `1.2.826.0.1.3680043.10.3.${index}`;
  return {
    patient: { patientId: 'PID-MANY', issuerOfPatientId: '' },
    study: { studyInstanceUid: STUDY },
    series: { seriesInstanceUid: SERIES, modality: 'OT' },
    instance: {
      sopInstanceUid: sop,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      transferSyntaxUid: EXPLICIT,
    },
    sizeBytes: 1,
    storedPath: `aa/bb/${index}.dcm`,
    fileMtimeMs: 0,
  };
}

describe('C-CANCEL of a C-FIND served from the repository', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let repository: FileRepository;
  let server: DimseServer;
  let client: DimseClient;

  beforeAll(async () => {
    work = await tempDir('dicomnet-qr-cancel-');
    const root = path.join(work.path, 'repo');
    await (await FileRepository.open({ root, fsync: false })).close();
    const db = await openSqlite(path.join(root, INDEX_FILE));
    prepareSchema(db);
    new InstanceIndex(db).put(
      Array.from({ length: ROWS }, (_, index) => record(index)),
      '20260101000000.000000+0000',
    );
    db.close();
    // Closed cleanly before: no recovery pass, the rows without files stay for the query.
    repository = await FileRepository.open({ root, fsync: false });
    server = createServer({
      contexts: [{ abstractSyntax: QR.studyRootFind, transferSyntaxes: [EXPLICIT] }],
      handlers: createQueryRetrieveHandlers(repository),
    });
    const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
    client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'SCU',
      calledAeTitle: 'ANY',
      contexts: [{ abstractSyntax: QR.studyRootFind, transferSyntaxes: [EXPLICIT] }],
    });
  }, 60_000);
  afterAll(async () => {
    await client?.release();
    await server?.close();
    await repository?.close();
    await work?.remove();
  });

  it('answers 0xFE00 after the C-CANCEL-RQ, with far fewer matches than the index holds', async () => {
    const cancel = new AbortController();
    const seen: DataSet[] = [];
    const identifier: DataSet = {
      '00080052': { vr: 'CS', Value: ['IMAGE'] },
      '0020000D': { vr: 'UI', Value: [STUDY] },
      '0020000E': { vr: 'UI', Value: [SERIES] },
      '00080018': { vr: 'UI' },
    };
    const failure = await (async () => {
      for await (const match of client.find(
        { sopClassUid: QR.studyRootFind, identifier },
        { cancel: cancel.signal, highWaterMark: 1 },
      )) {
        seen.push(match);
        cancel.abort();
      }
      return undefined;
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DimseStatusError);
    expect((failure as DimseStatusError).status).toBe(0xfe00);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(ROWS);

    // The association goes on: the same query, run to its end, finds every row, in UID order.
    let count = 0;
    let last = '';
    for await (const match of client.find({ sopClassUid: QR.studyRootFind, identifier })) {
      const uid = String(match['00080018']?.Value?.[0]);
      expect(uid > last).toBe(true);
      last = uid;
      count++;
    }
    expect(count).toBe(ROWS);
  });
});
