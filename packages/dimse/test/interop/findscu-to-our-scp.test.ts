// DCMTK's findscu against our C-FIND SCP (createServer with a `find` handler over a list of
// studies): the matches findscu extracts are the ones the handler holds, and findscu's
// C-CANCEL stops the handler.
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createDcmjsCodec, readPart10 } from '@dicomnet/data';
import type { DataElement, DataSet } from '@dicomnet/data';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runTool, tempDir } from '@dicomnet/test-utils';
import { createServer } from '../../src/index.js';
import type { DimseHandlers, DimseServer, FindRequest } from '../../src/index.js';
import { EXPLICIT, IMPLICIT } from './uids.js';

const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const TIMEOUTS = ['-to', '5', '-ta', '10', '-td', '30'];
const LEVEL = '00080052';
const STUDY_UID = '0020000D';
const PATIENT_ID = '00100020';
const STUDY_DATE = '00080020';

interface Study {
  readonly [tag: string]: string;
}

const STUDIES: readonly Study[] = Array.from({ length: 30 }, (_, index) => ({
  [STUDY_UID]: `1.2.826.0.1.3680043.10.1137.${index + 1}`,
  [PATIENT_ID]: `PAT${index % 3}`,
  [STUDY_DATE]: `202601${String((index % 28) + 1).padStart(2, '0')}`,
}));
const VRS: Readonly<Record<string, string>> = {
  [STUDY_UID]: 'UI',
  [PATIENT_ID]: 'LO',
  [STUDY_DATE]: 'DA',
};

/**
 * Single value and universal matching of the keys our records hold (PS3.4 C.2.2.2.1, C.2.2.2.3);
 * a response holds the requested keys with the record's values (PS3.4 C.4.1.1.3.2).
 */
function matchStudy(identifier: DataSet, study: Study): DataSet | undefined {
  const response: Record<string, { vr: string; Value?: string[] }> = {
    [LEVEL]: { vr: 'CS', Value: ['STUDY'] },
  };
  for (const [tag, element] of Object.entries<DataElement>(identifier)) {
    if (tag === LEVEL) continue;
    const wanted = element.Value?.[0];
    const actual = study[tag];
    if (typeof wanted === 'string' && wanted !== '' && wanted !== actual) return undefined;
    response[tag] =
      actual === undefined ? { vr: element.vr } : { vr: VRS[tag] ?? element.vr, Value: [actual] };
  }
  return response;
}

describe('findscu against our C-FIND SCP', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let server: DimseServer | undefined;
  let run = 0;

  beforeAll(async () => {
    work = await tempDir('dicomnet-findscu-');
  });
  afterEach(async () => {
    await server?.abortAll();
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await work?.remove();
  });

  async function serve(find: NonNullable<DimseHandlers['find']>): Promise<number> {
    server = createServer({
      aeTitles: ['OURQR'],
      contexts: [{ abstractSyntax: STUDY_ROOT_FIND, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
      handlers: { find },
    });
    const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
    return port;
  }

  async function findscu(port: number, keys: readonly string[], extra: readonly string[] = []) {
    const out = path.join(work.path, `run-${++run}`);
    await mkdir(out);
    const result = await runTool('findscu', [
      ...TIMEOUTS,
      '-S',
      '-aec',
      'OURQR',
      '-v',
      '-X',
      '-od',
      out,
      ...keys.flatMap((key) => ['-k', key]),
      ...extra,
      '127.0.0.1',
      String(port),
    ]);
    const codec = createDcmjsCodec();
    const files = (await readdir(out)).filter((name) => name.endsWith('.dcm')).sort();
    const responses: DataSet[] = [];
    for (const name of files) {
      const file = await readPart10(path.join(out, name));
      const chunks: Uint8Array[] = [];
      for await (const chunk of file.dataSet) chunks.push(chunk);
      responses.push(codec.decode(Buffer.concat(chunks), file.meta.transferSyntaxUid));
    }
    return { result, responses };
  }

  it('gets exactly the studies of one patient, with the keys it asked for', async () => {
    const requests: FindRequest[] = [];
    const port = await serve(async function* (request) {
      requests.push(request);
      for (const study of STUDIES) {
        const match = matchStudy(request.identifier, study);
        if (match !== undefined) yield match;
      }
    });
    const { result, responses } = await findscu(port, [
      'QueryRetrieveLevel=STUDY',
      'PatientID=PAT1',
      'StudyInstanceUID',
      'StudyDate',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const expected = STUDIES.filter((study) => study[PATIENT_ID] === 'PAT1');
    expect(responses).toHaveLength(expected.length);
    expect(
      responses.map((response) => ({
        uid: response[STUDY_UID]?.Value?.[0],
        patient: response[PATIENT_ID]?.Value?.[0],
        date: response[STUDY_DATE]?.Value?.[0],
      })),
    ).toEqual(
      expected.map((study) => ({
        uid: study[STUDY_UID],
        patient: study[PATIENT_ID],
        date: study[STUDY_DATE],
      })),
    );
    expect(requests[0]?.identifier[LEVEL]?.Value).toEqual(['STUDY']);
    expect(result.stderr).toMatch(/Received Final Find Response \(Success\)/);
  });

  it('stops the handler when findscu cancels after 3 responses', async () => {
    let aborted = false;
    let produced = 0;
    const port = await serve(async function* (request) {
      request.signal.addEventListener('abort', () => (aborted = true));
      for (let index = 1; index <= 2_000; index++) {
        await delay(2); // a slow archive: findscu's cancel arrives long before the end
        produced++;
        yield {
          [LEVEL]: { vr: 'CS', Value: ['STUDY'] },
          [STUDY_UID]: { vr: 'UI', Value: [`1.2.826.0.1.3680043.10.1137.9.${index}`] },
        };
      }
    });
    const { result, responses } = await findscu(
      port,
      ['QueryRetrieveLevel=STUDY', 'StudyInstanceUID'],
      ['--cancel', '3'],
    );
    expect(result.code, result.stderr).toBe(0);
    expect(aborted).toBe(true);
    expect(produced).toBeLessThan(2_000);
    expect(responses.length).toBeGreaterThanOrEqual(3);
    expect(responses.length).toBeLessThan(2_000);
    // PS3.4 Table C.4-1: 0xFE00, Matching terminated due to Cancel request.
    expect(result.stderr).toMatch(/Sending Cancel Request/);
    expect(result.stderr).toMatch(
      /Received Final Find Response \(Cancel: MatchingTerminatedDueToCancelRequest\)/,
    );
  });
});
