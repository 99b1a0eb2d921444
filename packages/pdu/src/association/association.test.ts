import { describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { duplexPair } from '@dicomnet/test-utils';
import type { PDataTf } from '../codec/index.js';
import { DicomnetError } from '../errors.js';
import type { AcceptorPolicy } from '../negotiation/acceptor-policy.js';
import { Acceptor } from './acceptor.js';
import type { Association } from './association.js';
import { requestAssociation } from './request-association.js';
import type { RequestAssociationOptions } from './request-association.js';

const VERIFICATION = '1.2.840.10008.1.1';
const CT_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';

const policy: AcceptorPolicy = {
  calledAeTitles: ['ACCEPTOR'],
  contexts: [
    { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
    { abstractSyntax: CT_STORAGE, transferSyntaxes: [EXPLICIT, IMPLICIT] },
  ],
  maxPduLength: 4096,
};

const proposal = {
  callingAeTitle: 'REQUESTOR',
  calledAeTitle: 'ACCEPTOR',
  contexts: [
    { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
    { abstractSyntax: CT_STORAGE, transferSyntaxes: [IMPLICIT, EXPLICIT] },
    { abstractSyntax: '1.2.3.4', transferSyntaxes: [IMPLICIT] },
  ],
  maxPduLength: 8192,
} satisfies Partial<RequestAssociationOptions>;

interface Pair {
  requestor: Association;
  acceptor: Association;
  received: PDataTf[];
}

/** Connects a requestor and an acceptor over an in-memory pair. */
async function connectPair(overrides: Partial<RequestAssociationOptions> = {}): Promise<Pair> {
  const [left, right] = duplexPair();
  const received: PDataTf[] = [];
  let accepted: ((association: Association) => void) | undefined;
  const acceptorReady = new Promise<Association>((resolve) => (accepted = resolve));
  const acceptor = new Acceptor({
    policy,
    onAssociation: (association) => {
      association.setHandlers({ onPData: (pdu) => void received.push(pdu) });
      accepted?.(association);
    },
  });
  acceptor.handle(right);
  const requestor = await requestAssociation({
    ...proposal,
    transport: async () => left,
    ...overrides,
  });
  return { requestor, acceptor: await acceptorReady, received };
}

function reassemble(pdus: readonly PDataTf[], isCommand: boolean): Buffer {
  return Buffer.concat(
    pdus.flatMap((pdu) =>
      pdu.pdvs.filter((pdv) => pdv.isCommand === isCommand).map((pdv) => pdv.fragment),
    ),
  );
}

describe('Association over an in-memory transport', () => {
  it('negotiates contexts, roles and lengths as both sides see them', async () => {
    const { requestor, acceptor } = await connectPair();
    expect(requestor.state).toBe('Sta6');
    expect(acceptor.state).toBe('Sta6');
    const mine = requestor.negotiated;
    expect(mine.peerMaxPduLength).toBe(4096);
    expect(acceptor.negotiated.peerMaxPduLength).toBe(8192);
    expect(
      mine.contexts.map((context) => [context.id, context.result, context.transferSyntax]),
    ).toEqual([
      [1, 0, IMPLICIT],
      [3, 0, EXPLICIT], // the acceptor's preference wins
      [5, 3, ''], // abstract syntax not supported
    ]);
    expect(mine.contexts[0]).toMatchObject({ localIsScu: true, localIsScp: false });
    expect(acceptor.negotiated.contexts[0]).toMatchObject({ localIsScu: false, localIsScp: true });
    expect(Object.isFrozen(mine)).toBe(true);
    await requestor.release();
    await Promise.all([requestor.closed, acceptor.closed]);
    expect(requestor.error).toBeUndefined();
    expect(acceptor.error).toBeUndefined();
    expect(requestor.state).toBe('Sta1');
    expect(acceptor.state).toBe('Sta1');
  });

  it('fragments a message to the peer maximum and reassembles it intact', async () => {
    const { requestor, acceptor, received } = await connectPair();
    const command = new Uint8Array(100).fill(7);
    const data = new Uint8Array(20_000).map((_, i) => i % 251);
    const chunks = [data.subarray(0, 3000), data.subarray(3000, 3001 + 999), data.subarray(4000)];
    await requestor.sendMessage({ presentationContextId: 3, command, dataSet: chunks });
    await requestor.release();
    await acceptor.closed;
    for (const pdu of received) {
      const length = pdu.pdvs.reduce((sum, pdv) => sum + 6 + pdv.fragment.byteLength, 0);
      expect(length).toBeLessThanOrEqual(4096);
    }
    expect(reassemble(received, true)).toEqual(Buffer.from(command));
    expect(reassemble(received, false)).toEqual(Buffer.from(data));
    const lastFlags = received.flatMap((pdu) => pdu.pdvs).filter((pdv) => pdv.isLast);
    expect(lastFlags.map((pdv) => pdv.isCommand)).toEqual([true, false]);
  });

  it('reports the rejection with its result, source and reason', async () => {
    const error = await connectPair({ calledAeTitle: 'SOMEONE' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_REJECTED',
      result: 1,
      source: 1,
      reason: 7,
    });
  });

  it('tells the acceptor when the requestor aborts', async () => {
    const { requestor, acceptor } = await connectPair();
    const ended = new Promise<DicomnetError | undefined>((resolve) =>
      acceptor.setHandlers({ onEnd: resolve }),
    );
    await requestor.abort();
    const error = await ended;
    expect(error).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'peer',
      source: 0,
    });
    expect(requestor.error).toMatchObject({ initiator: 'local' });
    await expect(
      requestor.sendMessage({ presentationContextId: 1, command: new Uint8Array(2) }),
    ).rejects.toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
    });
  });

  it('answers a release collision on both sides', async () => {
    const { requestor, acceptor } = await connectPair();
    await Promise.all([requestor.release(), acceptor.release()]);
    await Promise.all([requestor.closed, acceptor.closed]);
    expect(requestor.error).toBeUndefined();
    expect(acceptor.error).toBeUndefined();
  });

  it('pauses input while the consumer is busy and loses nothing', async () => {
    const [left, right] = duplexPair();
    const seen: number[] = [];
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const acceptor = new Acceptor({
      policy,
      onAssociation: (association) =>
        association.setHandlers({
          onPData: async (pdu) => {
            seen.push(pdu.pdvs.length);
            await gate;
          },
        }),
    });
    const server = acceptor.handle(right);
    const requestor = await requestAssociation({ ...proposal, transport: async () => left });
    for (let i = 0; i < 5; i++)
      void requestor.sendMessage({ presentationContextId: 1, command: new Uint8Array(10) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toHaveLength(1);
    release?.();
    await requestor.release();
    await server.closed;
    expect(seen).toHaveLength(5);
  });

  it('refuses a P-DATA-TF longer than it announced before buffering it', async () => {
    const [left, right] = duplexPair();
    const acceptor = new Acceptor({ policy, onAssociation: () => {} });
    const server = acceptor.handle(right);
    const requestor = await requestAssociation({ ...proposal, transport: async () => left });
    const ended = new Promise<DicomnetError | undefined>((resolve) =>
      requestor.setHandlers({ onEnd: resolve }),
    );
    // A header claiming 4 GB: the acceptor announced 4096 and must abort at once (2/6).
    (left as Duplex).write(Buffer.from([0x04, 0, 0xff, 0xff, 0xff, 0xff]));
    expect(await ended).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'peer',
      source: 2,
      reason: 6,
    });
    expect(server.error).toMatchObject({
      initiator: 'provider',
      cause: { code: 'DICOMNET_PDU_TOO_LARGE' },
    });
  });

  it('closes a connection that never sends an A-ASSOCIATE-RQ when ARTIM expires', async () => {
    const [, right] = duplexPair();
    const failures: Error[] = [];
    const acceptor = new Acceptor({
      policy,
      artimTimeout: 30,
      onAssociation: () => {},
      onFailure: (error) => failures.push(error),
    });
    const server = acceptor.handle(right);
    await server.closed;
    expect(failures).toEqual([expect.objectContaining({ code: 'DICOMNET_ASSOCIATION_TIMEOUT' })]);
    expect(DicomnetError.isInstance(failures[0])).toBe(true);
  });
});
