/**
 * The shape of the `data` benchmark's corpus: 1,000 instances in 40 series of 25, two series a
 * study, 16 patients, with the modalities, image sizes and transfer syntaxes of a small archive.
 * Everything follows from the series number, so the corpus is the same on every machine.
 */

/** The kinds of instance the corpus holds. */
export type CorpusModality = 'CT' | 'MR' | 'CR' | 'US' | 'SC';

/** How a series is encoded on disk. */
export type CorpusSyntax = 'explicit-le' | 'implicit-le' | 'explicit-be' | 'deflated' | 'jpeg';

/** Transfer syntax UIDs (PS3.6 Table A-1). */
export const SYNTAX_UIDS: Readonly<Record<CorpusSyntax, string>> = {
  'explicit-le': '1.2.840.10008.1.2.1',
  'implicit-le': '1.2.840.10008.1.2',
  'explicit-be': '1.2.840.10008.1.2.2',
  deflated: '1.2.840.10008.1.2.1.99',
  jpeg: '1.2.840.10008.1.2.4.70', // JPEG Lossless, Non-Hierarchical, First-Order Prediction
};

/** The image of one modality: what a real device of that kind writes, in size. */
export interface ImageShape {
  readonly rows: number;
  readonly columns: number;
  readonly frames: number;
  readonly bitsAllocated: 8 | 16;
}

/** Image sizes per modality. */
export const IMAGE_SHAPES: Readonly<Record<CorpusModality, ImageShape>> = {
  CT: { rows: 512, columns: 512, frames: 1, bitsAllocated: 16 },
  MR: { rows: 256, columns: 256, frames: 1, bitsAllocated: 16 },
  CR: { rows: 2048, columns: 2048, frames: 1, bitsAllocated: 16 },
  US: { rows: 480, columns: 640, frames: 4, bitsAllocated: 8 },
  SC: { rows: 256, columns: 256, frames: 1, bitsAllocated: 8 },
};

/** One series of the corpus. */
export interface SeriesPlan {
  /** From 0. */
  readonly index: number;
  readonly modality: CorpusModality;
  readonly syntax: CorpusSyntax;
  /** Sequences and items of undefined length (with delimiters) rather than explicit lengths. */
  readonly undefinedLengths: boolean;
  /** From 0; two series a study. */
  readonly study: number;
  /** From 0. */
  readonly patient: number;
}

/** Instances per series. */
export const SERIES_SIZE = 25;

/** Patients of the corpus; studies go to them in turn. */
export const PATIENT_COUNT = 16;

// Modality and transfer syntax of each of the 40 series: 475 CT, 300 MR, 25 CR, 100 US and
// 100 SC instances; 675 in Explicit VR Little Endian, 150 Implicit, 125 JPEG Lossless (with
// several fragments per frame), 25 Deflated and 25 Explicit VR Big Endian.
const SERIES: readonly (readonly [CorpusModality, CorpusSyntax])[] = [
  ['CT', 'explicit-le'],
  ['CT', 'explicit-le'],
  ['MR', 'explicit-le'],
  ['CT', 'implicit-le'],
  ['US', 'jpeg'],
  ['CT', 'explicit-le'],
  ['MR', 'explicit-le'],
  ['SC', 'explicit-le'],
  ['CR', 'explicit-le'],
  ['CT', 'explicit-le'],
  ['MR', 'implicit-le'],
  ['CT', 'jpeg'],
  ['CT', 'explicit-le'],
  ['MR', 'explicit-le'],
  ['SC', 'deflated'],
  ['CT', 'explicit-le'],
  ['US', 'jpeg'],
  ['MR', 'explicit-be'],
  ['CT', 'implicit-le'],
  ['CT', 'explicit-le'],
  ['MR', 'explicit-le'],
  ['CT', 'explicit-le'],
  ['SC', 'implicit-le'],
  ['MR', 'explicit-le'],
  ['CT', 'explicit-le'],
  ['US', 'jpeg'],
  ['CT', 'explicit-le'],
  ['MR', 'implicit-le'],
  ['CT', 'explicit-le'],
  ['MR', 'explicit-le'],
  ['SC', 'explicit-le'],
  ['CT', 'implicit-le'],
  ['CT', 'explicit-le'],
  ['MR', 'explicit-le'],
  ['US', 'jpeg'],
  ['CT', 'explicit-le'],
  ['MR', 'explicit-le'],
  ['CT', 'explicit-le'],
  ['MR', 'explicit-le'],
  ['CT', 'explicit-le'],
];

/** The series of the corpus, in order. */
export function corpusSeries(): SeriesPlan[] {
  return SERIES.map(([modality, syntax], index) => ({
    index,
    modality,
    syntax,
    // Devices differ: about one series in three writes undefined lengths.
    undefinedLengths: index % 3 === 1,
    study: Math.floor(index / 2),
    patient: Math.floor(index / 2) % PATIENT_COUNT,
  }));
}

/** Instances in the corpus. */
export const CORPUS_SIZE = SERIES.length * SERIES_SIZE;
