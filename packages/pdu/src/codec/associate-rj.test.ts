import { fromHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { codeOf, decodeFixture, expectGoldenPdu, loadFixture } from '../../test/fixtures/golden.js';
import { decodeAssociateRj, encodeAssociateRj } from './associate-rj.js';
import { describeReject, RejectReason, RejectResult, RejectSource } from './reject-reason.js';

describe('A-ASSOCIATE-RJ (PS3.8 Table 9-21)', () => {
  it('decodes, encodes and round-trips the golden bytes', () => {
    expectGoldenPdu(loadFixture('associate-rj.hex'), {
      type: 'A-ASSOCIATE-RJ',
      result: RejectResult.Permanent,
      source: RejectSource.ServiceUser,
      reason: RejectReason.ServiceUser.CalledAeTitleNotRecognized,
    });
  });

  it('decodes the RJ captured from DCMTK storescp (1/1/2)', () => {
    expect(decodeFixture('dcmtk-storescp-associate-rj.hex')).toEqual({
      type: 'A-ASSOCIATE-RJ',
      result: 1,
      source: 1,
      reason: RejectReason.ApplicationContextNameNotSupported,
    });
  });

  it('does not test the reserved byte and keeps reserved values', () => {
    expect(decodeAssociateRj(fromHex('ff 00 09 0a'))).toEqual({
      type: 'A-ASSOCIATE-RJ',
      result: 0,
      source: 9,
      reason: 10,
    });
  });

  it('rejects a body that is not 4 bytes', () => {
    expect(codeOf(() => decodeAssociateRj(fromHex('00 01 01')))).toBe('DICOMNET_PDU_MALFORMED');
    expect(codeOf(() => decodeAssociateRj(fromHex('00 01 01 01 00')))).toBe(
      'DICOMNET_PDU_MALFORMED',
    );
  });

  it('refuses values outside a byte when encoding', () => {
    const encode = (reason: number): string =>
      codeOf(() => encodeAssociateRj({ type: 'A-ASSOCIATE-RJ', result: 1, source: 1, reason }));
    expect(encode(256)).toBe('DICOMNET_PDU_INVALID_FIELD');
    expect(encode(-1)).toBe('DICOMNET_PDU_INVALID_FIELD');
    expect(encode(1.5)).toBe('DICOMNET_PDU_INVALID_FIELD');
  });
});

describe('RejectReason and describeReject', () => {
  it('names every reason of each source, flat and grouped', () => {
    expect(RejectReason.ServiceUser).toEqual({
      NoReasonGiven: 1,
      ApplicationContextNameNotSupported: 2,
      CallingAeTitleNotRecognized: 3,
      CalledAeTitleNotRecognized: 7,
    });
    expect(RejectReason.ServiceProviderAcse).toEqual({
      NoReasonGiven: 1,
      ProtocolVersionNotSupported: 2,
    });
    expect(RejectReason.ServiceProviderPresentation).toEqual({
      TemporaryCongestion: 1,
      LocalLimitExceeded: 2,
    });
    expect([RejectReason.ProtocolVersionNotSupported, RejectReason.LocalLimitExceeded]).toEqual([
      2, 2,
    ]);
  });

  it.each([
    [
      1,
      1,
      7,
      'rejected-permanent; source: DICOM UL service-user; reason: called-AE-title-not-recognized',
    ],
    [
      1,
      2,
      2,
      'rejected-permanent; source: DICOM UL service-provider (ACSE related function); reason: protocol-version-not-supported',
    ],
    [
      2,
      3,
      1,
      'rejected-transient; source: DICOM UL service-provider (Presentation related function); reason: temporary-congestion',
    ],
    [
      2,
      3,
      2,
      'rejected-transient; source: DICOM UL service-provider (Presentation related function); reason: local-limit-exceeded',
    ],
    [1, 1, 5, 'rejected-permanent; source: DICOM UL service-user; reason: reserved (5)'],
    [3, 4, 1, 'reserved (3); source: reserved (4); reason: reserved (1)'],
  ])('describes %i/%i/%i', (result, source, reason, text) => {
    expect(describeReject(result, source, reason)).toBe(text);
  });
});
