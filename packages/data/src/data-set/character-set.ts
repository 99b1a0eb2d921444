import type { DataElement, DataElementValue, DataSet } from './data-set.js';
import { isAscii } from './validate-data-set.js';

const SPECIFIC_CHARACTER_SET = '00080005';
const UTF8 = 'ISO_IR 192';

/**
 * After decoding, the model's strings are Unicode whatever character set the bytes used. If any
 * of them is non-ASCII, Specific Character Set (0008,0005) is set to `ISO_IR 192` wherever it
 * appears, and at the top level, so that encoding the model again (always UTF-8) declares what
 * it writes (PS3.5 6.1.2.5). ASCII-only data sets keep their original term, byte for byte.
 */
export function declareUtf8WhereNeeded(dataSet: DataSet): DataSet {
  if (!hasNonAscii(dataSet)) return dataSet;
  const rewritten = rewrite(dataSet);
  return { ...rewritten, [SPECIFIC_CHARACTER_SET]: { vr: 'CS', Value: [UTF8] } };
}

function rewrite(dataSet: DataSet): DataSet {
  const result: Record<string, DataElement> = {};
  for (const [key, element] of Object.entries(dataSet)) {
    if (key === SPECIFIC_CHARACTER_SET) result[key] = { vr: element.vr, Value: [UTF8] };
    else if (element.vr === 'SQ' && element.Value !== undefined)
      result[key] = { vr: 'SQ', Value: element.Value.map((item) => rewrite(item as DataSet)) };
    else result[key] = element;
  }
  return result;
}

function hasNonAscii(dataSet: DataSet): boolean {
  return Object.values(dataSet).some((element) =>
    (element.Value ?? []).some((value) => valueHasNonAscii(value, element.vr)),
  );
}

function valueHasNonAscii(value: DataElementValue, vr: string): boolean {
  if (typeof value === 'string') return !isAscii(value);
  if (typeof value !== 'object' || value === null) return false;
  if (vr === 'SQ') return hasNonAscii(value as DataSet);
  return Object.values(value).some((part) => typeof part === 'string' && !isAscii(part));
}
