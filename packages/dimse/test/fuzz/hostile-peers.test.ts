import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DicomnetError, Pdv } from '@dicomnet/pdu';
import { duplexPair } from '@dicomnet/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import type { DimseLimits } from '../../src/association/dimse-limits.js';
import { encodeCommandSet, toCommandSet } from '../../src/command/index.js';
import { createServer } from '../../src/server/dimse-server.js';
import type { ServerOptions } from '../../src/server/dimse-server.js';
import {
  EXPLICIT,
  IMPLICIT,
  proposal,
  SECONDARY_CAPTURE,
  storeRq,
  VERIFICATION,
  WirePeer,
} from '../helpers/wire-peer.js';

/*
 * The hostile shapes of issue 13 against a live server (createServer over an in-memory socket
 * pair): each ends only its own association, with an A-ABORT and the coded error, and the same
 * server then answers a fresh association's C-ECHO. The DIMSE layer is the Upper Layer's
 * service user, so its aborts are A-ABORT source 0 (PS3.8 Table 9-26), reason not significant.
 */

interface Harness {
  readonly ended: (DicomnetError | undefined)[];
  connect(): Promise<WirePeer>;
  close(): Promise<void>;
}

function serve(limits: DimseLimits, extra: Partial<ServerOptions> = {}): Harness {
  const ended: (DicomnetError | undefined)[] = [];
  const server = createServer({
    ...limits,
    artimTimeout: 1_000,
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
    ],
    handlers: {
      // A store handler that reads every fragment and keeps none.
      async store(request) {
        for await (const fragment of request.dataSet) void fragment;
        return { status: 0 };
      },
    },
    onAssociationEnd: (_negotiated, error) => ended.push(error),
    ...extra,
  });
  return {
    ended,
    async connect() {
      const [ours, theirs] = duplexPair();
      server.handle(ours);
      const peer = new WirePeer(theirs);
      const answer = await peer.associate(proposal());
      expect(answer.type).toBe('A-ASSOCIATE-AC');
      return peer;
    },
    close: async () => {
      await server.abortAll();
      await server.close();
    },
  };
}

/** Sends `count` PDVs made by `make`, `perPdu` to a P-DATA-TF, until the server hangs up. */
function flood(peer: WirePeer, count: number, perPdu: number, make: (index: number) => Pdv): void {
  for (let sent = 0; sent < count && !peer.isClosed; sent += perPdu) {
    const pdvs: Pdv[] = [];
    for (let index = sent; index < Math.min(count, sent + perPdu); index++) pdvs.push(make(index));
    if (!peer.sendPdvs(pdvs)) return;
  }
}

async function stillAnswersEcho(harness: Harness): Promise<void> {
  const peer = await harness.connect();
  expect(await peer.echo(77)).toBe(0x0000);
  peer.destroy();
}

const empty = (isCommand: boolean): Pdv => ({
  presentationContextId: isCommand ? 1 : 3,
  isCommand,
  isLast: false,
  fragment: new Uint8Array(0),
});

