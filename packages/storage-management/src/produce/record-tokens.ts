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

/** Which elements a record has, in tag order: shared by the records of the same layout. */
interface Shape {
  readonly kind: InventoryEntry['kind'];
  readonly tags: readonly string[];
  readonly numbers: readonly number[];
  readonly vrs: readonly string[];
  /** Whether each element is text (its bytes in the record) or a model element. */
  readonly text: readonly boolean[];
  /** Index of the first element after the child sequence's tag. */
  readonly childAt: number;
}

/**
 * One record, encoded: its text values as bytes in one view of a slab (each after its 4-byte
 * length), its other elements as model tokens. Compact on purpose: a leaf holds thousands of
 * records until it closes, and a few objects each (not one per element) keep that cheap for the
 * garbage collector; the tokens are made as the instance is written.
 */
export class EncodedRecord {
  readonly #shape: Shape;
  readonly #bytes: Uint8Array;
  readonly #models: readonly ElementWriterInput[] | undefined;
  /** Whether a text value needs more than ASCII. */
  readonly nonAscii: boolean;

  constructor(
    shape: Shape,
    bytes: Uint8Array,
    models: readonly ElementWriterInput[] | undefined,
    nonAscii: boolean,
  ) {
    this.#shape = shape;
    this.#bytes = bytes;
    this.#models = models;
    this.nonAscii = nonAscii;
  }

  get kind(): InventoryEntry['kind'] {
    return this.#shape.kind;
  }

  /** Index of the first element after the child sequence's tag. */
  get childAt(): number {
    return this.#shape.childAt;
  }

  /** Number of elements. */
  get size(): number {
    return this.#shape.tags.length;
  }

  /** Appends to `out` the tokens of elements `from` (inclusive) to `to` (exclusive). */
  appendTokens(from: number, to: number, out: ElementWriterInput[]): void {
    const shape = this.#shape;
    const bytes = this.#bytes;
    let offset = 0;
    let model = 0;
    for (let index = 0; index < to; index++) {
      if (!shape.text[index]) {
        const token = this.#models![model++]!;
        if (index >= from) out.push(token);
        continue;
      }
      const length =
        (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16)) +
        bytes[offset + 3]! * 0x1000000;
      if (index >= from) {
        out.push({
          kind: 'element',
          tag: shape.numbers[index]!,
          vr: shape.vrs[index]!,
          length,
          value: bytes.subarray(offset + 4, offset + 4 + length),
        });
      }
      offset += 4 + length;
    }
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

/** Encodes records; one per production (its slabs are shared by its records). */
export class RecordEncoder {
  // The same memory twice: a Buffer to write text into (Buffer.write, native UTF-8), a plain
  // Uint8Array to take views of (a Buffer's subarray makes a Buffer, which costs more).
  #slab = new Uint8Array(SLAB_BYTES);
  #writer = Buffer.from(this.#slab.buffer);
  #offset = 0;
  readonly #shapes = new Map<InventoryEntry['kind'], Shape>();
  readonly #texts: (string | undefined)[] = [];

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
    texts.length = tags.length;
    let most = 0;
    let models: ElementWriterInput[] | undefined;
    for (let index = 0; index < tags.length; index++) {
      const element = attributes[tags[index]!]!;
      const text = textOf(element);
      texts[index] = text;
      if (text !== undefined) most += 5 + text.length * 3;
      else (models ??= []).push({ kind: 'model-element', tag: numberOf(tags[index]!), element });
    }
    if (this.#slab.length - this.#offset < most) {
      this.#slab = new Uint8Array(Math.max(SLAB_BYTES, most));
      this.#writer = Buffer.from(this.#slab.buffer);
      this.#offset = 0;
    }
    const slab = this.#slab;
    const start = this.#offset;
    let end = start;
    let nonAscii = false;
    for (let index = 0; index < tags.length; index++) {
      const text = texts[index];
      if (text === undefined) continue;
      const at = end;
      end += 4;
      const valueStart = end;
      // UTF-8 (PS3.5 6.1.2.3 with ISO_IR 192); as many bytes as UTF-16 units only when ASCII.
      const written = this.#writer.write(text, valueStart, 'utf8');
      if (written !== text.length) nonAscii = true;
      end = valueStart + written;
      // PS3.5 6.2: even length, UI padded with NUL, other text with a space.
      if ((end - valueStart) % 2 === 1)
        slab[end++] = attributes[tags[index]!]!.vr === 'UI' ? 0x00 : 0x20;
      const length = end - valueStart;
      slab[at] = length & 0xff;
      slab[at + 1] = (length >>> 8) & 0xff;
      slab[at + 2] = (length >>> 16) & 0xff;
      slab[at + 3] = (length >>> 24) & 0xff;
    }
    this.#offset = end;
    return new EncodedRecord(
      this.#shapeOf(kind, tags, attributes, child),
      slab.subarray(start, end),
      models,
      nonAscii,
    );
  }

  /** The shape of the last record of `kind` when this one has the same, else a new one. */
  #shapeOf(
    kind: InventoryEntry['kind'],
    tags: readonly string[],
    attributes: Readonly<Record<string, DataElement>>,
    child: string | undefined,
  ): Shape {
    const texts = this.#texts;
    const last = this.#shapes.get(kind);
    if (last !== undefined && last.tags.length === tags.length) {
      let same = true;
      for (let index = 0; same && index < tags.length; index++) {
        same =
          last.tags[index] === tags[index] &&
          last.vrs[index] === attributes[tags[index]!]!.vr &&
          last.text[index] === (texts[index] !== undefined);
      }
      if (same) return last;
    }
    let childAt = tags.length;
    if (child !== undefined) {
      const at = tags.findIndex((tag) => tag > child);
      if (at >= 0) childAt = at;
    }
    const shape: Shape = {
      kind,
      tags: [...tags],
      numbers: tags.map(numberOf),
      vrs: tags.map((tag) => attributes[tag]!.vr),
      text: texts.map((text) => text !== undefined),
      childAt,
    };
    this.#shapes.set(kind, shape);
    return shape;
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
