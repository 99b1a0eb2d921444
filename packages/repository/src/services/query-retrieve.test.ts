// The Query/Retrieve handlers on a real FileRepository over real associations: our own SCU sends
// C-FIND, C-GET and C-MOVE; answers are compared field by field and byte for byte with what was
// stored. C-CANCEL: query-retrieve-cancel.test.ts; DCMTK's findscu, getscu and movescu:
// test/interop/qr-dcmtk.test.ts.
import { readPart10Header } from '@dicomnet/data';
import type { DataElement, DataSet } from '@dicomnet/data';
import { connect, createServer, DimseStatusError } from '@dicomnet/dimse';
import type { DimseClient, DimseServer, StoreRequest } from '@dicomnet/dimse';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeQrFixture, STUDIES } from '../../test/helpers/qr-fixture.js';
import type { QrFixture } from '../../test/helpers/qr-fixture.js';
import { createQueryRetrieveHandlers } from './query-retrieve.js';
import { QUERY_RETRIEVE_SOP_CLASSES as QR } from './query-retrieve-models.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

const cs = (...values: string[]): DataElement => ({ vr: 'CS', Value: values });
const ui = (...values: string[]): DataElement =>
  values.length === 0 ? { vr: 'UI' } : { vr: 'UI', Value: values };
const lo = (...values: string[]): DataElement =>
  values.length === 0 ? { vr: 'LO' } : { vr: 'LO', Value: values };

