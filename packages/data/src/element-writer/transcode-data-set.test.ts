// transcodeDataSet against the data sets DCMTK wrote in each syntax
// (test/fixtures/data-set-make-fixtures.sh: the same elements in every one).
import { toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { fixture, SYNTAXES } from '../../test/contract/data-set-fixtures.js';
import { DataSetDecodeError } from '../data-set/errors.js';
import { canTranscode, transcodeDataSet, transcodeDataSetSync } from './transcode-data-set.js';

const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** `bytes` as chunks of `size` bytes, so that values span chunks. */
function* chunked(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size)
    yield bytes.subarray(start, start + size);
}

describe('transcodeDataSet', () => {
  it.each([
    [
      'Explicit LE → Implicit LE, lengths computed',
      'data-set-all-vrs-explicit.bin',
      SYNTAXES.explicit,
      'data-set-all-vrs-implicit-explicit-lengths.bin',
      SYNTAXES.implicit,
    ],
    [
      'Explicit BE → Explicit LE',
      'data-set-all-vrs-big-endian.bin',
      SYNTAXES.bigEndian,
      'data-set-all-vrs-explicit.bin',
      SYNTAXES.explicit,
    ],
    [
      'Deflated → Explicit LE',
      'data-set-all-vrs-deflated.bin',
      SYNTAXES.deflated,
      'data-set-all-vrs-explicit.bin',
      SYNTAXES.explicit,
    ],
    [
      'defined lengths → delimited',
      'data-set-all-vrs-explicit-lengths.bin',
      SYNTAXES.explicit,
      'data-set-all-vrs-explicit.bin',
      SYNTAXES.explicit,
    ],
  ] as const)('%s: the bytes DCMTK wrote', async (_name, input, from, expected, to) => {
    // Chunks of 7 bytes: every longer value spans chunks and is gathered.
    const output = await collect(transcodeDataSet(chunked(fixture(input), 7), { from, to }));
    expect(toHex(output)).toBe(toHex(fixture(expected)));
  });

  it('transcodeDataSetSync writes the same bytes, and throws at once on a malformed data set', () => {
    const output = transcodeDataSetSync(fixture('data-set-all-vrs-big-endian.bin'), {
      from: SYNTAXES.bigEndian,
      to: SYNTAXES.implicit,
    });
    expect(toHex(output)).toBe(toHex(fixture('data-set-all-vrs-implicit-explicit-lengths.bin')));
    // A tag, VR and a length past the end of the data.
    const truncated = Uint8Array.of(0x08, 0x00, 0x16, 0x00, 0x55, 0x49, 0x40, 0x00, 0x31);
    expect(() =>
      transcodeDataSetSync(truncated, { from: SYNTAXES.explicit, to: SYNTAXES.implicit }),
    ).toThrow(DataSetDecodeError);
  });

  it('Implicit LE → Explicit LE reads back the elements Implicit LE held', async () => {
    const explicit = await collect(
      transcodeDataSet(fixture('data-set-all-vrs-implicit.bin'), {
        from: SYNTAXES.implicit,
        to: SYNTAXES.explicit,
      }),
    );
    const implicitAgain = await collect(
      transcodeDataSet(explicit, { from: SYNTAXES.explicit, to: SYNTAXES.implicit }),
    );
    expect(toHex(implicitAgain)).toBe(
      toHex(fixture('data-set-all-vrs-implicit-explicit-lengths.bin')),
    );
  });

  it('refuses encapsulated syntaxes and unknown ones at once', () => {
    expect(canTranscode(SYNTAXES.explicit, SYNTAXES.implicit)).toBe(true);
    expect(canTranscode(SYNTAXES.deflated, SYNTAXES.bigEndian)).toBe(true);
    expect(canTranscode(JPEG_BASELINE, SYNTAXES.explicit)).toBe(false);
    expect(canTranscode(SYNTAXES.explicit, JPEG_BASELINE)).toBe(false);
    expect(canTranscode('1.2.3.4', SYNTAXES.explicit)).toBe(false);
    expect(() =>
      transcodeDataSet(new Uint8Array(0), { from: JPEG_BASELINE, to: SYNTAXES.explicit }),
    ).toThrow(TypeError);
  });

  it('rejects with the reason of an aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      collect(
        transcodeDataSet(fixture('data-set-all-vrs-explicit.bin'), {
          from: SYNTAXES.explicit,
          to: SYNTAXES.implicit,
          signal: controller.signal,
        }),
      ),
    ).rejects.toThrow('stop');
  });
});
