// Property tests of the element writer: what it writes from arbitrary model data sets decodes
// back with the dcmjs codec to the same model and equals the dcmjs codec's own encoding; the
// output does not depend on chunk size or on how the input is given; arbitrary token streams
// are written or refused with a DataSetEncodeError, never anything else.
import { inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDcmjsCodec,
  DataSetEncodeError,
  dataSetTokens,
  describeTransferSyntax,
  readElements,
  writeElements,
} from '../../src/index.js';
import type { ElementToken, ElementWriterInput, ElementWriterOptions } from '../../src/index.js';
import { arbitraryDataSet } from '../contract/data-set-arbitrary.js';
import { SYNTAXES } from '../contract/data-set-fixtures.js';

const RUNS = { numRuns: 200, interruptAfterTimeLimit: 4_000 } as const;
const ALL_SYNTAXES = Object.values(SYNTAXES);
const LENGTHS = ['undefined', 'defined'] as const;

async function write(
  input: Iterable<ElementWriterInput> | AsyncIterable<ElementWriterInput>,
  options: ElementWriterOptions,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeElements(input, options)) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('element writer vs the dcmjs codec', () => {
  it('decodes back to the same model in every syntax, with either length encoding', async () => {
    const codec = createDcmjsCodec();
    await fc.assert(
      fc.asyncProperty(
        arbitraryDataSet,
        fc.constantFrom(...ALL_SYNTAXES),
        fc.constantFrom(...LENGTHS),
        async (dataSet, syntax, lengths) => {
          const bytes = await write(dataSetTokens(dataSet), { transferSyntaxUid: syntax, lengths });
          expect(codec.decode(bytes, syntax)).toEqual(dataSet);
        },
      ),
      RUNS,
    );
  });

  it('writes the very bytes the dcmjs codec writes (undefined lengths, native syntaxes)', async () => {
    const codec = createDcmjsCodec();
    await fc.assert(
      fc.asyncProperty(
        arbitraryDataSet,
        fc.constantFrom(SYNTAXES.implicit, SYNTAXES.explicit, SYNTAXES.bigEndian),
        async (dataSet, syntax) => {
          const bytes = await write(dataSetTokens(dataSet), {
            transferSyntaxUid: syntax,
            lengths: 'undefined',
          });
          expect(hex(bytes)).toBe(hex(codec.encode(dataSet, syntax)));
        },
      ),
      RUNS,
    );
  });
});

describe('element writer output', () => {
  it('does not depend on the chunk size or on sync or async input', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryDataSet,
        fc.integer({ min: 64, max: 4096 }),
        fc.constantFrom(...LENGTHS),
        async (dataSet, chunkBytes, lengths) => {
          const options = { transferSyntaxUid: SYNTAXES.explicit, lengths } as const;
          const reference = await write(dataSetTokens(dataSet), options);
          async function* asyncTokens(): AsyncGenerator<ElementWriterInput> {
            yield* dataSetTokens(dataSet);
          }
          const chunked = await write(asyncTokens(), { ...options, chunkBytes });
          expect(hex(chunked)).toBe(hex(reference));
        },
      ),
      RUNS,
    );
  });
});

describe('element reader → element writer', () => {
  it('transcodes what it wrote to the bytes it writes directly in the target syntax', async () => {
    // From Implicit VR the reader's dictionary gives the VRs: the generator uses dictionary VRs.
    const sources = ALL_SYNTAXES;
    await fc.assert(
      fc.asyncProperty(
        arbitraryDataSet,
        fc.constantFrom(...sources),
        fc.constantFrom(...ALL_SYNTAXES),
        fc.constantFrom(...LENGTHS),
        async (dataSet, from, to, lengths) => {
          const encoded = await write(dataSetTokens(dataSet), { transferSyntaxUid: from, lengths });
          const transcoded = await write(readElements(encoded, { transferSyntaxUid: from }), {
            transferSyntaxUid: to,
            inputLittleEndian: describeTransferSyntax(from).littleEndian,
            lengths,
          });
          const direct = await write(dataSetTokens(dataSet), { transferSyntaxUid: to, lengths });
          const plain = (bytes: Uint8Array, syntax: string): string =>
            hex(describeTransferSyntax(syntax).deflated ? inflateRawSync(bytes) : bytes);
          expect(plain(transcoded, to)).toBe(plain(direct, to));
        },
      ),
      RUNS,
    );
  });
});

const TAGS = [0x00080005, 0x00080050, 0x00081110, 0x00100010, 0x7fe00010, 0xfffee000];
const token: fc.Arbitrary<ElementToken> = fc.oneof(
  fc.record({
    kind: fc.constant('element' as const),
    tag: fc.constantFrom(...TAGS),
    vr: fc.constantFrom('LO', 'US', 'OW', 'AT', 'SQ', 'UN', 'XX', 'CS'),
    length: fc.nat({ max: 8 }),
    value: fc.option(fc.uint8Array({ maxLength: 9 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('sequence' as const),
    tag: fc.constantFrom(...TAGS),
    vr: fc.constantFrom('SQ' as const, 'UN' as const),
    length: fc.option(fc.nat({ max: 100 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('item' as const),
    index: fc.nat({ max: 3 }),
    length: fc.option(fc.nat({ max: 100 }), { nil: undefined }),
  }),
  fc.constant({ kind: 'item-end' as const }),
  fc.constant({ kind: 'sequence-end' as const }),
  fc.record({
    kind: fc.constant('encapsulated' as const),
    tag: fc.constantFrom(...TAGS),
    vr: fc.constantFrom('OB', 'OW', 'LO'),
  }),
  fc.record({
    kind: fc.constant('fragment' as const),
    index: fc.nat({ max: 3 }),
    length: fc.nat({ max: 8 }),
    value: fc.option(fc.uint8Array({ maxLength: 9 }), { nil: undefined }),
  }),
);

describe('element writer on arbitrary token streams', () => {
  it('writes them or refuses them with a DataSetEncodeError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(token, { maxLength: 12 }),
        fc.constantFrom(...ALL_SYNTAXES, '1.2.840.10008.1.2.4.50'),
        fc.constantFrom('as-given', 'undefined', 'defined'),
        async (tokens, syntax, lengths) => {
          try {
            const bytes = await write(tokens, { transferSyntaxUid: syntax, lengths, maxDepth: 3 });
            expect(bytes.byteLength % 2).toBe(0); // PS3.5 7.1.1, A.5: always even
          } catch (error) {
            expect(error).toBeInstanceOf(DataSetEncodeError);
          }
        },
      ),
      { numRuns: 1_000, interruptAfterTimeLimit: 4_000 },
    );
  });
});
