/**
 * The dicomnet side of the `data` benchmark: `readPart10Attributes` (or its synchronous twin) of
 * @dicomnet/data's element reader asks for the index's top-level tags and the Request Attributes
 * Sequence; it reads the file (16 KiB first, then 64 KiB chunks) only until the largest of them
 * is passed (so never the pixel data of these files), decodes the values found (text in the
 * file's Specific Character Set), and the record is built from them.
 */
import { stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import type { DataElement, DataSet, Part10Attributes } from '@dicomnet/data';
import { readPart10Attributes, readPart10AttributesSync } from '@dicomnet/data';
import type { IndexAttribute } from './index-attributes.js';
import { INDEX_ATTRIBUTES, TRANSFER_SYNTAX_UID } from './index-attributes.js';
import type { IndexRecord, IndexValue } from './index-record.js';
import { canonicalValue } from './index-record.js';

/** The tags asked of the reader: the top-level attributes and the sequences holding the others. */
const REQUESTED_TAGS: readonly number[] = [
  ...new Set(INDEX_ATTRIBUTES.map((attribute) => attribute.inSequence ?? attribute.tag)),
];

function valuesOf(element: DataElement | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  for (const value of element?.Value ?? []) {
    if (typeof value === 'string' || typeof value === 'number') out.push(value);
    else if (typeof value === 'object' && 'Alphabetic' in value) {
      const alphabetic: unknown = value.Alphabetic;
      if (typeof alphabetic === 'string') out.push(alphabetic);
    }
  }
  return out;
}

function pick(attributes: DataSet, attribute: IndexAttribute): IndexValue {
  if (attribute.sequenceKey === undefined) {
    return canonicalValue(attribute, valuesOf(attributes[attribute.key]));
  }
  const first = attributes[attribute.sequenceKey]?.Value?.[0];
  if (typeof first !== 'object' || first === null || 'Alphabetic' in first) return null;
  const item = first as DataSet; // an SQ's values are items (data sets)
  return canonicalValue(attribute, valuesOf(item[attribute.key]));
}

function toRecord(found: Part10Attributes, fileSize: number): IndexRecord {
  const values: Record<string, IndexValue> = {
    [TRANSFER_SYNTAX_UID.keyword]: canonicalValue(TRANSFER_SYNTAX_UID, [
      found.meta.transferSyntaxUid,
    ]),
  };
  for (const attribute of INDEX_ATTRIBUTES) {
    values[attribute.keyword] = pick(found.attributes, attribute);
  }
  return { fileSize, values };
}

/** The index record of one file, read with synchronous file reads. */
export function readIndexRecordSync(file: string): IndexRecord {
  return toRecord(readPart10AttributesSync(file, REQUESTED_TAGS), statSync(file).size);
}

/** The index record of one file, read with asynchronous file reads. */
export async function readIndexRecord(file: string): Promise<IndexRecord> {
  const [found, stats] = await Promise.all([
    readPart10Attributes(file, REQUESTED_TAGS),
    stat(file),
  ]);
  return toRecord(found, stats.size);
}

/** The records of `files`, in order, with at most `concurrency` files being read at once. */
export async function readIndexRecords(
  files: readonly string[],
  concurrency: number,
): Promise<IndexRecord[]> {
  const records = new Array<IndexRecord>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < files.length; index = next++) {
      records[index] = await readIndexRecord(files[index] ?? '');
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return records;
}
