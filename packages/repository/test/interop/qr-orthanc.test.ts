// Orthanc as the Query/Retrieve SCU of our SCP (createServer + the repository's handlers): its
// REST API sends C-FIND (a Patient ID, a wild card name, a date range) and C-MOVE to itself;
// answers are compared field by field with what was stored, moved files byte for byte.
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import { createServer } from '@dicomnet/dimse';
import type { DimseServer } from '@dicomnet/dimse';
import { startOrthanc, tempDir } from '@dicomnet/test-utils';
import type { OrthancPeer } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueryRetrieveHandlers,
  QUERY_RETRIEVE_SOP_CLASSES,
} from '../../src/services/index.js';
import { makeQrFixture, STUDIES } from '../helpers/qr-fixture.js';
import type { QrFixture } from '../helpers/qr-fixture.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';

let work: Awaited<ReturnType<typeof tempDir>>;
let fixture: QrFixture;
let server: DimseServer;
let orthanc: OrthancPeer;

beforeAll(async () => {
  work = await tempDir('dicomnet-qr-orthanc-');
  fixture = await makeQrFixture(path.join(work.path, 'fixture'));
  server = createServer({
    aeTitles: ['OURQR'],
    contexts: Object.values(QUERY_RETRIEVE_SOP_CLASSES).map((abstractSyntax) => ({
      abstractSyntax,
      transferSyntaxes: [EXPLICIT, IMPLICIT],
    })),
    handlers: createQueryRetrieveHandlers(fixture.repository),
    // Orthanc's port is known once it runs: the AE table is looked up at each C-MOVE.
    moveDestinations: (aeTitle) =>
      aeTitle === orthanc?.aeTitle ? { host: '127.0.0.1', port: orthanc.dicomPort } : undefined,
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  orthanc = await startOrthanc({ modalities: { dicomnet: { aet: 'OURQR', port } } });
}, 60_000);

afterAll(async () => {
  await server?.abortAll();
  await server?.close();
  await orthanc?.stop(); // it holds an SQLite lock until it has exited (PEERS.md §0.5)
  await fixture?.repository.close();
  await work?.remove();
}, 30_000);

async function rest(method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${orthanc.httpPort}${route}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  expect(response.ok, `${method} ${route}: ${response.status} ${text}`).toBe(true);
  return JSON.parse(text);
}

/** Orthanc's C-FIND to our SCP at `level` with `query` (tag names to values); its answers. */
async function orthancFinds(
  level: 'Patient' | 'Study' | 'Series' | 'Instance',
  query: Record<string, string>,
): Promise<Record<string, string>[]> {
  const { ID } = (await rest('POST', '/modalities/dicomnet/query', {
    Level: level,
    Query: query,
  })) as { ID: string };
  return (await rest('GET', `/queries/${ID}/answers?expand&simplify`)) as Record<string, string>[];
}

describe('Orthanc queries and retrieves from our Query/Retrieve SCP', () => {
  it('finds studies by Patient ID, wild card name and date range, as stored', async () => {
    const byId = await orthancFinds('Study', {
      PatientID: 'PID-A',
      StudyInstanceUID: '',
      StudyDate: '',
      AccessionNumber: '',
    });
    expect(byId.map((answer) => answer.StudyInstanceUID).sort()).toEqual(
      [fixture.studyUids[0], fixture.studyUids[3]].sort(),
    );
    for (const answer of byId) {
      const study = STUDIES[fixture.studyUids.indexOf(answer.StudyInstanceUID ?? '')];
      expect(answer.StudyDate).toBe(study?.date);
      expect(answer.AccessionNumber).toBe(study?.accession);
      expect(answer.PatientID).toBe('PID-A');
    }
    const byName = await orthancFinds('Study', { PatientName: 'DOE*', StudyInstanceUID: '' });
    expect(byName.map((answer) => answer.StudyInstanceUID).sort()).toEqual(
      [0, 1, 3].map((index) => fixture.studyUids[index]).sort(),
    );
    const byDate = await orthancFinds('Study', {
      StudyDate: '20200101-20200630',
      StudyInstanceUID: '',
    });
    expect(byDate.map((answer) => answer.StudyInstanceUID).sort()).toEqual(
      [1, 2].map((index) => fixture.studyUids[index]).sort(),
    );
  });

  it('moves a study to itself, each file byte for byte as stored', async () => {
    const study = fixture.studyUids[0] ?? '';
    await rest('POST', '/modalities/dicomnet/move', {
      Level: 'Study',
      Resources: [{ StudyInstanceUID: study }],
      TargetAet: orthanc.aeTitle,
    });
    const expected = fixture.instances.filter((each) => each.studyInstanceUid === study);
    const ids = (await rest('GET', '/instances')) as string[];
    expect(ids).toHaveLength(expected.length);
    for (const id of ids) {
      const response = await fetch(`http://127.0.0.1:${orthanc.httpPort}/instances/${id}/file`, {
        signal: AbortSignal.timeout(30_000),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      const header = readPart10Header(bytes);
      const original = expected.find(
        (each) => each.sopInstanceUid === header.meta.mediaStorageSopInstanceUid,
      );
      expect(original, header.meta.mediaStorageSopInstanceUid).toBeDefined();
      if (original === undefined) continue;
      const originalDataSet = original.bytes.subarray(
        readPart10Header(original.bytes).dataSetOffset,
      );
      expect(bytes.subarray(header.dataSetOffset).equals(originalDataSet)).toBe(true);
    }
  });
});
