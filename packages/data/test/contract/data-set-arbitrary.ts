// fast-check generators of canonical data sets for the codec contract: every value is in the form
// a decoder gives back (no trailing padding, no single empty value, float32-exact FL…), and every
// tag has its dictionary VR, so Implicit VR round trips too.
import fc from 'fast-check';
import type { DataElement, DataElementValue, DataSet } from '../../src/index.js';

/** One tag per VR whose PS3.6 VR is that VR. */
const TAGS: Readonly<Record<string, string>> = {
  AE: '00080054',
  AS: '00101010',
  AT: '00280009',
  CS: '00080060',
  DA: '00080020',
  DS: '00180050',
  DT: '0008002A',
  FD: '00189087',
  FL: '00700022',
  IS: '00200013',
  LO: '00100020',
  LT: '00104000',
  OB: '00420011',
  OD: '00660022',
  OF: '00640009',
  OW: '00281201',
  PN: '00101001',
  SH: '00080050',
  SL: '00186020',
  SS: '00189219',
  ST: '00080081',
  TM: '00080030',
  UC: '00080119',
  UI: '00080018',
  UL: '00186016',
  UN: '00091001',
  UR: '00080120',
  US: '00181310',
  UT: '0040A160',
  UV: '00080428',
};
const SEQUENCE_TAGS = ['00081110', '00081115', '00400275'] as const;

const noTrailingSpace = (text: string): boolean => !/[ \0]$/.test(text);
const chars = (alphabet: string, min: number, max: number): fc.Arbitrary<string> =>
  fc
    .string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max })
    .filter(noTrailingSpace);
const unicode = (max: number, backslash: boolean): fc.Arbitrary<string> =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: max })
    .filter(
      (text) =>
        noTrailingSpace(text) &&
        !text.includes('\0') &&
        (backslash || !text.includes('\\')) &&
        [...text].length <= max,
    );
const bytes = (size: number): fc.Arbitrary<Uint8Array> =>
  fc
    .integer({ min: 1, max: 6 })
    .chain((count) => fc.uint8Array({ minLength: count * size, maxLength: count * size }));
const several = <T>(value: fc.Arbitrary<T>): fc.Arbitrary<T[]> =>
  fc.array(value, { minLength: 1, maxLength: 3 });
/** Multi-valued strings: empty values allowed, but not a lone empty one (that is "no value"). */
const strings = (value: fc.Arbitrary<string>): fc.Arbitrary<string[]> =>
  fc
    .array(fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant('') }), {
      minLength: 1,
      maxLength: 3,
    })
    .filter((values) => values.some((text) => text !== ''));

const PN_GROUP = unicode(20, false).filter((text) => !/[=^ ]/.test(text));

const VALUES: Readonly<Record<string, fc.Arbitrary<DataElementValue[]>>> = {
  AE: strings(chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_', 1, 16)),
  AS: fc
    .tuple(chars('0123456789', 3, 3), fc.constantFrom('D', 'W', 'M', 'Y'))
    .map(([n, unit]) => [n + unit]),
  AT: several(
    fc.nat({ max: 0xffffffff }).map((tag) => tag.toString(16).toUpperCase().padStart(8, '0')),
  ),
  CS: strings(chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ ', 1, 16)),
  DA: several(chars('0123456789', 8, 8)),
  DS: several(
    fc.oneof(
      fc.integer({ min: -999999, max: 999999 }).map(String),
      fc.constantFrom('0.5', '-1.25e-3', '1E+10', ' 2.0'),
    ),
  ),
  DT: several(chars('0123456789', 14, 14)),
  FD: several(fc.double({ noNaN: true })),
  FL: several(fc.float({ noNaN: true })),
  IS: several(fc.integer({ min: -2147483648, max: 2147483647 }).map(String)),
  LO: strings(unicode(64, false)),
  LT: unicode(200, true).map((text) => [text]),
  PN: fc
    .array(
      fc.record(
        { Alphabetic: PN_GROUP, Ideographic: PN_GROUP, Phonetic: PN_GROUP },
        { requiredKeys: [] },
      ),
      { minLength: 1, maxLength: 3 },
    )
    .filter((names) => names.some((name) => Object.keys(name).length > 0)),
  SH: strings(unicode(16, false)),
  SL: several(fc.integer({ min: -2147483648, max: 2147483647 })),
  SS: several(fc.integer({ min: -32768, max: 32767 })),
  ST: unicode(200, true).map((text) => [text]),
  TM: several(chars('0123456789', 6, 6)),
  UC: strings(unicode(100, false)),
  UI: strings(
    fc
      .array(fc.nat({ max: 99999 }), { minLength: 2, maxLength: 8 })
      .map((parts) => `1.${parts.join('.')}`),
  ),
  UL: several(fc.nat({ max: 0xffffffff })),
  UR: chars('abcdefghijklmnopqrstuvwxyz:/.?=&\\', 1, 60).map((text) => [text]),
  US: several(fc.nat({ max: 0xffff })),
  UT: unicode(300, true).map((text) => [text]),
  UV: several(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
};
const BINARY: Readonly<Record<string, number>> = { OB: 2, OD: 8, OF: 4, OW: 2, UN: 2 };

function element(vr: string): fc.Arbitrary<DataElement> {
  const size = BINARY[vr];
  if (size !== undefined) return bytes(size).map((value) => ({ vr, InlineBinary: value }));
  const values = VALUES[vr] as fc.Arbitrary<DataElementValue[]>; // VALUES covers every non-binary VR of TAGS
  return fc.oneof(
    { weight: 6, arbitrary: values.map((value) => ({ vr, Value: value })) },
    { weight: 1, arbitrary: fc.constant({ vr }) },
  );
}

const { dataSet } = fc.letrec<{ dataSet: DataSet; item: DataSet }>((tie) => ({
  dataSet: fc
    .record(
      {
        ...Object.fromEntries(Object.entries(TAGS).map(([vr, tag]) => [tag, element(vr)])),
        ...Object.fromEntries(
          SEQUENCE_TAGS.map((tag) => [
            tag,
            fc
              .array(tie('item'), { maxLength: 3 })
              .map((items) => (items.length === 0 ? { vr: 'SQ' } : { vr: 'SQ', Value: items })),
          ]),
        ),
      },
      { requiredKeys: [] },
    )
    .map((elements) => elements as DataSet), // record of DataElements
  item: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constant({}), tie('dataSet')),
}));

/** Canonical data sets of every VR but OL, OV and SV, nested up to a few levels, UTF-8 declared. */
export const arbitraryDataSet: fc.Arbitrary<DataSet> = dataSet.map((value) => ({
  ...value,
  '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
}));
