import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { duplexPair } from '@dicomnet/test-utils';
import type { AssociationErrorMessage } from '../diagnostics.js';
import { DIAGNOSTICS_CHANNELS } from '../diagnostics.js';
import type { AcceptorPolicy } from '../negotiation/acceptor-policy.js';
import { Acceptor } from './acceptor.js';
import type { AcceptorOptions } from './acceptor.js';
import type { Association, AssociationHandlers } from './association.js';
import { requestAssociation } from './request-association.js';
import type { RequestAssociationOptions } from './request-association.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const policy: AcceptorPolicy = {
  contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
};
const boom = (): never => {
  throw new Error('injected');
};

/** Every association-error message published while the test runs. */
const published: AssociationErrorMessage[] = [];
const record = (message: unknown): void => {
  published.push(message as AssociationErrorMessage); // published by diagnostics.ts
};
subscribe(DIAGNOSTICS_CHANNELS.associationError, record);
afterEach(() => {
  published.length = 0;
});

interface Peer {
  readonly socket: Duplex;
  readonly association: Promise<Association>;
}

/** A requestor connected to `acceptor` over an in-memory pair. */
function connect(
  acceptor: Acceptor,
  onServerSocket?: (socket: Duplex) => void,
  overrides: Partial<RequestAssociationOptions> = {},
): Peer {
  const [ours, theirs] = duplexPair();
  acceptor.handle(ours);
  onServerSocket?.(ours);
  const association = requestAssociation({
    callingAeTitle: 'PEER',
    calledAeTitle: 'SUBJECT',
    contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
    transport: async () => theirs,
    artimTimeout: 2_000,
    ...overrides,
  });
  association.catch(() => {});
  return { socket: theirs, association };
}

function acceptorWith(overrides: Partial<AcceptorOptions>, handlers: AssociationHandlers = {}) {
  const accepted: Association[] = [];
  const acceptor = new Acceptor({
    policy,
    onAssociation: (association) => {
      accepted.push(association);
      association.setHandlers(handlers);
    },
    artimTimeout: 300,
    ...overrides,
  });
  return { acceptor, accepted };
}

/** The acceptor still serves: a new association is accepted and released. */
async function expectStillServing(acceptor: Acceptor): Promise<void> {
  const { association } = connect(acceptor);
  const requestor = await association;
  expect(requestor.state).toBe('Sta6');
  await requestor.abort();
}

/** How the peer saw its association end: an A-ABORT from us, or a closed connection. */
async function peerOutcome(requestor: Association): Promise<string | undefined> {
  await requestor.closed;
  return requestor.error?.code;
}

const ENDED_BY_US = ['DICOMNET_ASSOCIATION_ABORTED', 'DICOMNET_TRANSPORT_CLOSED'];

