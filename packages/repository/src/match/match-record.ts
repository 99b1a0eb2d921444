// A data set as matches() sees it (query.ts, MatchRecord): what a C-FIND response, an Inventory
// instance or any other decoded data set becomes before it is matched in memory.
import type { DataSet, PersonName } from '@dicomnet/data';
import type { MatchRecord } from './query.js';

function personNameText(name: PersonName): string {
  return [name.Alphabetic ?? '', name.Ideographic ?? '', name.Phonetic ?? '']
    .join('=')
    .replace(/=+$/, '');
}

/** A data set as the matcher sees it: values as DICOM strings, sequences as nested records. */
export function matchRecordOf(dataSet: DataSet): MatchRecord {
  const record: Record<string, MatchRecord[string]> = {};
  for (const [tag, element] of Object.entries(dataSet)) {
    const values = element.Value ?? [];
    if (element.vr === 'SQ') {
      record[tag] = values
        .filter((item): item is DataSet => typeof item === 'object' && !isPersonName(item))
        .map(matchRecordOf);
      continue;
    }
    record[tag] = values.map((value) =>
      // Outside a sequence an object value is a PN's component groups.
      typeof value === 'object' ? personNameText(value as PersonName) : String(value),
    );
  }
  return record;
}

function isPersonName(value: object): boolean {
  return 'Alphabetic' in value || 'Ideographic' in value || 'Phonetic' in value;
}
