import { asciiHex, concatBytes, fromHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import {
  codeOf,
  decodeFixture,
  expectGoldenPdu,
  expectSameAtEverySplit,
  loadFixture,
} from '../../test/fixtures/golden.js';
import { MalformedPduError } from '../errors.js';
import { decodeAssociateAc, encodeAssociateAc, type AssociateAc } from './associate-ac.js';

const SC = '1.2.840.10008.5.1.4.1.1.7';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPL_UID = '1.2.826.0.1.3680043.10.543.1';

const emptyUserInformation = {
  roleSelections: [],
  sopClassExtendedNegotiations: [],
  sopClassCommonExtendedNegotiations: [],
  unknownSubItems: [],
};

/** The object test/fixtures/associate-ac.hex describes. */
const fullAc: AssociateAc = {
  type: 'A-ASSOCIATE-AC',
  protocolVersion: 1,
  calledAeTitle: 'STORESCP',
  callingAeTitle: 'DICOMNET',
  applicationContextName: '1.2.840.10008.3.1.1.1',
  presentationContexts: [
    { id: 1, result: 0, transferSyntax: IMPLICIT_LE },
    { id: 3, result: 4, transferSyntax: '' },
    { id: 5, result: 1, transferSyntax: IMPLICIT_LE },
  ],
  userInformation: {
    maxPduLength: 32768,
    implementationClassUid: IMPL_UID,
    asynchronousOperationsWindow: { maxOperationsInvoked: 1, maxOperationsPerformed: 1 },
    roleSelections: [{ sopClassUid: SC, scuRole: false, scpRole: true }],
    implementationVersionName: 'DICOMNET_010',
    sopClassExtendedNegotiations: [{ sopClassUid: SC, applicationInformation: fromHex('02 00') }],
    sopClassCommonExtendedNegotiations: [],
    userIdentityResponse: { serverResponse: new TextEncoder().encode('token') },
    unknownSubItems: [{ itemType: 0xa0, data: new Uint8Array(0) }],
  },
};

const bodyOf = (bytes: Uint8Array): Uint8Array => bytes.subarray(6);
function patch(bytes: Uint8Array, offset: number, hex: string): Uint8Array {
  const copy = bytes.slice();
  copy.set(fromHex(hex), offset);
  return copy;
}
function acBody(...items: string[]): Uint8Array {
  const fixed = bodyOf(loadFixture('associate-ac.hex')).subarray(0, 68);
  return concatBytes(fixed, ...items.map((item) => fromHex(item)));
}
const APP_CONTEXT = `10 00 0015 ${asciiHex('1.2.840.10008.3.1.1.1')}`;
const USER_INFO = '50 00 0008 51 00 0004 00004000';
function malformed(body: Uint8Array): MalformedPduError {
  try {
    decodeAssociateAc(body);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedPduError);
    return error as MalformedPduError; // checked just above
  }
  throw new Error('expected MalformedPduError');
}

describe('A-ASSOCIATE-AC golden bytes (PS3.8 Table 9-17)', () => {
  it('decodes, encodes and round-trips the fixture with accepted and rejected contexts', () => {
    expectGoldenPdu(loadFixture('associate-ac.hex'), fullAc);
  });
});

describe('A-ASSOCIATE-AC leniency', () => {
  it('does not test the echoed AE titles or reserved bytes 43-74 (Table 9-17)', () => {
    const bytes = patch(loadFixture('associate-ac.hex'), 10, '00'.repeat(16) + 'ff'.repeat(48));
    const ac = decodeAssociateAc(bodyOf(bytes));
    expect(ac.calledAeTitle).toBe('');
    expect(ac.presentationContexts).toEqual(fullAc.presentationContexts);
  });

  it('does not test the transfer syntax field of a rejected context (Table 9-18)', () => {
    const contexts = [
      '21 00 0004 03 00 03 00', // no sub-item at all
      '21 00 0007 05 00 02 00 ffffff', // garbage
      `21 00 0009 07 00 01 00 55 00 0001 ${asciiHex('X')}`, // a sub-item of another type
      '21 00 000c 09 00 04 00 40 00 00ff 31 2e 32 2e', // a 40H that overruns
    ];
    const ac = decodeAssociateAc(acBody(APP_CONTEXT, ...contexts, USER_INFO));
    expect(ac.presentationContexts).toEqual([
      { id: 3, result: 3, transferSyntax: '' },
      { id: 5, result: 2, transferSyntax: '' },
      { id: 7, result: 1, transferSyntax: '' },
      { id: 9, result: 4, transferSyntax: '' },
    ]);
  });

  it('keeps a reserved result value as a number', () => {
    const ac = decodeAssociateAc(
      acBody(APP_CONTEXT, '21 00 0008 01 00 09 00 40 00 0000', USER_INFO),
    );
    expect(ac.presentationContexts).toEqual([{ id: 1, result: 9, transferSyntax: '' }]);
  });
});

