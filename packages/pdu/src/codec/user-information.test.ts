import { asciiHex, concatBytes, fromHex, toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { codeOf, expectGoldenPdu, loadFixture } from '../../test/fixtures/golden.js';
import { MalformedPduError } from '../errors.js';
import type { AssociateRq } from './associate-rq.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { PduType } from './pdu-type.js';
import {
  readUserInformation,
  writeUserInformation,
  type UserInformation,
} from './user-information.js';

const SC = '1.2.840.10008.5.1.4.1.1.7';
const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const empty: UserInformation = {
  roleSelections: [],
  sopClassExtendedNegotiations: [],
  sopClassCommonExtendedNegotiations: [],
  unknownSubItems: [],
};
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** Reads a whole 50H item (header included) as it would sit at offset 74 of an RQ body. */
function decodeItem(bytes: Uint8Array): UserInformation {
  const reader = new ByteReader(bytes, PduType.AssociateRq, 80);
  expect(reader.uint8()).toBe(0x50);
  reader.skip(1);
  const body = reader.sub(reader.uint16be());
  expect(reader.isAtEnd).toBe(true);
  return readUserInformation(body);
}

function encodeItem(info: UserInformation): Uint8Array {
  const writer = new ByteWriter();
  writeUserInformation(writer, info);
  return writer.finish();
}

/** Hand-built A-ASSOCIATE-RQ around one User Information item, for reader and PDU checks. */
function wrapInRq(item: Uint8Array): Uint8Array {
  const fixed = fromHex(
    `0001 0000 ${asciiHex('SCP', 16)} ${asciiHex('SCU', 16)} ${'00'.repeat(32)}`,
  );
  const appContext = fromHex(`10 00 0015 ${asciiHex('1.2.840.10008.3.1.1.1')}`);
  const context = fromHex(
    `20 00 002e 01 000000 30 00 0011 ${asciiHex(VERIFICATION)} 40 00 0011 ${asciiHex(IMPLICIT_LE)}`,
  );
  const length = fixed.length + appContext.length + context.length + item.length;
  const header = fromHex(`01 00 ${length.toString(16).padStart(8, '0')}`);
  return concatBytes(header, fixed, appContext, context, item);
}
const rqWith = (userInformation: UserInformation): AssociateRq => ({
  type: 'A-ASSOCIATE-RQ',
  protocolVersion: 1,
  calledAeTitle: 'SCP',
  callingAeTitle: 'SCU',
  applicationContextName: '1.2.840.10008.3.1.1.1',
  presentationContexts: [{ id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_LE] }],
  userInformation,
});

const fixtures: [string, UserInformation][] = [
  ['user-information-51-maximum-length.hex', { ...empty, maxPduLength: 0 }],
  [
    'user-information-52-implementation-class-uid.hex',
    { ...empty, implementationClassUid: '1.2.3.4' },
  ],
  [
    'user-information-53-asynchronous-operations-window.hex',
    {
      ...empty,
      asynchronousOperationsWindow: { maxOperationsInvoked: 0, maxOperationsPerformed: 1 },
    },
  ],
  [
    'user-information-54-role-selection.hex',
    {
      ...empty,
      roleSelections: [
        { sopClassUid: SC, scuRole: true, scpRole: true },
        { sopClassUid: VERIFICATION, scuRole: true, scpRole: false },
      ],
    },
  ],
  [
    'user-information-55-implementation-version-name.hex',
    { ...empty, implementationVersionName: 'X' },
  ],
  [
    'user-information-56-sop-class-extended-negotiation.hex',
    {
      ...empty,
      sopClassExtendedNegotiations: [{ sopClassUid: SC, applicationInformation: fromHex('01') }],
    },
  ],
  [
    'user-information-57-sop-class-common-extended-negotiation.hex',
    {
      ...empty,
      sopClassCommonExtendedNegotiations: [
        {
          sopClassUid: '1.2.840.10008.5.1.4.1.1.7.1',
          serviceClassUid: '1.2.840.10008.4.2',
          relatedGeneralSopClassUids: [],
        },
      ],
    },
  ],
  [
    'user-information-58-user-identity-rq.hex',
    {
      ...empty,
      userIdentityRequest: {
        identityType: 1,
        positiveResponseRequested: false,
        primaryField: text('bob'),
        secondaryField: new Uint8Array(0),
      },
    },
  ],
  [
    'user-information-59-user-identity-ac.hex',
    { ...empty, userIdentityResponse: { serverResponse: new Uint8Array(0) } },
  ],
  [
    'user-information-unknown-sub-item.hex',
    { ...empty, unknownSubItems: [{ itemType: 0x70, data: fromHex('deadbeef') }] },
  ],
];

