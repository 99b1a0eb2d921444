import { fromHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { codeOf, expectGoldenPdu, loadFixture } from '../../test/fixtures/golden.js';
import { decodeAbort, encodeAbort } from './abort.js';
import { AbortReason, AbortSource, describeAbort } from './abort-reason.js';

describe('A-ABORT (PS3.8 Table 9-26)', () => {
  it('decodes, encodes and round-trips the golden bytes', () => {
    expectGoldenPdu(loadFixture('abort.hex'), {
      type: 'A-ABORT',
      source: AbortSource.ServiceProvider,
      reason: AbortReason.InvalidPduParameterValue,
    });
  });

  it('does not test the reserved bytes and keeps reserved values', () => {
    expect(decodeAbort(fromHex('ff ff 01 03'))).toEqual({ type: 'A-ABORT', source: 1, reason: 3 });
  });

  it('rejects a body that is not 4 bytes', () => {
    expect(codeOf(() => decodeAbort(new Uint8Array(0)))).toBe('DICOMNET_PDU_MALFORMED');
    expect(codeOf(() => decodeAbort(new Uint8Array(8)))).toBe('DICOMNET_PDU_MALFORMED');
  });

  it('refuses values outside a byte when encoding', () => {
    expect(codeOf(() => encodeAbort({ type: 'A-ABORT', source: 300, reason: 0 }))).toBe(
      'DICOMNET_PDU_INVALID_FIELD',
    );
  });
});

describe('describeAbort', () => {
  it.each([
    [0, 0, 'DICOM UL service-user'],
    [0, 6, 'DICOM UL service-user'],
    [2, 0, 'DICOM UL service-provider; reason: reason-not-specified'],
    [2, 1, 'DICOM UL service-provider; reason: unrecognized-PDU'],
    [2, 2, 'DICOM UL service-provider; reason: unexpected-PDU'],
    [2, 3, 'DICOM UL service-provider; reason: reserved (3)'],
    [2, 4, 'DICOM UL service-provider; reason: unrecognized-PDU parameter'],
    [2, 5, 'DICOM UL service-provider; reason: unexpected-PDU parameter'],
    [2, 6, 'DICOM UL service-provider; reason: invalid-PDU-parameter value'],
    [1, 6, 'reserved (1); reason: invalid-PDU-parameter value'],
    [9, 9, 'reserved (9); reason: reserved (9)'],
  ])('describes %i/%i', (source, reason, text) => {
    expect(describeAbort(source, reason)).toBe(text);
  });
});
