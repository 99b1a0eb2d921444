import { asciiHex, concatBytes, fromHex, toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import {
  codeOf,
  decodeFixture,
  expectGoldenPdu,
  expectSameAtEverySplit,
  loadFixture,
} from '../../test/fixtures/golden.js';
import { decodeAssociateRq, encodeAssociateRq, type AssociateRq } from './associate-rq.js';
import { AbortReason } from './abort-reason.js';
import { MalformedPduError } from '../errors.js';

const SC = '1.2.840.10008.5.1.4.1.1.7';
const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPL_UID = '1.2.826.0.1.3680043.10.543.1';
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

const emptyUserInformation = {
  roleSelections: [],
  sopClassExtendedNegotiations: [],
  sopClassCommonExtendedNegotiations: [],
  unknownSubItems: [],
};

/** The object test/fixtures/associate-rq.hex describes. */
export const fullRq: AssociateRq = {
  type: 'A-ASSOCIATE-RQ',
  protocolVersion: 1,
  calledAeTitle: 'STORESCP',
  callingAeTitle: 'DICOMNET',
  applicationContextName: '1.2.840.10008.3.1.1.1',
  presentationContexts: [
    { id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_LE] },
    { id: 3, abstractSyntax: SC, transferSyntaxes: [EXPLICIT_LE, IMPLICIT_LE] },
  ],
  userInformation: {
    maxPduLength: 16384,
    implementationClassUid: IMPL_UID,
    asynchronousOperationsWindow: { maxOperationsInvoked: 5, maxOperationsPerformed: 3 },
    roleSelections: [{ sopClassUid: SC, scuRole: false, scpRole: true }],
    implementationVersionName: 'DICOMNET_010',
    sopClassExtendedNegotiations: [
      { sopClassUid: SC, applicationInformation: fromHex('02 00 03 00 00 00') },
    ],
    sopClassCommonExtendedNegotiations: [
      {
        sopClassUid: '1.2.840.10008.5.1.4.1.1.88.40',
        serviceClassUid: '1.2.840.10008.4.2',
        relatedGeneralSopClassUids: ['1.2.840.10008.5.1.4.1.1.88.22'],
      },
    ],
    userIdentityRequest: {
      identityType: 2,
      positiveResponseRequested: true,
      primaryField: text('alice'),
      secondaryField: text('secret'),
    },
    unknownSubItems: [{ itemType: 0x5a, data: fromHex('01 02 03') }],
  },
};

const verificationRq: AssociateRq = {
  type: 'A-ASSOCIATE-RQ',
  protocolVersion: 1,
  calledAeTitle: 'ANY-SCP',
  callingAeTitle: 'ECHOSCU',
  applicationContextName: '1.2.840.10008.3.1.1.1',
  presentationContexts: [{ id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_LE] }],
  userInformation: {
    ...emptyUserInformation,
    maxPduLength: 16384,
    implementationClassUid: IMPL_UID,
  },
};

/** Bytes after the 6-byte header. */
const bodyOf = (bytes: Uint8Array): Uint8Array => bytes.subarray(6);

/** A copy of `bytes` with `length` bytes at `offset` replaced. */
function patch(bytes: Uint8Array, offset: number, hex: string): Uint8Array {
  const copy = bytes.slice();
  copy.set(fromHex(hex), offset);
  return copy;
}

/** Builds an RQ body from the fixed part of the verification fixture plus the given items. */
function rqBody(...items: string[]): Uint8Array {
  const fixed = bodyOf(loadFixture('associate-rq-verification.hex')).subarray(0, 68);
  return concatBytes(fixed, ...items.map((item) => fromHex(item)));
}
const APP_CONTEXT = `10 00 0015 ${asciiHex('1.2.840.10008.3.1.1.1')}`;
const CONTEXT_1 = `20 00 002e 01 000000 30 00 0011 ${asciiHex(VERIFICATION)} 40 00 0011 ${asciiHex(IMPLICIT_LE)}`;
const USER_INFO = '50 00 0008 51 00 0004 00004000';

describe('A-ASSOCIATE-RQ golden bytes (PS3.8 Table 9-11)', () => {
  it('decodes, encodes and round-trips the full fixture with every RQ sub-item', () => {
    expectGoldenPdu(loadFixture('associate-rq.hex'), fullRq);
  });

  it('decodes, encodes and round-trips the minimal verification fixture', () => {
    expectGoldenPdu(loadFixture('associate-rq-verification.hex'), verificationRq);
  });
});

