/**
 * The attributes an archive index keeps for each instance (patient, study, series and instance
 * keys, dates, modality, SOP class, transfer syntax, image size, equipment): what the `data`
 * benchmark extracts from every file with each of its three readers. Tags and VRs are those of
 * PS3.6 Table 6-1 (data elements) and Table 7-1 (File Meta Elements).
 */

/** How an extracted value is compared: as text, or as an integer (US, IS). */
export type IndexValueKind = 'text' | 'integer';

/** One attribute of the index. */
export interface IndexAttribute {
  /** The PS3.6 keyword, also the key of the extracted record. */
  readonly keyword: string;
  /** `0xggggeeee`. */
  readonly tag: number;
  readonly vr: string;
  readonly kind: IndexValueKind;
  /** The tag as 8 upper-case hex digits: the key of dcmjs's dict and of @dicomnet/data's model. */
  readonly key: string;
  /**
   * The sequence whose first item holds the attribute; undefined for a top-level attribute (the
   * same tag nested anywhere else is not the one the index wants).
   */
  readonly inSequence?: number;
  /** {@link inSequence} as a key. */
  readonly sequenceKey?: string;
}

/** Request Attributes Sequence (0040,0275), General Series module (PS3.3 C.7.3.1). */
export const REQUEST_ATTRIBUTES_SEQUENCE = 0x00400275;

/** `0xggggeeee` → `GGGGEEEE`. */
export const tagKey = (tag: number): string => tag.toString(16).toUpperCase().padStart(8, '0');

const text = (keyword: string, tag: number, vr: string): IndexAttribute => ({
  keyword,
  tag,
  vr,
  kind: 'text',
  key: tagKey(tag),
});
const integer = (keyword: string, tag: number, vr: string): IndexAttribute => ({
  ...text(keyword, tag, vr),
  kind: 'integer',
});
const requested = (keyword: string, tag: number, vr: string): IndexAttribute => ({
  ...text(keyword, tag, vr),
  inSequence: REQUEST_ATTRIBUTES_SEQUENCE,
  sequenceKey: tagKey(REQUEST_ATTRIBUTES_SEQUENCE),
});

/** The Transfer Syntax UID of the File Meta Information (PS3.10 7.1). */
export const TRANSFER_SYNTAX_UID: IndexAttribute = text('TransferSyntaxUID', 0x00020010, 'UI');

/** The data-set attributes, in tag order within each level. */
export const INDEX_ATTRIBUTES: readonly IndexAttribute[] = [
  // Patient
  text('PatientName', 0x00100010, 'PN'),
  text('PatientID', 0x00100020, 'LO'),
  text('IssuerOfPatientID', 0x00100021, 'LO'),
  text('PatientBirthDate', 0x00100030, 'DA'),
  text('PatientSex', 0x00100040, 'CS'),
  // Study
  text('StudyDate', 0x00080020, 'DA'),
  text('StudyTime', 0x00080030, 'TM'),
  text('AccessionNumber', 0x00080050, 'SH'),
  text('ReferringPhysicianName', 0x00080090, 'PN'),
  text('StudyDescription', 0x00081030, 'LO'),
  text('PatientAge', 0x00101010, 'AS'),
  text('StudyInstanceUID', 0x0020000d, 'UI'),
  text('StudyID', 0x00200010, 'SH'),
  // Series
  text('SeriesDate', 0x00080021, 'DA'),
  text('SeriesTime', 0x00080031, 'TM'),
  text('Modality', 0x00080060, 'CS'),
  text('SeriesDescription', 0x0008103e, 'LO'),
  text('BodyPartExamined', 0x00180015, 'CS'),
  text('ProtocolName', 0x00181030, 'LO'),
  text('SeriesInstanceUID', 0x0020000e, 'UI'),
  integer('SeriesNumber', 0x00200011, 'IS'),
  text('PerformedProcedureStepStartDate', 0x00400244, 'DA'),
  text('PerformedProcedureStepID', 0x00400253, 'SH'),
  requested('ScheduledProcedureStepID', 0x00400009, 'SH'),
  requested('RequestedProcedureID', 0x00401001, 'SH'),
  // Equipment
  text('Manufacturer', 0x00080070, 'LO'),
  text('InstitutionName', 0x00080080, 'LO'),
  text('StationName', 0x00081010, 'SH'),
  text('ManufacturerModelName', 0x00081090, 'LO'),
  // Instance
  text('SpecificCharacterSet', 0x00080005, 'CS'),
  text('ImageType', 0x00080008, 'CS'),
  text('SOPClassUID', 0x00080016, 'UI'),
  text('SOPInstanceUID', 0x00080018, 'UI'),
  text('AcquisitionDate', 0x00080022, 'DA'),
  text('ContentDate', 0x00080023, 'DA'),
  text('AcquisitionTime', 0x00080032, 'TM'),
  text('ContentTime', 0x00080033, 'TM'),
  integer('InstanceNumber', 0x00200013, 'IS'),
  // Image
  integer('SamplesPerPixel', 0x00280002, 'US'),
  text('PhotometricInterpretation', 0x00280004, 'CS'),
  integer('NumberOfFrames', 0x00280008, 'IS'),
  integer('Rows', 0x00280010, 'US'),
  integer('Columns', 0x00280011, 'US'),
  integer('BitsAllocated', 0x00280100, 'US'),
];

/** Every attribute read from the file: the meta element first, then the data set's. */
export const ALL_INDEX_ATTRIBUTES: readonly IndexAttribute[] = [
  TRANSFER_SYNTAX_UID,
  ...INDEX_ATTRIBUTES,
];

/** `(gggg,eeee)`, upper-case hex, as DCMTK prints and parses tags. */
export function formatTag(tag: number): string {
  const hex = tag.toString(16).toUpperCase().padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}