describe.each(fixtures)('User Information golden bytes: %s', (name, expected) => {
  const bytes = loadFixture(name);

  it('decodes to the expected object with no bytes left', () => {
    expect(decodeItem(bytes)).toEqual(expected);
  });

  it('encodes to the exact bytes', () => {
    expect(toHex(encodeItem(expected))).toBe(toHex(bytes));
  });

  it('round-trips', () => {
    expect(decodeItem(encodeItem(expected))).toEqual(expected);
  });

  it('gives the same A-ASSOCIATE-RQ through the reader wherever the stream is cut', () => {
    expectGoldenPdu(wrapInRq(bytes), rqWith(expected));
  });
});

describe('User Information leniency', () => {
  it('accepts sub-items in any order and an empty item', () => {
    const item = fromHex(`50 00 0011 55 00 0001 ${asciiHex('V')} 51 00 0004 00001000 52 00 0000`);
    expect(decodeItem(item)).toEqual({
      ...empty,
      implementationVersionName: 'V',
      maxPduLength: 4096,
      implementationClassUid: '',
    });
    expect(decodeItem(fromHex('50 00 0000'))).toEqual(empty);
  });

  it('reads non-zero role and positive-response bytes as true', () => {
    const role = `54 00 0015 0011 ${asciiHex(VERIFICATION)} 02 ff`;
    expect(decodeItem(fromHex(`50 00 0019 ${role}`)).roleSelections).toEqual([
      { sopClassUid: VERIFICATION, scuRole: true, scpRole: true },
    ]);
    const identity = '58 00 0008 05 07 0002 6162 0000';
    expect(
      decodeItem(fromHex(`50 00 000c ${identity}`)).userIdentityRequest?.positiveResponseRequested,
    ).toBe(true);
  });

  it('trims trailing spaces and NULs of the implementation version name', () => {
    expect(
      decodeItem(fromHex(`50 00 0008 55 00 0004 ${asciiHex('AB ')} 00`)).implementationVersionName,
    ).toBe('AB');
  });

  it('keeps the first of repeated single-valued sub-items', () => {
    const info = decodeItem(
      fromHex('50 00 0018 59 00 0004 0002 0102 59 00 0004 0002 0304 53 00 0004 0001 0002'),
    );
    expect(info.userIdentityResponse?.serverResponse).toEqual(fromHex('0102'));
    expect(info.asynchronousOperationsWindow).toEqual({
      maxOperationsInvoked: 1,
      maxOperationsPerformed: 2,
    });
  });

  it('copies opaque fields out of the PDU', () => {
    const bytes = loadFixture('user-information-unknown-sub-item.hex');
    const info = decodeItem(bytes);
    bytes.fill(0);
    expect(info.unknownSubItems[0]?.data).toEqual(fromHex('deadbeef'));
  });
});

describe('User Information malformed sub-items', () => {
  const malformed = (hex: string): MalformedPduError => {
    try {
      decodeItem(fromHex(hex));
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedPduError);
      return error as MalformedPduError; // checked just above
    }
    throw new Error('expected MalformedPduError');
  };
  const uid = asciiHex(VERIFICATION); // 17 bytes

  it.each([
    ['a sub-item overrunning the item', '50 00 0008 51 00 0005 00004000', /overruns/],
    ['51H with item-length 3', '50 00 0007 51 00 0003 000040', /must be 4/],
    ['51H with item-length 5', '50 00 0009 51 00 0005 0000400000', /must be 4/],
    ['53H with item-length 2', '50 00 0006 53 00 0002 0001', /must be 4/],
    [
      '54H whose UID length overruns',
      `50 00 0019 54 00 0015 0014 ${uid} 01 01`,
      /UID length 20 overruns/,
    ],
    ['54H with a byte left over', `50 00 001a 54 00 0016 0011 ${uid} 01 01 00`, /left over/],
    ['54H without role bytes', `50 00 0017 54 00 0013 0011 ${uid}`, /needs 1 more/],
    [
      '56H whose UID length overruns',
      `50 00 0017 56 00 0013 0012 ${uid}`,
      /UID length 18 overruns/,
    ],
    [
      '57H whose related length overruns',
      `50 00 0020 57 00 001c 0011 ${uid} 0003 ${asciiHex('1.2')} 0005 0002`,
      /identification length 5 overruns/,
    ],
    [
      '57H whose related UID overruns',
      `50 00 0020 57 00 001c 0011 ${uid} 0003 ${asciiHex('1.2')} 0002 0009`,
      /UID length 9 overruns/,
    ],
    [
      '57H with a byte left over',
      `50 00 0020 57 00 001c 0011 ${uid} 0003 ${asciiHex('1.2')} 0000 00 00`,
      /left over/,
    ],
    [
      '58H whose primary field overruns',
      '50 00 000a 58 00 0006 01 00 0009 6162',
      /field length 9 overruns/,
    ],
    ['58H without secondary length', '50 00 000a 58 00 0006 01 00 0002 6162', /needs 2 more/],
    ['58H with a byte left over', '50 00 000d 58 00 0009 01 00 0002 6162 0000 00', /left over/],
    ['59H with a byte left over', '50 00 0008 59 00 0004 0001 0102', /left over/],
  ])('rejects %s', (_name, hex, detail) => {
    expect(malformed(hex).detail).toMatch(detail);
  });
});

