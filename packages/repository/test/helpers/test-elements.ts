// Test helpers: data set elements written the way a decoded C-FIND identifier holds them.
import type { DataElement, DataSet } from '@dicomnet/data';

/** An element of `vr` with string values (none: zero-length). */
export function element(vr: string, ...values: string[]): DataElement {
  if (vr === 'PN') {
    return values.length === 0
      ? { vr }
      : { vr, Value: values.map((Alphabetic) => ({ Alphabetic })) };
  }
  return values.length === 0 ? { vr } : { vr, Value: values };
}

/** An SQ element with the given items. */
export function sequence(...items: DataSet[]): DataElement {
  return items.length === 0 ? { vr: 'SQ' } : { vr: 'SQ', Value: items };
}

/** Tags used across the tests. */
export const TAG = {
  patientName: '00100010',
  patientId: '00100020',
  birthDate: '00100030',
  studyDate: '00080020',
  studyTime: '00080030',
  accessionNumber: '00080050',
  modality: '00080060',
  modalitiesInStudy: '00080061',
  studyDescription: '00081030',
  retrieveAe: '00080054',
  studyUid: '0020000D',
  seriesUid: '0020000E',
  sopInstanceUid: '00080018',
  acquisitionDateTime: '0008002A',
  requestAttributes: '00400275',
  requestedProcedureId: '00401001',
  level: '00080052',
  numberOfInstances: '00201208',
} as const;
