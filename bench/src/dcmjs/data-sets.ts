/**
 * The data sets of the codec benchmark, in dicomnet's model (PS3.18 F.2 shape), built from a
 * fixed seed so every run encodes the same bytes (dcmjs-notes.md "Measured speeds"):
 *
 * - small: 42 top-level / 53 elements in all, 4 sequences holding 6 items (a query identifier
 *   or worklist item), about 1 KB;
 * - a big sequence of N items, each with 3 nested sequences (shaped like a Per-Frame Functional
 *   Groups Sequence or an Inventory), about 200 bytes per item;
 * - the small set plus 50 MB of OW Pixel Data.
 */
import type { DataElement, DataSet } from '@dicomnet/data';

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same data sets. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of every run. */
export const SEED = 20261125;

type Random = () => number;

const int = (random: Random, low: number, high: number): number =>
  low + Math.floor(random() * (high - low + 1));
const pick = <T>(random: Random, values: readonly T[]): T =>
  values[int(random, 0, values.length - 1)] as T; // the index is within bounds
const digits = (random: Random, count: number): string =>
  Array.from({ length: count }, (_, index) => String(int(random, index === 0 ? 1 : 0, 9))).join('');
const word = (random: Random, length: number): string =>
  Array.from({ length }, () => String.fromCharCode(int(random, 65, 90))).join('');
const date = (random: Random): string =>
  `${int(random, 1940, 2025)}${String(int(random, 1, 12)).padStart(2, '0')}${String(int(random, 1, 28)).padStart(2, '0')}`;
const time = (random: Random): string =>
  `${String(int(random, 0, 23)).padStart(2, '0')}${String(int(random, 0, 59)).padStart(2, '0')}${String(int(random, 0, 59)).padStart(2, '0')}`;
const uid = (random: Random): string => `1.2.826.0.1.3680043.8.498.${digits(random, 20)}`;
const name = (random: Random): string =>
  `${word(random, int(random, 4, 10))}^${word(random, int(random, 3, 8))}`;

const text = (vr: string, ...values: string[]): DataElement => ({ vr, Value: values });
const person = (alphabetic: string): DataElement => ({
  vr: 'PN',
  Value: [{ Alphabetic: alphabetic }],
});
const us = (value: number): DataElement => ({ vr: 'US', Value: [value] });
const sequence = (...items: DataSet[]): DataElement => ({ vr: 'SQ', Value: items });

const MODALITIES = ['CT', 'MR', 'US', 'CR', 'DX', 'NM', 'PT', 'XA'] as const;
const BODY_PARTS = ['CHEST', 'HEAD', 'ABDOMEN', 'PELVIS', 'KNEE', 'HAND'] as const;

