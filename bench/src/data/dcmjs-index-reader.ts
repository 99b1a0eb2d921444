/**
 * The dcmjs side of the `data` benchmark, as a dcmjs user writes it: `fs.readFile` of the whole
 * file, `DicomMessage.readFile(arrayBuffer)` with its default options (the whole file parsed,
 * pixel data copied), then the attributes picked from the raw (not naturalized) dict, which is
 * dcmjs's cheaper form: naturalizing would add a pass over every element.
 */
import { readFile } from 'node:fs/promises';
import type { DcmjsDict, DcmjsElement } from 'dcmjs';
import { data, log } from 'dcmjs';
import type { IndexAttribute } from './index-attributes.js';
import { INDEX_ATTRIBUTES, TRANSFER_SYNTAX_UID } from './index-attributes.js';
import type { IndexRecord, IndexValue } from './index-record.js';
import { canonicalValue } from './index-record.js';

/** What `DicomMessage.readFile` returns (dcmjs 0.52.2, build/dcmjs.es.js `DicomDict`). */
interface DcmjsFile {
  readonly meta: DcmjsDict;
  readonly dict: DcmjsDict;
}

/** dcmjs's `DicomMessage.readFile`, which bench/src/dcmjs/dcmjs.d.ts does not declare. */
type ReadFile = (buffer: ArrayBuffer) => DcmjsFile;

// Present in dcmjs 0.52.2 (build/dcmjs.es.js, `DicomMessage.readFile(buffer, options)`).
const readDicomFile = (data.DicomMessage as unknown as { readFile: ReadFile }).readFile;

const SPECIFIC_CHARACTER_SET = 0x00080005;

/**
 * Silences dcmjs's validation logger: for every Implicit VR Pixel Data it logs "Invalid vr type
 * ox - using OW" to the console (the dictionary's VR for Pixel Data is "ox"), and printing is not
 * what is measured.
 */
export function quietDcmjs(): void {
  log.getLogger('validation.dcmjs').setLevel('silent');
}

/** One element's values as text or numbers; a PN value is its Alphabetic group (PS3.18 F.2.2). */
function valuesOf(element: DcmjsElement | undefined, tag: number): (string | number)[] {
  if (element === undefined) return [];
  // dcmjs decodes by Specific Character Set, then rewrites (0008,0005) to ISO_IR 192; the value
  // in the file stays in _rawValue.
  const values = tag === SPECIFIC_CHARACTER_SET ? element._rawValue : element.Value;
  if (!Array.isArray(values)) return [];
  const out: (string | number)[] = [];
  for (const value of values as unknown[]) {
    if (typeof value === 'string' || typeof value === 'number') out.push(value);
    else if (typeof value === 'object' && value !== null && 'Alphabetic' in value) {
      const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
      if (typeof alphabetic === 'string') out.push(alphabetic);
    }
  }
  return out;
}

function pick(dict: DcmjsDict, attribute: IndexAttribute): IndexValue {
  if (attribute.sequenceKey === undefined) {
    return canonicalValue(attribute, valuesOf(dict[attribute.key], attribute.tag));
  }
  const items = dict[attribute.sequenceKey]?.Value;
  const first: unknown = Array.isArray(items) ? items[0] : undefined;
  if (typeof first !== 'object' || first === null) return null;
  const item = first as DcmjsDict; // an SQ's Value holds dicts
  return canonicalValue(attribute, valuesOf(item[attribute.key], attribute.tag));
}

/** The index record of one file, read and parsed whole by dcmjs. */
export async function readIndexRecordWithDcmjs(file: string): Promise<IndexRecord> {
  const bytes = await readFile(file);
  // readFile allocates a buffer of the file's size; slice only if it is a view of a larger one.
  const buffer =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer
      : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const parsed = readDicomFile(buffer as ArrayBuffer); // a Buffer's memory is an ArrayBuffer
  const values: Record<string, IndexValue> = {
    [TRANSFER_SYNTAX_UID.keyword]: pick(parsed.meta, TRANSFER_SYNTAX_UID),
  };
  for (const attribute of INDEX_ATTRIBUTES)
    values[attribute.keyword] = pick(parsed.dict, attribute);
  return { fileSize: bytes.byteLength, values };
}
