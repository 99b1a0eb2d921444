import { describe, expect, it } from 'vitest';
import type { AssociateAc, AssociateRq } from '../codec/index.js';
import { encodePdu } from '../codec/index.js';
import { decideAssociation } from './acceptor-policy.js';
import type { AcceptorPolicy } from './acceptor-policy.js';
import { buildAssociateRq } from './association-request.js';

const VERIFICATION = '1.2.840.10008.1.1';
const CT_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const IMPLICIT = '1.2.840.10008.1.2';

const base = buildAssociateRq({
  callingAeTitle: 'PEER',
  calledAeTitle: 'SUBJECT',
  contexts: [
    { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
    { abstractSyntax: CT_STORAGE, transferSyntaxes: [IMPLICIT] },
  ],
});

/** Everything is supported: a predicate policy, both roles, every negotiation answered. */
const anything: AcceptorPolicy = {
  contexts: [
    {
      abstractSyntax: () => true,
      transferSyntaxes: [IMPLICIT],
      requestorRoles: { scu: true, scp: true },
    },
  ],
  extendedNegotiation: () => new Uint8Array([1]),
};

async function accept(rq: AssociateRq): Promise<AssociateAc> {
  const decision = await decideAssociation(rq, anything);
  if (decision.kind !== 'accept') throw new Error(`expected accept, got ${decision.kind}`);
  expect(() => encodePdu(decision.pdu)).not.toThrow();
  return decision.pdu;
}

describe('decideAssociation echoes only values the encoder takes', () => {
  it('answers an abstract syntax that is not a UID with 3 (abstract-syntax-not-supported), even when a predicate would match', async () => {
    const bad = 'ABC\u00c3';
    const rq: AssociateRq = {
      ...base,
      presentationContexts: [
        { id: 1, abstractSyntax: bad, transferSyntaxes: [IMPLICIT] },
        { id: 3, abstractSyntax: '1.2.'.padEnd(65, '3'), transferSyntaxes: [IMPLICIT] },
        { id: 5, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      ],
      userInformation: {
        ...base.userInformation,
        roleSelections: [{ sopClassUid: bad, scuRole: true, scpRole: true }],
      },
    };
    const ac = await accept(rq);
    expect(ac.presentationContexts.map((context) => context.result)).toEqual([3, 3, 0]);
    expect(ac.userInformation.roleSelections).toEqual([]);
  });

  it('answers extended negotiation once per accepted SOP class, never for other UIDs', async () => {
    const asked: string[] = [];
    const items = [
      ...Array.from({ length: 5_000 }, (_, i) => `1.2.3.${i}`),
      'not a uid',
      CT_STORAGE,
      CT_STORAGE,
    ].map((sopClassUid) => ({ sopClassUid, applicationInformation: new Uint8Array(2) }));
    const rq: AssociateRq = {
      ...base,
      userInformation: { ...base.userInformation, sopClassExtendedNegotiations: items },
    };
    const decision = await decideAssociation(rq, {
      ...anything,
      extendedNegotiation: (item) => {
        asked.push(item.sopClassUid);
        return new Uint8Array(1000);
      },
    });
    expect(asked).toEqual([CT_STORAGE]);
    expect(decision.pdu.type).toBe('A-ASSOCIATE-AC');
    expect(() => encodePdu(decision.pdu)).not.toThrow();
  });

  it('rejects invalid AE titles itself when called directly (1/1/7 before 1/1/3)', async () => {
    const both = await decideAssociation(
      { ...base, calledAeTitle: 'A\\B', callingAeTitle: '\u0001' },
      anything,
    );
    expect(both.pdu).toEqual({ type: 'A-ASSOCIATE-RJ', result: 1, source: 1, reason: 7 });
    const calling = await decideAssociation({ ...base, callingAeTitle: 'ÄE' }, anything);
    expect(calling.pdu).toEqual({ type: 'A-ASSOCIATE-RJ', result: 1, source: 1, reason: 3 });
  });

  it('never echoes what it cannot vouch for: unknown sub-items, identities, implementation fields, common extended negotiation', async () => {
    const rq: AssociateRq = {
      ...base,
      userInformation: {
        ...base.userInformation,
        implementationClassUid: 'not a UID \u00c3',
        implementationVersionName: 'BAD\u0000\u001b[2J',
        userIdentityRequest: {
          identityType: 200,
          positiveResponseRequested: true,
          primaryField: new Uint8Array(70_000).subarray(0, 65_535),
          secondaryField: new Uint8Array([0xff]),
        },
        sopClassCommonExtendedNegotiations: [
          { sopClassUid: 'x', serviceClassUid: 'y', relatedGeneralSopClassUids: ['z'] },
        ],
        unknownSubItems: [{ itemType: 0x51, data: new Uint8Array(3) }],
      },
    };
    const ac = await accept(rq);
    const info = ac.userInformation;
    expect(info.implementationClassUid).not.toBe(rq.userInformation.implementationClassUid);
    expect(info.implementationVersionName).not.toBe(rq.userInformation.implementationVersionName);
    expect(info.sopClassCommonExtendedNegotiations).toEqual([]);
    expect(info.unknownSubItems).toEqual([]);
    expect(info.userIdentityResponse).toBeUndefined(); // no authenticate: nothing verified
    expect(ac.calledAeTitle).toBe(rq.calledAeTitle); // the only echoes: checked by the provider
    expect(ac.presentationContexts.map((context) => context.id)).toEqual([1, 3]);
  });
});
