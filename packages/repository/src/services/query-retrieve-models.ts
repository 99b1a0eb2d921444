// The Query/Retrieve Information Models served over a repository (PS3.4 C.6.1 Patient Root,
// C.6.2 Study Root): their SOP classes, levels and unique keys.
import type { QueryLevel } from '../match/index.js';

/** SOP Class UIDs of the Query/Retrieve services (PS3.4 C.6.1, C.6.2; PS3.6 Annex A). */
export const QUERY_RETRIEVE_SOP_CLASSES = {
  patientRootFind: '1.2.840.10008.5.1.4.1.2.1.1',
  patientRootMove: '1.2.840.10008.5.1.4.1.2.1.2',
  patientRootGet: '1.2.840.10008.5.1.4.1.2.1.3',
  studyRootFind: '1.2.840.10008.5.1.4.1.2.2.1',
  studyRootMove: '1.2.840.10008.5.1.4.1.2.2.2',
  studyRootGet: '1.2.840.10008.5.1.4.1.2.2.3',
} as const;

/** A Query/Retrieve Information Model. */
export type QueryRetrieveModel = 'PATIENT_ROOT' | 'STUDY_ROOT';

const MODEL_OF: ReadonlyMap<string, QueryRetrieveModel> = new Map([
  [QUERY_RETRIEVE_SOP_CLASSES.patientRootFind, 'PATIENT_ROOT'],
  [QUERY_RETRIEVE_SOP_CLASSES.patientRootMove, 'PATIENT_ROOT'],
  [QUERY_RETRIEVE_SOP_CLASSES.patientRootGet, 'PATIENT_ROOT'],
  [QUERY_RETRIEVE_SOP_CLASSES.studyRootFind, 'STUDY_ROOT'],
  [QUERY_RETRIEVE_SOP_CLASSES.studyRootMove, 'STUDY_ROOT'],
  [QUERY_RETRIEVE_SOP_CLASSES.studyRootGet, 'STUDY_ROOT'],
]);

/** The model of a Query/Retrieve SOP class, or undefined for another SOP class. */
export function modelOf(sopClassUid: string): QueryRetrieveModel | undefined {
  return MODEL_OF.get(sopClassUid);
}

/** The unique key of each level (PS3.4 C.6.1.1, C.6.2.1). */
export const UNIQUE_KEY: Readonly<Record<QueryLevel, string>> = {
  PATIENT: '00100020', // Patient ID
  STUDY: '0020000D', // Study Instance UID
  SERIES: '0020000E', // Series Instance UID
  IMAGE: '00080018', // SOP Instance UID
};

/**
 * The levels of a model from the top down: Study Root has no Patient level (PS3.4 C.6.2.1), its
 * patient attributes are study attributes.
 */
export function levelsOf(model: QueryRetrieveModel): readonly QueryLevel[] {
  return model === 'PATIENT_ROOT'
    ? ['PATIENT', 'STUDY', 'SERIES', 'IMAGE']
    : ['STUDY', 'SERIES', 'IMAGE'];
}
