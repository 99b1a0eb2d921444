// fast-check arbitraries for every PDU type and user-information sub-item, always valid for the
// encoder, plus the normalisation decoding applies (AE titles are trimmed).
import fc from 'fast-check';
import type {
  Abort,
  AssociateAc,
  AssociateRj,
  AssociateRq,
  PDataTf,
  Pdu,
  PresentationContextAnswer,
  PresentationContextProposal,
  ReleaseRp,
  ReleaseRq,
  UserInformation,
} from '../../src/codec/index.js';

const byte = fc.integer({ min: 0, max: 0xff });
const uint16 = fc.integer({ min: 0, max: 0xffff });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (maxLength: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength });

/** A UID: digit components joined by dots, 1..64 characters (PS3.5 9.1). */
export const uid: fc.Arbitrary<string> = fc
  .array(fc.integer({ min: 0, max: 999_999 }).map(String), { minLength: 1, maxLength: 10 })
  .map((parts) => parts.join('.'))
  .filter((value) => value.length <= 64);

const g0Char = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const aeChar = g0Char.filter((char) => char !== '\\');

/** An AE title for an RQ: 1..16 characters, not all spaces, no backslash. */
export const aeTitle: fc.Arbitrary<string> = fc
  .array(aeChar, { minLength: 1, maxLength: 16 })
  .map((chars) => chars.join(''))
  .filter((title) => title.trim() !== '');

/** An echoed AE title of an AC: may be blank. */
const echoedAeTitle = fc.array(aeChar, { maxLength: 16 }).map((chars) => chars.join(''));

/** Trailing spaces are trimmed when decoding, so a generated name does not end with one. */
const versionName = fc
  .array(g0Char, { minLength: 1, maxLength: 16 })
  .map((chars) => chars.join(''))
  .filter((name) => !name.endsWith(' '));
const contextId = fc.integer({ min: 0, max: 127 }).map((i) => 2 * i + 1);

/** A User Information item with a random subset of every sub-item type. */
export const userInformation: fc.Arbitrary<UserInformation> = fc.record(
  {
    maxPduLength: uint32,
    implementationClassUid: uid,
    asynchronousOperationsWindow: fc.record({
      maxOperationsInvoked: uint16,
      maxOperationsPerformed: uint16,
    }),
    roleSelections: fc.array(
      fc.record({ sopClassUid: uid, scuRole: fc.boolean(), scpRole: fc.boolean() }),
      { maxLength: 3 },
    ),
    implementationVersionName: versionName,
    sopClassExtendedNegotiations: fc.array(
      fc.record({ sopClassUid: uid, applicationInformation: bytes(16) }),
      {
        maxLength: 3,
      },
    ),
    sopClassCommonExtendedNegotiations: fc.array(
      fc.record({
        sopClassUid: uid,
        serviceClassUid: uid,
        relatedGeneralSopClassUids: fc.array(uid, { maxLength: 3 }),
      }),
      { maxLength: 2 },
    ),
    userIdentityRequest: fc.oneof(
      fc.record({
        identityType: fc.constant(2),
        positiveResponseRequested: fc.boolean(),
        primaryField: bytes(24),
        secondaryField: bytes(24),
      }),
      fc.record({
        identityType: byte.filter((type) => type !== 2),
        positiveResponseRequested: fc.boolean(),
        primaryField: bytes(24),
        secondaryField: fc.constant(new Uint8Array(0)),
      }),
    ),
    userIdentityResponse: fc.record({ serverResponse: bytes(24) }),
    unknownSubItems: fc.array(
      fc.record({ itemType: byte.filter((type) => type < 0x51 || type > 0x59), data: bytes(12) }),
      { maxLength: 3 },
    ),
  },
  {
    requiredKeys: [
      'roleSelections',
      'sopClassExtendedNegotiations',
      'sopClassCommonExtendedNegotiations',
      'unknownSubItems',
    ],
  },
);

const proposals: fc.Arbitrary<PresentationContextProposal[]> = fc.uniqueArray(
  fc.record({
    id: contextId,
    abstractSyntax: uid,
    transferSyntaxes: fc.array(uid, { minLength: 1, maxLength: 3 }),
  }),
  { minLength: 1, maxLength: 6, selector: (context) => context.id },
);

const answer: fc.Arbitrary<PresentationContextAnswer> = fc.oneof(
  fc.record({ id: contextId, result: fc.constant(0), transferSyntax: uid }),
  fc.record({
    id: contextId,
    result: byte.filter((result) => result !== 0),
    transferSyntax: fc.oneof(fc.constant(''), uid),
  }),
);
const answers = fc.uniqueArray(answer, {
  minLength: 1,
  maxLength: 6,
  selector: (context) => context.id,
});

export const associateRq: fc.Arbitrary<AssociateRq> = fc.record({
  type: fc.constant('A-ASSOCIATE-RQ' as const),
  protocolVersion: uint16,
  calledAeTitle: aeTitle,
  callingAeTitle: aeTitle,
  applicationContextName: uid,
  presentationContexts: proposals,
  userInformation,
});

export const associateAc: fc.Arbitrary<AssociateAc> = fc.record({
  type: fc.constant('A-ASSOCIATE-AC' as const),
  protocolVersion: uint16,
  calledAeTitle: echoedAeTitle,
  callingAeTitle: echoedAeTitle,
  applicationContextName: uid,
  presentationContexts: answers,
  userInformation,
});

export const associateRj: fc.Arbitrary<AssociateRj> = fc.record({
  type: fc.constant('A-ASSOCIATE-RJ' as const),
  result: byte,
  source: byte,
  reason: byte,
});

export const pDataTf: fc.Arbitrary<PDataTf> = fc.record({
  type: fc.constant('P-DATA-TF' as const),
  pdvs: fc.array(
    fc.record({
      presentationContextId: contextId,
      isCommand: fc.boolean(),
      isLast: fc.boolean(),
      fragment: bytes(40).map((fragment) => fragment.subarray(0, fragment.length & ~1)),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

const releaseRq: fc.Arbitrary<ReleaseRq> = fc.constant({ type: 'A-RELEASE-RQ' as const });
const releaseRp: fc.Arbitrary<ReleaseRp> = fc.constant({ type: 'A-RELEASE-RP' as const });
const abort: fc.Arbitrary<Abort> = fc.record({
  type: fc.constant('A-ABORT' as const),
  source: byte,
  reason: byte,
});

/** Any valid PDU. */
export const pdu: fc.Arbitrary<Pdu> = fc.oneof(
  associateRq,
  associateAc,
  associateRj,
  pDataTf,
  releaseRq,
  releaseRp,
  abort,
);

const trimAeTitle = (title: string): string => title.replace(/[ \0]+$/, '').replace(/^ +/, '');

/** What decoding `pdu` after encoding it gives: AE titles trimmed. */
export function normalise(pdu: Pdu): Pdu {
  if (pdu.type !== 'A-ASSOCIATE-RQ' && pdu.type !== 'A-ASSOCIATE-AC') return pdu;
  const titles = {
    calledAeTitle: trimAeTitle(pdu.calledAeTitle),
    callingAeTitle: trimAeTitle(pdu.callingAeTitle),
  };
  return pdu.type === 'A-ASSOCIATE-RQ' ? { ...pdu, ...titles } : { ...pdu, ...titles };
}
