/**
 * The data set of one corpus instance as a dcmdump tree: the modules of its IOD (PS3.3 A.3 CT,
 * A.4 MR, A.2 CR, A.7 US Multi-frame, A.8 Secondary Capture) with the attributes devices fill
 * in, sequences nested up to three deep (Request Attributes with a code sequence, Referenced
 * Study, Performed Procedure Step, Other Patient IDs, Referenced Image, Procedure Code), and the
 * private blocks of image-modules.ts. 96 to 129 elements an instance, nested ones included.
 * Patient, study, series and equipment modules are here; image and acquisition ones there.
 */
import { seededRandom } from '../dcmjs/data-sets.js';
import type { SeriesPlan } from './corpus-plan.js';
import { SERIES_SIZE } from './corpus-plan.js';
import type { PatientPlan } from './corpus-people.js';
import { patientPlan } from './corpus-people.js';
import type { Random } from './corpus-random.js';
import { date, int, time, two, uid } from './corpus-random.js';
import type { DumpNode } from './dump-text.js';
import { element as e, elements, sequence } from './dump-text.js';
import { code, imagePixelModule, modalityModule, privateBlocks } from './image-modules.js';

/** SOP classes (PS3.4 Annex B.5). */
const SOP_CLASSES = {
  CT: '1.2.840.10008.5.1.4.1.1.2',
  MR: '1.2.840.10008.5.1.4.1.1.4',
  CR: '1.2.840.10008.5.1.4.1.1.1',
  US: '1.2.840.10008.5.1.4.1.1.3.1',
  SC: '1.2.840.10008.5.1.4.1.1.7',
} as const;

const MODALITY_PERFORMED_PROCEDURE_STEP = '1.2.840.10008.3.1.2.3.3';
const DETACHED_STUDY_MANAGEMENT = '1.2.840.10008.3.1.2.3.1';

/** What every instance of a study shares. */
interface StudyValues {
  readonly uid: string;
  readonly date: string;
  readonly hour: number;
  readonly id: string;
  readonly accession: string;
  readonly requestedProcedureId: string;
}

/** What every instance of a series shares. */
interface SeriesValues {
  readonly uid: string;
  readonly number: number;
  readonly hour: number;
  readonly minute: number;
  readonly frameOfReference: string;
  readonly ppsId: string;
  readonly ppsUid: string;
  readonly scheduledStepId: string;
  readonly stationName: string;
  readonly localizerUid: string;
  readonly emptyReferringPhysician: boolean;
}

function studyValues(plan: SeriesPlan): StudyValues {
  const random = seededRandom(1_000 + plan.study);
  return {
    uid: uid(random),
    date: date(random, 2019, 2025),
    hour: int(random, 7, 17),
    id: String(int(random, 1000, 99999)),
    accession: `A${int(random, 10_000_000, 99_999_999)}`,
    requestedProcedureId: `RP${int(random, 100_000, 999_999)}`,
  };
}

function seriesValues(plan: SeriesPlan): SeriesValues {
  const random = seededRandom(2_000 + plan.index);
  return {
    uid: uid(random),
    number: (plan.index % 2) + 1 + int(random, 0, 2) * 100,
    hour: int(random, 0, 1),
    minute: int(random, 0, 58), // ContentTime adds one minute
    frameOfReference: uid(random),
    ppsId: `PPS${int(random, 1000, 9999)}`,
    ppsUid: uid(random),
    scheduledStepId: `SPS${int(random, 10_000, 99_999)}`,
    stationName: `${plan.modality}STATION${int(random, 1, 4)}`,
    localizerUid: uid(random),
    emptyReferringPhysician: plan.index % 5 === 4,
  };
}

const EQUIPMENT: Readonly<Record<SeriesPlan['modality'], readonly [string, string]>> = {
  CT: ['SIEMENS', 'SOMATOM Definition AS+'],
  MR: ['GE MEDICAL SYSTEMS', 'SIGNA Premier'],
  CR: ['FUJIFILM Corporation', 'FCR PROFECT CS'],
  US: ['Philips Medical Systems', 'EPIQ 7G'],
  SC: ['DICOMNET', 'Bench Capture'],
};

