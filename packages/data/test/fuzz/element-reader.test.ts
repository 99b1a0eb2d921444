// Property tests of the element reader: arbitrary bytes and mutated DCMTK fixtures, in every
// syntax, give tokens or a DicomnetError, nothing else; the same bytes split at random points give
// the same tokens (or the same error); the async reader agrees with the sync one; and data sets
// the element writer writes from arbitrary models read back as the dcmjs codec reads them.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDcmjsCodec,
  DicomnetError,
  ElementParser,
  dataSetTokens,
  readAttributes,
  readAttributesSync,
  readElements,
  readElementsSync,
  readPart10Attributes,
  readPart10AttributesSync,
  readPart10Header,
  textDecoding,
  writeElements,
  type Attributes,
  type ElementToken,
  type ReadElementsOptions,
} from '../../src/index.js';
import { parsedAttributes as parsedAttributesOf } from '../../src/element-reader/read-attributes.js';
import { elementEncoding } from '../../src/element-reader/read-elements.js';
import { arbitraryDataSet } from '../contract/data-set-arbitrary.js';
import { SYNTAXES } from '../contract/data-set-fixtures.js';

const RUNS = { numRuns: 300, interruptAfterTimeLimit: 4_000 } as const;
// Values longer than 1 MiB are skipped, so no run buffers more than that for one value.
const LIMITS = { maxValueBytes: 1 << 20, maxInflatedBytes: 16 << 20, fragments: true } as const;

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const dataSetOf = (name: string): Uint8Array => {
  const bytes = fixture(name);
  return bytes.subarray(readPart10Header(bytes).dataSetOffset);
};

const EXPLICIT = '1.2.840.10008.1.2.1';
const CORPUS: readonly (readonly [string, Uint8Array])[] = [
  ['1.2.840.10008.1.2', fixture('element-reader-implicit.bin')],
  [EXPLICIT, fixture('element-reader-explicit.bin')],
  ['1.2.840.10008.1.2.2', fixture('element-reader-big-endian.bin')],
  ['1.2.840.10008.1.2.1.99', dataSetOf('element-reader-deflated.dcm')],
  ['1.2.840.10008.1.2.5', dataSetOf('element-reader-rle.dcm')],
  ['1.2.840.10008.1.2', fixture('data-set-all-vrs-implicit-explicit-lengths.bin')],
  [EXPLICIT, fixture('data-set-all-vrs-explicit.bin')],
];
const PLAIN = CORPUS.filter(([syntax]) => syntax !== '1.2.840.10008.1.2.1.99');

/** Tokens (values as hex) or the error's code, detail and offset. */
type Outcome = { tokens: unknown[] } | { error: string };

function outcome(read: () => Iterable<ElementToken>): Outcome {
  const tokens: unknown[] = [];
  try {
    for (const token of read()) tokens.push(printable(token));
    return { tokens };
  } catch (error) {
    return { error: describeError(error) };
  }
}

async function asyncOutcome(read: () => AsyncIterable<ElementToken>): Promise<Outcome> {
  const tokens: unknown[] = [];
  try {
    for await (const token of read()) tokens.push(printable(token));
    return { tokens };
  } catch (error) {
    return { error: describeError(error) };
  }
}

function describeError(error: unknown): string {
  // Anything but a dicomnet error is a bug of the reader: let the property fail with it.
  if (!DicomnetError.isInstance(error)) throw error;
  const where = (error as { where?: { offset?: number } }).where;
  return `${error.code} ${where?.offset ?? ''}`;
}

function printable(token: ElementToken): unknown {
  return 'value' in token && token.value !== undefined
    ? { ...token, value: Buffer.from(token.value).toString('hex') }
    : token;
}

/** `bytes` with `edits` bytes overwritten. */
function mutate(bytes: Uint8Array, edits: readonly (readonly [number, number])[]): Uint8Array {
  const copy = new Uint8Array(bytes);
  for (const [at, value] of edits) copy[at % copy.byteLength] = value;
  return copy;
}

/** `bytes` cut at the given points (sorted, deduplicated). */
function cut(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const at = [...new Set(points.map((point) => point % (bytes.byteLength + 1)))].sort(
    (a, b) => a - b,
  );
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...at, bytes.byteLength]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

const corpusEntry = fc.constantFrom(...CORPUS);
const plainEntry = fc.constantFrom(...PLAIN);
const edits = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
  minLength: 1,
  maxLength: 6,
});
const points = fc.array(fc.nat(), { maxLength: 12 });

