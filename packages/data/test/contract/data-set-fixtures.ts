// Expected models of the DCMTK-written fixtures (test/fixtures/data-set-make-fixtures.sh), written
// by hand from data-set-all-vrs.dump and `dcmdump` of the files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataSet } from '../../src/index.js';

/** Reads a file of test/fixtures. */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(
    readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))),
  );
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const float32 = (...values: number[]): Uint8Array =>
  new Uint8Array(Float32Array.from(values).buffer);
const float64 = (...values: number[]): Uint8Array =>
  new Uint8Array(Float64Array.from(values).buffer);

/**
 * data-set-all-vrs.dump as a model. The same in every transfer syntax: in Implicit VR the private
 * creator is LO by rule (PS3.5 7.8.1), the UN stays UN, and SmallestImagePixelValue "US or SS"
 * is SS because Pixel Representation is 1.
 */
export const ALL_VRS: DataSet = {
  '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
  '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY', 'OTHER'] },
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
  '00080018': { vr: 'UI', Value: ['1.2.826.0.1.3680043.8.498.77'] },
  '00080020': { vr: 'DA', Value: ['20250101'] },
  '0008002A': { vr: 'DT', Value: ['20250101120000.123456'] },
  '00080030': { vr: 'TM', Value: ['120000.5'] },
  '00080050': { vr: 'SH', Value: ['ACC0001'] },
  '00080054': { vr: 'AE', Value: ['ARCHIVE1', 'ARCHIVE2'] },
  '00080081': { vr: 'ST', Value: ['C:\\dir\\file.txt'] },
  '00080090': {
    vr: 'PN',
    Value: [{ Alphabetic: 'Müller^Jörg', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' }],
  },
  '00080119': { vr: 'UC', Value: ['long code value'] },
  '00080120': { vr: 'UR', Value: ['urn:oid:1.2.3'] },
  '00080428': { vr: 'UV', Value: [18446744073709551615n] },
  '00081030': { vr: 'LO', Value: ['Study of Müller'] },
  '00081110': {
    vr: 'SQ',
    Value: [
      {
        '00081111': {
          vr: 'SQ',
          Value: [{ '00081150': { vr: 'UI', Value: ['1.2.840.10008.3.1.2.3.3'] } }],
        },
        '00081150': { vr: 'UI', Value: ['1.2.840.10008.3.1.2.3.1'] },
        '00081155': { vr: 'UI', Value: ['1.2.826.0.1.3680043.8.498.78'] },
        '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Ölkers^Änne' }] },
      },
      {},
    ],
  },
  '00081115': { vr: 'SQ' },
  '00090010': { vr: 'LO', Value: ['DICOMNET TEST'] },
  '00091001': { vr: 'UN', InlineBinary: bytes(0x70, 0x72, 0x69, 0x76, 0x61, 0x74, 0x65, 0x00) },
  '00100020': { vr: 'LO', Value: ['PID0001'] },
  '00101001': { vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }, {}, { Alphabetic: 'Roe^Jane' }] },
  '00101010': { vr: 'AS', Value: ['045Y'] },
  '00104000': { vr: 'LT', Value: ['Line one\\Line two'] },
  '00180050': { vr: 'DS', Value: ['2.50'] },
  '00181310': { vr: 'US', Value: [0, 64, 64, 0] },
  '00186016': { vr: 'UL', Value: [7] },
  '00186020': { vr: 'SL', Value: [-5] },
  '00189087': { vr: 'FD', Value: [1000.5] },
  '00189219': { vr: 'SS', Value: [-3] },
  '00200013': { vr: 'IS', Value: ['42'] },
  '00200032': { vr: 'DS', Value: ['-1.5', '2', '3.25e-5'] },
  '00280009': { vr: 'AT', Value: ['00181063', '00181065'] },
  '00280103': { vr: 'US', Value: [1] },
  '00280106': { vr: 'SS', Value: [-100] },
  // OW words 0x0102, 0x0304 in Little Endian order, whatever the transfer syntax.
  '00281201': { vr: 'OW', InlineBinary: bytes(0x02, 0x01, 0x04, 0x03) },
  '0040A160': { vr: 'UT', Value: ['text with \\ backslash'] },
  '00420011': { vr: 'OB', InlineBinary: bytes(1, 2, 3, 4) },
  '00640009': { vr: 'OF', InlineBinary: float32(1.5, -2) },
  '00660022': { vr: 'OD', InlineBinary: float64(0.25) },
  '00700022': { vr: 'FL', Value: [1.5, 2.25] },
};

/** The transfer syntaxes the contract runs in. */
export const SYNTAXES = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  bigEndian: '1.2.840.10008.1.2.2',
  deflated: '1.2.840.10008.1.2.1.99',
} as const;
