// `dicomnet serve --storage` (dist/bin.js in a child process) on a repository: DCMTK storescu
// sends hundreds of files in several transfer syntaxes, Orthanc stores to it through its REST
// API, and a store under way when SIGTERM comes is answered before the process exits. Every
// instance is then read back through the repository and compared with what was sent.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readPart10Header } from '@dicomnet/data';
import { connect } from '@dicomnet/dimse';
import { FileRepository } from '@dicomnet/repository';
import {
  freePort,
  generateInstances,
  runTool,
  startOrthanc,
  tempDir,
  type GeneratedInstance,
  type TestTransferSyntax,
} from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/exit-codes.js';
import { startServe, stopServe, type Serving } from '../bin-child.js';

const TIMEOUTS = ['-to', '10', '-ta', '10', '-td', '20'];
const EXPLICIT = '1.2.840.10008.1.2.1';

/** The data set of a Part 10 file (what a transfer must keep identical), as hex. */
async function dataSetOf(file: string): Promise<string> {
  const bytes = await readFile(file);
  return bytes.subarray(readPart10Header(bytes).dataSetOffset).toString('hex');
}

/** Checks every instance is in the repository at `root`, its data set byte for byte. */
async function expectStored(root: string, instances: readonly GeneratedInstance[]): Promise<void> {
  const repo = await FileRepository.open({ root });
  try {
    for (const instance of instances) {
      expect(await repo.get(instance.sopInstanceUid)).toMatchObject({
        sopClassUid: instance.sopClassUid,
        transferSyntaxUid: instance.transferSyntaxUid,
        studyInstanceUid: instance.studyInstanceUid,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of await repo.read(instance.sopInstanceUid)) chunks.push(chunk);
      const stored = Buffer.concat(chunks);
      const sent = await readFile(instance.path);
      const storedSet = stored.subarray(readPart10Header(stored).dataSetOffset);
      const sentSet = sent.subarray(readPart10Header(sent).dataSetOffset);
      expect(storedSet.equals(sentSet), instance.path).toBe(true);
    }
  } finally {
    await repo.close();
  }
}

let dir: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

describe('dicomnet serve --storage', () => {
  it('stores what storescu sends in five transfer syntaxes, each data set as sent', async () => {
    const groups: [TestTransferSyntax, string, number][] = [
      ['explicit-vr-little-endian', '-xe', 150],
      ['implicit-vr-little-endian', '-xi', 80],
      ['explicit-vr-big-endian', '-xb', 40],
      ['jpeg-lossless-sv1', '-xs', 20],
      ['rle-lossless', '-xr', 20],
    ];
    const sent: GeneratedInstance[] = [];
    for (const [syntax, , count] of groups) {
      sent.push(
        ...(await generateInstances(path.join(dir.path, 'send', syntax), {
          count,
          transferSyntax: syntax,
          pixelBytes: 1024,
        })),
      );
    }
    const root = path.join(dir.path, 'storescu-root');
    const serving = await startServe(['--storage', root]);
    try {
      for (const [syntax, flag] of groups) {
        const storescu = await runTool('storescu', [
          ...TIMEOUTS,
          flag,
          '-aec',
          'ARCHIVE',
          '+sd',
          '127.0.0.1',
          String(serving.port),
          path.join(dir.path, 'send', syntax),
        ]);
        expect(storescu.code, storescu.stderr).toBe(0);
      }
    } finally {
      expect(await stopServe(serving)).toBe(ExitCode.Ok);
    }
    const events = serving.log();
    expect(events.filter((event) => event.event === 'store')).toHaveLength(sent.length);
    expect(events.filter((event) => event.event === 'association')).toHaveLength(groups.length);
    expect(events.some((event) => event.event === 'store-refused')).toBe(false);
    expect(events.at(-1)?.event).toBe('stopped');
    await expectStored(root, sent);
  }, 60_000);

  it('answers a store under way when SIGTERM comes, then exits 0 with the repository closed', async () => {
    const [instance] = await generateInstances(path.join(dir.path, 'slow'), { count: 1 });
    if (instance === undefined) throw new Error('no instance generated');
    const bytes = await readFile(instance.path);
    const dataSet = bytes.subarray(readPart10Header(bytes).dataSetOffset);
    const root = path.join(dir.path, 'sigterm-root');
    const serving = await startServe(['--storage', root]);
    const client = await connect({
      host: '127.0.0.1',
      port: serving.port,
      callingAeTitle: 'SLOW',
      calledAeTitle: 'ARCHIVE',
      contexts: [{ abstractSyntax: instance.sopClassUid, transferSyntaxes: [EXPLICIT] }],
    });
    let signalled = false;
    // Half the data set, then SIGTERM, then (once the server says it is stopping) the rest.
    async function* slowly(): AsyncGenerator<Uint8Array> {
      const half = dataSet.byteLength >> 1;
      yield dataSet.subarray(0, half);
      await new Promise((resolve) => setTimeout(resolve, 200));
      serving.child.kill('SIGTERM');
      signalled = true;
      for (let waited = 0; waited < 10_000; waited += 20) {
        if (serving.log().some((event) => event.event === 'stopping')) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      yield dataSet.subarray(half);
    }
    const result = await client.store({
      sopClassUid: instance.sopClassUid,
      sopInstanceUid: instance.sopInstanceUid,
      transferSyntaxUid: EXPLICIT,
      dataSet: slowly(),
    });
    expect(signalled).toBe(true);
    expect(result.status).toBe(0x0000);
    expect(await serving.exited).toBe(ExitCode.Ok);
    await client.abort();
    expect(serving.log().find((event) => event.event === 'waiting-for-stores')).toMatchObject({
      storesUnderWay: 1,
    });
    await expectStored(root, [instance]);
  }, 40_000);

  it('after a SIGKILL, the next start runs the recovery pass and keeps what was stored', async () => {
    const instances = await generateInstances(path.join(dir.path, 'killed'), {
      count: 5,
      pixelBytes: 512,
    });
    const root = path.join(dir.path, 'killed-root');
    const first = await startServe(['--storage', root]);
    const storescu = await runTool('storescu', [
      ...TIMEOUTS,
      '-aec',
      'ARCHIVE',
      '+sd',
      '127.0.0.1',
      String(first.port),
      path.join(dir.path, 'killed'),
    ]);
    expect(storescu.code, storescu.stderr).toBe(0);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await startServe(['--storage', root]);
    expect(await stopServe(second)).toBe(ExitCode.Ok);
    expect(second.log().find((event) => event.event === 'repository-opened')).toMatchObject({
      recovered: { full: true, filesChecked: instances.length, rowsDropped: 0 },
    });
    await expectStored(root, instances);
  }, 30_000);

  it('refuses with 0xA700 below --min-free-space, and logs why', async () => {
    const [instance] = await generateInstances(path.join(dir.path, 'full'), { count: 1 });
    if (instance === undefined) throw new Error('no instance generated');
    const root = path.join(dir.path, 'full-root');
    // No disk here has 1 PiB free: the floor is always reached.
    const serving = await startServe(['--storage', root, '--min-free-space', '1048576G']);
    try {
      const storescu = await runTool('storescu', [
        ...TIMEOUTS,
        '-v',
        '-aec',
        'ARCHIVE',
        '127.0.0.1',
        String(serving.port),
        instance.path,
      ]);
      expect(storescu.stderr + storescu.stdout).toMatch(/Refused: OutOfResources/);
    } finally {
      expect(await stopServe(serving)).toBe(ExitCode.Ok);
    }
    expect(serving.log().find((event) => event.event === 'store-refused')).toMatchObject({
      sopInstanceUid: instance.sopInstanceUid,
      status: 0xa700,
      reason: 'free space is below the configured floor',
    });
    const repo = await FileRepository.open({ root });
    try {
      expect(await repo.get(instance.sopInstanceUid)).toBeUndefined();
    } finally {
      await repo.close();
    }
  }, 30_000);

  it('stores what Orthanc sends with /modalities/{id}/store; Orthanc finds and moves it back', async () => {
    const root = path.join(dir.path, 'orthanc-root');
    const port = await freePort();
    const orthanc = await startOrthanc({ modalities: { archive: { aet: 'ARCHIVE', port } } });
    let serving: Serving | undefined;
    const instances = await generateInstances(path.join(dir.path, 'orthanc'), {
      count: 12,
      pixelBytes: 1024,
    });
    try {
      serving = await startServe(
        ['--storage', root, '--peer', `ORTHANC=127.0.0.1:${orthanc.dicomPort}`],
        { port },
      );
      const ids: string[] = [];
      for (const instance of instances) {
        const uploaded = await orthanc.rest<{ ID: string }>(
          'POST',
          '/instances',
          await readFile(instance.path),
        );
        ids.push(uploaded.ID);
      }
      const sent = await orthanc.rest<{ InstancesCount: number; FailedInstancesCount: number }>(
        'POST',
        '/modalities/archive/store',
        { Resources: ids, Synchronous: true },
      );
      expect(sent).toMatchObject({ InstancesCount: instances.length, FailedInstancesCount: 0 });
      for (const id of ids) await orthanc.rest('DELETE', `/instances/${id}`);
      // C-FIND at STUDY level, then C-MOVE of what it found to Orthanc itself.
      const query = await orthanc.rest<{ ID: string }>('POST', '/modalities/archive/query', {
        Level: 'Study',
        Query: { PatientName: 'Test*' },
      });
      const answers = await orthanc.rest<Record<string, { Value: string }>[]>(
        'GET',
        `/queries/${query.ID}/answers?expand&simplify`,
      );
      expect(answers).toHaveLength(1);
      expect(answers[0]).toMatchObject({ StudyInstanceUID: instances[0]?.studyInstanceUid });
      await orthanc.rest('POST', `/queries/${query.ID}/retrieve`, {
        TargetAet: 'ORTHANC',
        Synchronous: true,
      });
      const back = await orthanc.rest<string[]>('GET', '/instances');
      expect(back).toHaveLength(instances.length);
    } finally {
      await orthanc.stop();
      if (serving !== undefined) expect(await stopServe(serving)).toBe(ExitCode.Ok);
    }
    const events = serving.log();
    const stores = events.filter((event) => event.event === 'store');
    expect(stores).toHaveLength(instances.length);
    expect(stores.every((event) => event.calling === 'ORTHANC')).toBe(true);
    expect(events.find((event) => event.event === 'find')).toMatchObject({ matches: 1 });
    expect(events.find((event) => event.event === 'move')).toMatchObject({
      destination: 'ORTHANC',
      instances: instances.length,
    });
    await expectStored(root, instances);
  }, 60_000);

  it('answers findscu, getscu and movescu (to a --peer) from what storescu stored', async () => {
    const [first, second] = [
      await generateInstances(path.join(dir.path, 'qr', 'a'), { count: 15, pixelBytes: 512 }),
      await generateInstances(path.join(dir.path, 'qr', 'b'), {
        count: 8,
        pixelBytes: 512,
        transferSyntax: 'implicit-vr-little-endian',
      }),
    ];
    const root = path.join(dir.path, 'qr-root');
    const movePort = await freePort();
    const serving = await startServe([
      '--storage',
      root,
      '--peer',
      `MOVEDEST=127.0.0.1:${movePort}`,
    ]);
    const peer = ['-aec', 'ARCHIVE', '127.0.0.1', String(serving.port)];
    const getDir = path.join(dir.path, 'qr', 'got');
    const moveDir = path.join(dir.path, 'qr', 'moved');
    await mkdir(getDir);
    await mkdir(moveDir);
    try {
      const stored = await runTool('storescu', [
        ...TIMEOUTS,
        '+sd',
        ...peer,
        path.join(dir.path, 'qr', 'a'),
        path.join(dir.path, 'qr', 'b'),
      ]);
      expect(stored.code, stored.stderr).toBe(0);
      const found = await runTool('findscu', [
        ...TIMEOUTS,
        '-S',
        '-k',
        'QueryRetrieveLevel=STUDY',
        '-k',
        'StudyInstanceUID',
        ...peer,
      ]);
      expect(found.code, found.stderr).toBe(0);
      const got = await runTool('getscu', [
        '-S',
        '-od',
        getDir,
        '-k',
        'QueryRetrieveLevel=STUDY',
        '-k',
        `StudyInstanceUID=${first[0]?.studyInstanceUid}`,
        ...peer,
      ]);
      expect(got.code, got.stderr).toBe(0);
      const moved = await runTool('movescu', [
        '-S',
        '-aet',
        'MOVEDEST',
        '-aem',
        'MOVEDEST',
        '+P',
        String(movePort),
        '-od',
        moveDir,
        '-k',
        'QueryRetrieveLevel=SERIES',
        '-k',
        `StudyInstanceUID=${second[0]?.studyInstanceUid}`,
        '-k',
        `SeriesInstanceUID=${second[0]?.seriesInstanceUid}`,
        ...peer,
      ]);
      expect(moved.code, moved.stderr).toBe(0);
    } finally {
      expect(await stopServe(serving)).toBe(ExitCode.Ok);
    }
    for (const [received, sent] of [
      [getDir, first],
      [moveDir, second],
    ] as const) {
      const files = await readdir(received);
      const expected = new Set(await Promise.all(sent.map((instance) => dataSetOf(instance.path))));
      const arrived = new Set(
        await Promise.all(files.map((file) => dataSetOf(path.join(received, file)))),
      );
      expect(arrived).toEqual(expected);
    }
    const events = serving.log();
    expect(events.find((event) => event.event === 'find')).toMatchObject({
      level: 'STUDY',
      matches: 2,
    });
    expect(events.find((event) => event.event === 'get')).toMatchObject({ instances: 15 });
    expect(events.find((event) => event.event === 'move')).toMatchObject({
      level: 'SERIES',
      destination: 'MOVEDEST',
      instances: 8,
    });
  }, 60_000);
});