describe('element reader, hostile input', () => {
  it('reads arbitrary bytes in any syntax to tokens or a DicomnetError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom(...Object.values(SYNTAXES), '1.2.840.10008.1.2.1.99'),
        fc.boolean(),
        (bytes, transferSyntaxUid, stop) => {
          const options: ReadElementsOptions = {
            transferSyntaxUid,
            ...LIMITS,
            ...(stop ? { stopAfter: 0x00200000 } : {}),
          };
          outcome(() => readElementsSync(bytes, options));
        },
      ),
      RUNS,
    );
  });

  it('reads mutated DCMTK fixtures to tokens or a DicomnetError, attributes too', () => {
    fc.assert(
      fc.property(corpusEntry, edits, ([transferSyntaxUid, bytes], changes) => {
        const mutated = mutate(bytes, changes);
        outcome(() => readElementsSync(mutated, { transferSyntaxUid, ...LIMITS }));
        try {
          readAttributesSync(mutated, ['00100010', '00081032', '7FE00010'], {
            transferSyntaxUid,
            maxValueBytes: LIMITS.maxValueBytes,
          });
        } catch (error) {
          if (!DicomnetError.isInstance(error)) throw error;
        }
      }),
      RUNS,
    );
  });
});

/** Attributes (binary values as hex) or the error's code, message and offset. */
async function attributesOutcome(read: () => unknown): Promise<unknown> {
  try {
    return JSON.parse(
      JSON.stringify(await read(), (_, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
      ),
    ) as unknown;
  } catch (error) {
    if (!DicomnetError.isInstance(error)) throw error;
    return `${describeError(error)} ${error.message}`;
  }
}

// Tags in front of the fixtures' first sequence, then after it: the sync reader's plain loop
// reads the first, and hands the second to the ElementParser.
const ATTRIBUTE_TAGS = fc.constantFrom<readonly string[]>(
  ['00080005', '00080016', '00080020', '00100010'],
  ['00080016', '00100020', '00280010', '7FE00010'],
  ['00081110', '00100010'],
);

/** The attributes as the ElementParser and the AttributeCollector alone read them. */
function parsedAttributes(
  bytes: Uint8Array,
  tags: readonly string[],
  options: { transferSyntaxUid: string; maxValueBytes?: number },
): Attributes {
  return parsedAttributesOf(bytes, elementEncoding(options.transferSyntaxUid), tags, options);
}

describe('attributes read without the ElementParser vs with it', () => {
  it('reads mutated fixtures and arbitrary bytes to the same attributes, or the same error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(plainEntry, edits).map(([[syntax, bytes], changes]) => ({
            syntax,
            bytes: mutate(bytes, changes),
          })),
          fc.record({
            syntax: fc.constantFrom(
              ...Object.values(SYNTAXES).filter((syntax) => !elementEncoding(syntax).deflated),
            ),
            bytes: fc.uint8Array({ maxLength: 256 }),
          }),
        ),
        ATTRIBUTE_TAGS,
        fc.constantFrom(undefined, 16),
        points,
        async ({ syntax, bytes }, tags, maxValueBytes, at) => {
          const options = {
            transferSyntaxUid: syntax,
            ...(maxValueBytes === undefined ? {} : { maxValueBytes }),
          };
          const parsed = await attributesOutcome(() => parsedAttributes(bytes, tags, options));
          expect(await attributesOutcome(() => readAttributesSync(bytes, tags, options))).toEqual(
            parsed,
          );
          // The first chunk alone may hold them all, or not.
          const chunks = cut(bytes, at);
          expect(await attributesOutcome(() => readAttributes(chunks, tags, options))).toEqual(
            parsed,
          );
        },
      ),
      RUNS,
    );
  });
});

describe('Part 10 attributes, hostile files', () => {
  it('reads mutated Part 10 files to attributes or a DicomnetError, sync as async', async () => {
    const dir = await tempDir('element-reader-fuzz-');
    const names = [
      'part10-explicit.dcm',
      'part10-implicit.dcm',
      'part10-big-endian.dcm',
      'part10-deflated.dcm',
      'element-reader-rle.dcm',
      'element-reader-deflated.dcm',
    ];
    const file = path.join(dir.path, 'mutated.dcm');
    const tags = ['00080018', '00100010', '0020000D', '00280010', '7FE00010'];
    const attempt = async (read: () => unknown): Promise<string> => {
      try {
        // bytesRead depends on how far each read ahead; the rest must agree.
        return JSON.stringify(await read(), (key, value: unknown) =>
          key === 'bytesRead' ? undefined : typeof value === 'bigint' ? value.toString() : value,
        );
      } catch (error) {
        if (!DicomnetError.isInstance(error)) throw error;
        return error.code;
      }
    };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...names),
          edits,
          fc.integer({ min: 12, max: 300 }),
          async (name, changes, chunkBytes) => {
            await writeFile(file, mutate(fixture(name), changes));
            const sync = await attempt(() => readPart10AttributesSync(file, tags, { chunkBytes }));
            const async = await attempt(() => readPart10Attributes(file, tags, { chunkBytes }));
            // A corrupt DEFLATE stream may be found by one before the other finds the bytes it
            // inflated to malformed (the sync reader inflates a window ahead): both fail then.
            const deflated = name.includes('deflated');
            if (!deflated || (sync.startsWith('{') && async.startsWith('{')))
              expect(async).toBe(sync);
          },
        ),
        { numRuns: 150, interruptAfterTimeLimit: 4_000 },
      );
    } finally {
      await dir.remove();
    }
  });
});

