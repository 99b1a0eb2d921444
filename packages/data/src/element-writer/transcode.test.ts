// The element reader's tokens written back by the element writer, into the same or another
// transfer syntax: compared with what DCMTK wrote (test/fixtures/data-set-make-fixtures.sh).
import { toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { fixture, SYNTAXES } from '../../test/contract/data-set-fixtures.js';
import { describeTransferSyntax } from '../transfer-syntax/transfer-syntax.js';
import { readElements } from '../element-reader/read-elements.js';
import { writeElements } from './write-elements.js';
import type { ElementWriterOptions } from './writer-input.js';

async function transcode(
  file: string,
  from: string,
  options: ElementWriterOptions,
): Promise<string> {
  const tokens = readElements(fixture(file), { transferSyntaxUid: from });
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeElements(tokens, {
    inputLittleEndian: describeTransferSyntax(from).littleEndian,
    ...options,
  }))
    chunks.push(chunk);
  return toHex(Buffer.concat(chunks));
}

const EXPLICIT = ['data-set-all-vrs-explicit.bin', SYNTAXES.explicit] as const;
const BIG = ['data-set-all-vrs-big-endian.bin', SYNTAXES.bigEndian] as const;
const EXPLICIT_LENGTHS = ['data-set-all-vrs-explicit-lengths.bin', SYNTAXES.explicit] as const;

describe('reader tokens through the writer', () => {
  it.each([
    ['Explicit LE → Explicit LE', EXPLICIT, EXPLICIT, 'as-given'],
    ['Explicit BE → Explicit BE', BIG, BIG, 'as-given'],
    ['Explicit LE → Explicit BE', EXPLICIT, BIG, 'as-given'],
    ['Explicit BE → Explicit LE', BIG, EXPLICIT, 'as-given'],
    ['defined lengths → defined lengths', EXPLICIT_LENGTHS, EXPLICIT_LENGTHS, 'as-given'],
    ['defined lengths → undefined lengths', EXPLICIT_LENGTHS, EXPLICIT, 'undefined'],
    ['undefined lengths → defined lengths', EXPLICIT, EXPLICIT_LENGTHS, 'defined'],
    ['Explicit BE → defined lengths LE', BIG, EXPLICIT_LENGTHS, 'defined'],
  ] as const)('%s: the bytes DCMTK wrote', async (_name, [file, from], [expected, to], lengths) => {
    expect(await transcode(file, from, { transferSyntaxUid: to, lengths })).toBe(
      toHex(fixture(expected)),
    );
  });

  it('Implicit VR → Implicit VR, undefined and defined lengths', async () => {
    expect(
      await transcode('data-set-all-vrs-implicit.bin', SYNTAXES.implicit, {
        transferSyntaxUid: SYNTAXES.implicit,
        lengths: 'defined',
      }),
    ).toBe(toHex(fixture('data-set-all-vrs-implicit-explicit-lengths.bin')));
    expect(
      await transcode('data-set-all-vrs-implicit-explicit-lengths.bin', SYNTAXES.implicit, {
        transferSyntaxUid: SYNTAXES.implicit,
      }),
    ).toBe(toHex(fixture('data-set-all-vrs-implicit-explicit-lengths.bin')));
  });

  it('Explicit VR → Implicit VR drops the VR fields', async () => {
    expect(
      await transcode('data-set-all-vrs-explicit.bin', SYNTAXES.explicit, {
        transferSyntaxUid: SYNTAXES.implicit,
      }),
    ).toBe(toHex(fixture('data-set-all-vrs-implicit.bin')));
  });
});
