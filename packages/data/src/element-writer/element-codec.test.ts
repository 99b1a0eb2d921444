import { describe, expect, it } from 'vitest';
import { SYNTAXES } from '../../test/contract/data-set-fixtures.js';
import { runDataSetCodecContract } from '../../test/contract/data-set-codec.contract.js';
import { createElementCodec } from './element-codec.js';
import { dataSetTokens, writeElementsSync } from './write-elements.js';

runDataSetCodecContract('element reader and writer', () => createElementCodec());

describe('createElementCodec', () => {
  it('encodes a small data set into a small allocation, not a 64 KiB block of its own', () => {
    // A C-FIND identifier: thousands are held at once by an SCP sending its matches.
    const identifier = {
      '00080052': { vr: 'CS', Value: ['IMAGE'] },
      '00080018': { vr: 'UI', Value: ['1.2.826.0.1.3680043.8.498.3.1'] },
      '00200013': { vr: 'IS', Value: ['1'] },
    } as const;
    // Small blocks come from Node's shared buffer pool (8 KiB on Node 20 and 22, 64 KiB on 24):
    // what 20 encodings hold is a few pools at most, not 20 blocks of 64 KiB.
    const codec = createElementCodec();
    const encoded = Array.from({ length: 20 }, () => codec.encode(identifier, SYNTAXES.explicit));
    const held = new Set(encoded.map((bytes) => bytes.buffer));
    const heldBytes = [...held].reduce((sum, buffer) => sum + buffer.byteLength, 0);
    expect(heldBytes).toBeLessThanOrEqual(20 * 1024 + 2 * Buffer.poolSize);
    expect(codec.decode(encoded[0]!, SYNTAXES.explicit)).toEqual(identifier);
  });

  it('encodes a data set larger than its first blocks to the bytes writeElementsSync gives', () => {
    const dataSet = {
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
      '00091010': { vr: 'LO', Value: Array.from({ length: 300 }, (_, index) => `v${index}`) },
      '7FE00010': { vr: 'OB', InlineBinary: new Uint8Array(200_000).fill(7) },
    } as const;
    for (const syntax of [SYNTAXES.explicit, SYNTAXES.implicit]) {
      const expected = Buffer.concat([
        ...writeElementsSync(dataSetTokens(dataSet), {
          transferSyntaxUid: syntax,
          lengths: 'undefined',
        }),
      ]);
      expect(Buffer.from(createElementCodec().encode(dataSet, syntax)).equals(expected)).toBe(true);
    }
  });

  it('decodes Implicit VR private elements with the VR implicitVr gives, else as UN', () => {
    // (0029,0010) LO "ACME" (a private creator is LO by rule, PS3.5 7.8.1), (0029,1010) 2 bytes.
    const bytes = Buffer.from(
      '29001000' + '04000000' + '41434d45' + '29001010' + '02000000' + '0700',
      'hex',
    );
    expect(createElementCodec().decode(bytes, SYNTAXES.implicit)['00291010']).toEqual({
      vr: 'UN',
      InlineBinary: Uint8Array.of(7, 0),
    });
    const codec = createElementCodec({
      implicitVr: (tag) => (tag === 0x00291010 ? 'US' : undefined),
    });
    expect(codec.decode(bytes, SYNTAXES.implicit)).toEqual({
      '00290010': { vr: 'LO', Value: ['ACME'] },
      '00291010': { vr: 'US', Value: [7] },
    });
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
