import { fromHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../test/fixtures/golden.js';
import {
  DicomnetError,
  InvalidPduFieldError,
  MalformedPduError,
  PduTooLargeError,
  PduTruncatedError,
  UnknownPduTypeError,
} from '../errors.js';
import { decodePdu, encodePdu, type Pdu } from './pdu.js';
import { PduType } from './pdu-type.js';

describe('decodePdu and encodePdu dispatch', () => {
  it('decodes each of the seven types', () => {
    const bodies: [number, string, Pdu['type']][] = [
      [PduType.AssociateRj, '00 01 01 01', 'A-ASSOCIATE-RJ'],
      [PduType.PDataTf, '00000002 01 03', 'P-DATA-TF'],
      [PduType.ReleaseRq, '00000000', 'A-RELEASE-RQ'],
      [PduType.ReleaseRp, '00000000', 'A-RELEASE-RP'],
      [PduType.Abort, '00 00 00 00', 'A-ABORT'],
    ];
    for (const [type, body, name] of bodies) {
      expect(decodePdu({ type, body: fromHex(body) }).type).toBe(name);
    }
    expect(codeOf(() => decodePdu({ type: PduType.AssociateRq, body: new Uint8Array(0) }))).toBe(
      'DICOMNET_PDU_MALFORMED',
    );
    expect(codeOf(() => decodePdu({ type: PduType.AssociateAc, body: new Uint8Array(0) }))).toBe(
      'DICOMNET_PDU_MALFORMED',
    );
  });

  it('throws UnknownPduTypeError for any other type', () => {
    for (const type of [0, 8, 0x10, 0xff]) {
      const action = (): Pdu => decodePdu({ type, body: new Uint8Array(4) });
      expect(action).toThrow(UnknownPduTypeError);
      expect(codeOf(action)).toBe('DICOMNET_PDU_UNKNOWN_TYPE');
    }
  });

  it('throws InvalidPduFieldError when asked to encode an object of no PDU type', () => {
    const bogus = { type: 'A-BOGUS' } as unknown as Pdu; // deliberately outside the union
    expect(() => encodePdu(bogus)).toThrow(InvalidPduFieldError);
  });
});

describe('error classes (STYLE.md §8)', () => {
  const errors: [DicomnetError, string, number | undefined, number | undefined][] = [
    [new PduTooLargeError(20, 10, PduType.PDataTf), 'DICOMNET_PDU_TOO_LARGE', 2, 6],
    [new PduTruncatedError(3), 'DICOMNET_PDU_TRUNCATED', undefined, undefined],
    [new UnknownPduTypeError(9), 'DICOMNET_PDU_UNKNOWN_TYPE', 2, 1],
    [new MalformedPduError(1, 80, 'bad'), 'DICOMNET_PDU_MALFORMED', 2, 6],
    [new MalformedPduError(1, 80, 'bad', 5), 'DICOMNET_PDU_MALFORMED', 2, 5],
    [
      new InvalidPduFieldError('too long', 'calledAeTitle'),
      'DICOMNET_PDU_INVALID_FIELD',
      undefined,
      undefined,
    ],
  ];

  it.each(errors)(
    '%s has a stable code and the A-ABORT numbers that apply',
    (error, code, source, reason) => {
      expect(error).toBeInstanceOf(DicomnetError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(error.constructor.name);
      expect((error as { abortSource?: number }).abortSource).toBe(source); // optional field probe
      expect((error as { abortReason?: number }).abortReason).toBe(reason); // same probe
      expect(DicomnetError.isInstance(error)).toBe(true);
    },
  );

  it('recognises errors of another loaded copy by the Symbol.for brand', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('dicomnet.error')]: true,
      code: 'DICOMNET_X',
    });
    expect(DicomnetError.isInstance(foreign)).toBe(true);
    expect(DicomnetError.isInstance(new Error('x'))).toBe(false);
    expect(DicomnetError.isInstance(null)).toBe(false);
    expect(DicomnetError.isInstance('DICOMNET_X')).toBe(false);
  });

  it('puts the field and detail of an InvalidPduFieldError in its message', () => {
    const error = new InvalidPduFieldError('too long', 'calledAeTitle');
    expect([error.field, error.detail, error.message]).toEqual([
      'calledAeTitle',
      'too long',
      'calledAeTitle: too long',
    ]);
    expect(new InvalidPduFieldError('no field').message).toBe('no field');
  });

  it('says where a malformed PDU went wrong', () => {
    const error = new MalformedPduError(PduType.PDataTf, 12, 'PDV item-length 1 is below 2');
    expect(error.message).toBe('malformed P-DATA-TF at byte 12: PDV item-length 1 is below 2');
  });
});

describe('package index', () => {
  it('exports the codec API by name', async () => {
    const api = await import('../index.js');
    const names = [
      'DicomnetError',
      'PduTooLargeError',
      'PduTruncatedError',
      'UnknownPduTypeError',
      'MalformedPduError',
      'InvalidPduFieldError',
      'PduType',
      'ItemType',
      'APPLICATION_CONTEXT_NAME',
      'PresentationContextResult',
      'RejectResult',
      'RejectSource',
      'RejectReason',
      'describeReject',
      'AbortSource',
      'AbortReason',
      'describeAbort',
      'UserIdentityType',
      'encodeAssociateRq',
      'decodeAssociateRq',
      'encodeAssociateAc',
      'decodeAssociateAc',
      'encodeAssociateRj',
      'decodeAssociateRj',
      'encodePDataTf',
      'decodePDataTf',
      'encodeReleaseRq',
      'decodeReleaseRq',
      'encodeReleaseRp',
      'decodeReleaseRp',
      'encodeAbort',
      'decodeAbort',
      'encodePdu',
      'decodePdu',
      'encodePDataTfHeader',
      'encodePdvHeader',
      'PDU_HEADER_LENGTH',
      'PDV_HEADER_LENGTH',
      'DEFAULT_MAX_PDU_LENGTH',
      'PduReader',
      'readPdus',
    ];
    for (const name of names) expect(api, name).toHaveProperty(name);
    expect([api.PDU_HEADER_LENGTH, api.PDV_HEADER_LENGTH, api.DEFAULT_MAX_PDU_LENGTH]).toEqual([
      6, 6, 16384,
    ]);
  });
});
