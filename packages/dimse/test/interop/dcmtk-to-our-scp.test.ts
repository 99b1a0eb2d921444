// DCMTK's SCUs (echoscu, storescu, dcmsend) against our SCP: createServer + storeToDirectory.
// Every stored file is compared with the sent one: meta UIDs and data set bytes.
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  generateInstances,
  generateLargeInstance,
  runTool,
  spawnPeer,
  tempDir,
} from '@dicomnet/test-utils';
import type { GeneratedInstance, TestTransferSyntax } from '@dicomnet/test-utils';
import { expectFolderHolds } from './stored-instances.js';
import { recordPDataLengths, startOurStoreScp } from './our-store-scp.js';
import type { OurStoreScp } from './our-store-scp.js';

const TIMEOUTS = ['-to', '5', '-ta', '10', '-td', '30'];

describe('DCMTK SCUs against our SCP', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let scps: OurStoreScp[] = [];
  let testNumber = 0;

  beforeAll(async () => {
    work = await tempDir('dicomnet-dimse-dcmtk-scu-');
  });
  afterEach(async () => {
    await Promise.all(scps.map((scp) => scp.close()));
    scps = [];
  });
  afterAll(async () => {
    await work?.remove();
  });

  /** A fresh SCP of ours storing into its own folder. */
  async function scp(options: Parameters<typeof startOurStoreScp>[1] = {}): Promise<OurStoreScp> {
    const started = await startOurStoreScp(
      path.join(work.path, `received-${++testNumber}`),
      options,
    );
    scps.push(started);
    return started;
  }

  const generate = (
    name: string,
    options: Parameters<typeof generateInstances>[1],
  ): Promise<GeneratedInstance[]> => generateInstances(path.join(work.path, name), options);

  it('answers echoscu, once and five times on one association (--repeat 5)', async () => {
    const ours = await scp();
    const once = await runTool('echoscu', [
      ...TIMEOUTS,
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(ours.port),
    ]);
    expect(once.code, once.stderr).toBe(0);
    const repeated = await runTool('echoscu', [
      ...TIMEOUTS,
      '-v',
      '--repeat',
      '5',
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(ours.port),
    ]);
    expect(repeated.code, repeated.stderr).toBe(0);
    expect(repeated.stderr.match(/Received Echo Response \(Success\)/g)).toHaveLength(5);
    await ours.associationsEnded(2);
    expect(ours.echoes).toBe(6);
    expect(ours.associations.map((a) => a.error)).toEqual([undefined, undefined]);
  });

  it(
    'stores 200 instances from one storescu, each byte for byte',
    { timeout: 60_000 },
    async () => {
      const ours = await scp();
      const sent = await generate('many', { count: 200 });
      const result = await runTool(
        'storescu',
        [
          ...TIMEOUTS,
          '-aec',
          'DICOMNET',
          '127.0.0.1',
          String(ours.port),
          ...sent.map((i) => i.path),
        ],
        { timeoutMs: 90_000 },
      );
      expect(result.code, result.stderr).toBe(0);
      await ours.associationsEnded(1);
      await expectFolderHolds(ours.dir, sent);
    },
  );

  // storescu proposes one context per syntax by default and picks the one matching the file,
  // so nothing is converted on the way (PEERS.md §2.2).
  const syntaxes: [TestTransferSyntax, string][] = [
    ['implicit-vr-little-endian', '-xi'],
    ['explicit-vr-little-endian', '-xe'],
    ['explicit-vr-big-endian', '-xb'],
    ['deflated-explicit-vr-little-endian', '-xd'],
    ['rle-lossless', '-xr'],
    ['jpeg-lossless-sv1', '-xs'],
  ];
  it.each(syntaxes)('stores %s instances sent with storescu %s', async (syntax, flag) => {
    const ours = await scp();
    const sent = await generate(syntax, { count: 3, transferSyntax: syntax });
    const result = await runTool('storescu', [
      ...TIMEOUTS,
      flag,
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(ours.port),
      ...sent.map((i) => i.path),
    ]);
    expect(result.code, result.stderr).toBe(0);
    await ours.associationsEnded(1);
    await expectFolderHolds(ours.dir, sent);
    // DCMTK reads what we wrote (our meta, the data set as received).
    for (const name of await readdir(ours.dir)) {
      const dump = await runTool('dcmdump', ['-q', path.join(ours.dir, name)]);
      expect(dump.code, dump.stderr).toBe(0);
    }
  });

  it('receives within 4096-byte PDUs from storescu --max-pdu 4096 --max-send-pdu 4096', async () => {
    const ours = await scp();
    const sent = await generate('pdu-small', { count: 2, pixelBytes: 300_000 });
    const lengths = recordPDataLengths();
    try {
      const result = await runTool('storescu', [
        ...TIMEOUTS,
        '--max-pdu',
        '4096',
        '--max-send-pdu',
        '4096',
        '-aec',
        'DICOMNET',
        '127.0.0.1',
        String(ours.port),
        ...sent.map((i) => i.path),
      ]);
      expect(result.code, result.stderr).toBe(0);
      await ours.associationsEnded(1);
    } finally {
      lengths.stop();
    }
    expect(Math.max(...lengths.received)).toBeLessThanOrEqual(4096);
    expect(lengths.received.length).toBeGreaterThan(600_000 / 4096);
    await expectFolderHolds(ours.dir, sent);
  });

  it('receives 128 KiB PDUs from storescu -pdu 131072 --max-send-pdu 131072 when we allow them', async () => {
    const ours = await scp({ maxPduLength: 131_072 });
    const sent = await generate('pdu-large', { count: 2, pixelBytes: 1_000_000 });
    const lengths = recordPDataLengths();
    try {
      const result = await runTool('storescu', [
        ...TIMEOUTS,
        '-pdu',
        '131072',
        '--max-send-pdu',
        '131072',
        '-aec',
        'DICOMNET',
        '127.0.0.1',
        String(ours.port),
        ...sent.map((i) => i.path),
      ]);
      expect(result.code, result.stderr).toBe(0);
      await ours.associationsEnded(1);
    } finally {
      lengths.stop();
    }
    // DCMTK counts its 6-byte PDU header against the maximum, so it sends at most 131066.
    expect(Math.max(...lengths.received)).toBeGreaterThan(16_384);
    expect(Math.max(...lengths.received)).toBeLessThanOrEqual(131_072);
    await expectFolderHolds(ours.dir, sent);
  });

  it('stores from dcmsend (exit 0), and dcmsend exits 61 when we reject its called AE title', async () => {
    const ours = await scp();
    const sent = await generate('dcmsend', { count: 5 });
    const files = sent.map((i) => i.path);
    const ok = await runTool('dcmsend', [
      ...TIMEOUTS,
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(ours.port),
      ...files,
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    await ours.associationsEnded(1);
    await expectFolderHolds(ours.dir, sent);

    const rejected = await runTool('dcmsend', [
      ...TIMEOUTS,
      '-aec',
      'SOMEONE',
      '127.0.0.1',
      String(ours.port),
      ...files,
    ]);
    expect(rejected.code, rejected.stderr).toBe(61); // EXITCODE_ASSOCIATION_ERROR
    expect(rejected.stderr).toMatch(/Association Rejected/i);
    expect(ours.failures.map((error) => (error as { code?: string }).code)).toEqual([
      'DICOMNET_ASSOCIATION_REJECTED',
    ]);

    const notDicom = path.join(work.path, 'not-dicom.bin');
    await writeFile(notDicom, 'this is not a DICOM file');
    const invalid = await runTool('dcmsend', [
      ...TIMEOUTS,
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(ours.port),
      notDicom,
    ]);
    expect(invalid.code, invalid.stderr).toBe(22); // EXITCODE_INVALID_INPUT_FILE
  });

  it('keeps the files an aborted association completed (storescu --abort) and nothing else', async () => {
    const ours = await scp();
    const sent = await generate('abort-after', { count: 2 });
    const result = await runTool('storescu', [
      ...TIMEOUTS,
      '--abort',
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(ours.port),
      ...sent.map((i) => i.path),
    ]);
    expect(result.code, result.stderr).toBe(0);
    await ours.associationsEnded(1);
    expect(ours.associations[0]?.error?.code).toBe('DICOMNET_ASSOCIATION_ABORTED');
    await expectFolderHolds(ours.dir, sent);
  });

  it(
    'leaves no file and no temporary file when storescu dies in the middle of a large instance',
    { timeout: 60_000 },
    async () => {
      let readBytes = 0;
      let killed: Promise<unknown> | undefined;
      let setKill: ((kill: () => Promise<unknown>) => void) | undefined;
      const killReady = new Promise<() => Promise<unknown>>((resolve) => (setKill = resolve));
      let handlerSettled: ((outcome: string) => void) | undefined;
      const settled = new Promise<string>((resolve) => (handlerSettled = resolve));
      const ours = await scp({
        wrapStore: (inner) => async (request) => {
          // Count what the handler reads; past 1 MiB, kill storescu and wait until it is gone
          // before reading on, so the transfer is cut for certain.
          const watched = {
            ...request,
            dataSet: (async function* () {
              for await (const fragment of request.dataSet) {
                readBytes += fragment.byteLength;
                if (readBytes > 1 << 20 && killed === undefined) {
                  killed = killReady.then((kill) => kill());
                  await killed;
                }
                yield fragment;
              }
            })(),
          };
          try {
            const reply = await inner(watched);
            handlerSettled?.(`returned ${reply.status}`);
            return reply;
          } catch (error) {
            handlerSettled?.(`threw ${(error as { code?: string }).code ?? String(error)}`);
            throw error;
          }
        },
      });
      const large = await generateLargeInstance(path.join(work.path, 'large-kill'), {
        bytes: 64 * 1024 * 1024,
        pixelFill: 'zeros',
      });
      const storescu = await spawnPeer('storescu', [
        ...TIMEOUTS,
        '-aec',
        'DICOMNET',
        '127.0.0.1',
        String(ours.port),
        large.path,
      ]);
      setKill?.(async () => {
        process.kill(storescu.pid, 'SIGKILL');
        return storescu.exited;
      });
      const outcome = await settled;
      await ours.associationsEnded(1);
      expect(killed).toBeDefined();
      expect((await storescu.exited).signal).toBe('SIGKILL');
      expect(readBytes).toBeLessThan(64 * 1024 * 1024);
      expect(outcome).toMatch(/^threw/);
      expect(ours.associations[0]?.error?.code).toBe('DICOMNET_TRANSPORT_CLOSED');
      expect(await readdir(ours.dir)).toEqual([]);
    },
  );
});
