import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { duplexPair } from '@dicomnet/test-utils';
import type { AssociateAc, AssociateRq, Pdu } from '../codec/index.js';
import { decodePdu, encodePdu, PduReader } from '../codec/index.js';
import { buildAssociateRq } from '../negotiation/association-request.js';
import { decideAssociation } from '../negotiation/acceptor-policy.js';
import type { AcceptorPolicy } from '../negotiation/acceptor-policy.js';
import { Acceptor } from './acceptor.js';
import { Association } from './association.js';
import { requestAssociation } from './request-association.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const policy: AcceptorPolicy = {
  contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
};
const proposal = {
  callingAeTitle: 'PEER',
  calledAeTitle: 'SUBJECT',
  contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
};
const rq: AssociateRq = buildAssociateRq(proposal);

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The far end of a connection, speaking raw PDUs. */
class RawPeer {
  readonly received: Pdu[] = [];
  isClosed = false;
  readonly #reader = new PduReader({ maxPduLength: 0 });
  constructor(readonly socket: Duplex) {
    socket.on('data', (chunk: Uint8Array) => {
      for (const raw of this.#reader.push(chunk)) this.received.push(decodePdu(raw));
    });
    socket.on('error', () => {});
    socket.once('close', () => (this.isClosed = true));
  }
  send(pdu: Pdu | Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(pdu instanceof Uint8Array ? pdu : encodePdu(pdu));
  }
  async until(condition: () => boolean, ms = 3_000): Promise<void> {
    for (let waited = 0; waited < ms && !condition(); waited += 5) await tick(5);
  }
}

async function acceptAc(request: AssociateRq): Promise<AssociateAc> {
  const decision = await decideAssociation(request, policy);
  if (decision.pdu.type !== 'A-ASSOCIATE-AC') throw new Error('the policy accepts this RQ');
  return decision.pdu;
}

describe('ARTIM runs once through Sta13 (PS3.8 Table 9-10, AA-6/AA-7)', () => {
  it('closes the connection while a peer keeps sending stray PDUs', async () => {
    const [ours, theirs] = duplexPair();
    const acceptor = new Acceptor({
      policy: { ...policy, calledAeTitles: ['SOMEONE ELSE'] },
      onAssociation: () => {},
      artimTimeout: 200,
    });
    acceptor.handle(ours);
    const peer = new RawPeer(theirs);
    peer.send(rq);
    await peer.until(() => peer.received.length > 0);
    expect(peer.received[0]?.type).toBe('A-ASSOCIATE-RJ');
    // We stay: the acceptor is in Sta13 waiting for us to close. Strays are ignored (AA-6).
    let strays = 0;
    for (; strays < 60 && !peer.isClosed; strays++) {
      peer.send({ type: 'A-RELEASE-RP' });
      await tick(40);
    }
    expect(peer.isClosed).toBe(true);
    expect(strays).toBeLessThan(60);
    await acceptor.close();
  });
});

describe('a local abort in Sta2 just closes (no cell in Table 9-10)', () => {
  it('sends nothing and ends with a local abort', async () => {
    const [ours, theirs] = duplexPair();
    const subject = new Association('acceptor', 16384, { artimTimeout: 5_000 });
    const peer = new RawPeer(theirs);
    void subject.accept(ours, acceptAc).catch(() => {});
    expect(subject.state).toBe('Sta2');
    await subject.abort();
    await peer.until(() => peer.isClosed);
    expect(peer.isClosed).toBe(true);
    expect(peer.received).toEqual([]);
    expect(subject.state).toBe('Sta1');
    expect(subject.error).toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'local',
    });
  });
});

