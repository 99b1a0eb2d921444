import { fromHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { codeOf, decodeFixture, expectGoldenPdu, loadFixture } from '../../test/fixtures/golden.js';
import { decodeReleaseRp, decodeReleaseRq, encodeReleaseRp, encodeReleaseRq } from './release.js';

describe('A-RELEASE-RQ and A-RELEASE-RP (PS3.8 Tables 9-24, 9-25)', () => {
  it('decodes, encodes and round-trips the golden bytes', () => {
    expectGoldenPdu(loadFixture('release-rq.hex'), { type: 'A-RELEASE-RQ' });
    expectGoldenPdu(loadFixture('release-rp.hex'), { type: 'A-RELEASE-RP' });
  });

  it('encodes without an argument', () => {
    expect(encodeReleaseRq()).toEqual(loadFixture('release-rq.hex'));
    expect(encodeReleaseRp()).toEqual(loadFixture('release-rp.hex'));
  });

  it('decodes the A-RELEASE-RP captured from DCMTK storescp', () => {
    expect(decodeFixture('dcmtk-storescp-release-rp.hex')).toEqual({ type: 'A-RELEASE-RP' });
  });

  it('does not test the reserved bytes', () => {
    expect(decodeReleaseRq(fromHex('deadbeef'))).toEqual({ type: 'A-RELEASE-RQ' });
    expect(decodeReleaseRp(fromHex('deadbeef'))).toEqual({ type: 'A-RELEASE-RP' });
  });

  it('rejects a body that is not 4 bytes', () => {
    expect(codeOf(() => decodeReleaseRq(new Uint8Array(3)))).toBe('DICOMNET_PDU_MALFORMED');
    expect(codeOf(() => decodeReleaseRp(new Uint8Array(5)))).toBe('DICOMNET_PDU_MALFORMED');
  });
});
