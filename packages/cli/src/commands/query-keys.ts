import { InvalidValueError } from '../command-line/command-spec.js';

/**
 * The keys of the Query/Retrieve Information Models by keyword (PS3.4 C.6.1.1, C.6.2.1, and
 * the optional keys archives commonly support; tags from PS3.6). Any other attribute is named by
 * its tag.
 */
const KEYWORDS: Readonly<Record<string, number>> = {
  SpecificCharacterSet: 0x00080005,
  StudyDate: 0x00080020,
  SeriesDate: 0x00080021,
  ContentDate: 0x00080023,
  StudyTime: 0x00080030,
  SeriesTime: 0x00080031,
  ContentTime: 0x00080033,
  AccessionNumber: 0x00080050,
  QueryRetrieveLevel: 0x00080052,
  RetrieveAETitle: 0x00080054,
  InstanceAvailability: 0x00080056,
  Modality: 0x00080060,
  ModalitiesInStudy: 0x00080061,
  SOPClassesInStudy: 0x00080062,
  InstitutionName: 0x00080080,
  ReferringPhysicianName: 0x00080090,
  SOPClassUID: 0x00080016,
  SOPInstanceUID: 0x00080018,
  StudyDescription: 0x00081030,
  SeriesDescription: 0x0008103e,
  PatientName: 0x00100010,
  PatientID: 0x00100020,
  IssuerOfPatientID: 0x00100021,
  PatientBirthDate: 0x00100030,
  PatientSex: 0x00100040,
  PatientAge: 0x00101010,
  BodyPartExamined: 0x00180015,
  StudyInstanceUID: 0x0020000d,
  SeriesInstanceUID: 0x0020000e,
  StudyID: 0x00200010,
  SeriesNumber: 0x00200011,
  InstanceNumber: 0x00200013,
  NumberOfPatientRelatedStudies: 0x00201200,
  NumberOfPatientRelatedSeries: 0x00201202,
  NumberOfPatientRelatedInstances: 0x00201204,
  NumberOfStudyRelatedSeries: 0x00201206,
  NumberOfStudyRelatedInstances: 0x00201208,
  NumberOfSeriesRelatedInstances: 0x00201209,
  NumberOfFrames: 0x00280008,
  Rows: 0x00280010,
  Columns: 0x00280011,
};

/** One `-k` key: its tag, and the value to match (empty: return the attribute, PS3.4 C.2.2.1). */
export interface QueryKey {
  readonly tag: number;
  readonly value: string;
}

/**
 * Parses `-k Keyword=value`, `-k Keyword`, `-k 0010,0020=value` or `-k (0010,0020)`, as DCMTK's
 * tools take them.
 */
export function queryKey(text: string): QueryKey {
  const equals = text.indexOf('=');
  const name = (equals === -1 ? text : text.slice(0, equals)).trim();
  const value = equals === -1 ? '' : text.slice(equals + 1);
  const hex = /^\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\)?$/.exec(name);
  if (hex !== null) return { tag: Number.parseInt(`${hex[1]}${hex[2]}`, 16), value };
  const tag = Object.hasOwn(KEYWORDS, name) ? KEYWORDS[name] : undefined;
  if (tag === undefined) {
    throw new InvalidValueError(
      'a Query/Retrieve keyword (PatientID, StudyInstanceUID, Modality…) or a tag gggg,eeee, then =value or nothing',
    );
  }
  return { tag, value };
}

/** The keyword of a tag, or its `(gggg,eeee)` form. */
export function keyName(tag: number): string {
  for (const [keyword, known] of Object.entries(KEYWORDS)) if (known === tag) return keyword;
  const hex = tag.toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}
