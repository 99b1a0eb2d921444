// A C-STORE to a peer that accepts Implicit VR Little Endian only (PS3.5 §10.1: the default
// transfer syntax every AE supports): our SCU, our C-GET SCP and our C-MOVE sub-operations convert
// instances stored in other native syntaxes. DCMTK receives them (storescp and movescu with `+xi`;
// getscu always proposes explicit VR, so a C-GET SCU of ours asks), and what came is compared byte
// for byte with DCMTK's own conversion of the original (`dcmconv +ti`: implicit VR, lengths
// computed).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  generateInstances,
  movescuToItself,
  runTool,
  startStorescp,
  tempDir,
} from '@dicomnet/test-utils';
import type { DcmtkScp, GeneratedInstance, TestTransferSyntax } from '@dicomnet/test-utils';
import {
  connect,
  convertInstance,
  NoPresentationContextError,
  openInstanceFile,
} from '../../src/index.js';
import type { CGetRequest, DimseServer, RetrieveSet, StoreInstance } from '../../src/index.js';
import { startRetrieveScp, STUDY_ROOT_GET } from './retrieve-peers.js';
import { expectFolderHolds, readInstance, type SentInstance } from './stored-instances.js';
import { BIG_ENDIAN, DEFLATED, EXPLICIT, IMPLICIT, RLE, SECONDARY_CAPTURE } from './uids.js';

const CONVERTED: readonly TestTransferSyntax[] = [
  'explicit-vr-little-endian',
  'explicit-vr-big-endian',
  'deflated-explicit-vr-little-endian',
];

let work: Awaited<ReturnType<typeof tempDir>>;
/** Instances in Explicit LE, Explicit BE and Deflated, each in its own study. */
let instances: GeneratedInstance[];
/** DCMTK's Implicit VR conversion of each, to compare with what the peers receive. */
let expected: SentInstance[];
let rle: GeneratedInstance;
let run = 0;

beforeAll(async () => {
  work = await tempDir('dicomnet-store-conversion-');
  instances = [];
  for (const syntax of CONVERTED) {
    const dir = path.join(work.path, 'source', syntax);
    instances.push(
      ...(await generateInstances(dir, { count: 2, pixelBytes: 512, transferSyntax: syntax })),
    );
  }
  const [compressed] = await generateInstances(path.join(work.path, 'source', 'rle'), {
    pixelBytes: 512,
    transferSyntax: 'rle-lossless',
  });
  rle = compressed!;
  const expectedDir = path.join(work.path, 'expected');
  await mkdir(expectedDir);
  expected = [];
  for (const instance of instances) {
    const file = path.join(expectedDir, `${instance.sopInstanceUid}.dcm`);
    const result = await runTool('dcmconv', ['+ti', instance.path, file]);
    expect(result.code, result.stderr).toBe(0);
    expected.push({ ...instance, path: file, transferSyntaxUid: IMPLICIT });
  }
}, 60_000);
afterAll(() => work?.remove());

async function outputDir(): Promise<string> {
  const dir = path.join(work.path, `out-${++run}`);
  await mkdir(dir);
  return dir;
}

