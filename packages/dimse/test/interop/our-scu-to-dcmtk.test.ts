// Our SCU (connect, echo, store) against DCMTK's SCPs: storescp, dcmrecv and dcmqrscp. What
// they stored is compared with what we sent, byte for byte after each file's own meta header.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  generateInstances,
  spawnPeer,
  startDcmrecv,
  startStorescp,
  tempDir,
  waitForDicom,
} from '@dicomnet/test-utils';
import type { DcmtkScp, GeneratedInstance, TestTransferSyntax } from '@dicomnet/test-utils';
import { connect, openInstanceFile } from '../../src/index.js';
import type { ConnectOptions, DimseClient } from '../../src/index.js';
import { recordPDataLengths } from './our-store-scp.js';
import { expectFolderHolds } from './stored-instances.js';
import { IMPLICIT, VERIFICATION } from './uids.js';

const SYNTAXES: readonly TestTransferSyntax[] = [
  'implicit-vr-little-endian',
  'explicit-vr-little-endian',
  'explicit-vr-big-endian',
  'deflated-explicit-vr-little-endian',
  'rle-lossless',
  'jpeg-lossless-sv1',
];

/** One context per (SOP class, transfer syntax) of the files, so nothing needs converting. */
function contextsFor(instances: readonly GeneratedInstance[]): ConnectOptions['contexts'] {
  const seen = new Set<string>();
  const contexts: { abstractSyntax: string; transferSyntaxes: string[] }[] = [
    { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
  ];
  for (const instance of instances) {
    const key = `${instance.sopClassUid} ${instance.transferSyntaxUid}`;
    if (seen.has(key)) continue;
    seen.add(key);
    contexts.push({
      abstractSyntax: instance.sopClassUid,
      transferSyntaxes: [instance.transferSyntaxUid],
    });
  }
  return contexts;
}

/** Connects to a DCMTK SCP on 127.0.0.1 with bounded waits. */
function open(
  scp: { port: number; aeTitle: string },
  contexts: ConnectOptions['contexts'],
  extra: Partial<ConnectOptions> = {},
): Promise<DimseClient> {
  return connect({
    host: '127.0.0.1',
    port: scp.port,
    callingAeTitle: 'DICOMNET',
    calledAeTitle: scp.aeTitle,
    contexts,
    connectTimeout: 5_000,
    artimTimeout: 10_000,
    dimseTimeout: 30_000,
    ...extra,
  });
}

/** Stores every instance in order on one association. */
async function storeAll(client: DimseClient, instances: readonly GeneratedInstance[]) {
  const statuses: number[] = [];
  for (const instance of instances) {
    const file = await openInstanceFile(instance.path);
    statuses.push((await client.store(file.instance())).status);
  }
  return statuses;
}

describe('our SCU against DCMTK', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let many: GeneratedInstance[];
  let bySyntax: GeneratedInstance[];
  let counter = 0;
  const folder = (name: string): string => path.join(work.path, `${name}-${++counter}`);

  beforeAll(async () => {
    work = await tempDir('dicomnet-dimse-our-scu-');
    many = await generateInstances(path.join(work.path, 'many'), { count: 200 });
    bySyntax = [];
    for (const syntax of SYNTAXES) {
      const generated = await generateInstances(path.join(work.path, syntax), {
        // Odd-length deflated data sets have their own test below; here, even ones only, and
        // about half are odd: 16 give two even ones but for odds of 17 in 65536.
        count: syntax === 'deflated-explicit-vr-little-endian' ? 16 : 2,
        transferSyntax: syntax,
      });
      const usable: GeneratedInstance[] = [];
      for (const instance of generated) {
        if ((await openInstanceFile(instance.path)).size % 2 === 0) usable.push(instance);
      }
      bySyntax.push(...usable.slice(0, 2));
    }
  }, 60_000);
  afterAll(async () => {
    await work?.remove();
  });

  it('connects to storescp and echoes', async () => {
    const scp = await startStorescp({ outputDir: folder('echo') });
    try {
      const client = await open(scp, [
        { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      ]);
      expect(client.negotiated.peerImplementationVersionName).toMatch(/^OFFIS_DCMTK/);
      expect(client.negotiated.contexts[0]?.result).toBe(0);
      await expect(client.echo()).resolves.toMatchObject({ status: 0, category: 'Success' });
      await expect(client.echo()).resolves.toMatchObject({ status: 0 });
      await client.release();
    } finally {
      await scp.stop();
    }
  });

  it('stores 200 instances on one association to storescp, each byte for byte', async () => {
    const dir = folder('many');
    const scp = await startStorescp({ outputDir: dir, extraArgs: ['+B'] });
    try {
      const client = await open(scp, contextsFor(many));
      const statuses = await storeAll(client, many);
      await client.release();
      expect(statuses).toEqual(many.map(() => 0));
      await expectFolderHolds(dir, many);
    } finally {
      await scp.stop();
    }
  });

  it.each([
    [
      'storescp +xa +B',
      (dir: string) => startStorescp({ outputDir: dir, extraArgs: ['+xa', '+B'] }),
    ],
    // dcmrecv accepts storage only with a profile (PEERS.md §0.4); the launcher passes Default.
    [
      'dcmrecv -xf storescp.cfg Default +B',
      (dir: string) => startDcmrecv({ outputDir: dir, extraArgs: ['+B'] }),
    ],
  ] as [string, (dir: string) => Promise<DcmtkScp>][])(
    'stores every test transfer syntax to %s as it is',
    async (_name, start) => {
      const dir = folder('syntaxes');
      const scp = await start(dir);
      try {
        const client = await open(scp, contextsFor(bySyntax));
        const accepted = client.negotiated.contexts.map((context) => context.result);
        expect(accepted).toEqual(accepted.map(() => 0));
        const outcomes: string[] = [];
        for (const instance of bySyntax) {
          const file = await openInstanceFile(instance.path);
          try {
            outcomes.push(`${(await client.store(file.instance())).status}`);
          } catch (error) {
            outcomes.push(
              `${path.basename(path.dirname(instance.path))}: ${(error as { code?: string }).code}`,
            );
            break; // a failed message may leave the association unusable
          }
        }
        await client.abort();
        expect(outcomes).toEqual(bySyntax.map(() => '0'));
        await expectFolderHolds(dir, bySyntax);
      } finally {
        await scp.stop();
      }
    },
  );

  // PS3.5 A.5: "If the Deflate algorithm produces an odd number of bytes then a single trailing
  // NULL byte shall be added". dcmconv +td writes files without it (about half of them are odd);
  // storescu pads on the wire. PDV fragments must be even (PS3.8 E.1), so a sender has to pad.
  it(
    'stores a deflated instance whose deflated data set has an odd length, padded with 00H',
    { timeout: 60_000 },
    async () => {
      let odd: GeneratedInstance | undefined;
      for (let attempt = 0; odd === undefined && attempt < 4; attempt++) {
        const candidates = await generateInstances(path.join(work.path, `odd-${attempt}`), {
          count: 8,
          transferSyntax: 'deflated-explicit-vr-little-endian',
        });
        for (const candidate of candidates) {
          if ((await openInstanceFile(candidate.path)).size % 2 === 1) odd ??= candidate;
        }
      }
      if (odd === undefined) throw new Error('no odd-length deflated data set in 32 tries');
      const dir = folder('odd-deflate');
      const scp = await startStorescp({ outputDir: dir, extraArgs: ['+xa', '+B'] });
      try {
        // After our A-ABORT (below) storescp was seen keeping the connection open: we then
        // wait in Sta13 for ARTIM (PS3.8 §9.2), so keep it short.
        const client = await open(scp, contextsFor([odd]), { artimTimeout: 2_000 });
        const file = await openInstanceFile(odd.path);
        const outcome = await client.store(file.instance()).then(
          (result) => `status ${result.status}`,
          (error: unknown) => `${(error as { code?: string }).code}: ${(error as Error).message}`,
        );
        await client.abort();
        expect(outcome).toBe('status 0');
        await expectFolderHolds(dir, [odd]);
      } finally {
        await scp.stop();
      }
    },
  );

  it('sends P-DATA within the maximum DCMTK announces (4096 and 131072), whatever ours is', async () => {
    const [large] = await generateInstances(path.join(work.path, 'pdu'), { pixelBytes: 1_000_000 });
    if (large === undefined) throw new Error('no instance generated');
    const cases = [
      { peer: 4096, ours: 4096 },
      { peer: 131_072, ours: 131_072 },
      { peer: 131_072, ours: 0 },
    ];
    for (const { peer, ours } of cases) {
      const dir = folder('pdu');
      const scp = await startStorescp({ outputDir: dir, extraArgs: ['-pdu', String(peer), '+B'] });
      const lengths = recordPDataLengths();
      try {
        const client = await open(scp, contextsFor([large]), { maxPduLength: ours });
        expect(client.negotiated.peerMaxPduLength).toBe(peer);
        expect(client.negotiated.localMaxPduLength).toBe(ours);
        await storeAll(client, [large]);
        await client.release();
      } finally {
        lengths.stop();
        await scp.stop();
      }
      expect(Math.max(...lengths.sent)).toBe(peer);
      await expectFolderHolds(dir, [large]);
    }
  });

  it('gets DICOMNET_ASSOCIATION_REJECTED from storescp --refuse', async () => {
    const scp = await startStorescp({ outputDir: folder('refuse'), extraArgs: ['--refuse'] });
    try {
      await expect(
        open(scp, [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }]),
      ).rejects.toMatchObject({
        code: 'DICOMNET_ASSOCIATION_REJECTED',
        result: 1, // rejected-permanent
        source: 1, // service-user
        reason: 1, // no-reason-given (PS3.8 Table 9-21)
      });
    } finally {
      await scp.stop();
    }
  });

  it('gets DimseStatusError 0xA900 from storescp when the data set is not the announced instance', async () => {
    const [first] = many;
    if (first === undefined) throw new Error('no instance');
    const scp = await startStorescp({ outputDir: folder('mismatch') });
    try {
      const client = await open(scp, contextsFor([first]));
      const file = await openInstanceFile(first.path);
      await expect(
        client.store({ ...file.instance(), sopInstanceUid: '1.2.826.0.1.3680043.8.498.99' }),
      ).rejects.toMatchObject({
        code: 'DICOMNET_DIMSE_FAILURE_STATUS',
        status: 0xa900,
        category: 'Failure',
        meaning: expect.stringMatching(/does not match/i),
      });
      // The association survives a failure status.
      await expect(client.store(file.instance())).resolves.toMatchObject({ status: 0 });
      await client.release();
    } finally {
      await scp.stop();
    }
  });

  it('gets DimseStatusError 0xA700 Out of resources from dcmqrscp over its quota', async () => {
    const [first] = many;
    if (first === undefined) throw new Error('no instance');
    const dir = folder('dcmqrscp');
    await mkdir(path.join(dir, 'db'), { recursive: true });
    const port = await freePort();
    // startDcmqrscp fixes a large quota; this one allows 1 KiB per study (PEERS.md §2.3 format).
    await writeFile(
      path.join(dir, 'dcmqrscp.cfg'),
      [
        `NetworkTCPPort  = ${port}`,
        'MaxPDUSize      = 16384',
        'MaxAssociations = 16',
        'HostTable BEGIN',
        'HostTable END',
        'VendorTable BEGIN',
        'VendorTable END',
        'AETable BEGIN',
        'QRSCP db RW (1, 1kb) ANY',
        'AETable END',
        '',
      ].join('\n'),
    );
    const peer = await spawnPeer('dcmqrscp', ['-c', 'dcmqrscp.cfg', String(port)], {
      cwd: dir,
      detached: true, // it forks per association (PEERS.md §4.3)
    });
    try {
      await waitForDicom(port, { aeTitle: 'QRSCP', peer });
      const client = await open({ port, aeTitle: 'QRSCP' }, contextsFor([first]));
      const file = await openInstanceFile(first.path);
      const failure = await client.store(file.instance()).catch((error: unknown) => error);
      expect(failure).toMatchObject({
        code: 'DICOMNET_DIMSE_FAILURE_STATUS',
        status: 0xa700,
        category: 'Failure',
        meaning: expect.stringMatching(/out of resources/i),
      });
      await client.release();
    } finally {
      await peer.stop();
    }
  });

  it('rejects the store with DICOMNET_ASSOCIATION_ABORTED when storescp --abort-during aborts', async () => {
    const [first] = many;
    if (first === undefined) throw new Error('no instance');
    const scp = await startStorescp({ outputDir: folder('abort'), extraArgs: ['--abort-during'] });
    try {
      const client = await open(scp, contextsFor([first]));
      const file = await openInstanceFile(first.path);
      await expect(client.store(file.instance())).rejects.toMatchObject({
        code: 'DICOMNET_ASSOCIATION_ABORTED',
        initiator: 'peer',
      });
      await client.closed;
    } finally {
      await scp.stop();
    }
  });
});
