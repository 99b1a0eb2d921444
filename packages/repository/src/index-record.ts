// What the index keeps of one instance, read from its file with @dicomnet/data's streaming
// element reader (never a full decode): the keys and attributes of PS3.4 C.6 Query/Retrieve and of
// the Inventory IOD's records (PS3.3 C.38.1), plus our own facts about the file.
import type { Attributes, DataElement, Part10Attributes, PersonName } from '@dicomnet/data';
import { InvalidInstanceError } from './errors.js';

/** Tags the index reads from each data set (the reader stops after the largest). */
export const INDEX_TAGS: readonly number[] = [
  0x00080016, // SOP Class UID
  0x00080018, // SOP Instance UID
  0x00080020, // Study Date
  0x00080021, // Series Date
  0x00080023, // Content Date
  0x00080030, // Study Time
  0x00080031, // Series Time
  0x00080033, // Content Time
  0x00080050, // Accession Number
  0x00080060, // Modality
  0x00080090, // Referring Physician's Name
  0x00081030, // Study Description
  0x0008103e, // Series Description
  0x00100010, // Patient's Name
  0x00100020, // Patient ID
  0x00100021, // Issuer of Patient ID
  0x00100030, // Patient's Birth Date
  0x00100040, // Patient's Sex
  0x00180015, // Body Part Examined
  0x0020000d, // Study Instance UID
  0x0020000e, // Series Instance UID
  0x00200010, // Study ID
  0x00200011, // Series Number
  0x00200013, // Instance Number
];

/** Patient-level attributes. Absent attributes are undefined. */
export interface PatientAttributes {
  /** (0010,0020); `''` when absent (Type 2). */
  readonly patientId: string;
  /** (0010,0021); `''` when absent. */
  readonly issuerOfPatientId: string;
  readonly patientName?: string | undefined;
  readonly patientBirthDate?: string | undefined;
  readonly patientSex?: string | undefined;
}

/** Study-level attributes. */
export interface StudyAttributes {
  readonly studyInstanceUid: string;
  readonly studyDate?: string | undefined;
  readonly studyTime?: string | undefined;
  readonly accessionNumber?: string | undefined;
  readonly studyId?: string | undefined;
  readonly studyDescription?: string | undefined;
  readonly referringPhysicianName?: string | undefined;
}

/** Series-level attributes. */
export interface SeriesAttributes {
  readonly seriesInstanceUid: string;
  readonly modality?: string | undefined;
  readonly seriesNumber?: string | undefined;
  readonly seriesDescription?: string | undefined;
  readonly seriesDate?: string | undefined;
  readonly seriesTime?: string | undefined;
  readonly bodyPartExamined?: string | undefined;
}

/** Instance-level attributes read from the file. */
export interface InstanceAttributes {
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  readonly instanceNumber?: string | undefined;
  readonly contentDate?: string | undefined;
  readonly contentTime?: string | undefined;
}

/** Everything the index holds about one stored instance. */
export interface IndexRecord {
  readonly patient: PatientAttributes;
  readonly study: StudyAttributes;
  readonly series: SeriesAttributes;
  readonly instance: InstanceAttributes;
  /** Bytes of the stored file. */
  readonly sizeBytes: number;
  /** Path of the file relative to the storage root, `/`-separated. */
  readonly storedPath: string;
  /** The file's modification time (ms since the epoch, truncated), to notice a changed file. */
  readonly fileMtimeMs: number;
  /** AE title of the peer that sent it, when known. */
  readonly sourceAeTitle?: string | undefined;
}

/**
 * What {@link indexRecordOf} reads of a file: its requested attributes and the UIDs of its File
 * Meta Information ({@link Part10Attributes} has them).
 */
export interface IndexedAttributes {
  readonly meta: Pick<
    Part10Attributes['meta'],
    'mediaStorageSopClassUid' | 'mediaStorageSopInstanceUid' | 'transferSyntaxUid'
  >;
  readonly attributes: Attributes;
}

// PS3.5 9.1: digits and dots, at most 64 characters. Leading zeros in components, which the rule
// forbids, are accepted: archives meet them in the wild and they cannot reach a path.
const UID = /^[0-9.]{1,64}$/;

/**
 * The index record of a Part 10 file from what {@link readPart10Attributes} returned for
 * {@link INDEX_TAGS}.
 * @throws {@link InvalidInstanceError} when a UID the index is keyed on is missing or not a UID,
 *   or the data set's SOP Instance/Class UID differs from the File Meta Information's.
 */