async function gather(source: StoreInstance['dataSet']): Promise<Buffer> {
  if (source instanceof Uint8Array) return Buffer.from(source);
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('convertInstance', () => {
  it('converts in memory, and past maxBytes as it is read, to the bytes DCMTK converts to', async () => {
    for (const [index, instance] of instances.entries()) {
      const want = (await readInstance(expected[index]!.path)).dataSet;
      for (const options of [{}, { maxBytes: 0 }]) {
        const file = await openInstanceFile(instance.path);
        const converted = await convertInstance(file, IMPLICIT, options);
        expect(converted.transferSyntaxUid).toBe(IMPLICIT);
        expect((await gather(converted.dataSet)).equals(want), instance.transferSyntaxUid).toBe(
          true,
        );
      }
    }
  });
});

describe('our SCU to storescp accepting Implicit VR Little Endian only', () => {
  let storescp: DcmtkScp;
  let out: string;

  beforeAll(async () => {
    out = await outputDir();
    storescp = await startStorescp({ outputDir: out, extraArgs: ['+xi', '+B'] });
  });
  afterAll(() => storescp?.stop());

  it('converts Explicit LE, Explicit BE and Deflated instances; refuses to convert RLE', async () => {
    const client = await connect({
      host: '127.0.0.1',
      port: storescp.port,
      callingAeTitle: 'DICOMNET',
      calledAeTitle: storescp.aeTitle,
      // One context per syntax, as a sender of mixed files proposes them (PS3.8 9.3.2.2).
      contexts: [EXPLICIT, BIG_ENDIAN, DEFLATED, RLE, IMPLICIT].map((syntax) => ({
        abstractSyntax: SECONDARY_CAPTURE,
        transferSyntaxes: [syntax],
      })),
      connectTimeout: 5_000,
      dimseTimeout: 30_000,
    });
    try {
      const accepted = client.negotiated.contexts
        .filter((context) => context.result === 0)
        .map((context) => context.transferSyntax);
      expect(accepted).toEqual([IMPLICIT]);
      for (const instance of instances) {
        const file = await openInstanceFile(instance.path);
        expect((await client.store(file.instance())).status).toBe(0);
      }
      const compressed = await openInstanceFile(rle.path);
      await expect(client.store(compressed.instance())).rejects.toBeInstanceOf(
        NoPresentationContextError,
      );
    } finally {
      await client.release();
    }
    await expectFolderHolds(out, expected);
  });
});

describe('getscu and movescu accepting Implicit VR Little Endian only, from our SCP', () => {
  let server: DimseServer | undefined;

  afterEach(async () => {
    await server?.abortAll();
    await server?.close();
    server = undefined;
  });

  function everything(_request: CGetRequest): RetrieveSet {
    async function* open(): AsyncGenerator<StoreInstance> {
      for (const instance of instances) yield (await openInstanceFile(instance.path)).instance();
    }
    return { total: instances.length, instances: open() };
  }

  async function serve(moveDestination?: { aeTitle: string; port: number }): Promise<number> {
    const started = await startRetrieveScp(
      everything,
      moveDestination === undefined
        ? undefined
        : { [moveDestination.aeTitle]: { host: '127.0.0.1', port: moveDestination.port } },
    );
    server = started.server;
    return started.port;
  }

  const keys = ['-k', 'QueryRetrieveLevel=STUDY'];

  // getscu proposes the storage SOP classes in explicit VR whatever its options: our SCU asks.
  it('a C-GET SCU taking Implicit VR only: the C-GET sub-operations convert', async () => {
    const port = await serve();
    const client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'GETSCU',
      calledAeTitle: 'OURQR',
      contexts: [
        { abstractSyntax: STUDY_ROOT_GET, transferSyntaxes: [EXPLICIT] },
        {
          abstractSyntax: SECONDARY_CAPTURE,
          transferSyntaxes: [IMPLICIT],
          roles: { scu: false, scp: true },
        },
      ],
      connectTimeout: 5_000,
      dimseTimeout: 30_000,
    });
    const received = new Map<string, { syntax: string; bytes: Buffer }>();
    try {
      const get = client.get(
        { sopClassUid: STUDY_ROOT_GET, identifier: { '00080052': { vr: 'CS', Value: ['STUDY'] } } },
        {
          store: async (request) => {
            const chunks: Uint8Array[] = [];
            for await (const chunk of request.dataSet) chunks.push(chunk);
            received.set(request.sopInstanceUid, {
              syntax: request.transferSyntaxUid,
              bytes: Buffer.concat(chunks),
            });
            return 0;
          },
        },
      );
      let step = await get.next();
      while (step.done !== true) step = await get.next();
      expect(step.value).toMatchObject({ status: 0, completed: instances.length });
    } finally {
      await client.release();
    }
    for (const instance of expected) {
      const got = received.get(instance.sopInstanceUid);
      expect(got?.syntax).toBe(IMPLICIT);
      const want = (await readInstance(instance.path)).dataSet;
      expect(got?.bytes.equals(want), `${instance.sopInstanceUid} as DCMTK converts it`).toBe(true);
    }
  });

  it('movescu +xi as the destination: the C-MOVE sub-operations propose a converted context too', async () => {
    const movePort = await freePort();
    const port = await serve({ aeTitle: 'MOVESCU', port: movePort });
    const out = await outputDir();
    const result = await movescuToItself({ port, movePort, out, keys: keys, extra: ['+xi'] });
    expect(result.code, result.stderr).toBe(0);
    await expectFolderHolds(out, expected);
  });
});
