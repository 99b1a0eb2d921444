import { describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { duplexPair } from '@dicomnet/test-utils';
import type { AssociateRq, Pdu } from '../codec/index.js';
import { decodePdu, encodePdu, PduReader } from '../codec/index.js';
import { buildAssociateRq } from '../negotiation/association-request.js';
import { Acceptor } from './acceptor.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';

const rq = buildAssociateRq({
  callingAeTitle: 'PEER',
  calledAeTitle: 'SUBJECT',
  contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
});

/** The encoded RQ with the 16 bytes of one AE title field replaced (PS3.8 Table 9-11). */
function withAeField(field: 'called' | 'calling', bytes: readonly number[]): Uint8Array {
  const encoded = encodePdu(rq);
  const offset = field === 'called' ? 10 : 26; // 6-byte header, version, reserved
  const padded = [...bytes, ...Array<number>(16).fill(0x20)].slice(0, 16);
  encoded.set(padded, offset);
  return encoded;
}

const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/** Sends raw bytes to a fresh acceptor and collects what it answers until it closes. */
async function answerTo(bytes: Uint8Array, acceptor: Acceptor): Promise<Pdu[]> {
  const [ours, theirs] = duplexPair();
  acceptor.handle(ours);
  return exchange(theirs, bytes);
}

async function exchange(socket: Duplex, bytes: Uint8Array): Promise<Pdu[]> {
  const received: Pdu[] = [];
  const reader = new PduReader({ maxPduLength: 0 });
  socket.on('data', (chunk: Uint8Array) => {
    for (const raw of reader.push(chunk)) {
      const pdu = decodePdu(raw);
      received.push(pdu);
      if (pdu.type !== 'A-ASSOCIATE-AC') socket.destroy(); // we are the side that closes
    }
  });
  socket.on('error', () => {});
  socket.write(bytes);
  await new Promise<void>((resolve) => {
    socket.once('close', resolve);
    setTimeout(() => {
      socket.destroy();
    }, 2_000).unref();
  });
  return received;
}

function acceptorWith(policyExtras: object = {}): { acceptor: Acceptor; seen: AssociateRq[] } {
  const seen: AssociateRq[] = [];
  const acceptor = new Acceptor({
    policy: {
      contexts: [
        {
          abstractSyntax: (uid) => {
            return uid !== '';
          },
          transferSyntaxes: [IMPLICIT],
        },
      ],
      callingAeTitles: (title) => {
        seen.push({ ...rq, callingAeTitle: title });
        return true;
      },
      ...policyExtras,
    },
    onAssociation: (association) => void association.abort(),
    artimTimeout: 1_000,
  });
  return { acceptor, seen };
}

describe('AE titles checked by the provider before the policy (PS3.8 9.3.4, PS3.5 6.2)', () => {
  const badTitles: [string, number[]][] = [
    ['byte 0xC3 (outside the default repertoire)', [0x41, 0xc3, 0x41]],
    ['a backslash', ascii('A\\B')],
    ['a control character (ESC)', [0x41, 0x1b, 0x42]],
    ['an embedded NUL', [0x41, 0x00, 0x42]],
    ['DEL (7FH)', [0x41, 0x7f]],
    ['all spaces', []],
  ];
  for (const [label, bytes] of badTitles) {
    it(`rejects a calling AE title with ${label}: A-ASSOCIATE-RJ 1/1/3, policy never asked`, async () => {
      const { acceptor, seen } = acceptorWith();
      const answer = await answerTo(withAeField('calling', bytes), acceptor);
      expect(answer).toEqual([{ type: 'A-ASSOCIATE-RJ', result: 1, source: 1, reason: 3 }]);
      expect(seen).toEqual([]);
      await acceptor.close();
    });
    it(`rejects a called AE title with ${label}: A-ASSOCIATE-RJ 1/1/7`, async () => {
      const { acceptor, seen } = acceptorWith();
      const answer = await answerTo(withAeField('called', bytes), acceptor);
      expect(answer).toEqual([{ type: 'A-ASSOCIATE-RJ', result: 1, source: 1, reason: 7 }]);
      expect(seen).toEqual([]);
      await acceptor.close();
    });
  }

  it('accepts titles with inner spaces and leading spaces, as the standard allows', async () => {
    const { acceptor, seen } = acceptorWith();
    const answer = await answerTo(withAeField('calling', ascii('  MY AE')), acceptor);
    expect(answer.map((pdu) => pdu.type)).toEqual(['A-ASSOCIATE-AC', 'A-ABORT']);
    expect(seen.map((request) => request.callingAeTitle)).toEqual(['MY AE']);
    await acceptor.close();
  });

  it('keeps serving after a bad title: the next association is accepted', async () => {
    const { acceptor } = acceptorWith();
    await answerTo(withAeField('calling', [0xc3]), acceptor);
    const answer = await answerTo(encodePdu(rq), acceptor);
    expect(answer[0]?.type).toBe('A-ASSOCIATE-AC');
    await acceptor.close();
  });
});