describe('text decoding, hostile input', () => {
  it('decodes arbitrary bytes in any character set to a string or a DicomnetError', () => {
    const terms = fc.constantFrom(
      [],
      ['ISO_IR 100'],
      ['ISO_IR 192'],
      ['GB18030'],
      ['ISO_IR 13'],
      ['', 'ISO 2022 IR 87'],
      ['ISO 2022 IR 13', 'ISO 2022 IR 87', 'ISO 2022 IR 159'],
      ['', 'ISO 2022 IR 149'],
      ['', 'ISO 2022 IR 58'],
      ['ISO 2022 IR 100', 'ISO 2022 IR 144', 'ISO 2022 IR 126'],
    );
    // Escape bytes and delimiters, often, among arbitrary ones.
    const text = fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom(0x1b, 0x24, 0x28, 0x29, 0x2d, 0x5c),
      ),
      { maxLength: 64 },
    );
    fc.assert(
      fc.property(terms, text, (set, codes) => {
        try {
          expect(typeof textDecoding(set)(Uint8Array.from(codes))).toBe('string');
        } catch (error) {
          if (!DicomnetError.isInstance(error)) throw error;
        }
      }),
      RUNS,
    );
  });
});

describe('element reader, chunking', () => {
  it('gives the same tokens, or the same error, however the bytes are split', () => {
    fc.assert(
      fc.property(
        plainEntry,
        fc.option(edits, { nil: undefined }),
        points,
        ([transferSyntaxUid, bytes], changes, at) => {
          const input = changes === undefined ? bytes : mutate(bytes, changes);
          const whole = outcome(() => readElementsSync(input, { transferSyntaxUid, ...LIMITS }));
          const split = outcome(() =>
            iterateChunks(cut(input, at), { transferSyntaxUid, ...LIMITS }),
          );
          expect(split).toEqual(whole);
        },
      ),
      RUNS,
    );
  });

  it('reads chunks from an async source as the sync reader reads the buffer, Deflated too', async () => {
    await fc.assert(
      fc.asyncProperty(corpusEntry, points, async ([transferSyntaxUid, bytes], at) => {
        const options = { transferSyntaxUid, ...LIMITS };
        const whole = outcome(() => readElementsSync(bytes, options));
        async function* source(): AsyncGenerator<Uint8Array> {
          for (const chunk of cut(bytes, at)) yield chunk;
        }
        expect(await asyncOutcome(() => readElements(source(), options))).toEqual(whole);
      }),
      { numRuns: 100, interruptAfterTimeLimit: 4_000 },
    );
  });
});

describe('element reader vs the dcmjs codec', () => {
  it('reads what the element writer writes from arbitrary data sets as dcmjs does', async () => {
    const codec = createDcmjsCodec();
    await fc.assert(
      fc.asyncProperty(
        arbitraryDataSet,
        fc.constantFrom(...Object.values(SYNTAXES)),
        fc.constantFrom('undefined' as const, 'defined' as const),
        async (dataSet, transferSyntaxUid, lengths) => {
          const chunks: Uint8Array[] = [];
          for await (const chunk of writeElements(dataSetTokens(dataSet), {
            transferSyntaxUid,
            lengths,
          }))
            chunks.push(chunk);
          const bytes = new Uint8Array(Buffer.concat(chunks));
          const tags = Object.keys(dataSet);
          const ours = readAttributesSync(bytes, tags, { transferSyntaxUid });
          expect(ours).toEqual(codec.decode(bytes, transferSyntaxUid));
        },
      ),
      { numRuns: 100, interruptAfterTimeLimit: 4_000 },
    );
  });
});

/** The sync core fed chunk by chunk, drained after each. */
function* iterateChunks(
  chunks: readonly Uint8Array[],
  options: ReadElementsOptions,
): Generator<ElementToken> {
  const parser = new ElementParser(elementEncoding(options.transferSyntaxUid), options);
  for (const chunk of chunks) {
    parser.push(chunk);
    for (let token = parser.read(); token !== undefined; token = parser.read()) yield token;
  }
  parser.end();
  for (let token = parser.read(); token !== undefined; token = parser.read()) yield token;
}