describe('User Information encode-time checks', () => {
  const code = (info: Partial<UserInformation>): string =>
    codeOf(() => encodeItem({ ...empty, ...info }));

  it.each<[string, Partial<UserInformation>]>([
    ['a negative maximum length', { maxPduLength: -1 }],
    ['a maximum length over 32 bits', { maxPduLength: 2 ** 32 }],
    ['an invalid implementation class UID', { implementationClassUid: '1.2.x' }],
    [
      'an asynchronous window over 16 bits',
      { asynchronousOperationsWindow: { maxOperationsInvoked: 65536, maxOperationsPerformed: 1 } },
    ],
    ['an empty implementation version name', { implementationVersionName: '' }],
    ['a version name over 16 characters', { implementationVersionName: 'X'.repeat(17) }],
    ['a version name with a non-G0 character', { implementationVersionName: 'é' }],
    [
      'a role selection with a bad UID',
      { roleSelections: [{ sopClassUid: '', scuRole: true, scpRole: false }] },
    ],
    [
      'a secondary field for identity type 1',
      {
        userIdentityRequest: {
          identityType: 1,
          positiveResponseRequested: false,
          primaryField: text('a'),
          secondaryField: text('b'),
        },
      },
    ],
    [
      'a primary field over 65535 bytes',
      {
        userIdentityRequest: {
          identityType: 4,
          positiveResponseRequested: false,
          primaryField: new Uint8Array(65536),
          secondaryField: new Uint8Array(0),
        },
      },
    ],
    [
      'extended negotiation information that overflows the item',
      {
        sopClassExtendedNegotiations: [
          { sopClassUid: SC, applicationInformation: new Uint8Array(65535) },
        ],
      },
    ],
    [
      'an unknown sub-item with a known type',
      { unknownSubItems: [{ itemType: 0x51, data: new Uint8Array(4) }] },
    ],
    [
      'an unknown sub-item type over 255',
      { unknownSubItems: [{ itemType: 0x100, data: new Uint8Array(0) }] },
    ],
    [
      'a common extended negotiation with a bad related UID',
      {
        sopClassCommonExtendedNegotiations: [
          { sopClassUid: SC, serviceClassUid: '1.2', relatedGeneralSopClassUids: ['x'] },
        ],
      },
    ],
  ])('throws DICOMNET_PDU_INVALID_FIELD for %s', (_name, info) => {
    expect(code(info)).toBe('DICOMNET_PDU_INVALID_FIELD');
  });

  it('sends sub-items in ascending type order, unknown ones last in their given order', () => {
    const info: UserInformation = {
      ...empty,
      unknownSubItems: [
        { itemType: 0x60, data: new Uint8Array(0) },
        { itemType: 0x5a, data: new Uint8Array(0) },
      ],
      userIdentityResponse: { serverResponse: new Uint8Array(0) },
      implementationVersionName: 'V',
      maxPduLength: 1,
    };
    const types: number[] = [];
    const reader = new ByteReader(encodeItem(info).subarray(4), PduType.AssociateRq);
    while (!reader.isAtEnd) {
      types.push(reader.uint8());
      reader.skip(1);
      reader.skip(reader.uint16be());
    }
    expect(types).toEqual([0x51, 0x55, 0x59, 0x60, 0x5a]);
  });
});
