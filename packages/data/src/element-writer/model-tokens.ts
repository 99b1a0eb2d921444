// Model input → the token stream the writer state consumes. Model elements are validated once,
// with the rules the dcmjs codec uses (validateDataSet), then expanded lazily: a sequence of a
// million items is walked one item at a time as the output is read.
import { tagNumber, type DataElement, type DataSet } from '../data-set/data-set.js';
import { DataSetEncodeError } from '../data-set/errors.js';
import { validateDataSet } from '../data-set/validate-data-set.js';
import type {
  ItemEndToken,
  ItemToken,
  SequenceEndToken,
  SequenceToken,
} from '../element-stream/element-token.js';

/** A non-sequence model element that has been validated already. */
export interface CheckedElementToken {
  readonly kind: 'checked-element';
  readonly tag: number;
  readonly element: DataElement;
}

/** What a model expansion yields. */
export type ExpandedToken =
  CheckedElementToken | SequenceToken | ItemToken | ItemEndToken | SequenceEndToken;

const ITEM_END: ItemEndToken = { kind: 'item-end' };
const SEQUENCE_END: SequenceEndToken = { kind: 'sequence-end' };
const UTF8 = 'ISO_IR 192';

/**
 * Checks a model data set (an item, or one element wrapped as `{ key: element }`) as the writer
 * will encode it: every rule of validateDataSet; non-ASCII text only where Specific Character Set
 * (0008,0005), its own or `charset` inherited from the enclosing data sets, is `ISO_IR 192`
 * (the writer writes text as UTF-8, PS3.5 6.1.2.5).
 * @param path - Tag path of the data set, prefixed to the error's path.
 * @throws {@link DataSetEncodeError} as validateDataSet does.
 */
export function checkModel(
  dataSet: DataSet,
  charset: readonly string[],
  maxDepth: number,
  path: string,
): void {
  try {
    validateDataSet(dataSet, {
      maxDepth,
      // An empty list means no Specific Character Set in the data set itself: use the context.
      canEncodeCharacterSet: (terms) => isUtf8(terms.length === 0 ? charset : terms),
    });
  } catch (error) {
    if (!(error instanceof DataSetEncodeError) || path === '') throw error;
    throw new DataSetEncodeError(
      error.code,
      error.detail,
      `${path}${error.path ?? ''}`,
      error.feature,
      { cause: error },
    );
  }
}

function isUtf8(terms: readonly string[]): boolean {
  return terms.length === 1 && terms[0] === UTF8;
}

/** The tokens of a validated model SQ element. */
export function* sequenceTokens(
  tag: number,
  element: DataElement,
  definedLength: boolean,
): Generator<ExpandedToken> {
  yield { kind: 'sequence', tag, vr: 'SQ', length: definedLength ? 0 : undefined };
  const items = element.Value ?? [];
  for (let index = 0; index < items.length; index++)
    yield* itemTokens(items[index] as DataSet, index, definedLength);
  yield SEQUENCE_END;
}

/** The tokens of a validated model item, its elements in ascending tag order (PS3.5 7.1). */
export function* itemTokens(
  dataSet: DataSet,
  index: number,
  definedLength: boolean,
): Generator<ExpandedToken> {
  yield { kind: 'item', index, length: definedLength ? 0 : undefined };
  yield* elementTokens(dataSet, definedLength);
  yield ITEM_END;
}

/** The elements of a validated model data set in ascending tag order. */
export function* elementTokens(dataSet: DataSet, definedLength: boolean): Generator<ExpandedToken> {
  // Keys are 8 upper-case hex digits (validated), so string order is tag order.
  for (const key of Object.keys(dataSet).sort()) {
    const element = dataSet[key] as DataElement;
    const tag = tagNumber(key);
    if (element.vr === 'SQ') yield* sequenceTokens(tag, element, definedLength);
    else yield { kind: 'checked-element', tag, element };
  }
}
