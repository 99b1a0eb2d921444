import { describe, expect, it } from 'vitest';
import { ALL_VRS, fixture, SYNTAXES } from '../../test/contract/data-set-fixtures.js';
import { dataSetTokens, writeElements } from './write-elements.js';
import type { ElementWriterInput, ElementWriterOptions } from './writer-input.js';

async function collect(
  input: Iterable<ElementWriterInput> | AsyncIterable<ElementWriterInput>,
  options: ElementWriterOptions,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeElements(input, options)) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('writeElements: DCMTK golden bytes (test/fixtures/data-set-make-fixtures.sh)', () => {
  it.each([
    ['implicit', SYNTAXES.implicit, 'undefined', 'data-set-all-vrs-implicit.bin'],
    ['explicit', SYNTAXES.explicit, 'undefined', 'data-set-all-vrs-explicit.bin'],
    ['big endian', SYNTAXES.bigEndian, 'undefined', 'data-set-all-vrs-big-endian.bin'],
    ['explicit', SYNTAXES.explicit, 'defined', 'data-set-all-vrs-explicit-lengths.bin'],
    ['implicit', SYNTAXES.implicit, 'defined', 'data-set-all-vrs-implicit-explicit-lengths.bin'],
  ] as const)('%s, %s lengths: the bytes of dump2dcm', async (_name, syntax, lengths, file) => {
    const bytes = await collect(dataSetTokens(ALL_VRS), { transferSyntaxUid: syntax, lengths });
    expect(hex(bytes)).toBe(hex(fixture(file)));
  });
});
