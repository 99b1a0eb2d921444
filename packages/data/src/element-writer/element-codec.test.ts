import { describe, expect, it } from 'vitest';
import { ALL_VRS, fixture, SYNTAXES } from '../../test/contract/data-set-fixtures.js';
import { runDataSetCodecContract } from '../../test/contract/data-set-codec.contract.js';
import { createElementCodec } from './element-codec.js';

const UV_TAG = 0x00080428;

// The contract's fixtures hold a UV at (0008,0428), which the reader's dictionary (generated from
// DCMTK 3.6.7's dicom.dic) does not know: in Implicit VR it decodes as UN unless the codec is
// told its VR. The test below shows the gap; the contract runs with the VR supplied.
runDataSetCodecContract('element reader and writer', () =>
  createElementCodec({ implicitVr: (tag) => (tag === UV_TAG ? 'UV' : undefined) }),
);

describe('createElementCodec', () => {
  it('decodes (0008,0428) as UN in Implicit VR without implicitVr (a dictionary gap)', () => {
    const decoded = createElementCodec().decode(
      fixture('data-set-all-vrs-implicit.bin'),
      SYNTAXES.implicit,
    );
    expect(decoded['00080428']).toEqual({ vr: 'UN', InlineBinary: new Uint8Array(8).fill(0xff) });
    expect({ ...decoded, '00080428': ALL_VRS['00080428'] }).toEqual(ALL_VRS);
  });

  it('decodes a UN sequence of undefined length as SQ (PS3.5 6.2.2)', () => {
    // (0009,1002) UN, undefined length; one item holding (0009,1003) in Implicit VR LE.
    const bytes = Buffer.from(
      '09000210554e0000ffffffff' +
        'feff00e0ffffffff' +
        '09000310' +
        '02000000' +
        '4142' +
        'feff0de000000000' +
        'feffdde000000000',
      'hex',
    );
    expect(createElementCodec().decode(bytes, SYNTAXES.explicit)).toEqual({
      '00091002': {
        vr: 'SQ',
        Value: [{ '00091003': { vr: 'UN', InlineBinary: Uint8Array.of(0x41, 0x42) } }],
      },
    });
  });

  it('refuses encapsulated pixel data both ways', () => {
    const codec = createElementCodec();
    const pixels = Buffer.from(
      'e07f10004f420000ffffffff' + 'feff00e000000000' + 'feff00e0020000000102' + 'feffdde000000000',
      'hex',
    );
    expect(() => codec.decode(pixels, '1.2.840.10008.1.2.4.50')).toThrow(
      expect.objectContaining({
        code: 'DICOMNET_DATASET_UNSUPPORTED',
        feature: 'encapsulated-pixel-data',
      }),
    );
    expect(() =>
      codec.encode(
        { '7FE00010': { vr: 'OB', InlineBinary: Uint8Array.of(1, 2) } },
        '1.2.840.10008.1.2.4.50',
      ),
    ).toThrow(expect.objectContaining({ code: 'DICOMNET_DATASET_UNSUPPORTED' }));
  });
});