describe('containment: a throw on one association ends that association only', () => {
  it('decode: a bug while reading a chunk aborts, the acceptor goes on', async () => {
    const { acceptor } = acceptorWith({});
    let server: Duplex | undefined;
    const { association } = connect(acceptor, (socket) => (server = socket));
    const requestor = await association;
    const hostile = new Proxy(new Uint8Array(8), { get: boom });
    server?.emit('data', hostile);
    expect(ENDED_BY_US).toContain(await peerOutcome(requestor));
    expect(published.map((message) => message.error.where)).toEqual(['decode']);
    await expectStillServing(acceptor);
  });

  it('encode: an A-ASSOCIATE-AC the encoder refuses becomes an A-ABORT', async () => {
    // An extended negotiation answer too long for its 16-bit item-length, the first time only.
    let answers = 0;
    const { acceptor } = acceptorWith({
      policy: {
        ...policy,
        extendedNegotiation: () => (answers++ === 0 ? new Uint8Array(70_000) : undefined),
      },
    });
    const { association } = connect(acceptor, undefined, {
      extendedNegotiations: [
        { sopClassUid: VERIFICATION, applicationInformation: new Uint8Array(2) },
      ],
    });
    await expect(association).rejects.toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'peer',
      source: 2,
    });
    expect(published.map((message) => message.error.where)).toEqual(['encode']);
    await expectStillServing(acceptor);
  });

  it('policy: a throwing predicate or a rejecting authenticate answers A-ASSOCIATE-RJ 2/1/1', async () => {
    let calls = 0;
    const { acceptor } = acceptorWith({
      policy: {
        ...policy,
        callingAeTitles: () => {
          calls++;
          if (calls === 1) boom();
          return true;
        },
        authenticate: async () => {
          await Promise.resolve();
          throw new Error('rejected');
        },
      },
    });
    const failed = connect(acceptor).association;
    await expect(failed).rejects.toMatchObject({ result: 2, source: 1, reason: 1 });
    const [ours, theirs] = duplexPair();
    acceptor.handle(ours);
    const identity = requestAssociation({
      callingAeTitle: 'PEER',
      calledAeTitle: 'SUBJECT',
      contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
      userIdentity: {
        identityType: 1,
        positiveResponseRequested: false,
        primaryField: new Uint8Array([65]),
        secondaryField: new Uint8Array(0),
      },
      transport: async () => theirs,
    });
    await expect(identity).rejects.toMatchObject({ result: 2, source: 1, reason: 1 });
    expect(published.map((message) => message.error.where)).toEqual(['policy', 'policy']);
    await expectStillServing(acceptor);
  });

  it('onAssociation throwing aborts that association', async () => {
    let calls = 0;
    const { acceptor } = acceptorWith({
      onAssociation: () => {
        if (calls++ === 0) boom();
      },
    });
    // The A-ASSOCIATE-AC is out before onAssociation runs: the peer sees the abort after it.
    const requestor = await connect(acceptor).association;
    expect(await peerOutcome(requestor)).toBe('DICOMNET_ASSOCIATION_ABORTED');
    expect(published.map((message) => message.error.where)).toEqual(['on-association']);
    await expectStillServing(acceptor);
  });

  it('onFailure throwing is contained', async () => {
    const { acceptor } = acceptorWith({
      policy: { ...policy, calledAeTitles: ['SOMEONE ELSE'] },
      onFailure: boom,
    });
    await expect(connect(acceptor).association).rejects.toMatchObject({ reason: 7 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(published.map((message) => message.error.where)).toEqual(['on-failure']);
    const [ours, theirs] = duplexPair();
    acceptor.handle(ours);
    await expect(
      requestAssociation({
        callingAeTitle: 'PEER',
        calledAeTitle: 'SOMEONE ELSE',
        contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
        transport: async () => theirs,
      }).then((association) => association.abort()),
    ).resolves.toBeUndefined();
  });

  for (const [label, onPData] of [
    ['throwing synchronously', boom],
    ['rejecting', () => Promise.reject(new Error('injected'))],
  ] as const) {
    it(`onPData ${label} aborts that association`, async () => {
      const { acceptor } = acceptorWith({}, { onPData });
      const requestor = await connect(acceptor).association;
      await requestor
        .sendMessage({ presentationContextId: 1, command: new Uint8Array(2) })
        .catch(() => {});
      expect(await peerOutcome(requestor)).toBe('DICOMNET_ASSOCIATION_ABORTED');
      expect(published.map((message) => message.error.where)).toEqual(['on-pdata']);
      await expectStillServing(acceptor);
    });
  }

  it('onReleaseRequest throwing aborts instead of answering A-RELEASE-RP', async () => {
    const { acceptor } = acceptorWith({}, { onReleaseRequest: boom });
    const requestor = await connect(acceptor).association;
    await expect(requestor.release()).rejects.toMatchObject({
      code: 'DICOMNET_ASSOCIATION_ABORTED',
      initiator: 'peer',
    });
    expect(published.map((message) => message.error.where)).toEqual(['on-release-request']);
    await expectStillServing(acceptor);
  });

  it('onEnd throwing after a release still completes the release', async () => {
    const { acceptor } = acceptorWith({}, { onEnd: boom });
    const requestor = await connect(acceptor).association;
    await requestor.release();
    expect(requestor.error).toBeUndefined();
    expect(published.map((message) => message.error.where)).toEqual(['on-end']);
    await expectStillServing(acceptor);
  });

  it('a throw inside a timer callback (onEnd on ARTIM expiry) is contained', async () => {
    const { acceptor, accepted } = acceptorWith({}, { onEnd: boom });
    const { socket, association } = connect(acceptor);
    await association;
    socket.pause(); // the peer goes silent: our A-RELEASE-RQ is never answered
    const subject = accepted[0] as Association; // accepted above
    const released = subject.release();
    await expect(released).rejects.toMatchObject({ code: 'DICOMNET_ASSOCIATION_TIMEOUT' });
    expect(published.map((message) => message.error.where)).toEqual(['on-end']);
    socket.destroy();
    await subject.closed;
    await expectStillServing(acceptor);
  });

  it("a socket 'error' then 'close' with a throwing onEnd is contained", async () => {
    const { acceptor, accepted } = acceptorWith({}, { onEnd: boom });
    let server: Duplex | undefined;
    await connect(acceptor, (socket) => (server = socket)).association;
    const subject = accepted[0] as Association; // accepted above
    // Destroying our side with an error emits 'error' and then 'close' on it (Evt17, AA-4).
    server?.destroy(new Error('connection reset'));
    await subject.closed;
    expect(subject.error?.code).toBe('DICOMNET_TRANSPORT_CLOSED');
    expect(published.map((message) => message.error.where)).toEqual(['on-end']);
    await expectStillServing(acceptor);
  });

  it('a throwing diagnostics subscriber cannot touch our state; Node re-raises it as uncaughtException', async () => {
    // node:diagnostics_channel catches a subscriber's throw and re-raises it on the next tick as
    // 'uncaughtException' (Node's documented contract): we cannot contain it, only stay intact.
    // Vitest's own listeners would fail the test on it, so they step aside for this test.
    const saved = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const raised: unknown[] = [];
    process.on('uncaughtException', (error) => raised.push(error));
    const throwing = (): void => {
      throw new Error('subscriber');
    };
    subscribe(DIAGNOSTICS_CHANNELS.stateChanged, throwing);
    try {
      const { acceptor } = acceptorWith({});
      const requestor = await connect(acceptor).association;
      await requestor.release();
      expect(requestor.error).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
      expect(raised.length).toBeGreaterThan(0);
      expect(published).toEqual([]);
    } finally {
      unsubscribe(DIAGNOSTICS_CHANNELS.stateChanged, throwing);
      process.removeAllListeners('uncaughtException');
      for (const listener of saved) process.on('uncaughtException', listener);
    }
  });
});
