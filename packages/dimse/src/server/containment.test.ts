// Containment (issue 13 §1, DIMSE side): a throw on a per-association path ends only that
// association or becomes a failure status; it never reaches the process, and the same server
// goes on serving.
import { channel } from 'node:diagnostics_channel';
import type { Pdv } from '@dicomnet/pdu';
import { duplexPair } from '@dicomnet/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommandSet, toCommandSet } from '../command/index.js';
import type { DataSetCodec } from '@dicomnet/data';
import { createDcmjsCodec } from '@dicomnet/data';
import { DIMSE_DIAGNOSTICS_CHANNELS } from '../diagnostics.js';
import type { DimseErrorEvent } from '../diagnostics.js';
import { createServer } from './dimse-server.js';
import type { ServerOptions } from './dimse-server.js';
import type { RequestDispatcher } from '../association/incoming-requests.js';
import {
  commandOf,
  EXPLICIT,
  IMPLICIT,
  proposal,
  SECONDARY_CAPTURE,
  storeRq,
  VERIFICATION,
  WirePeer,
} from '../../test/helpers/wire-peer.js';
import {
  ECHO_RQ_ID_5,
  weAccept,
  verification,
  proposeVerification,
} from '../../test/helpers/raw-peer.js';

const COMMITMENT = '1.2.840.10008.1.20.1';
const ACTION_RQ = encodeCommandSet(
  toCommandSet({
    kind: 'N-ACTION-RQ',
    messageId: 9,
    requestedSopClassUid: COMMITMENT,
    requestedSopInstanceUid: '1.2.840.10008.1.20.1.1',
    actionTypeId: 1,
    hasDataSet: true,
  }),
);
/** (0008,1195) Transaction UID "1.2.3", Implicit VR Little Endian: a data set dcmjs reads. */
const ACTION_INFORMATION = Uint8Array.of(
  0x08,
  0x00,
  0x95,
  0x11,
  6,
  0,
  0,
  0,
  ...Buffer.from('1.2.3\0'),
);

const escaped: unknown[] = [];
const onEscape = (error: unknown): void => void escaped.push(error);
beforeAll(() => {
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
});
afterAll(() => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
});
afterEach(() => {
  expect(escaped).toEqual([]);
});

