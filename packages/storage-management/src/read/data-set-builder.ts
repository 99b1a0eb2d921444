// Element tokens → model data sets, one item (or the top level) at a time, so that the reader
// holds one record in memory and never the whole Inventory instance. @dicomnet/data builds
// models only of whole data sets; this is the same decoding (decodeValue, the Specific
// Character Set in force, PS3.5 6.1.2.5.3) applied to a part of the token stream.
import {
  DicomnetError,
  decodeValue,
  formatTag,
  tagKey,
  textDecoding,
  type DataElement,
  type DataSet,
  type ElementToken,
  type TextDecoding,
} from '@dicomnet/data';
import { InventoryMalformedError } from './errors.js';

const SPECIFIC_CHARACTER_SET = '00080005';

interface ItemFrame {
  readonly kind: 'item';
  readonly elements: Record<string, DataElement>;
  readonly littleEndian: boolean;
  text: TextDecoding | undefined;
}

interface SequenceFrame {
  readonly kind: 'sequence';
  readonly key: string;
  readonly items: DataSet[];
  readonly littleEndian: boolean;
}

type Frame = ItemFrame | SequenceFrame;

/**
 * Builds one data set from its tokens: every token between the start of an item (or of the top
 * level) and its end, nested sequences included. `add` the tokens, then take `dataSet`.
 */
export class DataSetBuilder {
  readonly #root: ItemFrame;
  readonly #stack: Frame[];
  readonly #where: string;

  /**
   * @param littleEndian - Byte order of the values (Little Endian inside a UN sequence).
   * @param text - The Specific Character Set in force from the enclosing data set.
   * @param where - Names the input in errors.
   */
  constructor(littleEndian: boolean, text: TextDecoding | undefined, where: string) {
    this.#root = { kind: 'item', elements: {}, littleEndian, text };
    this.#stack = [this.#root];
    this.#where = where;
  }

  /** The Specific Character Set in force at the top of this data set. */
  get text(): TextDecoding | undefined {
    return this.#root.text;
  }

  /** True when no nested sequence or item is open. */
  get atTop(): boolean {
    return this.#stack.length === 1;
  }

  /** The data set built so far (complete once every token of it was added). */
  get dataSet(): DataSet {
    return this.#root.elements;
  }

  /** Adds one token of this data set. */
  add(token: ElementToken): void {
    const frame = this.#stack.at(-1) as Frame; // the root is never popped
    switch (token.kind) {
      case 'element': {
        const item = this.#item(frame);
        if ((token.tag & 0xffff) === 0) return; // group length (PS3.18 F.2.2)
        if (token.value === undefined)
          throw this.#malformed(
            `a value of ${token.length} bytes over the reader's limit`,
            token.tag,
          );
        const key = this.#keyIn(item, token.tag);
        try {
          const element = decodeValue(token.vr, token.value, {
            littleEndian: item.littleEndian,
            ...(item.text === undefined ? {} : { text: item.text }),
          });
          if (key === SPECIFIC_CHARACTER_SET)
            item.text = textDecoding((element.Value ?? []).map((term) => String(term)));
          item.elements[key] = element;
        } catch (error) {
          // A value that does not decode (an unknown character set, a bad length for its VR).
          if (!(error instanceof DicomnetError)) throw error;
          throw new InventoryMalformedError(
            `${formatTag(token.tag)}: ${error.message}`,
            this.#where,
            { cause: error },
          );
        }
        return;
      }
      case 'sequence': {
        const item = this.#item(frame);
        const key = this.#keyIn(item, token.tag);
        item.elements[key] = { vr: 'SQ' };
        this.#stack.push({
          kind: 'sequence',
          key,
          items: [],
          littleEndian: token.vr === 'UN' ? true : item.littleEndian,
        });
        return;
      }
      case 'item': {
        const parent = this.#stack.at(-2) as ItemFrame; // a sequence always has an item below
        this.#stack.push({
          kind: 'item',
          elements: {},
          littleEndian: (frame as SequenceFrame).littleEndian,
          text: parent.text,
        });
        return;
      }
      case 'item-end': {
        this.#stack.pop();
        (this.#stack.at(-1) as SequenceFrame).items.push(this.#item(frame).elements);
        return;
      }
      case 'sequence-end': {
        this.#stack.pop();
        const sequence = frame as SequenceFrame;
        const parent = this.#stack.at(-1) as ItemFrame;
        parent.elements[sequence.key] =
          sequence.items.length === 0 ? { vr: 'SQ' } : { vr: 'SQ', Value: sequence.items };
        return;
      }
      default:
        throw this.#malformed('encapsulated pixel data has no place in an Inventory instance');
    }
  }

  #item(frame: Frame): ItemFrame {
    // The element reader yields elements only inside data sets and items only in sequences.
    if (frame.kind !== 'item') throw this.#malformed('an element inside a sequence');
    return frame;
  }

  #keyIn(item: ItemFrame, tag: number): string {
    const key = tagKey(tag >>> 16, tag & 0xffff);
    if (Object.hasOwn(item.elements, key)) throw this.#malformed('occurs twice', tag);
    return key;
  }

  #malformed(detail: string, tag?: number): InventoryMalformedError {
    return new InventoryMalformedError(
      tag === undefined ? detail : `${formatTag(tag)} ${detail}`,
      this.#where,
    );
  }
}