/** One small data set: 42 top-level elements (4 of them sequences), 53 in all, 6 items. */
export function smallDataSet(random: Random): DataSet {
  const modality = pick(random, MODALITIES);
  return {
    '00080005': text('CS', 'ISO_IR 192'),
    '00080016': text('UI', '1.2.840.10008.5.1.4.1.1.7'),
    '00080018': text('UI', uid(random)),
    '00080020': text('DA', date(random)),
    '00080021': text('DA', date(random)),
    '00080030': text('TM', time(random)),
    '00080031': text('TM', time(random)),
    '00080050': text('SH', `ACC${digits(random, 8)}`),
    '00080052': text('CS', 'STUDY'),
    '00080054': text('AE', 'ARCHIVE'),
    '00080056': text('CS', 'ONLINE'),
    '00080060': text('CS', modality),
    '00080061': text('CS', modality, pick(random, MODALITIES)),
    '00080080': text('LO', `${word(random, 8)} HOSPITAL`),
    '00080090': person(name(random)),
    '00081030': text('LO', `${pick(random, BODY_PARTS)} ${word(random, 6)}`),
    '0008103E': text('LO', `SERIES ${word(random, 10)}`),
    '00081032': sequence({
      '00080100': text('SH', `P${digits(random, 5)}`),
      '00080102': text('SH', 'LOCAL'),
      '00080104': text('LO', `${pick(random, BODY_PARTS)} PROCEDURE`),
    }),
    '00081110': sequence({
      '00081150': text('UI', '1.2.840.10008.3.1.2.3.1'),
      '00081155': text('UI', uid(random)),
    }),
    '00100010': person(name(random)),
    '00100020': text('LO', `PID${digits(random, 7)}`),
    '00100021': text('LO', 'HOSPITAL'),
    '00100030': text('DA', date(random)),
    '00100040': text('CS', pick(random, ['M', 'F', 'O'])),
    '00101002': sequence(
      { '00100020': text('LO', `OTHER${digits(random, 6)}`) },
      { '00100020': text('LO', `OTHER${digits(random, 6)}`) },
    ),
    '00101010': text('AS', `${String(int(random, 1, 99)).padStart(3, '0')}Y`),
    '00101020': text('DS', `${int(random, 140, 200) / 100}`),
    '00101030': text('DS', `${int(random, 400, 1200) / 10}`),
    '00102160': text('SH', word(random, 6)),
    '00104000': text('LT', `Benchmark patient ${word(random, 30)}`),
    '00180015': text('CS', pick(random, BODY_PARTS)),
    '0020000D': text('UI', uid(random)),
    '0020000E': text('UI', uid(random)),
    '00200010': text('SH', digits(random, 6)),
    '00200011': text('IS', String(int(random, 1, 20))),
    '00201206': text('IS', String(int(random, 1, 20))),
    '00201208': text('IS', String(int(random, 1, 2000))),
    '00280010': us(int(random, 64, 4096)),
    '00280011': us(int(random, 64, 4096)),
    '00321060': text('LO', `${modality} ${pick(random, BODY_PARTS)}`),
    '00400100': sequence(
      { '00080060': text('CS', modality), '00400001': text('AE', `STATION${int(random, 1, 9)}`) },
      { '00080060': text('CS', modality), '00400001': text('AE', `STATION${int(random, 1, 9)}`) },
    ),
    '00401001': text('SH', `RP${digits(random, 6)}`),
  };
}

/**
 * A data set whose Per-Frame Functional Groups Sequence (5200,9230) has `items` items, each with
 * three nested sequences of one item: Frame Content, Plane Position, Plane Orientation.
 */
export function bigSequenceDataSet(random: Random, items: number): DataSet {
  const frames: DataSet[] = [];
  for (let index = 0; index < items; index++) {
    const z = (index * 1.25 - 500).toFixed(2);
    frames.push({
      '00209111': sequence({
        '00209156': us((index % 65535) + 1),
        '00209157': { vr: 'UL', Value: [1, index + 1] },
      }),
      '00209113': sequence({
        '00200032': text('DS', `${int(random, -250, 250)}`, `${int(random, -250, 250)}`, z),
      }),
      '00209116': sequence({ '00200037': text('DS', '1', '0', '0', '0', '1', '0') }),
    });
  }
  return {
    '00080016': text('UI', '1.2.840.10008.5.1.4.1.1.4.1'),
    '00080018': text('UI', uid(random)),
    '00100010': person(name(random)),
    '00100020': text('LO', `PID${digits(random, 7)}`),
    '00280008': text('IS', String(items)),
    '52009230': sequence(...frames),
  };
}

/** The small set with `bytes` of OW Pixel Data (7FE0,0010), as the adapter takes it. */
export function pixelDataSet(random: Random, bytes: number): DataSet {
  const pixels = new Uint8Array(bytes);
  for (let index = 0; index < bytes; index += 4096) pixels[index] = int(random, 0, 255);
  return { ...smallDataSet(random), '7FE00010': { vr: 'OW', InlineBinary: pixels } };
}
