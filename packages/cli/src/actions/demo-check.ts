// `dicomnet demo`'s proof: the records of the inventory it retrieved are exactly what it stored,
// at the inventory's level (PS3.3 C.38.1: a STUDY inventory lists studies, SERIES adds their
// series, INSTANCE their instances), with the values it sent.
import type { InventoryRecord } from '@dicomnet/storage-management';
import type { DemoInstance } from './demo-studies.js';

/** Inventory Level (0008,0403). */
export type DemoLevel = 'STUDY' | 'SERIES' | 'INSTANCE';

const PATIENT_ID = '00100020';
const MODALITY = '00080060';

function first(record: InventoryRecord, tag: string): string | undefined {
  const value = record.attributes[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

/** What should be listed, by record key, with the value each record must carry. */
function expectedRecords(stored: readonly DemoInstance[], level: DemoLevel): Map<string, string> {
  const expected = new Map<string, string>();
  for (const instance of stored) {
    expected.set(`study ${instance.studyInstanceUid}`, instance.patientId);
    if (level === 'STUDY') continue;
    expected.set(`series ${instance.seriesInstanceUid}`, instance.modality);
    if (level === 'SERIES') continue;
    expected.set(`instance ${instance.sopInstanceUid}`, instance.sopClassUid);
  }
  return expected;
}

/** What identifies a record: its level and the UID of that level. */
export function recordKey(record: InventoryRecord): string {
  switch (record.kind) {
    case 'study':
      return `study ${record.studyInstanceUid}`;
    case 'series':
      return `series ${record.seriesInstanceUid}`;
    case 'instance':
      return `instance ${record.sopInstanceUid}`;
  }
}

/** The value a record must carry: Patient ID, Modality, or SOP Class UID. */
function valueOf(record: InventoryRecord): string | undefined {
  switch (record.kind) {
    case 'study':
      return first(record, PATIENT_ID);
    case 'series':
      return first(record, MODALITY);
    case 'instance':
      return record.sopClassUid;
  }
}

/**
 * The differences between the inventory's `records` and the `stored` instances at `level`:
 * records missing, records not stored, listed twice, or with another Patient ID (study),
 * Modality (series) or SOP Class UID (instance). Empty when they are equal. A study or series
 * whose records are split over several Inventory instances is listed once in each of them
 * (PS3.3 C.38.1.1.5: each instance holds its records under their parents); that is not a repeat.
 */
export function compareWithStored(
  stored: readonly DemoInstance[],
  records: readonly InventoryRecord[],
  level: DemoLevel,
): string[] {
  const expected = expectedRecords(stored, level);
  const seen = new Set<string>();
  const seenIn = new Set<string>();
  const differences: string[] = [];
  for (const record of records) {
    const key = recordKey(record);
    const value = valueOf(record);
    const where = record.kind === 'instance' ? key : `${key} in ${record.inventory}`;
    if (seenIn.has(where)) differences.push(`${key} listed twice`);
    seenIn.add(where);
    seen.add(key);
    const want = expected.get(key);
    if (want === undefined) differences.push(`${key} listed but not stored`);
    else if (want !== value)
      differences.push(`${key}: ${value ?? '(none)'} listed, ${want} stored`);
  }
  for (const key of expected.keys())
    if (!seen.has(key)) differences.push(`${key} stored but not listed`);
  return differences;
}
