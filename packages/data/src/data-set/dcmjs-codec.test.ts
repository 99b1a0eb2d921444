// dcmjs-specific behaviour of the adapter, one block per defect of dcmjs-notes.md. Inputs are
// hand-written Explicit/Implicit VR Little Endian bytes; the contract suite covers the rest.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '@dicomnet/test-utils';
import { fixture } from '../../test/contract/data-set-fixtures.js';
import { createDcmjsCodec } from './dcmjs-codec.js';
import type { DataSet } from './data-set.js';

const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const codec = createDcmjsCodec();

function decodeError(hex: string, syntax = EXPLICIT, custom = codec): unknown {
  try {
    custom.decode(fromHex(hex), syntax);
  } catch (error) {
    return error;
  }
  throw new Error('decode did not throw');
}

describe('dcmjs adapter', () => {
  it("refuses item bytes that would end dcmjs's item scan early (defect 9)", () => {
    const error = decodeError(`
      08001011 5351 0000 FFFFFFFF       # (0008,1110) SQ, undefined length
      FEFF00E0 FFFFFFFF                 # item, undefined length
      42001100 4F42 0000 08000000       # (0042,0011) OB, 8 bytes:
      FEFF0DE0 00000000                 #   an item delimiter inside the value
      42001200 4C4F 0200 6162           # (0042,0012) LO "ab", lost by dcmjs
      FEFF0DE0 00000000                 # item delimiter
      FEFFDDE0 00000000                 # sequence delimiter`);
    expect(error).toMatchObject({ code: 'DICOMNET_DATASET_UNSUPPORTED', feature: 'item-scan' });
  });

  it('refuses sequences sent as UN (defect 10)', () => {
    expect(
      decodeError(`
      09001010 554E 0000 FFFFFFFF       # (0009,1010) UN, undefined length (PS3.5 6.2.2)
      FEFF00E0 00000000                 # empty item (implicit VR inside)
      FEFFDDE0 00000000`),
    ).toMatchObject({ code: 'DICOMNET_DATASET_UNSUPPORTED', feature: 'sequence-as-un' });
    expect(
      decodeError(`
      08001011 554E 0000 10000000       # (0008,1110) Referenced Study Sequence as UN, 16 bytes
      FEFF00E0 08000000                 # item of 8 bytes, implicit VR
      08005011 00000000                 # (0008,1150), empty`),
    ).toMatchObject({ code: 'DICOMNET_DATASET_UNSUPPORTED', feature: 'sequence-as-un' });
  });

  it('reads a UN of a known tag with the dictionary VR (PS3.5 6.2.2)', () => {
    expect(codec.decode(fromHex('10002000 554E 0000 04000000 50494431'), EXPLICIT)).toEqual({
      '00100020': { vr: 'LO', Value: ['PID1'] },
    });
  });

  it('refuses OL, OV and SV both ways (defect 11)', () => {
    expect(decodeError('66002901 4F4C 0000 04000000 01020304')).toMatchObject({
      code: 'DICOMNET_DATASET_UNSUPPORTED',
      feature: 'vr-OL',
    });
    expect(decodeError('66002901 04000000 01020304', IMPLICIT)).toMatchObject({
      code: 'DICOMNET_DATASET_UNSUPPORTED',
      feature: 'vr-OL',
    });
    expect(decodeError('72008200 5356 0000 08000000 0100000000000000')).toMatchObject({
      feature: 'vr-SV',
    });
    expect(() => codec.encode({ '00720082': { vr: 'SV', Value: [1n] } }, EXPLICIT)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_DATASET_UNSUPPORTED', feature: 'vr-SV' }),
    );
  });

  it('keeps encapsulated pixel data away from dcmjs (defect 8)', () => {
    expect(
      decodeError(`
      E07F1000 4F42 0000 FFFFFFFF       # (7FE0,0010) OB, undefined length
      FEFF00E0 00000000                 # empty Basic Offset Table
      FEFF00E0 02000000 AABB            # one fragment
      FEFFDDE0 00000000`),
    ).toMatchObject({ code: 'DICOMNET_DATASET_UNSUPPORTED', feature: 'encapsulated-pixel-data' });
    expect(() =>
      codec.encode(
        { '7FE00010': { vr: 'OB', InlineBinary: Uint8Array.of(1, 2) } },
        '1.2.840.10008.1.2.4.50',
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'DICOMNET_DATASET_UNSUPPORTED',
        feature: 'encapsulated-pixel-data',
      }),
    );
  });

  it('encodes the non-pixel part of an encapsulated syntax as Explicit VR Little Endian', () => {
    const dataSet: DataSet = { '00100020': { vr: 'LO', Value: ['PID1'] } };
    expect(toHex(codec.encode(dataSet, '1.2.840.10008.1.2.4.50'))).toBe('100020004c4f040050494431');
    expect(codec.decode(fromHex('100020004c4f040050494431'), '1.2.840.10008.1.2.4.70')).toEqual(
      dataSet,
    );
  });

  describe('character sets (defects 3, 12, 13)', () => {
    it('decodes ISO_IR 100 and declares ISO_IR 192 for the Unicode result', () => {
      const decoded = codec.decode(fixture('data-set-latin1-explicit.bin'), EXPLICIT);
      expect(decoded).toEqual({
        '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
        '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Müller^Jörg' }] },
        '00100020': { vr: 'LO', Value: ['PIDé1'] },
      });
      expect(codec.decode(codec.encode(decoded, EXPLICIT), EXPLICIT)).toEqual(decoded);
    });

    it("keeps an ASCII-only data set's character set byte for byte", () => {
      const bytes = fromHex('08000500 4353 0A00 49534F5F495220313030  10002000 4C4F 0400 50494431');
      expect(codec.decode(bytes, EXPLICIT)['00080005']).toEqual({
        vr: 'CS',
        Value: ['ISO_IR 100'],
      });
      expect(toHex(codec.encode(codec.decode(bytes, EXPLICIT), EXPLICIT))).toBe(toHex(bytes));
    });

    it('refuses ISO 2022 code extensions and unknown terms', () => {
      expect(decodeError('08000500 4353 1000 5C49534F2032303232204952203837 20')).toMatchObject({
        code: 'DICOMNET_DATASET_UNSUPPORTED',
        feature: 'character-set',
      });
      expect(decodeError('08000500 4353 0A00 49534F5F495220393939')).toMatchObject({
        feature: 'character-set',
      });
    });

    it('writes non-ASCII text only under ISO_IR 192', () => {
      const name = { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Müller' }] } };
      expect(() => codec.encode(name, EXPLICIT)).toThrow(
        expect.objectContaining({ code: 'DICOMNET_DATASET_UNSUPPORTED', feature: 'character-set' }),
      );
      expect(() =>
        codec.encode({ ...name, '00080005': { vr: 'CS', Value: ['ISO_IR 100'] } }, EXPLICIT),
      ).toThrow(expect.objectContaining({ feature: 'character-set' }));
      const utf8 = codec.encode(
        { ...name, '00080005': { vr: 'CS', Value: ['ISO_IR 192'] } },
        EXPLICIT,
      );
      expect(toHex(utf8)).toBe(
        '0800050043530a0049534f5f49522031393210001000504e08004dc3bc6c6c657220',
      );
    });
  });

  describe('ambiguous dictionary VRs in Implicit VR (defects 14, 16)', () => {
    it('reads "US or SS" as US, or as SS under Pixel Representation 1', () => {
      expect(codec.decode(fromHex('28000601 02000000 9CFF'), IMPLICIT)).toEqual({
        '00280106': { vr: 'US', Value: [65436] },
      });
      expect(
        codec.decode(fromHex('28000301 02000000 0100  28000601 02000000 9CFF'), IMPLICIT),
      ).toEqual({
        '00280103': { vr: 'US', Value: [1] },
        '00280106': { vr: 'SS', Value: [-100] },
      });
    });

    it('keeps LUT Descriptors unsigned', () => {
      expect(
        codec.decode(fromHex('28000301 02000000 0100  28000230 06000000 0001 0080 1000'), IMPLICIT)[
          '00283002'
        ],
      ).toEqual({
        vr: 'US',
        Value: [256, 32768, 16],
      });
    });

    it('reads LUT Data "US or OW" and Overlay Data "OB or OW" as OW', () => {
      expect(
        codec.decode(fromHex('28000630 04000000 01020304  00600030 02000000 FFFF'), IMPLICIT),
      ).toEqual({
        '00283006': { vr: 'OW', InlineBinary: Uint8Array.of(1, 2, 3, 4) },
        '60003000': { vr: 'OW', InlineBinary: Uint8Array.of(0xff, 0xff) },
      });
    });
  });

  it('gives empty binary elements no Value (dcmjs reads them as 0)', () => {
    expect(codec.decode(fromHex('28001000 5553 0000  28000301 5553 0000'), EXPLICIT)).toEqual({
      '00280010': { vr: 'US' },
      '00280103': { vr: 'US' },
    });
  });

  it('keeps empty items, which dcmjs drops', () => {
    const bytes = fromHex(`
      08001011 5351 0000 FFFFFFFF
      FEFF00E0 00000000                 # empty item of defined length
      FEFF00E0 FFFFFFFF FEFF0DE0 00000000   # empty item of undefined length
      FEFFDDE0 00000000`);
    expect(codec.decode(bytes, EXPLICIT)).toEqual({ '00081110': { vr: 'SQ', Value: [{}, {}] } });
  });

  it('drops group lengths (PS3.18 F.2.2)', () => {
    expect(
      codec.decode(
        fromHex('08000000 554C 0400 0C000000  08002000 4441 0800 3230323530313031'),
        EXPLICIT,
      ),
    ).toEqual({
      '00080020': { vr: 'DA', Value: ['20250101'] },
    });
  });

  it('refuses values whose length does not fit the VR', () => {
    expect(decodeError('28001000 5553 0300 010203 00')).toMatchObject({
      code: 'DICOMNET_DATASET_MALFORMED',
    });
    expect(decodeError('10001010 4153 0600 303435592020')).toMatchObject({
      code: 'DICOMNET_DATASET_MALFORMED',
    });
  });

  it('refuses a tag that occurs twice (dcmjs would keep the last silently)', () => {
    expect(decodeError('10002000 4C4F 0200 4131  10002000 4C4F 0200 4132')).toMatchObject({
      code: 'DICOMNET_DATASET_MALFORMED',
    });
  });

  it('bounds the decoded size, deflated or not', () => {
    const small = createDcmjsCodec({ maxDataSetBytes: 64 });
    expect(decodeError('10002000 4C4F 5000' + '41'.repeat(80), EXPLICIT, small)).toMatchObject({
      feature: 'size',
    });
    const bomb = deflateRawSync(new Uint8Array(1 << 20));
    expect(() => small.decode(bomb, '1.2.840.10008.1.2.1.99')).toThrow(
      expect.objectContaining({ feature: 'size' }),
    );
  });

  it('bounds sequence nesting both ways', () => {
    const shallow = createDcmjsCodec({ maxSequenceDepth: 1 });
    const nested: DataSet = {
      '00081110': { vr: 'SQ', Value: [{ '00081111': { vr: 'SQ', Value: [{}] } }] },
    };
    expect(() => shallow.encode(nested, EXPLICIT)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_DATASET_INVALID_VALUE' }),
    );
    expect(() => shallow.decode(codec.encode(nested, EXPLICIT), EXPLICIT)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_DATASET_MALFORMED' }),
    );
  });

  it('writes numbers given for DS and IS as strings', () => {
    const bytes = codec.encode(
      { '00180050': { vr: 'DS', Value: [0.1, 2.5e-10] }, '00200013': { vr: 'IS', Value: [42] } },
      EXPLICIT,
    );
    expect(codec.decode(bytes, EXPLICIT)).toEqual({
      '00180050': { vr: 'DS', Value: ['0.1', '2.5e-10'] },
      '00200013': { vr: 'IS', Value: ['42'] },
    });
  });
});