const BODY_PARTS: Readonly<Record<SeriesPlan['modality'], string>> = {
  CT: 'CHEST',
  MR: 'HEAD',
  CR: 'CHEST',
  US: 'ABDOMEN',
  SC: 'CHEST',
};

function patientModule(patient: PatientPlan, random: Random): DumpNode[] {
  return [
    e(0x00100010, 'PN', patient.name),
    e(0x00100020, 'LO', patient.id),
    e(0x00100021, 'LO', 'HOSPITAL-A'),
    e(0x00100030, 'DA', patient.birthDate),
    e(0x00100040, 'CS', patient.sex),
    // Other Patient IDs Sequence: a nested Patient ID the index must not take.
    sequence(0x00101002, [
      e(0x00100020, 'LO', `OLD${int(random, 100_000, 999_999)}`),
      e(0x00100021, 'LO', 'HOSPITAL-B'),
      e(0x00100022, 'CS', 'TEXT'),
    ]),
    e(0x00101010, 'AS', `0${two(int(random, 20, 89))}Y`),
    e(0x00101020, 'DS', (int(random, 150, 195) / 100).toFixed(2)),
    e(0x00101030, 'DS', String(int(random, 45, 120))),
  ];
}

function studyModule(patient: PatientPlan, study: StudyValues, series: SeriesValues): DumpNode[] {
  return [
    e(0x00080020, 'DA', study.date),
    e(0x00080030, 'TM', time(study.hour, 12, 7)),
    e(0x00080050, 'SH', study.accession),
    e(0x00080090, 'PN', series.emptyReferringPhysician ? '' : patient.referringPhysician),
    e(0x00081030, 'LO', patient.studyDescription),
    sequence(0x00081032, code('363679005', 'SCT', 'Imaging')),
    sequence(0x00081110, [
      e(0x00081150, 'UI', DETACHED_STUDY_MANAGEMENT),
      e(0x00081155, 'UI', study.uid),
    ]),
    e(0x0020000d, 'UI', study.uid),
    e(0x00200010, 'SH', study.id),
  ];
}

function seriesModule(
  plan: SeriesPlan,
  study: StudyValues,
  series: SeriesValues,
  instanceNumber: number,
): DumpNode[] {
  const hour = study.hour + series.hour;
  const nodes: DumpNode[] = [
    e(0x00080021, 'DA', study.date),
    e(0x00080031, 'TM', time(hour, series.minute, 0)),
    e(0x00080060, 'CS', MODALITY[plan.modality]),
    e(0x0008103e, 'LO', `${plan.modality} series ${series.number}`),
    e(0x00081070, 'PN', 'TECH^ONE'),
    sequence(0x00081111, [
      e(0x00081150, 'UI', MODALITY_PERFORMED_PROCEDURE_STEP),
      e(0x00081155, 'UI', series.ppsUid),
    ]),
    e(0x00180015, 'CS', BODY_PARTS[plan.modality]),
    e(0x00181030, 'LO', `${plan.modality} ${BODY_PARTS[plan.modality]} protocol`),
    e(0x0020000e, 'UI', series.uid),
    e(0x00200011, 'IS', series.number),
    // Request Attributes Sequence: its Study Instance UID and Accession Number are nested copies.
    sequence(0x00400275, [
      e(0x00080050, 'SH', study.accession),
      e(0x0020000d, 'UI', study.uid),
      e(0x00400007, 'LO', `${plan.modality} scheduled step`),
      sequence(0x00400008, code(`${plan.modality}-P1`, '99LOCAL', `${plan.modality} protocol`)),
      e(0x00400009, 'SH', series.scheduledStepId),
      e(0x00401001, 'SH', study.requestedProcedureId),
    ]),
    e(0x00400244, 'DA', study.date),
    e(0x00400245, 'TM', time(hour, series.minute, 0)),
    e(0x00400253, 'SH', series.ppsId),
    e(0x00400254, 'LO', `${plan.modality} examination`),
  ];
  if (plan.modality === 'CT' || plan.modality === 'MR') nodes.push(e(0x00185100, 'CS', 'HFS'));
  if (instanceNumber > 1 && (plan.modality === 'CT' || plan.modality === 'MR')) {
    // Referenced Image Sequence: the localizer, and the previous slice.
    nodes.push(
      sequence(
        0x00081140,
        [e(0x00081150, 'UI', SOP_CLASSES[plan.modality]), e(0x00081155, 'UI', series.localizerUid)],
        [
          e(0x00081150, 'UI', SOP_CLASSES[plan.modality]),
          e(0x00081155, 'UI', `${series.uid}.${instanceNumber - 1}`),
        ],
      ),
    );
  }
  return nodes;
}

