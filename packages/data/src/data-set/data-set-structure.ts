import { formatTag } from './data-set.js';
import {
  ITEM_DELIMITATION_TAG,
  ITEM_TAG,
  readElementHeader,
  SEQUENCE_DELIMITATION_TAG,
  UNDEFINED_LENGTH,
  viewOf,
  type DataSetEncoding,
} from './element-header.js';
import { DataSetDecodeError } from './errors.js';

/** One element found by {@link readDataSetStructure}. */
export interface ElementNode {
  readonly tag: number;
  /** VR from the VR field (Explicit VR) or from `implicitVr` (Implicit VR). */
  readonly vr: string;
  /** Offset of the first header byte. */
  readonly offset: number;
  /** Offset of the first value byte. */
  readonly valueOffset: number;
  /** Value bytes; for an undefined length, the bytes before the closing delimiter. */
  readonly length: number;
  readonly undefinedLength: boolean;
  /** Offset just past the element (and its sequence delimiter). */
  readonly end: number;
  /** Items of a sequence: SQ, or UN with undefined length read as PS3.5 6.2.2 says. */
  readonly items?: readonly ItemNode[];
  /** Item count of encapsulated pixel data (Basic Offset Table included, PS3.5 A.4). */
  readonly fragments?: number;
}

/** One sequence item found by {@link readDataSetStructure}. */
export interface ItemNode {
  readonly offset: number;
  readonly contentOffset: number;
  readonly contentLength: number;
  readonly undefinedLength: boolean;
  readonly end: number;
  readonly elements: readonly ElementNode[];
}

/** Options of {@link readDataSetStructure}. */
export interface StructureOptions extends DataSetEncoding {
  /** The VR to assume for an element in Implicit VR (normally from the data dictionary). */
  readonly implicitVr: (tag: number, undefinedLength: boolean) => string;
  /** Deepest sequence nesting accepted; a top-level sequence is depth 1. */
  readonly maxDepth: number;
}

const PIXEL_DATA = 0x7fe00010;
const IMPLICIT_LITTLE: DataSetEncoding = { explicitVr: false, littleEndian: true };

/**
 * Walks the element structure of an encoded data set without decoding any value: every length,
 * item and delimiter is checked against its container (PS3.5 7.1, 7.5), tags must not repeat
 * within one data set (PS3.5 7.1), nesting is bounded.
 * @throws {@link DataSetDecodeError} `DICOMNET_DATASET_MALFORMED` at the first violation.
 */
export function readDataSetStructure(
  bytes: Uint8Array,
  options: StructureOptions,
): readonly ElementNode[] {
  const walker = new Walker(bytes, options);
  return walker.dataSet(0, bytes.byteLength, options, 0, '', false).elements;
}

class Walker {
  readonly #view: DataView;

  constructor(
    bytes: Uint8Array,
    readonly options: StructureOptions,
  ) {
    this.#view = viewOf(bytes);
  }

  /** Elements from `start` up to `end`, or up to an item delimiter when `delimited`. */
  dataSet(
    start: number,
    end: number,
    encoding: DataSetEncoding,
    depth: number,
    path: string,
    delimited: boolean,
  ): { elements: ElementNode[]; end: number } {
    const elements: ElementNode[] = [];
    const seen = new Set<number>();
    let offset = start;
    while (offset < end) {
      const header = this.#header(offset, end, encoding, path);
      if (header.tag === ITEM_DELIMITATION_TAG && delimited) {
        if (header.length !== 0) fail('item delimiter with non-zero length', path, offset);
        return { elements, end: offset + 8 };
      }
      if (header.tag >>> 16 === 0xfffe)
        fail(`unexpected ${formatTag(header.tag)} in a data set`, path, offset);
      if (seen.has(header.tag)) fail(`${formatTag(header.tag)} occurs twice`, path, offset);
      seen.add(header.tag);
      const element = this.#element(header, offset, end, encoding, depth, path);
      elements.push(element);
      offset = element.end;
    }
    if (delimited) fail('item ends without an item delimiter', path, end);
    return { elements, end: offset };
  }

  #header(offset: number, end: number, encoding: DataSetEncoding, path: string) {
    const header = readElementHeader(this.#view, offset, end, encoding);
    if ('problem' in header) {
      if (header.problem === 'need-more') fail('data ends inside an element header', path, offset);
      fail(`unknown VR "${escape(header.vr)}" for ${formatTag(header.tag)}`, path, offset);
    }
    return header;
  }