const CONTEXTS: ServerOptions['contexts'] = [
  { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
  { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
  { abstractSyntax: COMMITMENT, transferSyntaxes: [IMPLICIT] },
];

async function withServer(
  options: Partial<ServerOptions>,
  body: (connect: () => Promise<WirePeer>) => Promise<void>,
): Promise<void> {
  const server = createServer({
    contexts: CONTEXTS,
    handlers: {},
    artimTimeout: 1_000,
    ...options,
  });
  const connect = async (): Promise<WirePeer> => {
    const [ours, theirs] = duplexPair();
    server.handle(ours);
    const peer = new WirePeer(theirs);
    const answer = await peer.associate({
      ...proposal(),
      contexts: [
        ...proposal().contexts,
        { abstractSyntax: COMMITMENT, transferSyntaxes: [IMPLICIT] },
      ],
    });
    expect(answer.type).toBe('A-ASSOCIATE-AC');
    return peer;
  };
  try {
    await body(connect);
  } finally {
    await server.abortAll();
    await server.close();
  }
}

async function statusOf(peer: WirePeer, pdvs: Pdv[]): Promise<number | undefined> {
  peer.sendPdvs(pdvs);
  const answer = await peer.next();
  if (answer.type !== 'P-DATA-TF') throw new Error(`expected a response, got ${answer.type}`);
  return commandOf(answer.pdvs)?.status;
}

const action = (): Pdv[] => [
  { presentationContextId: 5, isCommand: true, isLast: true, fragment: ACTION_RQ },
  { presentationContextId: 5, isCommand: false, isLast: true, fragment: ACTION_INFORMATION },
];

describe('containment in the DIMSE layer', () => {
  it('a store handler that throws synchronously answers 0xC000; the association goes on', async () => {
    await withServer(
      {
        handlers: {
          store: () => {
            throw new TypeError('handler bug');
          },
        },
      },
      async (connect) => {
        const peer = await connect();
        const status = await statusOf(peer, [
          {
            presentationContextId: 3,
            isCommand: true,
            isLast: true,
            fragment: storeRq(1, '1.2.3'),
          },
          { presentationContextId: 3, isCommand: false, isLast: true, fragment: new Uint8Array(8) },
        ]);
        expect(status).toBe(0xc000);
        expect(await peer.echo(2)).toBe(0);
        peer.destroy();
      },
    );
  });

  it.each([undefined, null, 'a string', 42])(
    'a store handler that throws %s (not an Error) answers 0xC000',
    async (thrown) => {
      await withServer(
        {
          handlers: {
            store: () => {
              throw thrown; // what a JavaScript handler may do
            },
          },
        },
        async (connect) => {
          const peer = await connect();
          const status = await statusOf(peer, [
            {
              presentationContextId: 3,
              isCommand: true,
              isLast: true,
              fragment: storeRq(1, '1.2.3'),
            },
            {
              presentationContextId: 3,
              isCommand: false,
              isLast: true,
              fragment: new Uint8Array(8),
            },
          ]);
          expect(status).toBe(0xc000);
          peer.destroy();
        },
      );
    },
  );

  it('an N-ACTION handler that throws synchronously answers 0x0110', async () => {
    await withServer(
      {
        handlers: {
          action: () => {
            throw new RangeError('handler bug');
          },
        },
      },
      async (connect) => {
        const peer = await connect();
        expect(await statusOf(peer, action())).toBe(0x0110);
        expect(await peer.echo(2)).toBe(0);
        peer.destroy();
      },
    );
  });

  it('a codec that fails to decode or to encode answers 0x0110', async () => {
    const real = createDcmjsCodec();
    const failing = (where: 'decode' | 'encode'): DataSetCodec => ({
      decode: (bytes, syntax) => {
        if (where === 'decode') throw new Error('decoder bug');
        return real.decode(bytes, syntax);
      },
      encode: (dataSet, syntax) => {
        if (where === 'encode') throw new Error('encoder bug');
        return real.encode(dataSet, syntax);
      },
    });
    for (const where of ['decode', 'encode'] as const) {
      await withServer(
        {
          codec: failing(where),
          handlers: { action: () => ({ status: 0, dataSet: {} }) },
        },
        async (connect) => {
          const peer = await connect();
          expect(await statusOf(peer, action())).toBe(0x0110);
          expect(await peer.echo(2)).toBe(0);
          peer.destroy();
        },
      );
    }
  });

  it('an onAssociation callback that throws ends only that association', async () => {
    const published: DimseErrorEvent[] = [];
    const subscriber = (message: unknown): void => void published.push(message as DimseErrorEvent);
    channel(DIMSE_DIAGNOSTICS_CHANNELS.error).subscribe(subscriber);
    let calls = 0;
    try {
      await withServer(
        {
          onAssociation: () => {
            if (++calls === 1) throw new Error('callback bug');
          },
        },
        async (connect) => {
          const first = await connect();
          expect((await first.untilEnd()).type).toMatch(/A-ABORT|closed/);
          expect(published.map((event) => event.error.message)).toEqual(['callback bug']);
          const second = await connect();
          expect(await second.echo(3)).toBe(0);
          second.destroy();
        },
      );
    } finally {
      channel(DIMSE_DIAGNOSTICS_CHANNELS.error).unsubscribe(subscriber);
    }
  });

  it('an onAssociationEnd callback that throws reaches nobody', async () => {
    await withServer(
      {
        onAssociationEnd: () => {
          throw new Error('callback bug');
        },
      },
      async (connect) => {
        const first = await connect();
        first.destroy();
        await new Promise((resolve) => setTimeout(resolve, 50));
        const second = await connect();
        expect(await second.echo(4)).toBe(0);
        second.destroy();
      },
    );
  });

  it('a dispatcher that throws synchronously (not a rejected promise) becomes a failure status', async () => {
    const dispatch = ((): never => {
      throw new Error('dispatcher bug');
    }) as RequestDispatcher; // a JavaScript caller need not return a promise
    const { ours, peer } = await weAccept({
      supported: verification,
      proposed: proposeVerification,
      dispatch,
    });
    await peer.send(ECHO_RQ_ID_5);
    expect((await peer.next()).fields).toMatchObject({
      messageIdBeingRespondedTo: 5,
      status: 0x0110,
    });
    await ours.abort();
  });
});
