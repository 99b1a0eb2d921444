import { ElementParser } from './element-parser.js';
import type { ElementParserOptions } from './reader-options.js';
import { AttributeCollector, type AttributeTag, type Attributes } from './attribute-collector.js';
import {
  asyncIterator,
  readElements,
  elementEncoding,
  inflateSync,
  nextOrAbort,
  type ElementSource,
  type ReadElementsOptions,
} from './read-elements.js';

/** Options of {@link readAttributes}: those of {@link readElements} but the value choices. */
export type ReadAttributesOptions = Omit<
  ReadElementsOptions,
  'wantValue' | 'fragments' | 'stopAfter'
>;

/**
 * Reads the requested top-level attributes of an encoded data set (a requested sequence comes
 * whole, with all its items), decoded into the model (see {@link decodeValue}; text in the data
 * set's Specific Character Set). Only the requested values are kept; reading stops after the
 * largest requested tag (PS3.5 7.1: ascending order) and the source is released.
 * @returns The attributes by tag key (`ggggeeee`); absent tags have no key.
 * @throws As {@link readElements}; {@link DataSetDecodeError} from decoding a value.
 */
export async function readAttributes(
  source: ElementSource,
  tags: Iterable<AttributeTag>,
  options: ReadAttributesOptions,
): Promise<Attributes> {
  options.signal?.throwIfAborted();
  const encoding = elementEncoding(options.transferSyntaxUid);
  const collector = new AttributeCollector(tags, options);
  if (encoding.deflated) {
    for await (const token of readElements(source, { ...options, ...collector.parserOptions }))
      collector.add(token);
    return collector.result(encoding.littleEndian);
  }
  // The parser driven chunk by chunk, without an await per token.
  const parser = new ElementParser(encoding, collector.parserOptions);
  const chunks = asyncIterator(source, false);
  try {
    for (;;) {
      drain(parser, collector);
      if (parser.done) break;
      const next = await nextOrAbort(chunks, options.signal);
      if (next.done === true) parser.end();
      else parser.push(next.value);
    }
  } finally {
    await chunks.return?.();
  }
  return collector.result(encoding.littleEndian);
}

/**
 * {@link readAttributes} over a data set held in memory, without waiting.
 * @throws As {@link readAttributes}.
 */
export function readAttributesSync(
  bytes: Uint8Array,
  tags: Iterable<AttributeTag>,
  options: Omit<ReadAttributesOptions, 'signal'>,
): Attributes {
  const encoding = elementEncoding(options.transferSyntaxUid);
  const collector = new AttributeCollector(tags, options);
  const parser = new ElementParser(encoding, collector.parserOptions);
  parser.push(encoding.deflated ? inflateSync(bytes, options.maxInflatedBytes) : bytes);
  parser.end();
  drain(parser, collector);
  return collector.result(encoding.littleEndian);
}

/** Feeds every token the parser has to the collector. */
export function drain(parser: ElementParser, collector: AttributeCollector): void {
  for (let token = parser.read(); token !== undefined; token = parser.read()) collector.add(token);
}

/** The limits {@link readPart10Attributes} passes to the parser. */
export type ParserLimits = Omit<ElementParserOptions, 'wantValue' | 'fragments' | 'stopAfter'>;
