// DCMTK's getscu and movescu against our C-GET and C-MOVE SCP: handlers backed by a folder of
// generated instances; what the DCMTK tools store is compared with the originals byte for byte.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  generateInstances,
  movescuToItself,
  runTool,
  tempDir,
} from '@dicomnet/test-utils';
import type { GeneratedInstance } from '@dicomnet/test-utils';
import { openInstanceFile } from '../../src/index.js';
import type {
  CGetRequest,
  DimseServer,
  MoveDestinations,
  RetrieveSet,
  StoreInstance,
} from '../../src/index.js';
import { startRetrieveScp } from './retrieve-peers.js';
import { expectFolderHolds } from './stored-instances.js';

const TIMEOUTS = ['-to', '5', '-ta', '10', '-td', '30'];

describe('getscu and movescu against our retrieve SCP', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let instances: GeneratedInstance[];
  let server: DimseServer | undefined;
  let run = 0;

  beforeAll(async () => {
    work = await tempDir('dicomnet-retrieve-scp-');
    const source = path.join(work.path, 'source');
    await mkdir(source);
    instances = await generateInstances(source, { count: 5, pixelBytes: 256 });
  });
  afterEach(async () => {
    await server?.abortAll();
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await work?.remove();
  });

  /** The instances of the study the identifier names, each file opened only when it is sent. */
  function studyOf(request: CGetRequest): RetrieveSet {
    const uid = request.identifier['0020000D']?.Value?.[0];
    const matching = instances.filter((instance) => instance.studyInstanceUid === uid);
    async function* open(): AsyncGenerator<StoreInstance> {
      for (const instance of matching) yield (await openInstanceFile(instance.path)).instance();
    }
    return { total: matching.length, instances: open() };
  }

  async function serve(moveDestinations?: MoveDestinations): Promise<number> {
    const started = await startRetrieveScp(studyOf, moveDestinations);
    server = started.server;
    return started.port;
  }

  async function outputDir(): Promise<string> {
    const dir = path.join(work.path, `out-${++run}`);
    await mkdir(dir);
    return dir;
  }

  const studyKeys = (): string[] => [
    '-k',
    'QueryRetrieveLevel=STUDY',
    '-k',
    `StudyInstanceUID=${instances[0]?.studyInstanceUid ?? ''}`,
  ];

  it('getscu gets the study back on its association, byte for byte', async () => {
    const port = await serve();
    const out = await outputDir();
    const result = await runTool('getscu', [
      ...TIMEOUTS,
      '-v',
      '-S',
      '-aec',
      'OURQR',
      '-od',
      out,
      ...studyKeys(),
      '127.0.0.1',
      String(port),
    ]);
    expect(result.code, result.stderr).toBe(0);
    await expectFolderHolds(out, instances);
  });

  it('movescu receives the study it moved to itself, byte for byte', async () => {
    const movePort = await freePort();
    const port = await serve({ MOVESCU: { host: '127.0.0.1', port: movePort } });
    const out = await outputDir();
    const result = await movescuToItself({ port, movePort, out, keys: studyKeys() });
    expect(result.code, result.stderr).toBe(0);
    await expectFolderHolds(out, instances);
  });

  it('movescu gets 0xA801 for a destination we do not know', async () => {
    const port = await serve({});
    const result = await runTool('movescu', [
      ...TIMEOUTS,
      '-S',
      '-aec',
      'OURQR',
      '-aem',
      'NOWHERE',
      ...studyKeys(),
      '127.0.0.1',
      String(port),
    ]);
    // PEERS.md: movescu exits 69 on a C-MOVE error status, MoveDestinationUnknown.
    expect(result.code, result.stderr).toBe(69);
    expect(result.stderr).toMatch(/MoveDestinationUnknown/);
  });
});
