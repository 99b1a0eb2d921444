import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssociateRq } from '../../src/codec/index.js';
import {
  APPLICATION_CONTEXT_NAME,
  decodePdu,
  DicomnetError,
  encodePdu,
  PduReader,
} from '../../src/codec/index.js';
import type { AcceptorPolicy } from '../../src/negotiation/acceptor-policy.js';
import { decideAssociation } from '../../src/negotiation/acceptor-policy.js';
import { associateRq } from './arbitraries.js';

/** Accepts everything it can: every abstract syntax, both roles, answers every negotiation. */
const permissive: AcceptorPolicy = {
  contexts: [
    {
      abstractSyntax: () => true,
      transferSyntaxes: ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1'],
      requestorRoles: { scu: true, scp: true },
    },
  ],
  authenticate: () => ({ serverResponse: new Uint8Array(4) }),
  extendedNegotiation: (item) => item.applicationInformation.slice(0, 8),
};

/** Bytes of an encoded RQ with some overwritten: hostile values inside well-formed items. */
const mutatedRq = fc
  .tuple(
    associateRq,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
  )
  .map(([rq, edits]) => {
    const bytes = encodePdu({
      ...rq,
      protocolVersion: 1,
      applicationContextName: APPLICATION_CONTEXT_NAME,
    });
    for (const [at, value] of edits) bytes[6 + (at % (bytes.length - 6))] = value;
    return bytes;
  });

function decodeRq(bytes: Uint8Array): AssociateRq | undefined {
  try {
    const [raw] = new PduReader({ maxPduLength: 0 }).push(bytes);
    const pdu = raw === undefined ? undefined : decodePdu(raw);
    return pdu?.type === 'A-ASSOCIATE-RQ' ? pdu : undefined;
  } catch (error) {
    if (DicomnetError.isInstance(error)) return undefined; // a malformed PDU: A-ABORT, no answer
    throw error;
  }
}

describe('what an acceptor echoes is always encodable (issue 13 §1)', () => {
  it('answers any decodable A-ASSOCIATE-RQ with an AC or RJ the encoder takes', async () => {
    let decoded = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(mutatedRq, async (bytes) => {
        const rq = decodeRq(bytes);
        if (rq === undefined) return;
        decoded++;
        const decision = await decideAssociation(rq, permissive);
        if (decision.kind === 'accept') accepted++;
        expect(() => encodePdu(decision.pdu)).not.toThrow();
      }),
      { numRuns: 3_000 },
    );
    // Most mutations land in values, not lengths: the property must have seen real answers.
    expect(decoded).toBeGreaterThan(300);
    expect(accepted).toBeGreaterThan(100);
    process.stdout.write(`acceptor answers: ${decoded} decoded RQs, ${accepted} accepted\n`);
  });
});
