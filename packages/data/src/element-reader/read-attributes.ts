import { ElementParser } from './element-parser.js';
import { AttributeCollector, type AttributeTag, type Attributes } from './attribute-collector.js';
import { readFlatAttributes } from './flat-attributes.js';
import {
  asyncIterator,
  DEFAULT_READER_MAX_INFLATED_BYTES,
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
    for (let first = true; ; first = false) {
      drain(parser, collector);
      if (parser.done) break;
      const next = await nextOrAbort(chunks, options.signal);
      if (next.done === true) parser.end();
      else {
        // Most attributes asked for lie in the first chunk: read without the parser when they can.
        const flat = first
          ? readFlatAttributes(next.value, encoding, tags, options, false, false)
          : undefined;
        if (flat !== undefined) return flat;
        parser.push(next.value);
      }
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
  if (encoding.deflated) {
    return collectDeflated(bytes, true, () => undefined, tags, options).result(
      encoding.littleEndian,
    );
  }
  const flat = readFlatAttributes(bytes, encoding, tags, options, true, false);
  return flat ?? parsedAttributes(bytes, encoding, tags, options);
}

/**
 * The attributes of a whole data set read by the element parser: what the flat loop falls back
 * to (and the oracle it is tested against).
 */
export function parsedAttributes(
  bytes: Uint8Array,
  encoding: ReturnType<typeof elementEncoding>,
  tags: Iterable<AttributeTag>,
  options: Omit<ReadAttributesOptions, 'signal'>,
): Attributes {
  const collector = new AttributeCollector(tags, options);
  const parser = new ElementParser(encoding, collector.parserOptions);
  parser.push(bytes);
  parser.end();
  drain(parser, collector);
  return collector.result(encoding.littleEndian);
}

/** Deflated bytes inflated by the first try of {@link collectDeflated}. */
const DEFLATED_WINDOW = 8 * 1024;

/**
 * The requested attributes of a Deflated data set (PS3.5 A.5), inflating a growing prefix of it
 * (four times longer at each try) until they are passed: the attributes of an index lie in the
 * first KiB, the pixel data after them is never inflated.
 * @param start - The deflated bytes at hand.
 * @param complete - True when `start` is all of them.
 * @param more - The next deflated bytes, or undefined at the end.
 */
export function collectDeflated(
  start: Uint8Array,
  complete: boolean,
  more: () => Uint8Array | undefined,
  tags: Iterable<AttributeTag>,
  options: Omit<ReadAttributesOptions, 'signal' | 'transferSyntaxUid'>,
): AttributeCollector {
  const encoding = { explicitVr: true, littleEndian: true };
  const max = options.maxInflatedBytes ?? DEFAULT_READER_MAX_INFLATED_BYTES;
  let deflated = start;
  let ended = complete;
  for (let window = DEFLATED_WINDOW; ; window *= 4) {
    while (!ended && deflated.byteLength < window) {
      const chunk = more();
      if (chunk === undefined) ended = true;
      else deflated = concat(deflated, chunk);
    }
    const whole = ended && deflated.byteLength <= window;
    const collector = new AttributeCollector(tags, options);
    const parser = new ElementParser(encoding, collector.parserOptions);
    parser.push(inflateSync(deflated.subarray(0, window), max, !whole));
    if (whole) parser.end();
    drain(parser, collector);
    if (parser.done) return collector;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** Feeds every token the parser has to the collector. */
export function drain(parser: ElementParser, collector: AttributeCollector): void {
  for (let token = parser.read(); token !== undefined; token = parser.read()) collector.add(token);
}
