import { toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { ByteCollector } from './byte-collector.js';

const joined = (chunks: readonly Uint8Array[]): string => toHex(Buffer.concat(chunks));

describe('ByteCollector', () => {
  it('writes reserved bytes where they belong, in blocks that start small and grow', () => {
    // Several collectors at once: small blocks may share one pooled ArrayBuffer.
    const collectors = [new ByteCollector(64, 16), new ByteCollector(64, 16)];
    const expected = ['', ''];
    for (let round = 0; round < 20; round++) {
      collectors.forEach((collector, which) => {
        const { view, offset } = collector.reserve(4);
        view.setUint32(offset, round * 2 + which);
        collector.commit(4);
        expected[which] += (round * 2 + which).toString(16).padStart(8, '0');
      });
    }
    collectors.forEach((collector, which) => {
      expect(collector.total).toBe(80);
      const chunks = collector.finish();
      expect(joined(chunks)).toBe(expected[which]);
      for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(64);
    });
  });

  it('copies small pieces, keeps large ones by reference, and hands out full blocks', () => {
    const collector = new ByteCollector(64);
    collector.append(Uint8Array.of(1, 2, 3));
    const large = new Uint8Array(16).fill(9); // a quarter of the block: kept
    collector.append(large);
    expect(collector.take()).toEqual([Uint8Array.of(1, 2, 3), large]);
    expect(collector.take()).toBeUndefined();
    const pieces = Array.from({ length: 10 }, (_, i) => new Uint8Array(10).fill(i));
    for (const piece of pieces) collector.append(piece);
    // The rest of the first block (61 bytes) is complete; a new block holds the last 39.
    const full = collector.take() ?? [];
    expect(full.map((chunk) => chunk.byteLength)).toEqual([61]);
    const rest = collector.finish();
    expect(rest.map((chunk) => chunk.byteLength)).toEqual([39]);
    expect(joined([...full, ...rest])).toBe(joined(pieces));
    expect(collector.total).toBe(3 + 16 + 100);
  });
});