/** Modality (0008,0060) defined terms (PS3.3 C.7.3.1.1.1): a secondary capture is OT. */
const MODALITY: Readonly<Record<SeriesPlan['modality'], string>> = {
  CT: 'CT',
  MR: 'MR',
  CR: 'CR',
  US: 'US',
  SC: 'OT',
};

function equipmentModule(plan: SeriesPlan, patient: PatientPlan, series: SeriesValues): DumpNode[] {
  const [manufacturer, model] = EQUIPMENT[plan.modality];
  return [
    e(0x00080070, 'LO', manufacturer),
    e(0x00080080, 'LO', patient.institution),
    e(0x00080081, 'ST', 'Main Street 1, Springfield'),
    e(0x00081010, 'SH', series.stationName),
    e(0x00081040, 'LO', 'Radiology'),
    e(0x00081090, 'LO', model),
    e(0x00181000, 'LO', `SN${plan.index * 7919}`),
    elements(0x00181020, 'LO', ['VA40A', 'SP1']),
    e(0x00181200, 'DA', '20240101'),
  ];
}

/** The SOP Instance UID of instance `instanceNumber` (from 1) of a series. */
export function sopInstanceUid(seriesUid: string, instanceNumber: number): string {
  return `${seriesUid}.${instanceNumber}`;
}

/** The dump tree of instance `instanceNumber` (1 to 25) of `plan`, and its patient. */
export function instanceDump(
  plan: SeriesPlan,
  instanceNumber: number,
): { nodes: DumpNode[]; patient: PatientPlan } {
  const patient = patientPlan(plan.patient);
  const study = studyValues(plan);
  const series = seriesValues(plan);
  const random = seededRandom(10_000 + plan.index * SERIES_SIZE + instanceNumber);
  const hour = study.hour + series.hour;
  const second = instanceNumber * 2;
  const nodes: DumpNode[] = [
    e(0x00080012, 'DA', study.date),
    e(0x00080013, 'TM', time(hour, series.minute + 1, second % 60)),
    e(0x00080016, 'UI', SOP_CLASSES[plan.modality]),
    e(0x00080018, 'UI', sopInstanceUid(series.uid, instanceNumber)),
    e(0x00080022, 'DA', study.date),
    e(0x00080023, 'DA', study.date),
    e(0x00080032, 'TM', time(hour, series.minute, second % 60, int(random, 0, 999_999))),
    e(0x00080033, 'TM', time(hour, series.minute + 1, second % 60)),
    e(0x00200012, 'IS', 1),
    e(0x00200013, 'IS', instanceNumber),
    e(0x00204000, 'LT', `Benchmark instance ${instanceNumber} of series ${plan.index}`),
    e(0x00280301, 'CS', 'NO'),
    ...patientModule(patient, random),
    ...studyModule(patient, study, series),
    ...seriesModule(plan, study, series, instanceNumber),
    ...equipmentModule(plan, patient, series),
    ...modalityModule(plan, instanceNumber, random),
    ...imagePixelModule(plan),
    ...privateBlocks(plan, random),
  ];
  if (plan.modality !== 'SC' && plan.modality !== 'CR' && plan.modality !== 'US') {
    nodes.push(e(0x00200052, 'UI', series.frameOfReference), e(0x00201040, 'LO', ''));
  }
  const characterSet = patient.characterSet.specificCharacterSet;
  if (characterSet !== undefined) nodes.push(e(0x00080005, 'CS', characterSet));
  return { nodes, patient };
}
