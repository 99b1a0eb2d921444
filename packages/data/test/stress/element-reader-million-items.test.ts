// The Inventory IOD case (issue 14), read side: one top-level sequence of a million items, in
// Explicit VR Little Endian with items of undefined length (PS3.5 7.5.2) and of defined length
// (PS3.5 7.5.1), streamed through the element reader from a generator that never holds more than
// one 64 KiB chunk. Every token is counted and every UID value checked; the retained heap is
// sampled after a forced GC every 100,000 items and must stay within 16 MB of where it started
// (the input is 44-52 MB: holding even a third of it would fail).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { readElements } from '../../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ITEMS = 1_000_000;
const SAMPLE_EVERY = 100_000;
const CHUNK_ITEMS = 1_000;
const UID = '1.2.826.0.1.3680043.8.498.'; // + 7 digits: 33 characters, padded to 34

/** The bytes of items `first` to `first + count - 1`, written by hand (PS3.5 7.1.2, 7.5). */
function items(first: number, count: number, definedLength: boolean): Uint8Array {
  const content = 8 + 34; // (0020,000D) UI, 34 bytes
  const size = 8 + content + (definedLength ? 0 : 8);
  const bytes = Buffer.alloc(size * count);
  for (let i = 0; i < count; i++) {
    let at = i * size;
    at = bytes.writeUInt16LE(0xfffe, at);
    at = bytes.writeUInt16LE(0xe000, at);
    at = bytes.writeUInt32LE(definedLength ? content : 0xffffffff, at);
    at = bytes.writeUInt16LE(0x0020, at);
    at = bytes.writeUInt16LE(0x000d, at);
    at += bytes.write('UI', at, 'latin1');
    at = bytes.writeUInt16LE(34, at);
    at += bytes.write(`${UID}${String(first + i).padStart(7, '0')}\0`, at, 'latin1');
    if (!definedLength) {
      at = bytes.writeUInt16LE(0xfffe, at);
      at = bytes.writeUInt16LE(0xe00d, at);
      bytes.writeUInt32LE(0, at);
    }
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

it.each([
  ['undefined', false],
  ['defined', true],
] as const)(
  `reads a sequence of ${ITEMS} items of %s length in bounded memory`,
  { timeout: 120_000 },
  async (_name, definedLength) => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let largestGrowth = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      // (0040,0260) SQ of undefined length: Explicit VR, 12-byte header.
      yield Uint8Array.of(0x40, 0, 0x60, 0x02, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff);
      for (let first = 0; first < ITEMS; first += CHUNK_ITEMS) {
        if (first % SAMPLE_EVERY === 0) {
          gc();
          largestGrowth = Math.max(largestGrowth, process.memoryUsage().heapUsed - baseline);
        }
        yield items(first, CHUNK_ITEMS, definedLength);
      }
      yield Uint8Array.of(0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0);
    }
    const counts = { sequence: 0, item: 0, element: 0, 'item-end': 0, 'sequence-end': 0 };
    let wrong = 0;
    for await (const token of readElements(source(), {
      transferSyntaxUid: '1.2.840.10008.1.2.1',
    })) {
      if (token.kind in counts) counts[token.kind as keyof typeof counts]++;
      if (token.kind === 'element') {
        const expected = `${UID}${String(counts.element - 1).padStart(7, '0')}\0`;
        if (Buffer.from(token.value ?? []).toString('latin1') !== expected) wrong++;
      }
    }
    expect(counts).toEqual({
      sequence: 1,
      item: ITEMS,
      element: ITEMS,
      'item-end': ITEMS,
      'sequence-end': 1,
    });
    expect(wrong).toBe(0);
    expect(largestGrowth).toBeLessThan(16 * 1024 * 1024);
  },
);
