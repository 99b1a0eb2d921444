import { concatBytes, fromHex, toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { codeOf, expectGoldenPdu, loadFixture } from '../../test/fixtures/golden.js';
import { MalformedPduError } from '../errors.js';
import {
  decodePDataTf,
  encodePDataTf,
  encodePDataTfHeader,
  encodePdvHeader,
  PDV_HEADER_LENGTH,
  type PDataTf,
} from './p-data-tf.js';

const golden: PDataTf = {
  type: 'P-DATA-TF',
  pdvs: [
    { presentationContextId: 1, isCommand: true, isLast: true, fragment: fromHex('01020304') },
    {
      presentationContextId: 1,
      isCommand: false,
      isLast: false,
      fragment: fromHex('0a0b0c0d0e0f'),
    },
    { presentationContextId: 1, isCommand: false, isLast: true, fragment: fromHex('fffe') },
  ],
};

function malformed(hex: string): MalformedPduError {
  try {
    decodePDataTf(fromHex(hex));
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedPduError);
    return error as MalformedPduError; // checked just above
  }
  throw new Error('expected MalformedPduError');
}

describe('P-DATA-TF (PS3.8 Tables 9-22, 9-23, Annex E)', () => {
  it('decodes, encodes and round-trips the golden bytes', () => {
    expectGoldenPdu(loadFixture('p-data-tf.hex'), golden);
  });

  it('returns fragments as views into the body, not copies', () => {
    const body = loadFixture('p-data-tf.hex').subarray(6);
    const [first] = decodePDataTf(body).pdvs;
    expect(first?.fragment.buffer).toBe(body.buffer);
    expect(first?.fragment.byteOffset).toBe(body.byteOffset + 6);
  });

  it('masks the message control header with 03H (bits 2-7 not tested, E.2)', () => {
    expect(decodePDataTf(fromHex('00000004 03 fd 0102')).pdvs[0]).toMatchObject({
      isCommand: true,
      isLast: false,
    });
    expect(decodePDataTf(fromHex('00000002 01 fe')).pdvs[0]).toMatchObject({
      isCommand: false,
      isLast: true,
      fragment: new Uint8Array(0),
    });
  });

  it('accepts an odd fragment when decoding (reassembly is the DIMSE layer business)', () => {
    expect(decodePDataTf(fromHex('00000003 01 00 aa')).pdvs[0]?.fragment).toEqual(fromHex('aa'));
  });

  it.each([
    ['an empty body (zero PDVs)', '', /no PDV/, 6],
    ['an item-length below 2', '00000001 01', /below 2/, 6],
    ['an item-length of 0', '00000000', /below 2/, 6],
    ['an item-length overrunning the PDU', '00000006 01 00 0102', /overruns/, 6],
    ['a huge item-length', 'ffffffff 01 00', /overruns/, 6],
    ['a cut item-length', '0000', /needs 4 more/, 6],
    ['an even presentation context ID', '00000004 02 00 0102', /not odd/, 10],
    ['presentation context ID 0', '00000004 00 00 0102', /not odd/, 10],
    ['a bad second PDV', '00000004 01 00 0102 00000004 04 00 0102', /not odd/, 18],
  ])('rejects %s', (_name, hex, detail, offset) => {
    const error = malformed(hex);
    expect(error.detail).toMatch(detail);
    expect(error.offset).toBe(offset);
    expect(error.abortReason).toBe(6);
  });
});

describe('P-DATA-TF send-path headers', () => {
  it('encodes the 6-byte PDU header', () => {
    expect(toHex(encodePDataTfHeader(0x1e))).toBe('04000000001e');
    expect(toHex(encodePDataTfHeader(0xffffffff))).toBe('0400ffffffff');
  });

  it('encodes the 6-byte PDV header: item-length = fragment + 2, ID, control header', () => {
    expect(PDV_HEADER_LENGTH).toBe(6);
    expect(toHex(encodePdvHeader(4, 1, true, true))).toBe('000000060103');
    expect(toHex(encodePdvHeader(0, 255, false, false))).toBe('00000002ff00');
    expect(toHex(encodePdvHeader(16378, 7, false, true))).toBe('00003ffc0702');
  });

  it('gives the golden bytes when the headers and fragments are written in sequence', () => {
    const parts = golden.pdvs.flatMap((pdv) => [
      encodePdvHeader(
        pdv.fragment.byteLength,
        pdv.presentationContextId,
        pdv.isCommand,
        pdv.isLast,
      ),
      pdv.fragment,
    ]);
    const body = concatBytes(...parts);
    expect(concatBytes(encodePDataTfHeader(body.byteLength), body)).toEqual(
      loadFixture('p-data-tf.hex'),
    );
  });

  it.each([
    ['an odd fragment length', () => encodePdvHeader(3, 1, false, false)],
    ['a negative fragment length', () => encodePdvHeader(-2, 1, false, false)],
    ['a fragment length over 2^32-3', () => encodePdvHeader(0xfffffffe, 1, false, false)],
    ['an even context ID', () => encodePdvHeader(2, 2, false, false)],
    ['context ID 0', () => encodePdvHeader(2, 0, false, false)],
    ['context ID 257', () => encodePdvHeader(2, 257, false, false)],
    ['a PDU length over 32 bits', () => encodePDataTfHeader(2 ** 32)],
    ['a negative PDU length', () => encodePDataTfHeader(-1)],
    ['a P-DATA-TF with no PDV', () => encodePDataTf({ type: 'P-DATA-TF', pdvs: [] })],
    [
      'a P-DATA-TF with an odd fragment',
      () =>
        encodePDataTf({
          type: 'P-DATA-TF',
          pdvs: [
            {
              presentationContextId: 1,
              isCommand: true,
              isLast: true,
              fragment: new Uint8Array(3),
            },
          ],
        }),
    ],
  ])('throws DICOMNET_PDU_INVALID_FIELD for %s', (_name, action) => {
    expect(codeOf(action)).toBe('DICOMNET_PDU_INVALID_FIELD');
  });
});
