import { deflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '@dicomnet/test-utils';
import { fixture } from '../../test/contract/data-set-fixtures.js';
import { deflateDataSet, inflateDataSet } from './deflate-data-set.js';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return concatBytes(...parts);
}

// part10-deflated.dcm is `dcmconv +td part10-explicit.dcm`: the same data set, deflated by DCMTK.
// It starts at byte 320 there (group length 176) and at byte 318 in the explicit file (174).
const deflatedDataSet = (): Uint8Array => fixture('part10-deflated.dcm').subarray(320);
const explicitDataSet = (): Uint8Array => fixture('part10-explicit.dcm').subarray(318);

describe('inflateDataSet', () => {
  it('inflates what DCMTK deflated, which is raw DEFLATE without a zlib header (PS3.5 A.5)', async () => {
    const deflated = deflatedDataSet();
    expect(() => inflateSync(deflated)).toThrow(); // not zlib-wrapped
    const chunks = Array.from({ length: Math.ceil(deflated.length / 7) }, (_, i) =>
      deflated.subarray(i * 7, i * 7 + 7),
    );
    expect(toHex(await collect(inflateDataSet(chunks)))).toBe(toHex(explicitDataSet()));
  });

  it('ignores the pad byte after the end of the stream', async () => {
    const padded = concatBytes(deflateRawSync(explicitDataSet()), Uint8Array.of(0));
    expect(toHex(await collect(inflateDataSet([padded])))).toBe(toHex(explicitDataSet()));
  });

  it('refuses corrupt input and output over the limit with typed errors', async () => {
    await expect(
      collect(inflateDataSet([Uint8Array.of(0xff, 0xff, 0xff, 0xff)])),
    ).rejects.toMatchObject({ code: 'DICOMNET_PART10_INFLATE_FAILED' });
    const bomb = deflateRawSync(new Uint8Array(1 << 20));
    await expect(collect(inflateDataSet([bomb], { maxOutputBytes: 1000 }))).rejects.toMatchObject({
      code: 'DICOMNET_PART10_INFLATE_TOO_LARGE',
    });
  });

  it('passes an error of the source through unchanged', async () => {
    const failure = new Error('socket closed');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield deflatedDataSet().subarray(0, 10);
      throw failure;
    }
    await expect(collect(inflateDataSet(failing()))).rejects.toBe(failure);
  });
});

describe('deflateDataSet', () => {
  it('round-trips through inflateDataSet and pads to even length', async () => {
    for (const input of [explicitDataSet(), new Uint8Array(0), Uint8Array.of(1)]) {
      const deflated = await collect(
        deflateDataSet([input.subarray(0, 5), input.subarray(5)], { level: 9 }),
      );
      expect(deflated.byteLength % 2).toBe(0);
      expect(toHex(await collect(inflateDataSet([deflated])))).toBe(toHex(input));
    }
  });
});