export function indexRecordOf(
  file: IndexedAttributes,
  facts: Pick<IndexRecord, 'sizeBytes' | 'storedPath' | 'fileMtimeMs' | 'sourceAeTitle'>,
): IndexRecord {
  const a = file.attributes;
  const sopInstanceUid = requiredUid(a, '00080018', 'SOP Instance UID');
  const sopClassUid = requiredUid(a, '00080016', 'SOP Class UID');
  checkMediaStorageUids(file, sopInstanceUid, sopClassUid);
  return {
    patient: {
      patientId: text(a, '00100020') ?? '',
      issuerOfPatientId: text(a, '00100021') ?? '',
      patientName: text(a, '00100010'),
      patientBirthDate: text(a, '00100030'),
      patientSex: text(a, '00100040'),
    },
    study: {
      studyInstanceUid: requiredUid(a, '0020000D', 'Study Instance UID'),
      studyDate: text(a, '00080020'),
      studyTime: text(a, '00080030'),
      accessionNumber: text(a, '00080050'),
      studyId: text(a, '00200010'),
      studyDescription: text(a, '00081030'),
      referringPhysicianName: text(a, '00080090'),
    },
    series: {
      seriesInstanceUid: requiredUid(a, '0020000E', 'Series Instance UID'),
      modality: text(a, '00080060'),
      seriesNumber: text(a, '00200011'),
      seriesDescription: text(a, '0008103E'),
      seriesDate: text(a, '00080021'),
      seriesTime: text(a, '00080031'),
      bodyPartExamined: text(a, '00180015'),
    },
    instance: {
      sopInstanceUid,
      sopClassUid,
      transferSyntaxUid: file.meta.transferSyntaxUid,
      instanceNumber: text(a, '00200013'),
      contentDate: text(a, '00080023'),
      contentTime: text(a, '00080033'),
    },
    ...facts,
  };
}

/** Whether `value` has the shape of a UID (PS3.5 9.1, leading zeros tolerated). */
export function isUidShaped(value: string): boolean {
  return UID.test(value);
}

/**
 * PS3.10 7.1: the File Meta Information's Media Storage UIDs are those of the data set.
 * @throws {@link InvalidInstanceError} (`sop-instance-mismatch`, `sop-class-mismatch`) when not.
 */
export function checkMediaStorageUids(
  file: IndexedAttributes,
  sopInstanceUid: string,
  sopClassUid: string,
): void {
  if (file.meta.mediaStorageSopInstanceUid !== sopInstanceUid)
    throw new InvalidInstanceError(
      'sop-instance-mismatch',
      `Media Storage SOP Instance UID ${file.meta.mediaStorageSopInstanceUid} differs from the data set's ${sopInstanceUid}`,
    );
  if (file.meta.mediaStorageSopClassUid !== sopClassUid)
    throw new InvalidInstanceError(
      'sop-class-mismatch',
      `Media Storage SOP Class UID ${file.meta.mediaStorageSopClassUid} differs from the data set's ${sopClassUid}`,
    );
}

/**
 * The UID at `key`, named `name` in the error.
 * @throws {@link InvalidInstanceError} (`missing-uid`, `malformed-uid`) when absent or not a UID.
 */
export function requiredUid(attributes: Attributes, key: string, name: string): string {
  const value = text(attributes, key);
  if (value === undefined)
    throw new InvalidInstanceError('missing-uid', `${name} (${key}) is missing`);
  if (!UID.test(value))
    throw new InvalidInstanceError(
      'malformed-uid',
      `${name} (${key}) is not a UID: ${JSON.stringify(value.slice(0, 80))}`,
    );
  return value;
}

/** The element's values as DICOM text (`\`-separated; PN as its `=`-joined groups). */
export function text(attributes: Attributes, key: string): string | undefined {
  const element: DataElement | undefined = attributes[key];
  const values = element?.Value;
  if (values === undefined || values.length === 0) return undefined;
  const parts = values.map((value) => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    if ('Alphabetic' in value || 'Ideographic' in value || 'Phonetic' in value) {
      const name = value as PersonName;
      return [name.Alphabetic ?? '', name.Ideographic ?? '', name.Phonetic ?? '']
        .join('=')
        .replace(/=+$/, '');
    }
    return '';
  });
  const joined = parts.join('\\');
  return joined === '' ? undefined : joined;
}
