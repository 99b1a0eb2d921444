// The element reader's tokens → a model DataSet, values decoded with the reader's decodeValue.
// Used by the element codec; whole data sets only (the model holds everything in memory).
import { formatTag, tagKey, type DataElement, type DataSet } from '../data-set/data-set.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import { textDecoding, type TextDecoding } from '../element-reader/character-sets.js';
import { decodeValue } from '../element-reader/decode-value.js';
import type { ElementToken } from '../element-stream/element-token.js';
import { vrInfo } from '../data-set/value-representation.js';

interface DataSetLevel {
  readonly kind: 'data-set';
  readonly elements: Record<string, DataElement>;
  readonly littleEndian: boolean;
  /** Text decoding of the Specific Character Set in force (own or inherited). */
  text: TextDecoding | undefined;
  readonly path: string;
}

interface SequenceLevel {
  readonly kind: 'sequence';
  readonly key: string;
  readonly items: DataSet[];
  /** Byte order of its items: Little Endian inside a UN sequence (PS3.5 6.2.2). */
  readonly littleEndian: boolean;
  readonly path: string;
}

type Level = DataSetLevel | SequenceLevel;

const SPECIFIC_CHARACTER_SET = '00080005';

/**
 * Builds the model of a whole data set from its tokens; `implicitVr` overrides the VR of
 * elements (given only for Implicit VR). A sequence of VR UN (undefined length)
 * becomes an SQ (PS3.5 6.2.2 says it is one); group lengths are dropped (PS3.18 F.2.2).
 * @throws {@link DataSetDecodeError} `DICOMNET_DATASET_UNSUPPORTED` for encapsulated pixel data
 *   (feature `encapsulated-pixel-data`: the model has no fragments) and skipped values (`size`);
 *   `DICOMNET_DATASET_MALFORMED` for a tag that occurs twice; as decodeValue.
 */
export function tokensToModel(
  tokens: Iterable<ElementToken>,
  littleEndian: boolean,
  implicitVr?: (tag: number) => string | undefined,
): DataSet {
  const root: DataSetLevel = {
    kind: 'data-set',
    elements: {},
    littleEndian,
    text: undefined,
    path: '',
  };
  const stack: Level[] = [root];
  for (const token of tokens) {
    const level = stack.at(-1) as Level; // the root is never popped
    switch (token.kind) {
      case 'element': {
        const here = asDataSet(level);
        if ((token.tag & 0xffff) === 0) break; // group length (PS3.18 F.2.2)
        if (token.value === undefined)
          unsupported(`a value of ${token.length} bytes over the limit`, here, token.tag, 'size');
        const key = keyIn(here, token.tag);
        const element = decodeValue(vrOf(token.tag, token.vr, implicitVr), token.value, {
          littleEndian: here.littleEndian,
          ...(here.text === undefined ? {} : { text: here.text }),
        });
        if (key === SPECIFIC_CHARACTER_SET)
          here.text = textDecoding((element.Value ?? []).map((term) => String(term)));
        here.elements[key] = element;
        break;
      }
      case 'sequence': {
        const here = asDataSet(level);
        const key = keyIn(here, token.tag);
        here.elements[key] = { vr: 'SQ' }; // its items are set when it ends
        stack.push({
          kind: 'sequence',
          key,
          items: [],
          littleEndian: token.vr === 'UN' ? true : here.littleEndian,
          path: `${here.path}${formatTag(token.tag)}`,
        });
        break;
      }
      case 'item': {
        const sequence = level as SequenceLevel; // the reader yields items only in sequences
        const parent = stack.at(-2) as DataSetLevel;
        stack.push({
          kind: 'data-set',
          elements: {},
          littleEndian: sequence.littleEndian,
          text: parent.text,
          path: `${sequence.path}[${sequence.items.length}]`,
        });
        break;
      }
      case 'item-end': {
        stack.pop();
        (stack.at(-1) as SequenceLevel).items.push(asDataSet(level).elements);
        break;
      }
      case 'sequence-end': {
        stack.pop();
        const sequence = level as SequenceLevel;
        const parent = stack.at(-1) as DataSetLevel;
        parent.elements[sequence.key] =
          sequence.items.length === 0 ? { vr: 'SQ' } : { vr: 'SQ', Value: sequence.items };
        break;
      }
      default: // encapsulated, fragment
        unsupported(
          'encapsulated pixel data has no place in the model',
          asDataSet(level),
          token.kind === 'encapsulated' ? token.tag : undefined,
          'encapsulated-pixel-data',
        );
    }
  }
  return root.elements;
}

/** The VR to decode with: the caller's for Implicit VR when it names a non-sequence VR. */
function vrOf(
  tag: number,
  vr: string,
  implicitVr: ((tag: number) => string | undefined) | undefined,
): string {
  const chosen = implicitVr?.(tag);
  if (chosen === undefined || chosen === 'SQ') return vr;
  if (vrInfo(chosen) === undefined)
    throw new TypeError(`implicitVr gave "${chosen}" for ${formatTag(tag)}, not a VR`);
  return chosen;
}

function asDataSet(level: Level): DataSetLevel {
  // The reader yields elements only inside data sets, so this never fails on its tokens.
  if (level.kind !== 'data-set')
    throw new DataSetDecodeError('DICOMNET_DATASET_MALFORMED', 'an element inside a sequence', {
      path: level.path,
    });
  return level;
}

/** The model key of `tag`, which must not be in `level` yet (PS3.5 7.1). */
function keyIn(level: DataSetLevel, tag: number): string {
  const key = tagKey(tag >>> 16, tag & 0xffff);
  if (Object.hasOwn(level.elements, key)) {
    throw new DataSetDecodeError('DICOMNET_DATASET_MALFORMED', `${formatTag(tag)} occurs twice`, {
      path: level.path,
    });
  }
  return key;
}

function unsupported(
  detail: string,
  level: DataSetLevel,
  tag: number | undefined,
  feature: string,
): never {
  const path = tag === undefined ? level.path : `${level.path}${formatTag(tag)}`;
  throw new DataSetDecodeError(
    'DICOMNET_DATASET_UNSUPPORTED',
    detail,
    path === '' ? {} : { path },
    feature,
  );
}
