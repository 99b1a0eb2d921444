// Records encoded once, as they are read, straight into their bytes: each record's elements in
// Explicit VR Little Endian (PS3.5 7.1.2), the syntax every produced instance is written in, in
// shared slabs of bytes. Text values (the bulk of an inventory: millions of UIDs) are written here
// without the model validation the element writer gives model elements; anything not text is
// encoded by the element writer when its record is. A slab is never written twice, so a record's
// bytes stay valid as long as a leaf may hold them; one small object per record, nothing per
// element, keeps the garbage collector's share low.
import {
  TransferSyntax,
  tagNumber,
  writeElementsSync,
  type DataElement,
  type ElementWriterInput,
} from '@dicomnet/data';
import type { InventoryEntry } from '../inventory-source.js';

const TEXT_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT',
]); // prettier-ignore
/** Text VRs whose Explicit VR header has 2 reserved bytes and a 32-bit length (PS3.5 7.1.2). */
const LONG_TEXT_VRS: ReadonlySet<string> = new Set(['UC', 'UR', 'UT']);
/** Longest value a 16-bit length holds (an even length, PS3.5 7.1.1). */
const MAX_SHORT_LENGTH = 0xfffe;

const SLAB_BYTES = 256 * 1024;
const encoder = new TextEncoder();

/** Tag of the sequence nested in a record of each kind (PS3.3 C.38.1). */
const CHILD_TAG: Readonly<Record<InventoryEntry['kind'], string | undefined>> = {
  study: '00080424', // Inventoried Series Sequence
  series: '00080425', // Inventoried Instances Sequence
  instance: undefined,
};

/** A PN value as its DICOM string (PS3.5 6.2.1): component groups joined by `=`. */
function personNameText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const name = value as { Alphabetic?: unknown; Ideographic?: unknown; Phonetic?: unknown };
  const groups = [name.Alphabetic, name.Ideographic, name.Phonetic].map((group) =>
    typeof group === 'string' ? group : '',
  );
  while (groups.length > 1 && groups[groups.length - 1] === '') groups.pop();
  return groups.join('=');
}

/** The DICOM string of a text or PN element, or undefined when it is not one. */
function textOf(element: DataElement): string | undefined {
  if (element.vr !== 'PN' && !TEXT_VRS.has(element.vr)) return undefined;
  const values = element.Value ?? [];
  if (values.length === 1 && typeof values[0] === 'string') return values[0];
  const texts: string[] = [];
  for (const value of values) {
    const text =
      element.vr === 'PN'
        ? personNameText(value)
        : typeof value === 'string' || typeof value === 'number'
          ? String(value)
          : undefined;
    if (text === undefined) return undefined;
    texts.push(text);
  }
  return texts.join('\\');
}

const TAG_NUMBERS = new Map<string, number>();

/** `tagNumber`, remembered: an inventory's records use a few dozen tags, millions of times. */
function numberOf(tag: string): number {
  let number = TAG_NUMBERS.get(tag);
  if (number === undefined) {
    number = tagNumber(tag);
    if (TAG_NUMBERS.size < 4096) TAG_NUMBERS.set(tag, number);
  }
  return number;
}

