// Records to element-writer tokens. Text values (the bulk of an inventory: millions of UIDs) are
// encoded here straight to their bytes as value tokens, which the writer copies without the model
// validation it applies to model elements; anything else goes to the writer as a model element.
import { tagNumber, type DataElement, type DataSet, type ElementWriterInput } from '@dicomnet/data';

const TEXT_VRS: ReadonlySet<string> = new Set([
  'AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT',
]); // prettier-ignore

const encoder = new TextEncoder();
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;

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
  const values = element.Value ?? [];
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

/** Whether a text value of `dataSet` (not of its sequences) needs more than ASCII. */
export function hasNonAscii(dataSet: DataSet): boolean {
  for (const element of Object.values(dataSet)) {
    if (element.vr !== 'PN' && !TEXT_VRS.has(element.vr)) {
      if (element.vr === 'SQ') {
        for (const item of element.Value ?? []) {
          if (typeof item === 'object' && item !== null && hasNonAscii(item as DataSet))
            return true;
        }
      }
      continue;
    }
    const text = textOf(element);
    if (text !== undefined && NON_ASCII.test(text)) return true;
  }
  return false;
}

/** The token of one element: a value token for text (UTF-8, PS3.5 6.1.2.3), else a model one. */
export function elementToken(tag: string, element: DataElement): ElementWriterInput {
  const text = element.vr === 'PN' || TEXT_VRS.has(element.vr) ? textOf(element) : undefined;
  if (text === undefined) return { kind: 'model-element', tag: tagNumber(tag), element };
  const bytes = encoder.encode(text);
  // PS3.5 6.2: even length, UI padded with NUL, other text with a space.
  const length = bytes.length + (bytes.length % 2);
  let value = bytes;
  if (length !== bytes.length) {
    value = new Uint8Array(length);
    value.set(bytes);
    value[bytes.length] = element.vr === 'UI' ? 0x00 : 0x20;
  }
  return { kind: 'element', tag: tagNumber(tag), vr: element.vr, length, value };
}

/**
 * The tokens of a record's elements, in tag order, with `child` (a nested sequence's tokens) in
 * its place among them (PS3.5 7.1: ascending tags).
 */
export function* recordTokens(
  attributes: DataSet,
  child?: { readonly tag: string; readonly tokens: () => Iterable<ElementWriterInput> },
): Generator<ElementWriterInput> {
  const tags = Object.keys(attributes).sort();
  let childDone = child === undefined;
  for (const tag of tags) {
    if (!childDone && child !== undefined && tag >= child.tag) {
      yield* child.tokens();
      childDone = true;
      if (tag === child.tag) continue;
    }
    yield elementToken(tag, attributes[tag]!);
  }
  if (!childDone && child !== undefined) yield* child.tokens();
}
