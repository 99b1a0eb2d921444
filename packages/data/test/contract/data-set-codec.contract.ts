// The DataSetCodec contract: every implementation (dcmjs today, our own codec later) must pass it.
// Wire an implementation up with one line in a *.test.ts file:
//   runDataSetCodecContract('dcmjs', () => createDcmjsCodec());
import { inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DicomnetError } from '../../src/index.js';
import type { DataSet, DataSetCodec } from '../../src/index.js';
import { arbitraryDataSet } from './data-set-arbitrary.js';
import { ALL_VRS, fixture, SYNTAXES } from './data-set-fixtures.js';

/** What an implementation declares it cannot do; the contract then expects a typed refusal. */
export interface DataSetCodecCapabilities {
  /** VRs the codec refuses with DICOMNET_DATASET_UNSUPPORTED (e.g. OL, OV, SV). */
  readonly unsupportedVrs?: readonly string[];
}

const NATIVE = [
  ['Implicit VR Little Endian', SYNTAXES.implicit, 'data-set-all-vrs-implicit.bin'],
  ['Explicit VR Little Endian', SYNTAXES.explicit, 'data-set-all-vrs-explicit.bin'],
  ['Explicit VR Big Endian', SYNTAXES.bigEndian, 'data-set-all-vrs-big-endian.bin'],
] as const;
const ALL_SYNTAXES = Object.values(SYNTAXES);

/** One small element per VR, for round trips in every syntax. */
const EVERY_VR: Readonly<Record<string, DataSet>> = {
  AE: { '00080054': { vr: 'AE', Value: ['ONE', 'TWO'] } },
  AS: { '00101010': { vr: 'AS', Value: ['012M'] } },
  AT: { '00280009': { vr: 'AT', Value: ['00181063', 'FFFEE000'] } },
  CS: { '00080060': { vr: 'CS', Value: ['MR'] } },
  DA: { '00080020': { vr: 'DA', Value: ['20240229-20250101'] } },
  DS: { '00180050': { vr: 'DS', Value: ['0.5', '-12', '1e-07'] } },
  DT: { '0008002A': { vr: 'DT', Value: ['20250101120000.000001+0100'] } },
  FD: { '00189087': { vr: 'FD', Value: [Math.PI, -0, Number.MAX_VALUE] } },
  FL: { '00700022': { vr: 'FL', Value: [0.5, -1.25, 1024] } },
  IS: { '00200013': { vr: 'IS', Value: ['-2147483648', '7'] } },
  LO: { '00100020': { vr: 'LO', Value: ['ID-1', '', 'ID-3'] } },
  LT: { '00104000': { vr: 'LT', Value: ['first line\r\nsecond \\ line'] } },
  OB: { '00420011': { vr: 'OB', InlineBinary: Uint8Array.of(0, 255, 0xfe, 0xff) } },
  OD: { '00660022': { vr: 'OD', InlineBinary: new Uint8Array(Float64Array.of(1.5, -2).buffer) } },
  OF: { '00640009': { vr: 'OF', InlineBinary: new Uint8Array(Float32Array.of(1.5, -2).buffer) } },
  OL: { '00660129': { vr: 'OL', InlineBinary: Uint8Array.of(1, 2, 3, 4) } },
  OV: { '7FE00001': { vr: 'OV', InlineBinary: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) } },
  OW: { '00281201': { vr: 'OW', InlineBinary: Uint8Array.of(1, 2, 3, 4) } },
  PN: {
    '00101001': {
      vr: 'PN',
      Value: [{ Alphabetic: 'A^B', Ideographic: 'C', Phonetic: 'D' }, {}, { Phonetic: 'x' }],
    },
  },
  SH: { '00080050': { vr: 'SH', Value: ['ACC'] } },
  SL: { '00186020': { vr: 'SL', Value: [-2147483648, 2147483647] } },
  SQ: { '00081110': { vr: 'SQ', Value: [{}, { '00081150': { vr: 'UI', Value: ['1.2.3'] } }, {}] } },
  SS: { '00189219': { vr: 'SS', Value: [-32768, 32767] } },
  ST: { '00080081': { vr: 'ST', Value: ['a\\b\\c'] } },
  SV: { '00720082': { vr: 'SV', Value: [-9223372036854775808n, 9223372036854775807n] } },
  TM: { '00080030': { vr: 'TM', Value: ['070000-080000'] } },
  UC: { '00080119': { vr: 'UC', Value: ['x'.repeat(300)] } },
  UI: { '00080018': { vr: 'UI', Value: ['1.2.840.10008.1.2', '1.2.3'] } },
  UL: { '00186016': { vr: 'UL', Value: [0, 4294967295] } },
  UN: { '00091001': { vr: 'UN', InlineBinary: Uint8Array.of(9, 8, 7, 6) } },
  UR: { '00080120': { vr: 'UR', Value: ['http://example.org/a\\b?c=d'] } },
  US: { '00181310': { vr: 'US', Value: [0, 65535] } },
  UT: { '0040A160': { vr: 'UT', Value: ['unlimited \\ text'] } },
  UV: { '00080428': { vr: 'UV', Value: [0n, 18446744073709551615n] } },
};