describe('the requestor checks the A-ASSOCIATE-AC against its RQ', () => {
  async function answerWith(makeAc: (ac: AssociateAc) => AssociateAc | Uint8Array) {
    const [ours, theirs] = duplexPair();
    const peer = new RawPeer(theirs);
    const request = requestAssociation({
      ...proposal,
      contexts: [
        { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
        { abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT] },
      ],
      transport: async () => ours,
      artimTimeout: 2_000,
    });
    request.catch(() => {});
    await peer.until(() => peer.received.length > 0);
    const sent = peer.received[0] as AssociateRq; // the first PDU a requestor sends
    peer.send(makeAc(await acceptAc(sent)));
    return { request, peer };
  }

  const mismatches: [string, (ac: AssociateAc) => AssociateAc][] = [
    [
      'an answer for a context ID we did not propose',
      (ac) => ({
        ...ac,
        presentationContexts: [
          ...ac.presentationContexts,
          { id: 9, result: 0, transferSyntax: IMPLICIT },
        ],
      }),
    ],
    [
      'an accepted context with a transfer syntax we did not propose for it',
      (ac) => ({
        ...ac,
        presentationContexts: ac.presentationContexts.map((context) =>
          context.id === 3 ? { ...context, result: 0, transferSyntax: IMPLICIT } : context,
        ),
      }),
    ],
  ];
  for (const [label, mutate] of mismatches) {
    it(`aborts 2/6 on ${label}`, async () => {
      const { request, peer } = await answerWith(mutate);
      await expect(request).rejects.toMatchObject({
        code: 'DICOMNET_ASSOCIATION_ABORTED',
        initiator: 'provider',
        source: 2,
        reason: 6,
        cause: { code: 'DICOMNET_ASSOCIATE_AC_MISMATCH' },
      });
      await peer.until(() => peer.received.length > 1);
      expect(peer.received[1]).toEqual({ type: 'A-ABORT', source: 2, reason: 6 });
    });
  }

  it('accepts an AC whose AE title fields hold anything, and a rejected context with any transfer syntax', async () => {
    const { request, peer } = await answerWith((ac) => {
      const bytes = encodePdu({
        ...ac,
        presentationContexts: ac.presentationContexts.map((context) =>
          context.id === 3 ? { ...context, result: 4, transferSyntax: '1.2.3' } : context,
        ),
      });
      bytes.fill(0xc3, 10, 42); // both reserved AE title fields (PS3.8 Table 9-17)
      return bytes;
    });
    const association = await request;
    expect(association.negotiated.contexts.map((context) => context.transferSyntax)).toEqual([
      IMPLICIT,
      '',
    ]);
    const aborted = association.abort();
    peer.socket.destroy(); // the side that receives A-ABORT closes
    await aborted;
  });
});

describe('user-response timeouts (Sta3, Sta8)', () => {
  it('answers A-ASSOCIATE-RJ 2/3/1 when the policy does not answer in time', async () => {
    const failures: Error[] = [];
    const acceptor = new Acceptor({
      policy: { ...policy, authenticate: () => new Promise<boolean>(() => {}) },
      onAssociation: () => {},
      onFailure: (error) => failures.push(error),
      associateResponseTimeout: 100,
    });
    const [ours, theirs] = duplexPair();
    acceptor.handle(ours);
    const request = requestAssociation({
      ...proposal,
      userIdentity: {
        identityType: 1,
        positiveResponseRequested: false,
        primaryField: new Uint8Array([65]),
        secondaryField: new Uint8Array(0),
      },
      transport: async () => theirs,
    });
    await expect(request).rejects.toMatchObject({ result: 2, source: 3, reason: 1 });
    await tick(10);
    expect(failures).toMatchObject([{ code: 'DICOMNET_USER_RESPONSE_TIMEOUT', state: 'Sta3' }]);
    await acceptor.close();
  });

  it('aborts (source 2) when the release handler does not finish in time', async () => {
    const accepted: Association[] = [];
    const acceptor = new Acceptor({
      policy,
      onAssociation: (association) => {
        accepted.push(association);
        association.setHandlers({ onReleaseRequest: () => new Promise<void>(() => {}) });
      },
      releaseResponseTimeout: 100,
    });
    const [ours, theirs] = duplexPair();
    acceptor.handle(ours);
    const requestor = await requestAssociation({ ...proposal, transport: async () => theirs });
    await expect(requestor.release()).rejects.toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'peer',
      source: 2,
    });
    const subject = accepted[0] as Association; // accepted above
    await subject.closed;
    expect(subject.error).toMatchObject({ code: 'DICOMNET_USER_RESPONSE_TIMEOUT', state: 'Sta8' });
    await acceptor.close();
  });
});

describe('a peer that ends its side of the transport', () => {
  it('ends the association (Evt17, AA-4) even over a Duplex that allows half-open connections', async () => {
    const accepted: Association[] = [];
    const acceptor = new Acceptor({
      policy,
      onAssociation: (association) => accepted.push(association),
    });
    const [ours, theirs] = duplexPair();
    acceptor.handle(ours);
    const requestor = await requestAssociation({ ...proposal, transport: async () => theirs });
    theirs.end(); // FIN, no A-RELEASE-RQ
    const subject = accepted[0] as Association; // accepted above
    await subject.closed;
    expect(subject.error?.code).toBe('DICOMNET_TRANSPORT_CLOSED');
    await requestor.closed;
    await acceptor.close();
  });
});