describe('A-ASSOCIATE-AC malformed variants', () => {
  it('rejects an accepted context without transfer syntax, or with two', () => {
    const ts = `40 00 0011 ${asciiHex(IMPLICIT_LE)}`;
    expect(malformed(acBody(APP_CONTEXT, '21 00 0004 01 00 00 00', USER_INFO)).detail).toMatch(
      /no transfer syntax/,
    );
    expect(
      malformed(acBody(APP_CONTEXT, `21 00 002e 01 00 00 00 ${ts} ${ts}`, USER_INFO)).abortReason,
    ).toBe(5);
  });

  it('rejects an RQ presentation context item in an AC (reason 5)', () => {
    const rqContext = `20 00 0019 01 000000 30 00 0011 ${asciiHex(IMPLICIT_LE)}`;
    expect(malformed(acBody(APP_CONTEXT, rqContext, USER_INFO)).abortReason).toBe(5);
  });

  it('rejects an AC without presentation context, an even ID, and repeated IDs', () => {
    const context = '21 00 0008 01 00 03 00 40 00 0000';
    expect(malformed(acBody(APP_CONTEXT, USER_INFO)).detail).toMatch(/no presentation context/);
    expect(
      malformed(acBody(APP_CONTEXT, '21 00 0008 04 00 03 00 40 00 0000', USER_INFO)).detail,
    ).toMatch(/not odd/);
    expect(malformed(acBody(APP_CONTEXT, context, context, USER_INFO)).detail).toMatch(/twice/);
  });

  it('rejects an accepted context whose transfer syntax overruns the item', () => {
    expect(
      malformed(acBody(APP_CONTEXT, '21 00 0008 01 00 00 00 40 00 0001', USER_INFO)).detail,
    ).toMatch(/overruns/);
  });
});

describe('A-ASSOCIATE-AC encode-time checks', () => {
  const code = (change: Partial<AssociateAc>): string =>
    codeOf(() => encodeAssociateAc({ ...fullAc, ...change }));

  it('allows blank echoed AE titles (reserved fields) but not over-long ones', () => {
    const ac = { ...fullAc, calledAeTitle: '', callingAeTitle: '' };
    expect(decodeAssociateAc(encodeAssociateAc(ac).subarray(6))).toEqual(ac);
    expect(code({ calledAeTitle: 'X'.repeat(17) })).toBe('DICOMNET_PDU_INVALID_FIELD');
  });

  it.each([
    ['an accepted context without transfer syntax', [{ id: 1, result: 0, transferSyntax: '' }]],
    ['a result over 255', [{ id: 1, result: 256, transferSyntax: '' }]],
    ['an even ID', [{ id: 2, result: 3, transferSyntax: '' }]],
    ['no answer', []],
  ])('throws DICOMNET_PDU_INVALID_FIELD for %s', (_name, presentationContexts) => {
    expect(code({ presentationContexts })).toBe('DICOMNET_PDU_INVALID_FIELD');
  });
});

describe('A-ASSOCIATE-AC captured from DCMTK 3.6.7 storescp', () => {
  it('decodes the answer to test/fixtures/associate-rq.hex', () => {
    const bytes = loadFixture('dcmtk-storescp-associate-ac.hex');
    const ac = decodeFixture('dcmtk-storescp-associate-ac.hex');
    expect(ac).toEqual({
      type: 'A-ASSOCIATE-AC',
      protocolVersion: 1,
      calledAeTitle: 'STORESCP',
      callingAeTitle: 'DICOMNET',
      applicationContextName: '1.2.840.10008.3.1.1.1',
      presentationContexts: [
        { id: 1, result: 0, transferSyntax: IMPLICIT_LE },
        { id: 3, result: 0, transferSyntax: EXPLICIT_LE },
      ],
      userInformation: {
        ...emptyUserInformation,
        maxPduLength: 16384,
        implementationClassUid: '1.2.276.0.7230010.3.0.3.6.7',
        implementationVersionName: 'OFFIS_DCMTK_367',
      },
    });
    expectSameAtEverySplit(bytes, [ac]);
    if (ac.type !== 'A-ASSOCIATE-AC') throw new Error(ac.type);
    expect(encodeAssociateAc(ac)).toEqual(bytes);
  });
});