async function bytesOf(request: StoreRequest): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of request.dataSet) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('Query/Retrieve SCP handlers over a FileRepository', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let fixture: QrFixture;
  let server: DimseServer;
  let destination: DimseServer;
  let client: DimseClient;
  const moved = new Map<string, Buffer>();

  beforeAll(async () => {
    work = await tempDir('dicomnet-qr-handlers-');
    fixture = await makeQrFixture(work.path);
    destination = createServer({
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
      handlers: {
        store: async (request) => void moved.set(request.sopInstanceUid, await bytesOf(request)),
      },
    });
    const destinationPort = (await destination.listen({ port: 0, host: '127.0.0.1' })).port;
    server = createServer({
      aeTitles: ['OURQR'],
      contexts: [
        ...Object.values(QR).map((abstractSyntax) => ({
          abstractSyntax,
          transferSyntaxes: [EXPLICIT, IMPLICIT],
        })),
        {
          abstractSyntax: SECONDARY_CAPTURE,
          transferSyntaxes: [EXPLICIT, IMPLICIT],
          requestorRoles: { scu: true, scp: true },
        },
      ],
      handlers: createQueryRetrieveHandlers(fixture.repository, { retrieveAeTitle: 'OURQR' }),
      moveDestinations: { STORE: { host: '127.0.0.1', port: destinationPort } },
    });
    const port = (await server.listen({ port: 0, host: '127.0.0.1' })).port;
    client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'STORE',
      calledAeTitle: 'OURQR',
      contexts: [
        ...Object.values(QR).map((abstractSyntax) => ({
          abstractSyntax,
          transferSyntaxes: [EXPLICIT],
        })),
        {
          abstractSyntax: SECONDARY_CAPTURE,
          transferSyntaxes: [EXPLICIT],
          roles: { scu: false, scp: true },
        },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await client?.release();
    await server?.close();
    await destination?.close();
    await fixture?.repository.close();
    await work?.remove();
  });

  async function find(sopClassUid: string, identifier: DataSet): Promise<DataSet[]> {
    const found: DataSet[] = [];
    for await (const match of client.find({ sopClassUid, identifier })) found.push(match);
    return found;
  }

  async function statusOfFind(sopClassUid: string, identifier: DataSet): Promise<number> {
    try {
      await find(sopClassUid, identifier);
      return 0;
    } catch (error) {
      if (!(error instanceof DimseStatusError)) throw error;
      // Every refusal says why, and names the key at fault.
      expect(error.details.errorComment).toMatch(/./);
      expect(error.details.offendingElement).toHaveLength(1);
      return error.status;
    }
  }

  const dataSetOf = (bytes: Buffer): Buffer =>
    bytes.subarray(readPart10Header(bytes).dataSetOffset);

  it('answers a Study Root STUDY query with the requested keys only, as stored', async () => {
    const found = await find(QR.studyRootFind, {
      '00080052': cs('STUDY'),
      '00100020': lo('PID-A'),
      '0020000D': ui(),
      '00080020': { vr: 'DA' },
      '00100010': { vr: 'PN' },
      '00080061': { vr: 'CS' },
      '00201208': { vr: 'IS' },
      '00080054': { vr: 'AE' },
      '00081048': { vr: 'PN' }, // Physician(s) of Record: not in the index
    });
    expect(found).toHaveLength(2);
    for (const match of found) {
      expect(Object.keys(match).sort()).toEqual(
        [
          '00080020',
          '00080052',
          '00080054',
          '00080061',
          '00081048',
          '00100010',
          '00100020',
          '0020000D',
          '00201208',
        ].sort(),
      );
      const uid = String(match['0020000D']?.Value?.[0]);
      const index = fixture.studyUids.indexOf(uid);
      const study = STUDIES[index];
      if (study === undefined) throw new Error(`unexpected study ${uid}`);
      const instances = fixture.instances.filter((each) => each.studyInstanceUid === uid);
      expect(match['00080052']?.Value).toEqual(['STUDY']);
      expect(match['00100020']?.Value).toEqual([study.patientId]);
      expect(match['00080020']?.Value).toEqual([study.date]);
      expect(match['00100010']?.Value).toEqual([{ Alphabetic: study.patientName }]);
      expect(match['00080061']?.Value).toEqual(
        [...new Set(instances.map((each) => each.modality))].sort(),
      );
      expect(match['00201208']?.Value).toEqual([String(instances.length)]);
      expect(match['00080054']?.Value).toEqual(['OURQR']);
      expect(match['00081048']?.Value ?? []).toEqual([]);
    }
  });

  it('answers Patient Root PATIENT, SERIES and IMAGE queries down the hierarchy', async () => {
    const patients = await find(QR.patientRootFind, {
      '00080052': cs('PATIENT'),
      '00100020': lo(),
      '00201200': { vr: 'IS' },
    });
    expect(
      patients.map((match) => [match['00100020']?.Value?.[0], match['00201200']?.Value?.[0]]),
    ).toEqual([
      ['PID-A', '2'],
      ['PID-B', '1'],
      ['PID-C', '1'],
    ]);
    const study = fixture.studyUids[0] ?? '';
    const series = await find(QR.patientRootFind, {
      '00080052': cs('SERIES'),
      '00100020': lo('PID-A'),
      '0020000D': ui(study),
      '0020000E': ui(),
      '00080060': { vr: 'CS' },
    });
    expect(series.map((match) => match['00080060']?.Value?.[0]).sort()).toEqual(['CT', 'MR']);
    const ct = series.find((match) => match['00080060']?.Value?.[0] === 'CT');
    const images = await find(QR.studyRootFind, {
      '00080052': cs('IMAGE'),
      '0020000D': ui(study),
      '0020000E': ui(String(ct?.['0020000E']?.Value?.[0])),
      '00080018': ui(),
      '00080016': ui(),
    });
    const expected = fixture.instances.filter(
      (each) => each.seriesInstanceUid === ct?.['0020000E']?.Value?.[0],
    );
    expect(images.map((match) => match['00080018']?.Value?.[0])).toEqual(
      expected.map((each) => each.sopInstanceUid).sort(),
    );
    expect(images.map((match) => match['00080016']?.Value?.[0])).toEqual(
      expected.map((each) => each.sopClassUid),
    );
  });

  it('refuses with 0xA900 what the hierarchical model does not allow (PS3.4 C.4.1.2.2.1)', async () => {
    // Patient Root below PATIENT without the Patient ID.
    expect(
      await statusOfFind(QR.patientRootFind, { '00080052': cs('STUDY'), '0020000D': ui() }),
    ).toBe(0xa900);
    // Study Root has no PATIENT level.
    expect(
      await statusOfFind(QR.studyRootFind, { '00080052': cs('PATIENT'), '00100020': lo() }),
    ).toBe(0xa900);
    // SERIES without its study's UID; the study's UID as a wild card list.
    expect(
      await statusOfFind(QR.studyRootFind, { '00080052': cs('SERIES'), '0020000E': ui() }),
    ).toBe(0xa900);
    // No level, an unknown level, a reversed date range.
    expect(await statusOfFind(QR.studyRootFind, { '0020000D': ui() })).toBe(0xa900);
    expect(
      await statusOfFind(QR.studyRootFind, { '00080052': cs('FRAME'), '0020000D': ui() }),
    ).toBe(0xa900);
    expect(
      await statusOfFind(QR.studyRootFind, {
        '00080052': cs('STUDY'),
        '00080020': { vr: 'DA', Value: ['20201231-20200101'] },
      }),
    ).toBe(0xa900);
  });

  it('C-GET sends every instance of a study, byte for byte as stored', async () => {
    const study = fixture.studyUids[0] ?? '';
    const received = new Map<string, Buffer>();
    const result = await (async () => {
      const operation = client.get(
        {
          sopClassUid: QR.studyRootGet,
          identifier: { '00080052': cs('STUDY'), '0020000D': ui(study) },
        },
        {
          store: async (request) =>
            void received.set(request.sopInstanceUid, await bytesOf(request)),
        },
      );
      for (;;) {
        const step = await operation.next();
        if (step.done === true) return step.value;
      }
    })();
    const expected = fixture.instances.filter((each) => each.studyInstanceUid === study);
    expect(result).toMatchObject({ status: 0, completed: expected.length, failed: 0 });
    expect([...received.keys()].sort()).toEqual(expected.map((each) => each.sopInstanceUid).sort());
    for (const instance of expected)
      expect(received.get(instance.sopInstanceUid)).toEqual(dataSetOf(instance.bytes));
  });

  it('C-MOVE sends a series to the destination of the AE table; unknown keys refuse with 0xA900', async () => {
    const target = fixture.instances.find(
      (each) => each.modality === 'MR' && each.study === STUDIES[3],
    );
    if (target === undefined) throw new Error('no MR instance');
    moved.clear();
    const operation = client.move({
      sopClassUid: QR.patientRootMove,
      destination: 'STORE',
      identifier: {
        '00080052': cs('SERIES'),
        '00100020': lo('PID-A'),
        '0020000D': ui(target.studyInstanceUid),
        '0020000E': ui(target.seriesInstanceUid),
      },
    });
    let result;
    for (;;) {
      const step = await operation.next();
      if (step.done === true) {
        result = step.value;
        break;
      }
    }
    const expected = fixture.instances.filter(
      (each) => each.seriesInstanceUid === target.seriesInstanceUid,
    );
    expect(result).toMatchObject({ status: 0, completed: expected.length, failed: 0 });
    for (const instance of expected)
      expect(moved.get(instance.sopInstanceUid)).toEqual(dataSetOf(instance.bytes));

    // A retrieve must name the unique key of its level (PS3.4 C.4.2.2.1).
    const refused = client.move({
      sopClassUid: QR.studyRootMove,
      destination: 'STORE',
      identifier: { '00080052': cs('STUDY'), '00100020': lo('PID-A') },
    });
    await expect(
      (async () => {
        for await (const step of refused) void step;
      })(),
    ).rejects.toMatchObject({ status: 0xa900 });
  });
});
