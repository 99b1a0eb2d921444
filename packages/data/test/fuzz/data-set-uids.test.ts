// Property test of readDataSetUids: its plain header loop gives what the element parser gives
// (the same UIDs and completeness, or the same error) on mutated DCMTK fixtures cut anywhere and
// on arbitrary bytes, in every syntax the loop reads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DicomnetError, describeTransferSyntax, readDataSetUids } from '../../src/index.js';
import { readUidsByParser } from '../../src/part10/read-data-set-uids.js';
import { fixture } from '../contract/data-set-fixtures.js';

const RUNS = { numRuns: 2000, interruptAfterTimeLimit: 4_000 } as const;
const CORPUS: readonly (readonly [string, Uint8Array])[] = [
  ['1.2.840.10008.1.2', fixture('data-set-all-vrs-implicit.bin')],
  ['1.2.840.10008.1.2.1', fixture('data-set-all-vrs-explicit.bin')],
  ['1.2.840.10008.1.2.2', fixture('data-set-all-vrs-big-endian.bin')],
];

function outcome(read: () => unknown): unknown {
  try {
    return read();
  } catch (error) {
    // Anything but a dicomnet error is a bug: let the property fail with it.
    if (!DicomnetError.isInstance(error)) throw error;
    const where = (error as { where?: { offset?: number } }).where;
    return `${error.code} ${where?.offset ?? ''}`;
  }
}

function mutate(bytes: Uint8Array, edits: readonly (readonly [number, number])[]): Uint8Array {
  const copy = new Uint8Array(bytes);
  // The UIDs come early: edit the headers before them.
  for (const [at, value] of edits) copy[at % Math.min(copy.byteLength, 200)] = value;
  return copy;
}

describe('readDataSetUids without the parser vs with it', () => {
  it('gives the same UIDs, or the same error, for mutated fixtures cut anywhere and for arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .tuple(
              fc.constantFrom(...CORPUS),
              fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
              fc.nat(400),
            )
            .map(([[syntax, bytes], edits, end]) => ({
              syntax,
              bytes: mutate(bytes, edits).subarray(0, end),
            })),
          fc.record({
            syntax: fc.constantFrom(...CORPUS.map(([syntax]) => syntax)),
            bytes: fc.uint8Array({ maxLength: 128 }),
          }),
        ),
        ({ syntax, bytes }) => {
          const byParser = outcome(() => readUidsByParser(bytes, describeTransferSyntax(syntax)));
          expect(outcome(() => readDataSetUids(bytes, syntax))).toEqual(byParser);
        },
      ),
      RUNS,
    );
  });
});
