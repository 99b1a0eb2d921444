// The element reader's public API (issue 14).
export { ElementParser } from './element-parser.js';
export {
  DEFAULT_READER_MAX_DEPTH,
  DEFAULT_READER_MAX_VALUE_BYTES,
  type ElementParserOptions,
} from './reader-options.js';
export {
  readElements,
  readElementBatches,
  readElementsSync,
  DEFAULT_READER_MAX_INFLATED_BYTES,
  type ElementSource,
  type ReadElementsOptions,
} from './read-elements.js';
export { decodeValue, type DecodeValueContext } from './decode-value.js';
export { textDecoding, type TextDecoding } from './character-sets.js';
export { dictionaryVr } from './data-dictionary.js';
export type { AttributeTag, Attributes } from './attribute-collector.js';
export {
  readAttributes,
  readAttributesSync,
  type ReadAttributesOptions,
} from './read-attributes.js';
export {
  readPart10Attributes,
  readPart10AttributesSync,
  DEFAULT_READER_CHUNK_BYTES,
  type Part10Attributes,
  type ReadPart10AttributesOptions,
} from './read-part10-attributes.js';
