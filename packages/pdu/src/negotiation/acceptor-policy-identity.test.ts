import { describe, expect, it } from 'vitest';
import type { AssociateRq, UserIdentityRequest } from '../codec/index.js';
import { RejectReason, RejectResult, RejectSource, UserIdentityType } from '../codec/index.js';
import { decideAssociation } from './acceptor-policy.js';
import type { AcceptorPolicy } from './acceptor-policy.js';
import { buildAssociateRq } from './association-request.js';

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';

const alice: UserIdentityRequest = {
  identityType: UserIdentityType.Username,
  positiveResponseRequested: true,
  primaryField: new TextEncoder().encode('alice'),
  secondaryField: new Uint8Array(0),
};

function request(userIdentity?: UserIdentityRequest): AssociateRq {
  return buildAssociateRq({
    callingAeTitle: 'PEER',
    calledAeTitle: 'SUBJECT',
    contexts: [{ abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }],
    ...(userIdentity !== undefined && { userIdentity }),
  });
}

const contexts: AcceptorPolicy['contexts'] = [
  { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
];
const onlyAlice = (identity: UserIdentityRequest): boolean =>
  new TextDecoder().decode(identity.primaryField) === 'alice';

// PS3.8 Table 9-21: result 1 rejected-permanent, source 1 service-user, reason 1 no-reason-given.
const REJECTED_1_1_1 = {
  type: 'A-ASSOCIATE-RJ',
  result: RejectResult.Permanent,
  source: RejectSource.ServiceUser,
  reason: RejectReason.NoReasonGiven,
};

describe('AcceptorPolicy.requireUserIdentity', () => {
  it('rejects 1/1/1 a request without a User Identity sub-item, without asking authenticate', async () => {
    let asked = 0;
    const decision = await decideAssociation(request(), {
      contexts,
      requireUserIdentity: true,
      authenticate: (identity) => {
        asked++;
        return onlyAlice(identity);
      },
    });
    expect(decision.kind).toBe('reject');
    expect(decision.pdu).toEqual(REJECTED_1_1_1);
    expect(asked).toBe(0);
  });

  it('accepts an identity authenticate verifies, with the positive response asked for', async () => {
    const decision = await decideAssociation(request(alice), {
      contexts,
      requireUserIdentity: true,
      authenticate: onlyAlice,
    });
    expect(decision.kind).toBe('accept');
    if (decision.kind !== 'accept') return;
    expect(decision.pdu.userInformation.userIdentityResponse).toEqual({
      serverResponse: new Uint8Array(0),
    });
  });

  it('rejects 1/1/1 an identity authenticate refuses', async () => {
    const eve = { ...alice, primaryField: new TextEncoder().encode('eve') };
    const decision = await decideAssociation(request(eve), {
      contexts,
      requireUserIdentity: true,
      authenticate: onlyAlice,
    });
    expect(decision.pdu).toEqual(REJECTED_1_1_1);
  });

  it('fails closed without authenticate: nothing can be verified, so every request is rejected 1/1/1', async () => {
    const policy: AcceptorPolicy = { contexts, requireUserIdentity: true };
    expect((await decideAssociation(request(alice), policy)).pdu).toEqual(REJECTED_1_1_1);
    expect((await decideAssociation(request(), policy)).pdu).toEqual(REJECTED_1_1_1);
  });

  it('leaves the identity optional when not set (PS3.7 D.3.3.7: an acceptor may ignore it)', async () => {
    const decision = await decideAssociation(request(), { contexts, authenticate: onlyAlice });
    expect(decision.kind).toBe('accept');
    expect(
      (await decideAssociation(request(), { contexts, requireUserIdentity: false })).kind,
    ).toBe('accept');
  });

  it('checks the AE titles first: a missing identity does not hide a wrong called AE title (1/1/7)', async () => {
    const decision = await decideAssociation(request(), {
      contexts,
      calledAeTitles: ['OTHER'],
      requireUserIdentity: true,
      authenticate: onlyAlice,
    });
    expect(decision.pdu).toMatchObject({ reason: RejectReason.CalledAeTitleNotRecognized });
  });
});
