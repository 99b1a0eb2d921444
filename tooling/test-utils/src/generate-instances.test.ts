import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateInstances,
  generateLargeInstance,
  imageShape,
  SECONDARY_CAPTURE_IMAGE_STORAGE,
  TEST_TRANSFER_SYNTAXES,
} from './generate-instances.js';
import type { TestTransferSyntax } from './generate-instances.js';
import { RANDOM_UID_LENGTH, randomUid } from './random-uid.js';
import { runTool } from './run-tool.js';
import { tempDir } from './temp-dir.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('dicomnet-generate-test-');
});
afterAll(() => dir.remove());

/** The values DCMTK itself reads back, so the test does not trust our own generator. */
async function dumpTags(file: string): Promise<Record<string, string>> {
  const tags = [
    'SOPClassUID',
    'SOPInstanceUID',
    'StudyInstanceUID',
    'SeriesInstanceUID',
    'TransferSyntaxUID',
    'Rows',
    'Columns',
  ];
  const result = await runTool('dcmdump', [
    '-M',
    '-Un',
    ...tags.flatMap((tag) => ['+P', tag]),
    file,
  ]);
  expect(result.code, result.stderr).toBe(0);
  const values: Record<string, string> = {};
  for (const line of result.stdout.split('\n')) {
    // e.g. "(0008,0018) UI [2.25.1234…]   #  44, 1 SOPInstanceUID" or "(0028,0010) US 64  #   2, 1 Rows"
    const match = /^\([0-9a-f]{4},[0-9a-f]{4}\) \w\w (?:\[([^\]]*)\]|=?(\S+))\s+#.*\s(\w+)$/.exec(
      line.trim(),
    );
    if (match?.[3] !== undefined) values[match[3]] = match[1] ?? match[2] ?? '';
  }
  return values;
}

describe('randomUid', () => {
  it('is a 2.25 UID of fixed length, different each time', () => {
    const uids = Array.from({ length: 100 }, randomUid);
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.[1-9]\d{37}$/);
      expect(uid).toHaveLength(RANDOM_UID_LENGTH);
    }
    expect(new Set(uids).size).toBe(100);
  });
});

describe('imageShape', () => {
  it('gives the shapes of PEERS.md §2.6 and refuses odd sizes', () => {
    expect(imageShape(16_384)).toEqual([64, 128]);
    expect(imageShape(200 * 1024 * 1024)).toEqual([10_240, 10_240]);
    expect(() => imageShape(3)).toThrow(RangeError);
  });
});

describe('generateInstances', () => {
  it('writes 3 instances that dcmdump reads with distinct SOP Instance UIDs', async () => {
    const instances = await generateInstances(`${dir.path}/three`, { count: 3 });
    expect(instances).toHaveLength(3);
    expect(new Set(instances.map((instance) => instance.sopInstanceUid)).size).toBe(3);
    for (const instance of instances) {
      const tags = await dumpTags(instance.path);
      expect(tags).toMatchObject({
        SOPClassUID: SECONDARY_CAPTURE_IMAGE_STORAGE,
        SOPInstanceUID: instance.sopInstanceUid,
        StudyInstanceUID: instance.studyInstanceUid,
        SeriesInstanceUID: instance.seriesInstanceUid,
        TransferSyntaxUID: TEST_TRANSFER_SYNTAXES['explicit-vr-little-endian'],
        Rows: '64',
        Columns: '128',
      });
    }
    expect(instances[1]?.studyInstanceUid).toBe(instances[0]?.studyInstanceUid);
  });

  const syntaxes = Object.keys(TEST_TRANSFER_SYNTAXES) as TestTransferSyntax[]; // keys of a const object
  it.each(syntaxes)('writes %s with the right transfer syntax and UIDs', async (transferSyntax) => {
    const instances = await generateInstances(`${dir.path}/${transferSyntax}`, {
      count: 2,
      transferSyntax,
    });
    for (const instance of instances) {
      const tags = await dumpTags(instance.path);
      expect(tags.TransferSyntaxUID).toBe(TEST_TRANSFER_SYNTAXES[transferSyntax]);
      expect(tags.SOPInstanceUID).toBe(instance.sopInstanceUid);
    }
    expect(instances[0]?.sopInstanceUid).not.toBe(instances[1]?.sopInstanceUid);
  });

  it('writes one large instance with the requested pixel data size', async () => {
    const bytes = 8 * 1024 * 1024;
    for (const pixelFill of ['random', 'zeros'] as const) {
      const instance = await generateLargeInstance(`${dir.path}/large-${pixelFill}`, {
        bytes,
        pixelFill,
      });
      expect((await stat(instance.path)).size).toBeGreaterThan(bytes);
      expect(await dumpTags(instance.path)).toMatchObject({ Rows: '2048', Columns: '2048' });
    }
  });
});
