// `dicomnet get` and `move` when the peer ends with a Failure: the final response's sub-operation
// counts and Failed SOP Instance UID List are printed (PS3.4 C.4.2.3.1, C.4.3.3.1), exit 1.
import { readdir } from 'node:fs/promises';
import { createServer as createTcpServer } from 'node:net';
import type { Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, isStorageSopClass } from '@dicomnet/dimse';
import type { DimseServer, StoreInstance } from '@dicomnet/dimse';
import { tempDir } from '@dicomnet/test-utils';
import { ExitCode } from '../src/exit-codes.js';
import { runCli } from './run-cli.js';

const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';
const STUDY_ROOT_MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';

/** Instances whose data set is no DICOM at all: `storeToDirectory` refuses each (0xC000). */
function unreadable(count: number): StoreInstance[] {
  return Array.from({ length: count }, (_, index) => ({
    sopClassUid: SECONDARY_CAPTURE,
    sopInstanceUid: `1.2.3.4.${index + 1}`,
    transferSyntaxUid: EXPLICIT,
    dataSet: new Uint8Array(Buffer.from('not a data set'.padEnd(64, '.'))),
  }));
}

describe('dicomnet get and move ended by a Failure status', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: DimseServer;
  let port: number;

  beforeAll(async () => {
    dir = await tempDir('dicomnet-cli-retrieve-failure-');
    server = createServer({
      aeTitles: ['QR'],
      contexts: [
        { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT] },
        { abstractSyntax: STUDY_ROOT_MOVE, transferSyntaxes: [EXPLICIT] },
        {
          abstractSyntax: isStorageSopClass,
          transferSyntaxes: [EXPLICIT],
          requestorRoles: { scu: false, scp: true },
        },
      ],
      handlers: {
        get: () => unreadable(2),
        // 0xA701 Out of resources: unable to calculate number of matches (PS3.4 C.4.2.1.5).
        move: () => ({ status: 0xa701, errorComment: 'index offline' }),
      },
      moveDestinations: { MOVEDEST: { host: '127.0.0.1', port: 9 } },
    });
    port = (await server.listen({ port: 0, host: '127.0.0.1' })).port;
  });
  afterAll(async () => {
    await server?.abortAll();
    await server?.close();
    await dir?.remove();
  });

  const peer = (): string[] => ['127.0.0.1', String(port), '--called', 'QR'];

  it('get: 0xA702 with the counts, every failed UID, and nothing written', async () => {
    const out = path.join(dir.path, 'got');
    const run = await runCli(['get', ...peer(), '-k', 'StudyInstanceUID=1.2.3', '--out', out]);
    expect(run.code).toBe(ExitCode.Failed);
    expect(run.stderr).toContain(
      'dicomnet get: failed at the peer (Refused: Out of resources - unable to perform sub-operations), status 0xA702: 0 completed, 2 failed, 0 warning',
    );
    expect(run.stderr).toContain('failed: 1.2.3.4.1\nfailed: 1.2.3.4.2\n');
    expect(run.stdout).toContain(`0 instance(s) written to ${out}`);
    expect(await readdir(out)).toEqual([]);
    const json = await runCli([
      'get',
      ...peer(),
      '-k',
      'StudyInstanceUID=1.2.3',
      '--out',
      out,
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      status: 0xa702,
      completed: 0,
      failed: 2,
      warning: 0,
      failedSopInstanceUids: ['1.2.3.4.1', '1.2.3.4.2'],
      written: 0,
      error: { code: 'DICOMNET_DIMSE_FAILURE_STATUS' },
    });
  });

  it('move: a refusal before any sub-operation still reports its (zero) counts', async () => {
    const run = await runCli([
      'move',
      ...peer(),
      '-k',
      'StudyInstanceUID=1.2.3',
      '--dest',
      'MOVEDEST',
      '--json',
    ]);
    expect(run.code).toBe(ExitCode.Failed);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      status: 0xa701,
      completed: 0,
      failed: 0,
      failedSopInstanceUids: [],
    });
    expect(run.stderr).toMatch(/status 0xA701 \(index offline\): 0 completed, 0 failed, 0 warning/);
  });
});

describe('Ctrl-C before the association is established', () => {
  it('says so and exits 1, for find, get and move alike', async () => {
    // A peer that takes the connection and never answers the A-ASSOCIATE-RQ.
    const sockets: Socket[] = [];
    let connected = (): void => {};
    const silent = createTcpServer((socket) => {
      sockets.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const dir = await tempDir('dicomnet-cli-interrupt-connect-');
    try {
      for (const [command, ...rest] of [
        ['find', '-k', 'PatientID'],
        ['get', '-k', 'StudyInstanceUID=1.2.3', '--out', path.join(dir.path, 'out')],
        ['move', '-k', 'StudyInstanceUID=1.2.3', '--dest', 'X'],
      ] as const) {
        const interrupt = new AbortController();
        const accepted = new Promise<void>((resolve) => (connected = resolve));
        const running = runCli([command, '127.0.0.1', String(port), ...rest], {
          interrupted: interrupt.signal,
        });
        await accepted;
        interrupt.abort(new Error('interrupted'));
        const run = await running;
        expect(run.code, command).toBe(ExitCode.Failed);
        expect(run.stderr).toBe(
          `dicomnet ${command}: interrupted before the association was established\n`,
        );
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await dir.remove();
    }
  });
});