/**
 * Runs the contract against `makeCodec()`. Tests name the codec; each test makes a fresh codec.
 * @param name - Shown in the test names.
 * @param makeCodec - Creates the implementation under test.
 * @param capabilities - What it declares it cannot do.
 */
export function runDataSetCodecContract(
  name: string,
  makeCodec: () => DataSetCodec,
  capabilities: DataSetCodecCapabilities = {},
): void {
  const unsupported = new Set(capabilities.unsupportedVrs ?? []);

  describe(`DataSetCodec contract: ${name}`, () => {
    describe.each(NATIVE)('%s', (_label, syntax, file) => {
      it('decodes the DCMTK fixture to the expected model', () => {
        expect(makeCodec().decode(fixture(file), syntax)).toEqual(ALL_VRS);
      });
      it('encodes the model to exactly the DCMTK bytes', () => {
        expect(hex(makeCodec().encode(ALL_VRS, syntax))).toBe(hex(fixture(file)));
      });
    });

    it('decodes DCMTK sequences and items of explicit length', () => {
      const codec = makeCodec();
      expect(
        codec.decode(fixture('data-set-all-vrs-explicit-lengths.bin'), SYNTAXES.explicit),
      ).toEqual(ALL_VRS);
      expect(
        codec.decode(fixture('data-set-all-vrs-implicit-explicit-lengths.bin'), SYNTAXES.implicit),
      ).toEqual(ALL_VRS);
    });

    it('decodes a DCMTK deflated data set and deflates to the same inflated bytes', () => {
      const codec = makeCodec();
      expect(codec.decode(fixture('data-set-all-vrs-deflated.bin'), SYNTAXES.deflated)).toEqual(
        ALL_VRS,
      );
      const deflated = codec.encode(ALL_VRS, SYNTAXES.deflated);
      expect(deflated.byteLength % 2).toBe(0); // PS3.5 A.5: padded to even length
      expect(hex(inflateRawSync(deflated))).toBe(hex(fixture('data-set-all-vrs-explicit.bin')));
      expect(hex(inflateRawSync(fixture('data-set-all-vrs-deflated.bin')))).toBe(
        hex(fixture('data-set-all-vrs-explicit.bin')),
      );
    });

    describe.each(Object.entries(EVERY_VR))('VR %s', (vr, dataSet) => {
      it.each(ALL_SYNTAXES)(
        `round-trips in %s${unsupported.has(vr) ? ' (refused)' : ''}`,
        (syntax) => {
          const codec = makeCodec();
          if (unsupported.has(vr)) {
            expect(() => codec.encode(dataSet, syntax)).toThrow(
              expect.objectContaining({ code: 'DICOMNET_DATASET_UNSUPPORTED' }),
            );
            return;
          }
          expect(codec.decode(codec.encode(dataSet, syntax), syntax)).toEqual(dataSet);
        },
      );
    });

    it.each(ALL_SYNTAXES)('round-trips empty elements of every VR in %s', (syntax) => {
      const codec = makeCodec();
      const empty: DataSet = Object.fromEntries(
        Object.entries(EVERY_VR)
          .filter(([vr]) => !unsupported.has(vr))
          .map(([vr, dataSet]) => [Object.keys(dataSet)[0] as string, { vr }]),
      );
      expect(codec.decode(codec.encode(empty, syntax), syntax)).toEqual(empty);
    });

    it.each(ALL_SYNTAXES)(
      'round-trips nested sequences, empty items and UTF-8 in items in %s',
      (syntax) => {
        const codec = makeCodec();
        const nested: DataSet = {
          '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
          '00400275': {
            vr: 'SQ',
            Value: [
              {
                '00400008': {
                  vr: 'SQ',
                  Value: [{}, { '00080104': { vr: 'LO', Value: ['Ünïcödé ✓'] } }],
                },
                '00400009': { vr: 'SH', Value: ['SPS1'] },
                '00400006': {
                  vr: 'PN',
                  Value: [{ Alphabetic: 'Müller^Jörg', Ideographic: '山田^太郎' }],
                },
              },
              {},
              { '00400007': { vr: 'LO', Value: ['plain'] }, '00400100': { vr: 'SQ' } },
            ],
          },
        };
        expect(codec.decode(codec.encode(nested, syntax), syntax)).toEqual(nested);
      },
    );

    it.each(ALL_SYNTAXES)('round-trips generated data sets in %s', (syntax) => {
      const codec = makeCodec();
      fc.assert(
        fc.property(arbitraryDataSet, (dataSet) => {
          expect(codec.decode(codec.encode(dataSet, syntax), syntax)).toEqual(dataSet);
        }),
        { numRuns: 150 },
      );
    });

    it('keeps private elements and their creator', () => {
      const codec = makeCodec();
      const withPrivate: DataSet = {
        '00290010': { vr: 'LO', Value: ['ACME 1.0'] },
        '00291010': { vr: 'UN', InlineBinary: Uint8Array.of(1, 2, 3, 4) },
      };
      for (const syntax of ALL_SYNTAXES)
        expect(codec.decode(codec.encode(withPrivate, syntax), syntax)).toEqual(withPrivate);
    });

    it('decodes a view into a larger buffer by its own offset', () => {
      const bytes = fixture('data-set-all-vrs-explicit.bin');
      const padded = new Uint8Array(bytes.byteLength + 100);
      padded.fill(0xee);
      padded.set(bytes, 37);
      expect(
        makeCodec().decode(padded.subarray(37, 37 + bytes.byteLength), SYNTAXES.explicit),
      ).toEqual(ALL_VRS);
    });

    it('refuses malformed input with a typed error', () => {
      const codec = makeCodec();
      const bytes = fixture('data-set-all-vrs-explicit.bin');
      const cases: Uint8Array[] = [
        bytes.subarray(0, 5), // inside an element header
        bytes.subarray(0, 100), // inside a value
        Uint8Array.of(0x10, 0x00, 0x10, 0x00, 0x50, 0x4e, 0x10, 0x00, 0x41), // PN length 16, 1 byte left
        Uint8Array.of(0x10, 0x00, 0x10, 0x00, 0x5a, 0x5a, 0x00, 0x00), // VR "ZZ"
      ];
      for (const input of cases) {
        expect(() => codec.decode(input, SYNTAXES.explicit)).toThrow(
          expect.objectContaining({
            code: expect.stringMatching(/^DICOMNET_DATASET_(MALFORMED|UNSUPPORTED)$/),
          }),
        );
      }
      expect(() => codec.decode(Uint8Array.of(1, 2, 3), SYNTAXES.deflated)).toThrow(
        expect.objectContaining({ code: 'DICOMNET_DATASET_MALFORMED' }),
      );
    });

    it('refuses invalid models with DICOMNET_DATASET_INVALID_VALUE', () => {
      const codec = makeCodec();
      const invalid: DataSet[] = [
        { '0010001': { vr: 'LO', Value: ['short key'] } },
        { '00100010': { vr: 'XX', Value: ['bad vr'] } },
        { '00100020': { vr: 'LO', Value: ['back\\slash'] } },
        { '00280010': { vr: 'US', Value: [65536] } },
        { '00280010': { vr: 'US', Value: ['1'] } },
        { '00080060': { vr: 'CS', Value: ['Ü'] } },
        { '00080060': { vr: 'CS', Value: ['WAY TOO LONG FOR A CS'] } },
        { '00420011': { vr: 'OB', Value: [1] } },
        { '00080000': { vr: 'UL', Value: [4] } },
        { '00280009': { vr: 'AT', Value: ['0018106'] } },
      ];
      for (const dataSet of invalid) {
        expect(() => codec.encode(dataSet, SYNTAXES.explicit)).toThrow(
          expect.objectContaining({ code: 'DICOMNET_DATASET_INVALID_VALUE' }),
        );
      }
    });

    it('throws nothing but DicomnetError on arbitrary bytes', () => {
      const codec = makeCodec();
      const input = fc.tuple(fc.uint8Array({ maxLength: 96 }), fc.constantFrom(...ALL_SYNTAXES));
      fc.assert(
        fc.property(input, ([bytes, syntax]) => {
          try {
            codec.decode(bytes, syntax);
          } catch (error) {
            expect(DicomnetError.isInstance(error)).toBe(true);
          }
        }),
        { numRuns: 500 },
      );
    });

    it('throws nothing but DicomnetError on mutated fixtures', () => {
      const codec = makeCodec();
      const bytes = fixture('data-set-all-vrs-explicit.bin');
      const mutation = fc.tuple(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.nat({ max: bytes.length }),
      );
      fc.assert(
        fc.property(mutation, ([at, value, cut]) => {
          const mutated = bytes.slice(0, cut);
          if (at < mutated.length) mutated[at] = value;
          try {
            codec.decode(mutated, SYNTAXES.explicit);
          } catch (error) {
            expect(DicomnetError.isInstance(error)).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