describe('A-ASSOCIATE-RQ leniency: fields the receiver must not test', () => {
  const bytes = loadFixture('associate-rq-verification.hex');

  it('ignores non-zero reserved bytes in the header, fixed fields and items', () => {
    let noisy = patch(bytes, 1, 'ff'); // PDU header reserved
    noisy = patch(noisy, 8, 'ffff'); // reserved after protocol version
    noisy = patch(noisy, 42, 'ff'.repeat(32)); // bytes 43-74
    noisy = patch(noisy, 75, 'ff'); // application context item reserved
    noisy = patch(noisy, 104, 'ff ff ff'); // presentation context reserved bytes 6-8
    expect(decodeAssociateRq(bodyOf(noisy))).toEqual(verificationRq);
  });

  it('returns the protocol version as is; a clear bit 0 is for the acceptor to reject', () => {
    expect(decodeAssociateRq(bodyOf(patch(bytes, 6, '8003'))).protocolVersion).toBe(0x8003);
    expect(decodeAssociateRq(bodyOf(patch(bytes, 6, '0002'))).protocolVersion).toBe(2);
  });

  it('trims leading and trailing spaces (and trailing NULs) of AE titles', () => {
    const titles = `${asciiHex('  CALLED', 16)} ${asciiHex('CALLING', 16, 0)}`;
    const decoded = decodeAssociateRq(bodyOf(patch(bytes, 10, titles)));
    expect([decoded.calledAeTitle, decoded.callingAeTitle]).toEqual(['CALLED', 'CALLING']);
  });

  it('decodes a blank AE title as "" (the acceptor rejects it, PS3.8 7.1.1.4)', () => {
    expect(decodeAssociateRq(bodyOf(patch(bytes, 10, '20'.repeat(16)))).calledAeTitle).toBe('');
  });

  it('strips one trailing NUL and trailing spaces from item UIDs', () => {
    const body = rqBody(
      `10 00 0016 ${asciiHex('1.2.840.10008.3.1.1.1')} 00`,
      `20 00 0030 01 000000 30 00 0012 ${asciiHex(VERIFICATION)} 00 40 00 0012 ${asciiHex(IMPLICIT_LE)} 20`,
      USER_INFO,
    );
    const decoded = decodeAssociateRq(body);
    expect(decoded.applicationContextName).toBe('1.2.840.10008.3.1.1.1');
    expect(decoded.presentationContexts).toEqual([
      { id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_LE] },
    ]);
  });

  it('skips items of unrecognized type anywhere in the variable field (PS3.8 9.3)', () => {
    const body = rqBody(
      'f0 00 0002 abcd',
      APP_CONTEXT,
      '00 00 0000',
      CONTEXT_1,
      USER_INFO,
      '7f 00 0001 ee',
    );
    expect(decodeAssociateRq(body).presentationContexts).toHaveLength(1);
  });

  it('skips unknown sub-items inside a presentation context and accepts any sub-item order', () => {
    const context = `20 00 0033 01 000000 40 00 0011 ${asciiHex(IMPLICIT_LE)} 99 00 0001 00 30 00 0011 ${asciiHex(VERIFICATION)}`;
    const body = rqBody(USER_INFO, context, APP_CONTEXT);
    expect(decodeAssociateRq(body).presentationContexts).toEqual([
      { id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_LE] },
    ]);
  });

  it('takes the first of repeated single-valued user information sub-items', () => {
    const userInfo = '50 00 0010 51 00 0004 00001000 51 00 0004 00002000';
    expect(
      decodeAssociateRq(rqBody(APP_CONTEXT, CONTEXT_1, userInfo)).userInformation.maxPduLength,
    ).toBe(0x1000);
  });
});

