// Which attributes the index holds at each Query/Retrieve level (PS3.4 C.6.1.1, C.6.2.1), where,
// and how a key on each one can be pushed into SQL. The matcher checks every row SQL selects in
// memory as well, so a pushed clause needs only to keep every row that can match: `escape` names
// the rows whose stored value a column form does not describe (several values, PN groups).
import type { ColumnSpec, QueryLevel } from '../match/index.js';

/** One attribute of the index. */
export interface IndexedAttribute {
  /** Tag, 8 upper-case hex digits. */
  readonly tag: string;
  readonly vr: string;
  /** The level the attribute belongs to. */
  readonly level: QueryLevel;
  /** The SQL expression selecting its stored value (DICOM text, `\`-separated values). */
  readonly select: string;
  /** The column holding its matching form, when keys on it are pushed into SQL. */
  readonly column?: ColumnSpec;
  /** The same for case-insensitive PN matching. */
  readonly foldedColumn?: ColumnSpec;
  /** SQL true for rows whose column form may not describe the value: SQL lets them through. */
  readonly escape?: string;
}

const P = 'p';
const ST = 'st';
const SE = 'se';
const I = 'i';

const several = (expression: string): string => `instr(${expression}, '\\') > 0`;

/** Every attribute the index holds, in level order. */
export const INDEXED_ATTRIBUTES: readonly IndexedAttribute[] = [
  // PS3.4 C.6.1.1.2 Patient level.
  {
    tag: '00100020',
    vr: 'LO',
    level: 'PATIENT',
    select: 'p.patient_id',
    column: { table: P, name: 'patient_id_key', form: 'text' },
    escape: several('p.patient_id'),
  },
  { tag: '00100021', vr: 'LO', level: 'PATIENT', select: 'p.issuer_of_patient_id' },
  {
    tag: '00100010',
    vr: 'PN',
    level: 'PATIENT',
    select: 'p.patient_name',
    column: { table: P, name: 'patient_name_key', form: 'text' },
    foldedColumn: { table: P, name: 'patient_name_folded', form: 'folded' },
    escape: `(${several('p.patient_name')} OR instr(p.patient_name, '=') > 0)`,
  },
  { tag: '00100030', vr: 'DA', level: 'PATIENT', select: 'p.patient_birth_date' },
  { tag: '00100040', vr: 'CS', level: 'PATIENT', select: 'p.patient_sex' },
  { tag: '00201200', vr: 'IS', level: 'PATIENT', select: 'p.number_of_studies' },
  { tag: '00201204', vr: 'IS', level: 'PATIENT', select: 'p.number_of_instances' },
  // PS3.4 C.6.1.1.3 Study level.
  {
    tag: '0020000D',
    vr: 'UI',
    level: 'STUDY',
    select: 'st.study_instance_uid',
    // UIDs are checked to be one UID-shaped value when stored: the column is exact.
    column: { table: ST, name: 'study_instance_uid', form: 'text' },
  },
  {
    tag: '00080020',
    vr: 'DA',
    level: 'STUDY',
    select: 'st.study_date',
    column: { table: ST, name: 'study_date_key', form: 'date' },
    escape: several('st.study_date'),
  },
  { tag: '00080030', vr: 'TM', level: 'STUDY', select: 'st.study_time' },
  {
    tag: '00080050',
    vr: 'SH',
    level: 'STUDY',
    select: 'st.accession_number',
    column: { table: ST, name: 'accession_number_key', form: 'text' },
    escape: several('st.accession_number'),
  },
  {
    tag: '00200010',
    vr: 'SH',
    level: 'STUDY',
    select: 'st.study_id',
    column: { table: ST, name: 'study_id_key', form: 'text' },
    escape: several('st.study_id'),
  },
  { tag: '00081030', vr: 'LO', level: 'STUDY', select: 'st.study_description' },
  { tag: '00080090', vr: 'PN', level: 'STUDY', select: 'st.referring_physician_name' },
  {
    tag: '00080061',
    vr: 'CS',
    level: 'STUDY',
    select: 'st.modalities_in_study',
    column: { table: ST, name: 'modalities_in_study', form: 'multi-text' },
    // Built from the series' Modality as stored; a padded one is left to the check in memory.
    escape: `instr(st.modalities_in_study, ' ') > 0`,
  },
  { tag: '00201206', vr: 'IS', level: 'STUDY', select: 'st.number_of_series' },
  { tag: '00201208', vr: 'IS', level: 'STUDY', select: 'st.number_of_instances' },
  // PS3.4 C.6.1.1.4 Series level.
  {
    tag: '0020000E',
    vr: 'UI',
    level: 'SERIES',
    select: 'se.series_instance_uid',
    column: { table: SE, name: 'series_instance_uid', form: 'text' },
  },
  {
    tag: '00080060',
    vr: 'CS',
    level: 'SERIES',
    select: 'se.modality',
    column: { table: SE, name: 'modality_key', form: 'text' },
    escape: several('se.modality'),
  },
  { tag: '00200011', vr: 'IS', level: 'SERIES', select: 'se.series_number' },
  { tag: '0008103E', vr: 'LO', level: 'SERIES', select: 'se.series_description' },
  {
    tag: '00080021',
    vr: 'DA',
    level: 'SERIES',
    select: 'se.series_date',
    column: { table: SE, name: 'series_date_key', form: 'date' },
    escape: several('se.series_date'),
  },
  { tag: '00080031', vr: 'TM', level: 'SERIES', select: 'se.series_time' },
  { tag: '00180015', vr: 'CS', level: 'SERIES', select: 'se.body_part_examined' },
  { tag: '00201209', vr: 'IS', level: 'SERIES', select: 'se.number_of_instances' },
  // PS3.4 C.6.1.1.5 Composite Object Instance level.
  {
    tag: '00080018',
    vr: 'UI',
    level: 'IMAGE',
    select: 'i.sop_instance_uid',
    column: { table: I, name: 'sop_instance_uid', form: 'text' },
  },
  {
    tag: '00080016',
    vr: 'UI',
    level: 'IMAGE',
    select: 'i.sop_class_uid',
    column: { table: I, name: 'sop_class_uid', form: 'text' },
  },
  { tag: '00200013', vr: 'IS', level: 'IMAGE', select: 'i.instance_number' },
  { tag: '00080023', vr: 'DA', level: 'IMAGE', select: 'i.content_date' },
  { tag: '00080033', vr: 'TM', level: 'IMAGE', select: 'i.content_time' },
  // Available Transfer Syntax UID (PS3.4 C.6.1.1.5 optional key): the syntax it is stored in.
  {
    tag: '00083002',
    vr: 'UI',
    level: 'IMAGE',
    select: 'i.transfer_syntax_uid',
    column: { table: I, name: 'transfer_syntax_uid', form: 'text' },
  },
];

const DEPTH: Readonly<Record<QueryLevel, number>> = { PATIENT: 0, STUDY: 1, SERIES: 2, IMAGE: 3 };

/** The attributes a record of `level` holds: its own and those of the levels above. */
export function attributesAt(level: QueryLevel): readonly IndexedAttribute[] {
  return INDEXED_ATTRIBUTES.filter((attribute) => DEPTH[attribute.level] <= DEPTH[level]);
}

/** How deep a level is: PATIENT 0 to IMAGE 3. */
export function depthOf(level: QueryLevel): number {
  return DEPTH[level];
}