/** One element that is not text, encoded by the element writer (Explicit VR Little Endian). */
function modelBytes(tag: string, element: DataElement): Uint8Array {
  const input: ElementWriterInput = { kind: 'model-element', tag: numberOf(tag), element };
  const chunks = [
    ...writeElementsSync([input], { transferSyntaxUid: TransferSyntax.ExplicitVrLittleEndian }),
  ];
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * One record's elements, encoded: bytes `start` to `end` of `slab`, the elements that come after
 * its child sequence's place (PS3.5 7.1: ascending tags) from `childAt`.
 */
export interface EncodedRecord {
  readonly kind: InventoryEntry['kind'];
  readonly slab: Uint8Array;
  readonly start: number;
  /** Where the elements after the child sequence (0008,0424 or 0008,0425) begin. */
  readonly childAt: number;
  readonly end: number;
  /** Whether a text value needs more than ASCII. */
  readonly nonAscii: boolean;
}

/** Encodes records; one per production (its slabs are shared by its records). */
export class RecordEncoder {
  // The same memory twice: a Buffer to write text into (Buffer.write, native UTF-8), a plain
  // Uint8Array to read and copy from.
  #slab = new Uint8Array(SLAB_BYTES);
  #writer = Buffer.from(this.#slab.buffer);
  #offset = 0;
  readonly #texts: (string | undefined)[] = [];
  readonly #models: (Uint8Array | undefined)[] = [];

  /** Encodes one record's elements (PS3.3 C.38.1), in ascending tag order (PS3.5 7.1). */
  encode(
    kind: InventoryEntry['kind'],
    attributes: Readonly<Record<string, DataElement>>,
  ): EncodedRecord {
    const child = CHILD_TAG[kind];
    let tags = Object.keys(attributes);
    for (let index = 1; index < tags.length; index++) {
      if (tags[index - 1]! > tags[index]!) {
        tags.sort();
        break;
      }
    }
    if (child !== undefined && child in attributes) tags = tags.filter((tag) => tag !== child);
    const texts = this.#texts;
    const models = this.#models;
    texts.length = tags.length;
    models.length = tags.length;
    let most = 0;
    for (let index = 0; index < tags.length; index++) {
      const element = attributes[tags[index]!]!;
      let text = textOf(element);
      // A value too long for its VR's 16-bit length: the writer's checks say what is wrong.
      if (text !== undefined && text.length * 3 + 1 > MAX_SHORT_LENGTH) {
        if (!LONG_TEXT_VRS.has(element.vr)) text = undefined;
      }
      texts[index] = text;
      models[index] = text === undefined ? modelBytes(tags[index]!, element) : undefined;
      most += text === undefined ? models[index]!.length : 13 + text.length * 3;
    }
    if (this.#slab.length - this.#offset < most) {
      this.#slab = new Uint8Array(Math.max(SLAB_BYTES, most));
      this.#writer = Buffer.from(this.#slab.buffer);
      this.#offset = 0;
    }
    const slab = this.#slab;
    const start = this.#offset;
    let end = start;
    let childAt = -1;
    let nonAscii = false;
    for (let index = 0; index < tags.length; index++) {
      const tag = tags[index]!;
      if (childAt < 0 && child !== undefined && tag > child) childAt = end;
      const model = models[index];
      if (model !== undefined) {
        slab.set(model, end);
        end += model.length;
        continue;
      }
      const text = texts[index]!;
      const vr = attributes[tag]!.vr;
      const number = numberOf(tag);
      slab[end] = (number >>> 16) & 0xff;
      slab[end + 1] = number >>> 24;
      slab[end + 2] = number & 0xff;
      slab[end + 3] = (number >>> 8) & 0xff;
      slab[end + 4] = vr.charCodeAt(0);
      slab[end + 5] = vr.charCodeAt(1);
      const long = LONG_TEXT_VRS.has(vr);
      const lengthAt = long ? end + 8 : end + 6;
      if (long) slab[end + 6] = slab[end + 7] = 0;
      const valueStart = lengthAt + (long ? 4 : 2);
      // UTF-8 (PS3.5 6.1.2.3 with ISO_IR 192); as many bytes as UTF-16 units only when ASCII.
      const written = text.length === 0 ? 0 : this.#writer.write(text, valueStart, 'utf8');
      if (written !== text.length) nonAscii = true;
      end = valueStart + written;
      // PS3.5 6.2: even length, UI padded with NUL, other text with a space.
      if (written % 2 === 1) slab[end++] = vr === 'UI' ? 0x00 : 0x20;
      const length = end - valueStart;
      slab[lengthAt] = length & 0xff;
      slab[lengthAt + 1] = (length >>> 8) & 0xff;
      if (long) {
        slab[lengthAt + 2] = (length >>> 16) & 0xff;
        slab[lengthAt + 3] = length >>> 24;
      }
    }
    this.#offset = end;
    models.length = 0;
    return { kind, slab, start, childAt: childAt < 0 ? end : childAt, end, nonAscii };
  }
}

/** The token of one header element: text as a value token, anything else as a model one. */
export function elementToken(tag: string, element: DataElement): ElementWriterInput {
  const text = textOf(element);
  if (text === undefined) return { kind: 'model-element', tag: numberOf(tag), element };
  const bytes = encoder.encode(text);
  const value = bytes.length % 2 === 0 ? bytes : new Uint8Array(bytes.length + 1);
  if (value !== bytes) {
    value.set(bytes);
    value[bytes.length] = element.vr === 'UI' ? 0x00 : 0x20;
  }
  return { kind: 'element', tag: numberOf(tag), vr: element.vr, length: value.length, value };
}

/** Whether a text value of `dataSet` or of its items needs more than ASCII. */
export function hasNonAscii(dataSet: Readonly<Record<string, DataElement>>): boolean {
  for (const element of Object.values(dataSet)) {
    if (element.vr === 'SQ') {
      for (const item of element.Value ?? []) {
        if (
          typeof item === 'object' &&
          item !== null &&
          hasNonAscii(item as Record<string, DataElement>)
        )
          return true;
      }
      continue;
    }
    const text = textOf(element);
    // eslint-disable-next-line no-control-regex
    if (text !== undefined && /[^\u0000-\u007f]/.test(text)) return true;
  }
  return false;
}