describe('A-ASSOCIATE-RQ malformed variants', () => {
  const bytes = loadFixture('associate-rq-verification.hex');
  const malformed = (body: Uint8Array): MalformedPduError => {
    try {
      decodeAssociateRq(body);
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedPduError);
      return error as MalformedPduError; // checked just above
    }
    throw new Error('expected MalformedPduError');
  };

  it('rejects a body shorter than the fixed fields', () => {
    const error = malformed(bodyOf(bytes).subarray(0, 67));
    expect(error.code).toBe('DICOMNET_PDU_MALFORMED');
    expect(error.abortReason).toBe(AbortReason.InvalidPduParameterValue);
  });

  it('rejects an item whose length overruns the PDU', () => {
    const error = malformed(bodyOf(patch(bytes, 76, 'ffff')));
    expect(error.offset).toBe(74 + 4);
    expect(error.detail).toMatch(/overruns/);
  });

  it('rejects a header cut short at the end of the body', () => {
    expect(malformed(concatBytes(bodyOf(bytes), fromHex('10 00'))).detail).toMatch(
      /needs 2 more bytes/,
    );
  });

  it('rejects a sub-item overrunning its presentation context item', () => {
    expect(malformed(bodyOf(patch(bytes, 109, '00 ff'))).detail).toMatch(/overruns/);
  });

  it('rejects missing mandatory items', () => {
    expect(malformed(rqBody(CONTEXT_1, USER_INFO)).detail).toMatch(/no application context/);
    expect(malformed(rqBody(APP_CONTEXT, USER_INFO)).detail).toMatch(/no presentation context/);
    expect(malformed(rqBody(APP_CONTEXT, CONTEXT_1)).detail).toMatch(/no user information/);
  });

  it('rejects repeated application context or user information items (reason 5)', () => {
    expect(malformed(rqBody(APP_CONTEXT, APP_CONTEXT, CONTEXT_1, USER_INFO)).abortReason).toBe(5);
    expect(malformed(rqBody(APP_CONTEXT, CONTEXT_1, USER_INFO, USER_INFO)).abortReason).toBe(5);
  });

  it('rejects an AC presentation context item in an RQ (reason 5)', () => {
    const acContext = `21 00 0008 01 00 00 00 40 00 0000`;
    expect(malformed(rqBody(APP_CONTEXT, CONTEXT_1, acContext, USER_INFO)).abortReason).toBe(5);
  });

  it('rejects even or zero presentation context IDs and repeated IDs', () => {
    expect(malformed(bodyOf(patch(bytes, 103, '02'))).detail).toMatch(/not odd/);
    expect(malformed(bodyOf(patch(bytes, 103, '00'))).offset).toBe(103);
    expect(malformed(rqBody(APP_CONTEXT, CONTEXT_1, CONTEXT_1, USER_INFO)).detail).toMatch(/twice/);
  });

  it('rejects a presentation context without abstract syntax, with two, or without transfer syntax', () => {
    const ts = `40 00 0011 ${asciiHex(IMPLICIT_LE)}`;
    const as = `30 00 0011 ${asciiHex(VERIFICATION)}`;
    expect(malformed(rqBody(APP_CONTEXT, `20 00 0019 01 000000 ${ts}`, USER_INFO)).detail).toMatch(
      /no abstract syntax/,
    );
    expect(malformed(rqBody(APP_CONTEXT, `20 00 0019 01 000000 ${as}`, USER_INFO)).detail).toMatch(
      /no transfer syntax/,
    );
    expect(
      malformed(rqBody(APP_CONTEXT, `20 00 0043 01 000000 ${as} ${as} ${ts}`, USER_INFO))
        .abortReason,
    ).toBe(5);
  });

  it('rejects a known item type inside a presentation context (reason 5)', () => {
    const context = `20 00 0023 01 000000 30 00 0011 ${asciiHex(VERIFICATION)} 51 00 0004 00004000`;
    expect(malformed(rqBody(APP_CONTEXT, context, USER_INFO)).abortReason).toBe(5);
  });
});

describe('A-ASSOCIATE-RQ encode-time checks', () => {
  const code = (change: Partial<AssociateRq>): string =>
    codeOf(() => encodeAssociateRq({ ...verificationRq, ...change }));

  it.each([
    ['an AE title over 16 characters', { calledAeTitle: 'A'.repeat(17) }],
    ['a blank AE title', { callingAeTitle: '   ' }],
    ['an empty AE title', { callingAeTitle: '' }],
    ['a backslash in an AE title', { callingAeTitle: 'A\\B' }],
    ['a control character in an AE title', { callingAeTitle: 'A\tB' }],
    ['a protocol version over 16 bits', { protocolVersion: 0x10000 }],
    ['a UID over 64 characters', { applicationContextName: `1.${'2'.repeat(63)}` }],
    ['a UID with letters', { applicationContextName: '1.2.abc' }],
    ['no presentation context', { presentationContexts: [] }],
    [
      'an even context ID',
      { presentationContexts: [{ id: 2, abstractSyntax: SC, transferSyntaxes: [IMPLICIT_LE] }] },
    ],
    [
      'a context ID over 255',
      { presentationContexts: [{ id: 257, abstractSyntax: SC, transferSyntaxes: [IMPLICIT_LE] }] },
    ],
    [
      'a context without transfer syntax',
      { presentationContexts: [{ id: 1, abstractSyntax: SC, transferSyntaxes: [] }] },
    ],
    [
      'an empty abstract syntax',
      { presentationContexts: [{ id: 1, abstractSyntax: '', transferSyntaxes: [IMPLICIT_LE] }] },
    ],
    [
      'a repeated context ID',
      {
        presentationContexts: [
          { id: 1, abstractSyntax: SC, transferSyntaxes: [IMPLICIT_LE] },
          { id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_LE] },
        ],
      },
    ],
    [
      'more than 128 contexts',
      {
        presentationContexts: Array.from({ length: 129 }, (_, i) => ({
          id: (2 * i + 1) % 256,
          abstractSyntax: SC,
          transferSyntaxes: [IMPLICIT_LE],
        })),
      },
    ],
  ])('throws DICOMNET_PDU_INVALID_FIELD for %s', (_name, change) => {
    expect(code(change)).toBe('DICOMNET_PDU_INVALID_FIELD');
  });

  it('encodes 128 contexts with IDs 1..255 and AE titles of exactly 16 characters', () => {
    const presentationContexts = Array.from({ length: 128 }, (_, i) => ({
      id: 2 * i + 1,
      abstractSyntax: SC,
      transferSyntaxes: [IMPLICIT_LE],
    }));
    const pdu = { ...verificationRq, calledAeTitle: 'A'.repeat(16), presentationContexts };
    expect(decodeAssociateRq(encodeAssociateRq(pdu).subarray(6))).toEqual(pdu);
  });
});

