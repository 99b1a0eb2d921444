import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstances, runTool, startStorescp, tempDir } from '@dicomnet/test-utils';
import type { GeneratedInstance } from '@dicomnet/test-utils';
import {
  Acceptor,
  DIAGNOSTICS_CHANNELS,
  requestAssociation,
  type Association,
  type PduTrafficMessage,
  type PDataTf,
} from '../../src/index.js';
import { dataSetOf, echoRq, echoRsp, readUsValues, storeRq } from './raw-dimse.js';

const VERIFICATION = '1.2.840.10008.1.1';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const TIMEOUTS = ['-to', '5', '-ta', '5', '-td', '5'];

/** Collects the command set of each message the peer sends us. */
function commandsOf(association: Association): () => Promise<Uint8Array> {
  const waiting: ((command: Uint8Array) => void)[] = [];
  const ready: Uint8Array[] = [];
  let pieces: Uint8Array[] = [];
  association.setHandlers({
    onPData: (pdu: PDataTf) => {
      for (const pdv of pdu.pdvs) {
        if (!pdv.isCommand) continue;
        pieces.push(pdv.fragment);
        if (!pdv.isLast) continue;
        const whole = Buffer.concat(pieces);
        pieces = [];
        const next = waiting.shift();
        if (next) next(whole);
        else ready.push(whole);
      }
    },
  });
  return () => {
    const first = ready.shift();
    return first ? Promise.resolve(first) : new Promise((resolve) => waiting.push(resolve));
  };
}

describe('our requestor against DCMTK storescp', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let scp: Awaited<ReturnType<typeof startStorescp>>;
  let instance: GeneratedInstance;

  beforeAll(async () => {
    dir = await tempDir();
    scp = await startStorescp({
      outputDir: path.join(dir.path, 'received'),
      extraArgs: ['-pdu', '4096'],
    });
    [instance] = (await generateInstances(path.join(dir.path, 'data'), {
      pixelBytes: 100_000,
    })) as [GeneratedInstance];
  });
  afterAll(async () => {
    await scp?.stop();
    await dir?.remove();
  });

  const connect = (contexts = [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }]) =>
    requestAssociation({
      callingAeTitle: 'DICOMNET',
      calledAeTitle: scp.aeTitle,
      contexts,
      transport: { host: '127.0.0.1', port: scp.port },
      artimTimeout: 5_000,
    });

  it('gets accepted and rejected contexts as DCMTK answers them, and its maximum length', async () => {
    const association = await connect([
      { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT, IMPLICIT] },
      { abstractSyntax: '1.2.3.4.5.6.7', transferSyntaxes: [IMPLICIT] },
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: ['1.2.840.10008.1.2.4.50'] },
    ]);
    const negotiated = association.negotiated;
    expect(negotiated.peerMaxPduLength).toBe(4096);
    expect(negotiated.peerImplementationClassUid).toMatch(/^1\.2\.276\.0\.7230010\.3/);
    expect(negotiated.peerImplementationVersionName).toMatch(/^OFFIS_DCMTK_/);
    expect(negotiated.contexts.map((context) => context.result)).toEqual([0, 0, 3, 4]);
    expect(negotiated.contexts[1]?.transferSyntax).toBe(EXPLICIT);
    await association.release();
    await association.closed;
    expect(association.error).toBeUndefined();
  });

  it('exchanges a C-ECHO on the accepted context', async () => {
    const association = await connect();
    const nextCommand = commandsOf(association);
    await association.sendMessage({ presentationContextId: 1, command: echoRq(7) });
    const response = readUsValues(await nextCommand());
    expect(response.get(0x0100)).toBe(0x8030);
    expect(response.get(0x0120)).toBe(7);
    expect(response.get(0x0900)).toBe(0x0000);
    await association.release();
  });

  it('keeps every P-DATA-TF within the 4096 bytes storescp announced, and the data arrive intact', async () => {
    const association = await connect([
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
    ]);
    const nextCommand = commandsOf(association);
    const sent: number[] = [];
    const record = (message: unknown): void => {
      const traffic = message as PduTrafficMessage; // published by this package
      if (traffic.associationId === association.id && traffic.type === 0x04)
        sent.push(traffic.length);
    };
    subscribe(DIAGNOSTICS_CHANNELS.pduSent, record);
    try {
      const file = await readFile(instance.path);
      const dataSet = dataSetOf(file);
      // Stream it in uneven chunks, as a file read would.
      const chunks = [
        dataSet.subarray(0, 5000),
        dataSet.subarray(5000, 5001),
        dataSet.subarray(5001),
      ];
      await association.sendMessage({
        presentationContextId: 1,
        command: storeRq(1, instance.sopClassUid, instance.sopInstanceUid),
        dataSet: chunks,
      });
      const response = readUsValues(await nextCommand());
      expect(response.get(0x0900)).toBe(0x0000);
      await association.release();
      expect(sent.length).toBeGreaterThan(20);
      expect(Math.max(...sent)).toBeLessThanOrEqual(4096);
      const [stored] = await readdir(path.join(dir.path, 'received'));
      const received = await readFile(path.join(dir.path, 'received', stored as string));
      expect(dataSetOf(received).equals(dataSet)).toBe(true);
    } finally {
      unsubscribe(DIAGNOSTICS_CHANNELS.pduSent, record);
    }
  });

  it('aborts, and storescp goes on serving', async () => {
    const association = await connect();
    await association.abort();
    expect(association.state).toBe('Sta1');
    expect(association.error).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'local',
    });
    const again = await connect();
    await again.release();
  });

  it('reports the rejection of storescp --refuse', async () => {
    const refusing = await startStorescp({
      outputDir: path.join(dir.path, 'refused'),
      extraArgs: ['--refuse'],
    });
    try {
      const error = await requestAssociation({
        callingAeTitle: 'DICOMNET',
        calledAeTitle: 'ANY',
        contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
        transport: { host: '127.0.0.1', port: refusing.port },
      }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 'DICOMNET_ASSOCIATION_REJECTED',
        result: 1,
        source: 1,
        reason: 1,
      });
    } finally {
      await refusing.stop();
    }
  });

  it('reports a refused connection as DICOMNET_CONNECT_FAILED', async () => {
    const error = await requestAssociation({
      callingAeTitle: 'DICOMNET',
      calledAeTitle: 'ANY',
      contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
      transport: { host: '127.0.0.1', port: 1 },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'DICOMNET_CONNECT_FAILED',
      cause: { code: 'ECONNREFUSED' },
    });
  });
});