  #element(
    header: { tag: number; vr: string | undefined; length: number; headerLength: number },
    offset: number,
    end: number,
    encoding: DataSetEncoding,
    depth: number,
    path: string,
  ): ElementNode {
    const undefinedLength = header.length === UNDEFINED_LENGTH;
    const vr = header.vr ?? this.options.implicitVr(header.tag, undefinedLength);
    const valueOffset = offset + header.headerLength;
    const here = `${path}${formatTag(header.tag)}`;
    const base = { tag: header.tag, vr, offset, valueOffset, undefinedLength };
    if (!undefinedLength && valueOffset + header.length > end) {
      fail(`value length ${header.length} overruns its container`, here, offset);
    }
    if (vr === 'SQ' || (vr === 'UN' && undefinedLength)) {
      if (depth + 1 > this.options.maxDepth)
        fail(`sequences nested deeper than ${this.options.maxDepth}`, here, offset);
      // PS3.5 6.2.2: a UN of undefined length holds a sequence encoded in Implicit VR LE.
      const itemEncoding = vr === 'UN' ? IMPLICIT_LITTLE : encoding;
      const sequence = this.#sequence(
        valueOffset,
        undefinedLength ? end : valueOffset + header.length,
        undefinedLength,
        itemEncoding,
        depth + 1,
        here,
      );
      return { ...base, length: sequence.contentLength, end: sequence.end, items: sequence.items };
    }
    if (undefinedLength) {
      if (header.tag !== PIXEL_DATA) fail(`undefined length on a ${vr} element`, here, offset);
      const pixels = this.#fragments(valueOffset, end, encoding, here);
      return {
        ...base,
        length: pixels.end - 8 - valueOffset,
        end: pixels.end,
        fragments: pixels.count,
      };
    }
    return { ...base, length: header.length, end: valueOffset + header.length };
  }

  #sequence(
    start: number,
    end: number,
    undefinedLength: boolean,
    encoding: DataSetEncoding,
    depth: number,
    path: string,
  ) {
    const items: ItemNode[] = [];
    let offset = start;
    for (;;) {
      if (!undefinedLength && offset === end) return { items, contentLength: end - start, end };
      const header = this.#header(offset, end, encoding, path);
      if (header.tag === SEQUENCE_DELIMITATION_TAG && undefinedLength) {
        if (header.length !== 0) fail('sequence delimiter with non-zero length', path, offset);
        return { items, contentLength: offset - start, end: offset + 8 };
      }
      if (header.tag !== ITEM_TAG)
        fail(`expected an item, found ${formatTag(header.tag)}`, path, offset);
      const itemPath = `${path}[${items.length}]`;
      const contentOffset = offset + 8;
      if (header.length === UNDEFINED_LENGTH) {
        const content = this.dataSet(contentOffset, end, encoding, depth, itemPath, true);
        items.push({
          offset,
          contentOffset,
          contentLength: content.end - 8 - contentOffset,
          undefinedLength: true,
          end: content.end,
          elements: content.elements,
        });
        offset = content.end;
      } else {
        const itemEnd = contentOffset + header.length;
        if (itemEnd > end)
          fail(`item length ${header.length} overruns its sequence`, itemPath, offset);
        const content = this.dataSet(contentOffset, itemEnd, encoding, depth, itemPath, false);
        items.push({
          offset,
          contentOffset,
          contentLength: header.length,
          undefinedLength: false,
          end: itemEnd,
          elements: content.elements,
        });
        offset = itemEnd;
      }
    }
  }

  /** Encapsulated pixel data: items of defined length up to a sequence delimiter (PS3.5 A.4). */
  #fragments(start: number, end: number, encoding: DataSetEncoding, path: string) {
    let offset = start;
    for (let count = 0; ; count++) {
      const header = this.#header(offset, end, { ...encoding, explicitVr: false }, path);
      if (header.tag === SEQUENCE_DELIMITATION_TAG) return { count, end: offset + 8 };
      if (
        header.tag !== ITEM_TAG ||
        header.length === UNDEFINED_LENGTH ||
        offset + 8 + header.length > end
      ) {
        fail('malformed encapsulated pixel data fragment', path, offset);
      }
      offset += 8 + header.length;
    }
  }
}

function fail(detail: string, path: string, offset: number): never {
  throw new DataSetDecodeError(
    'DICOMNET_DATASET_MALFORMED',
    detail,
    path === '' ? { offset } : { path, offset },
  );
}

function escape(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
