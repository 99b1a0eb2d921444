// The Inventory IOD's shape (issue 14): a top-level sequence of study items, each given whole as
// a model data set holding its series, each holding its instances: 10,000 studies x 10 series x
// 10 instances, a million instance items. Written with undefined lengths while the output is
// hashed, never held; the retained heap is sampled after a forced GC every 1,000 studies and
// must stay within 16 MB of where it started (the output is about 70 MB).
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import type { DataSet, ElementWriterInput } from '../../src/index.js';
import { writeElements } from '../../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const STUDIES = 10_000;
const SERIES = 10;
const INSTANCES = 10;
const ROOT = '1.2.826.0.1.3680043.8.498.';
const studyUid = (study: number): string => ROOT + String(study).padStart(7, '0');
const seriesUid = (study: number, series: number): string => `${studyUid(study)}.${series}`;
const sopUid = (study: number, series: number, sop: number): string =>
  `${seriesUid(study, series)}.${sop}`;

function study(index: number): DataSet {
  return {
    '0020000D': { vr: 'UI', Value: [studyUid(index)] },
    '00081115': {
      vr: 'SQ',
      Value: Array.from({ length: SERIES }, (_, series) => ({
        '0020000E': { vr: 'UI', Value: [seriesUid(index, series)] },
        '00081199': {
          vr: 'SQ',
          Value: Array.from({ length: INSTANCES }, (_, sop) => ({
            '00081155': { vr: 'UI', Value: [sopUid(index, series, sop)] },
          })),
        },
      })),
    },
  };
}

it(
  'writes 10,000 nested study items (a million instance items) in bounded memory',
  { timeout: 180_000 },
  async () => {
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let largestGrowth = 0;
    function* tokens(): Generator<ElementWriterInput> {
      yield { kind: 'sequence', tag: 0x00400260, vr: 'SQ', length: undefined };
      for (let index = 0; index < STUDIES; index++) {
        if (index % 1_000 === 0) {
          gc();
          largestGrowth = Math.max(largestGrowth, process.memoryUsage().heapUsed - baseline);
        }
        yield { kind: 'model-item', dataSet: study(index) };
      }
      yield { kind: 'sequence-end' };
    }
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of writeElements(tokens(), {
      transferSyntaxUid: '1.2.840.10008.1.2.1',
    })) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
    const expected = expectedBytes();
    expect(bytes).toBe(expected.length);
    expect(hash.digest('hex')).toBe(expected.hash);
    expect(largestGrowth).toBeLessThan(16 * 1024 * 1024);
    process.stdout.write(
      `[nested-inventory] largest retained heap growth ${(largestGrowth / 1048576).toFixed(1)} MiB, ${bytes} bytes\n`,
    );
  },
);

/**
 * Hash and length of the expected bytes, built by hand (PS3.5 7.1.2 Explicit VR LE, 7.5.2
 * undefined lengths). Items' elements in tag order: each sequence comes before the UID.
 */
function expectedBytes(): { hash: string; length: number } {
  const hash = createHash('sha256');
  let length = 0;
  const put = (hex: string): void => {
    hash.update(Buffer.from(hex, 'hex'));
    length += hex.length / 2;
  };
  const ui = (tagHex: string, uid: string): void => {
    const padded = uid.length % 2 === 1 ? `${uid}\0` : uid;
    put(`${tagHex}5549${padded.length.toString(16).padStart(2, '0')}00`);
    hash.update(padded, 'latin1');
    length += padded.length;
  };
  const sequence = (tagHex: string): void => put(`${tagHex}53510000ffffffff`);
  const itemStart = (): void => put('feff00e0ffffffff');
  const itemEnd = (): void => put('feff0de000000000');
  const sequenceEnd = (): void => put('feffdde000000000');
  sequence('40006002');
  for (let index = 0; index < STUDIES; index++) {
    itemStart();
    sequence('08001511');
    for (let series = 0; series < SERIES; series++) {
      itemStart();
      sequence('08009911');
      for (let sop = 0; sop < INSTANCES; sop++) {
        itemStart();
        ui('08005511', sopUid(index, series, sop));
        itemEnd();
      }
      sequenceEnd();
      ui('20000e00', seriesUid(index, series));
      itemEnd();
    }
    sequenceEnd();
    ui('20000d00', studyUid(index));
    itemEnd();
  }
  sequenceEnd();
  return { hash: hash.digest('hex'), length };
}