describe('DCMTK echoscu against our acceptor', () => {
  let acceptor: Acceptor;
  let port: number;

  beforeAll(async () => {
    acceptor = new Acceptor({
      policy: {
        calledAeTitles: ['DICOMNET'],
        callingAeTitles: (title) => title !== 'INTRUDER',
        contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
      },
      onAssociation: (association) => {
        const nextCommand = commandsOf(association);
        void (async () => {
          for (;;) {
            const request = readUsValues(await nextCommand());
            const id = request.get(0x0110) ?? 0;
            await association.sendMessage({ presentationContextId: 1, command: echoRsp(id) });
          }
        })().catch(() => {});
      },
    });
    ({ port } = await acceptor.listen({ port: 0 }));
  });
  afterAll(async () => {
    await acceptor.abortAll();
    await acceptor.close();
  });

  it('is accepted, echoes three times on one association and releases', async () => {
    const result = await runTool('echoscu', [
      ...TIMEOUTS,
      '-v',
      '--repeat',
      '3',
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(port),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/Received Echo Response \(Success\)/g)).toHaveLength(3);
    expect(result.stderr).toContain('Releasing Association');
  });

  it('is rejected for an unknown called AE title, and echoscu shows why', async () => {
    const result = await runTool('echoscu', [
      ...TIMEOUTS,
      '-aec',
      'SOMEONE',
      '127.0.0.1',
      String(port),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Rejected Permanent');
    expect(result.stderr).toContain('Called AE Title Not Recognized');
  });

  it('is rejected for a calling AE title the policy refuses', async () => {
    const result = await runTool('echoscu', [
      ...TIMEOUTS,
      '-aet',
      'INTRUDER',
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(port),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Calling AE Title Not Recognized');
  });

  it('survives echoscu aborting instead of releasing', async () => {
    const result = await runTool('echoscu', [
      ...TIMEOUTS,
      '--abort',
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(port),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const again = await runTool('echoscu', [
      ...TIMEOUTS,
      '-aec',
      'DICOMNET',
      '127.0.0.1',
      String(port),
    ]);
    expect(again.code).toBe(0);
  });
});
