// The studies `dicomnet demo` makes: several patients, studies of a few modalities, series and
// small images, each with the SOP class of its modality (PS3.4 Table B.5-1), encoded once.
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSet } from '@dicomnet/data';
import { createElementCodec, TransferSyntax } from '@dicomnet/data';

/** The transfer syntax the demo sends and stores. */
export const DEMO_SYNTAX = TransferSyntax.ExplicitVrLittleEndian;

/** One instance the demo stores, with the UIDs and values the inventory must list. */
export interface DemoInstance {
  readonly patientId: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly modality: string;
  /** The data set in {@link DEMO_SYNTAX}. */
  readonly bytes: Uint8Array;
}

const PATIENTS = [
  { id: 'DEMO0001', name: 'Lovelace^Ada' },
  { id: 'DEMO0002', name: 'Turing^Alan' },
  { id: 'DEMO0003', name: 'Hopper^Grace' },
  { id: 'DEMO0004', name: 'Curie^Marie' },
];

/** Modalities in turn, with the Storage SOP class of each (PS3.4 Table B.5-1). */
const MODALITIES = [
  { modality: 'CT', sopClassUid: '1.2.840.10008.5.1.4.1.1.2' }, // CT Image Storage
  { modality: 'MR', sopClassUid: '1.2.840.10008.5.1.4.1.1.4' }, // MR Image Storage
  { modality: 'CR', sopClassUid: '1.2.840.10008.5.1.4.1.1.1' }, // Computed Radiography
  { modality: 'US', sopClassUid: '1.2.840.10008.5.1.4.1.1.6.1' }, // Ultrasound Image Storage
  { modality: 'OT', sopClassUid: '1.2.840.10008.5.1.4.1.1.7' }, // Secondary Capture
];

const SERIES_PER_STUDY = 2;
const INSTANCES_PER_SERIES = 3;

/** The SOP classes {@link makeDemoStudies} uses, to propose them. */
export const DEMO_SOP_CLASSES: readonly string[] = MODALITIES.map((entry) => entry.sopClassUid);

/** The item of `list` at `index`, counting round. */
function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length] as T; // the index is within bounds, the lists are not empty
}

/** A UUID-derived UID (PS3.5 B.2). */
function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`)}`;
}

/**
 * `studies` studies over four patients, each of {@link SERIES_PER_STUDY} series of
 * {@link INSTANCES_PER_SERIES} 16 × 16 images, the modalities taken in turn.
 */
export function makeDemoStudies(studies: number): DemoInstance[] {
  const codec = createElementCodec();
  const instances: DemoInstance[] = [];
  let seriesCount = 0;
  for (let study = 0; study < studies; study++) {
    const patient = pick(PATIENTS, study);
    const studyInstanceUid = newUid();
    const studyDate = `2024${String((study % 12) + 1).padStart(2, '0')}15`;
    for (let series = 0; series < SERIES_PER_STUDY; series++) {
      const kind = pick(MODALITIES, seriesCount++);
      const seriesInstanceUid = newUid();
      for (let index = 0; index < INSTANCES_PER_SERIES; index++) {
        const sopInstanceUid = newUid();
        const dataSet: DataSet = {
          '00080016': { vr: 'UI', Value: [kind.sopClassUid] },
          '00080018': { vr: 'UI', Value: [sopInstanceUid] },
          '00080020': { vr: 'DA', Value: [studyDate] },
          '00080030': { vr: 'TM', Value: ['093000'] },
          '00080050': { vr: 'SH', Value: [`ACC${String(study + 1).padStart(4, '0')}`] },
          '00080060': { vr: 'CS', Value: [kind.modality] },
          '00081030': { vr: 'LO', Value: [`Demo study ${study + 1}`] },
          '0008103E': { vr: 'LO', Value: [`${kind.modality} series ${series + 1}`] },
          '00100010': { vr: 'PN', Value: [{ Alphabetic: patient.name }] },
          '00100020': { vr: 'LO', Value: [patient.id] },
          '0020000D': { vr: 'UI', Value: [studyInstanceUid] },
          '0020000E': { vr: 'UI', Value: [seriesInstanceUid] },
          '00200010': { vr: 'SH', Value: [String(study + 1)] },
          '00200011': { vr: 'IS', Value: [String(series + 1)] },
          '00200013': { vr: 'IS', Value: [String(index + 1)] },
          '00280002': { vr: 'US', Value: [1] },
          '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
          '00280010': { vr: 'US', Value: [16] },
          '00280011': { vr: 'US', Value: [16] },
          '00280100': { vr: 'US', Value: [16] },
          '00280101': { vr: 'US', Value: [12] },
          '00280102': { vr: 'US', Value: [11] },
          '00280103': { vr: 'US', Value: [0] },
          '7FE00010': { vr: 'OW', InlineBinary: randomBytes(16 * 16 * 2) },
        };
        instances.push({
          patientId: patient.id,
          studyInstanceUid,
          seriesInstanceUid,
          sopInstanceUid,
          sopClassUid: kind.sopClassUid,
          modality: kind.modality,
          bytes: codec.encode(dataSet, DEMO_SYNTAX),
        });
      }
    }
  }
  return instances;
}