describe('hostile peers against a live server', () => {
  const harnesses: Harness[] = [];
  const harness = (limits: DimseLimits, extra?: Partial<ServerOptions>): Harness => {
    const made = serve(limits, extra);
    harnesses.push(made);
    return made;
  };
  afterAll(async () => {
    await Promise.all(harnesses.map((made) => made.close()));
  });

  it('empty PDVs, never the last: A-ABORT with DICOMNET_DIMSE_TOO_MANY_FRAGMENTS', async () => {
    const server = harness({ maxPdvFragments: 10_000 });
    const peer = await server.connect();
    flood(peer, 50_000, 2_000, () => empty(true));
    expect(await peer.untilEnd()).toMatchObject({ type: 'A-ABORT', source: 0 });
    await expect.poll(() => server.ended.length, { timeout: 5_000 }).toBe(1);
    expect(server.ended[0]?.code).toBe('DICOMNET_DIMSE_TOO_MANY_FRAGMENTS');
    await stillAnswersEcho(server);
  });

  it('2-byte PDVs: A-ABORT with DICOMNET_DIMSE_MESSAGE_TOO_LARGE', async () => {
    const server = harness({});
    const peer = await server.connect();
    flood(peer, 50_000, 2_000, () => ({
      presentationContextId: 1,
      isCommand: true,
      isLast: false,
      fragment: Uint8Array.of(0, 0),
    }));
    expect(await peer.untilEnd()).toMatchObject({ type: 'A-ABORT', source: 0 });
    await expect.poll(() => server.ended.length, { timeout: 5_000 }).toBe(1);
    expect(server.ended[0]?.code).toBe('DICOMNET_DIMSE_MESSAGE_TOO_LARGE');
    await stillAnswersEcho(server);
  });

  it('1-byte PDVs: A-ABORT, whichever layer refuses them first', async () => {
    const server = harness({});
    const peer = await server.connect();
    flood(peer, 50_000, 2_000, () => ({
      presentationContextId: 1,
      isCommand: true,
      isLast: false,
      fragment: Uint8Array.of(0),
    }));
    expect(await peer.untilEnd()).toMatchObject({ type: 'A-ABORT' });
    await expect.poll(() => server.ended.length, { timeout: 5_000 }).toBe(1);
    expect(server.ended[0]?.code).toMatch(/^DICOMNET_/);
    await stillAnswersEcho(server);
  });

  it('many open messages on several contexts: A-ABORT with DICOMNET_DIMSE_PROTOCOL', async () => {
    const server = harness({});
    const peer = await server.connect();
    const command = storeRq(1, '1.2.3.4');
    peer.sendPdvs([
      {
        presentationContextId: 1,
        isCommand: true,
        isLast: false,
        fragment: command.subarray(0, 8),
      },
      {
        presentationContextId: 3,
        isCommand: true,
        isLast: false,
        fragment: command.subarray(0, 8),
      },
    ]);
    expect(await peer.untilEnd()).toMatchObject({ type: 'A-ABORT', source: 0 });
    await expect.poll(() => server.ended.length, { timeout: 5_000 }).toBe(1);
    expect(server.ended[0]?.code).toBe('DICOMNET_DIMSE_PROTOCOL');
    await stillAnswersEcho(server);
  });

  it('a C-STORE data set that never ends: A-ABORT at maxStreamedDataSetBytes', async () => {
    const server = harness({ maxStreamedDataSetBytes: 1 << 20 });
    const peer = await server.connect();
    peer.sendPdvs([
      { presentationContextId: 3, isCommand: true, isLast: true, fragment: storeRq(1, '1.2.3.4') },
    ]);
    const chunk = new Uint8Array(16_000);
    flood(peer, 200, 1, () => ({
      presentationContextId: 3,
      isCommand: false,
      isLast: false,
      fragment: chunk,
    }));
    expect(await peer.untilEnd()).toMatchObject({ type: 'A-ABORT', source: 0 });
    await expect.poll(() => server.ended.length, { timeout: 5_000 }).toBe(1);
    expect(server.ended[0]?.code).toBe('DICOMNET_DIMSE_MESSAGE_TOO_LARGE');
    await stillAnswersEcho(server);
  });

  it.each([
    ['an N-ACTION data set past maxReassembledBytes, only counted', 'action'],
    ['a refused request’s data set, dropped', 'refused'],
  ] as const)('%s, that never ends: A-ABORT at maxStreamedDataSetBytes', async (_name, which) => {
    const server = harness({ maxReassembledBytes: 64 * 1024, maxStreamedDataSetBytes: 1 << 20 });
    const peer = await server.connect();
    const command = encodeCommandSet(
      which === 'action'
        ? toCommandSet({
            kind: 'N-ACTION-RQ',
            messageId: 1,
            requestedSopClassUid: SECONDARY_CAPTURE,
            requestedSopInstanceUid: '1.2.3',
            actionTypeId: 1,
            hasDataSet: true,
          })
        : {
            // C-ECHO with a data set: mistyped, answered 0x0212, its data set dropped.
            commandField: 0x0030,
            messageId: 1,
            affectedSopClassUid: VERIFICATION,
            commandDataSetType: 0x0102,
            otherElements: [],
          },
    );
    const contextId = which === 'action' ? 3 : 1;
    peer.sendPdvs([
      { presentationContextId: contextId, isCommand: true, isLast: true, fragment: command },
    ]);
    const chunk = new Uint8Array(16_000);
    flood(peer, 200, 1, () => ({
      presentationContextId: contextId,
      isCommand: false,
      isLast: false,
      fragment: chunk,
    }));
    expect(await peer.untilEnd()).toMatchObject({ type: 'A-ABORT', source: 0 });
    await expect.poll(() => server.ended.length, { timeout: 5_000 }).toBe(1);
    expect(server.ended[0]?.code).toBe('DICOMNET_DIMSE_MESSAGE_TOO_LARGE');
    await stillAnswersEcho(server);
  });

  it('5,000,000 empty PDVs (30 MB on the wire) leave the heap as it was', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void; // exposed by the flag just set
    const server = harness({}); // the default limits
    gc();
    const before = process.memoryUsage().heapUsed;
    const peer = await server.connect();
    flood(peer, 5_000_000, 2_700, () => empty(true));
    expect(await peer.untilEnd(20_000)).toMatchObject({ type: 'A-ABORT', source: 0 });
    await expect.poll(() => server.ended.length, { timeout: 5_000 }).toBe(1);
    expect(server.ended[0]?.code).toBe('DICOMNET_DIMSE_TOO_MANY_FRAGMENTS');
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    await stillAnswersEcho(server);
  });
});