describe('A-ASSOCIATE-RQ captured from DCMTK 3.6.7', () => {
  it('decodes echoscu (FFH in a reserved byte, odd-length UIDs without padding)', () => {
    const bytes = loadFixture('dcmtk-echoscu-associate-rq.hex');
    const rq = decodeFixture('dcmtk-echoscu-associate-rq.hex');
    expect(rq).toEqual({
      type: 'A-ASSOCIATE-RQ',
      protocolVersion: 1,
      calledAeTitle: 'ANY-SCP',
      callingAeTitle: 'ECHOSCU',
      applicationContextName: '1.2.840.10008.3.1.1.1',
      presentationContexts: [
        { id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_LE] },
      ],
      userInformation: {
        ...emptyUserInformation,
        maxPduLength: 16384,
        implementationClassUid: '1.2.276.0.7230010.3.0.3.6.7',
        implementationVersionName: 'OFFIS_DCMTK_367',
      },
    });
    expectSameAtEverySplit(bytes, [rq]);
    // Our encoder sends 00H where DCMTK sent FFH in a reserved byte: the only difference.
    if (rq.type !== 'A-ASSOCIATE-RQ') throw new Error(rq.type);
    const ours = encodeAssociateRq(rq);
    expect(toHex(ours)).toBe(toHex(patch(bytes, 0x69, '00')));
  });

  it('decodes storescu with user identity, role selection and extended negotiation', () => {
    const bytes = loadFixture('dcmtk-storescu-associate-rq.hex');
    const rq = decodeFixture('dcmtk-storescu-associate-rq.hex');
    expect(rq).toEqual({
      type: 'A-ASSOCIATE-RQ',
      protocolVersion: 1,
      calledAeTitle: 'STORESCP',
      callingAeTitle: 'STORESCU',
      applicationContextName: '1.2.840.10008.3.1.1.1',
      presentationContexts: [
        { id: 1, abstractSyntax: SC, transferSyntaxes: [EXPLICIT_LE, IMPLICIT_LE] },
      ],
      userInformation: {
        ...emptyUserInformation,
        maxPduLength: 16384,
        implementationClassUid: '1.2.276.0.7230010.3.0.3.6.7',
        roleSelections: [{ sopClassUid: SC, scuRole: true, scpRole: true }],
        implementationVersionName: 'OFFIS_DCMTK_367',
        sopClassExtendedNegotiations: [
          { sopClassUid: SC, applicationInformation: fromHex('020003000000') },
        ],
        userIdentityRequest: {
          identityType: 2,
          positiveResponseRequested: false,
          primaryField: text('alice'),
          secondaryField: text('secret'),
        },
      },
    });
    expectSameAtEverySplit(bytes, [rq]);
  });

  it('decodes getscu, which proposes many contexts with SCP role selection', () => {
    const rq = decodeFixture('dcmtk-getscu-associate-rq.hex');
    if (rq.type !== 'A-ASSOCIATE-RQ') throw new Error(`got ${rq.type}`);
    expect([rq.calledAeTitle, rq.callingAeTitle]).toEqual(['ANY-SCP', 'GETSCU']);
    const { presentationContexts: contexts, userInformation: info } = rq;
    expect(contexts.length).toBeGreaterThan(100);
    expect(contexts.length).toBeLessThanOrEqual(128);
    expect(contexts.every((context) => context.id % 2 === 1)).toBe(true);
    expect(contexts[0]?.abstractSyntax).toBe('1.2.840.10008.5.1.4.1.2.1.3'); // Patient Root GET
    expect(info.maxPduLength).toBe(16384);
    expect(info.implementationClassUid).toMatch(/^1\.2\.276\.0\.7230010\.3\./);
    expect(info.implementationVersionName).toBe('OFFIS_DCMTK_367');
    expect(info.roleSelections.length).toBeGreaterThan(50);
    expect(info.roleSelections).toContainEqual({ sopClassUid: SC, scuRole: false, scpRole: true });
  });
});
