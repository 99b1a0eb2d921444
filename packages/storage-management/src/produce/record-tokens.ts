// Records to element-writer tokens, encoded once, as they are read. Text values (the bulk of an
// inventory: millions of UIDs) are written straight into shared slabs of bytes and handed to the
// writer as value tokens, which it copies without the model validation it gives model elements:
// no allocation per value but the token and its view. A slab is never written twice, so a view
// stays valid as long as the writer may hold it. Anything not text goes as a model element.
import { tagNumber, type DataElement, type ElementWriterInput } from '@dicomnet/data';
import type { InventoryEntry } from '../inventory-source.js';

const TEXT_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT',
]); // prettier-ignore

const SLAB_BYTES = 256 * 1024;
const encoder = new TextEncoder();

/** One record, encoded: its element tokens in tag order and where its child sequence goes. */
export interface EncodedRecord {
  readonly kind: InventoryEntry['kind'];
  readonly tokens: readonly ElementWriterInput[];
  /** Index in `tokens` of the first element after the child sequence's tag. */
  readonly childAt: number;
  /** Whether a text value needs more than ASCII. */
  readonly nonAscii: boolean;
}

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

/** Encodes records into tokens; one per production (its slabs are shared by its records). */
export class RecordEncoder {
  #slab = new Uint8Array(SLAB_BYTES);
  #offset = 0;
  #nonAscii = false;

  /** The tokens of `attributes` (one record's elements), in ascending tag order (PS3.5 7.1). */
  encode(
    kind: InventoryEntry['kind'],
    attributes: Readonly<Record<string, DataElement>>,
  ): EncodedRecord {
    this.#nonAscii = false;
    const tags = Object.keys(attributes);
    for (let index = 1; index < tags.length; index++) {
      if (tags[index - 1]! > tags[index]!) {
        tags.sort();
        break;
      }
    }
    const tokens: ElementWriterInput[] = [];
    const child = CHILD_TAG[kind];
    let childAt = -1;
    for (const tag of tags) {
      if (child !== undefined && childAt < 0 && tag >= child) childAt = tokens.length;
      if (tag === child) continue;
      tokens.push(this.token(tag, attributes[tag]!));
    }
    return {
      kind,
      tokens,
      childAt: childAt < 0 ? tokens.length : childAt,
      nonAscii: this.#nonAscii,
    };
  }

  /** One element's token: a value token for text (UTF-8, PS3.5 6.1.2.3), else a model one. */
  token(tag: string, element: DataElement): ElementWriterInput {
    const text = textOf(element);
    if (text === undefined) return { kind: 'model-element', tag: numberOf(tag), element };
    const value = this.#text(text, element.vr === 'UI' ? 0x00 : 0x20);
    return { kind: 'element', tag: numberOf(tag), vr: element.vr, length: value.length, value };
  }

  /** `text` in UTF-8 padded to even length (PS3.5 6.2: UI with NUL, other text with a space). */
  #text(text: string, pad: number): Uint8Array {
    const most = text.length * 3 + 1;
    if (this.#slab.length - this.#offset < most) {
      this.#slab = new Uint8Array(Math.max(SLAB_BYTES, most));
      this.#offset = 0;
    }
    const slab = this.#slab;
    const start = this.#offset;
    let end = start;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code > 0x7f) {
        end = start + encoder.encodeInto(text, slab.subarray(start)).written;
        this.#nonAscii = true;
        break;
      }
      slab[end++] = code;
    }
    if ((end - start) % 2 === 1) slab[end++] = pad;
    this.#offset = end;
    return slab.subarray(start, end);
  }
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
