// The Inventory IOD case (issue 14): one top-level sequence of a million items, written while
// the output is hashed, never held: items of undefined length (PS3.5 7.5.2), and items of
// computed length (PS3.5 7.5.1, each held only until it ends). The retained heap is sampled
// after a forced GC every 100,000 items and must stay within 16 MB of where it started
// (the output is 62-70 MB: holding even a quarter of it would fail).
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import type { ElementWriterInput } from '../../src/index.js';
import { writeElements } from '../../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ITEMS = 1_000_000;
const SAMPLE_EVERY = 100_000;
const STUDY_UID = '1.2.826.0.1.3680043.8.498.'; // + 7 digits: 33 characters, padded to 34
/** Item content by hand (PS3.5 7.1.2): (0020,000D) UI 8 + 34, (0020,1208) IS 8 + 4. */
const CONTENT = 42 + 12;

it.each([
  ['undefined', false],
  ['computed', true],
] as const)(
  `writes a sequence of ${ITEMS} items of %s length in bounded memory`,
  { timeout: 120_000 },
  async (name, definedLength) => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let largestGrowth = 0;
    function* tokens(): Generator<ElementWriterInput> {
      yield { kind: 'sequence', tag: 0x00400260, vr: 'SQ', length: undefined };
      for (let index = 0; index < ITEMS; index++) {
        if (index % SAMPLE_EVERY === 0) {
          gc();
          largestGrowth = Math.max(largestGrowth, process.memoryUsage().heapUsed - baseline);
        }
        yield {
          kind: 'model-item',
          definedLength,
          dataSet: {
            '0020000D': { vr: 'UI', Value: [STUDY_UID + String(index).padStart(7, '0')] },
            '00201208': { vr: 'IS', Value: [String(index % 1000).padStart(3, '0')] },
          },
        };
      }
      yield { kind: 'sequence-end' };
    }
    const hash = createHash('sha256');
    let bytes = 0;
    let chunks = 0;
    for await (const chunk of writeElements(tokens(), {
      transferSyntaxUid: '1.2.840.10008.1.2.1',
    })) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      chunks++;
    }
    // Sequence header 12, per item: header 8, content, delimiter 8 when undefined; delimiter 8.
    expect(bytes).toBe(12 + ITEMS * (8 + CONTENT + (definedLength ? 0 : 8)) + 8);
    expect(chunks).toBeLessThan(bytes / 60_000); // gathered into ~64 KiB chunks
    expect(hash.digest('hex')).toBe(expectedHash(definedLength));
    expect(largestGrowth).toBeLessThan(16 * 1024 * 1024);
    process.stdout.write(
      `[million-items] ${name} lengths: largest retained heap growth ${(largestGrowth / 1048576).toFixed(1)} MiB, ${bytes} bytes in ${chunks} chunks\n`,
    );
  },
);

/** The SHA-256 of the expected bytes, built by hand here, item by item (PS3.5 7.1.2, 7.5). */
function expectedHash(definedLength: boolean): string {
  const hash = createHash('sha256');
  hash.update(Buffer.from('400060025351' + '0000ffffffff', 'hex'));
  const itemLength = definedLength ? CONTENT.toString(16).padStart(2, '0') + '000000' : 'ffffffff';
  const itemStart = Buffer.from(`feff00e0${itemLength}` + '20000d0055492200', 'hex');
  const isHeader = Buffer.from('200008124953' + '0400', 'hex');
  const itemEnd = Buffer.from('feff0de000000000', 'hex');
  for (let index = 0; index < ITEMS; index++) {
    hash.update(itemStart);
    hash.update(`${STUDY_UID}${String(index).padStart(7, '0')}\0`, 'latin1');
    hash.update(isHeader);
    hash.update(`${String(index % 1000).padStart(3, '0')} `, 'latin1');
    if (!definedLength) hash.update(itemEnd);
  }
  hash.update(Buffer.from('feffdde000000000', 'hex'));
  return hash.digest('hex');
}
