import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, toHex } from '@dicomnet/test-utils';
import { fixture } from '../../test/contract/data-set-fixtures.js';
import { openPart10FileWriter, writePart10File } from './part10-file-writer.js';
import { openPart10File } from './read-part10.js';

let folder: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  folder = await tempDir('dicomnet-part10-writer-');
});
afterEach(() => folder.remove());

const DCMTK_META = {
  mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7',
  mediaStorageSopInstanceUid: '1.2.826.0.1.3680043.8.498.1.1',
  transferSyntaxUid: '1.2.840.10008.1.2.1',
  implementationClassUid: '1.2.276.0.7230010.3.0.3.6.7',
  implementationVersionName: 'OFFIS_DCMTK_367',
};

describe('writePart10File', () => {
  it('writes the same bytes as DCMTK for the same meta and data set', async () => {
    const file = fixture('part10-explicit.dcm');
    const dataSet = file.subarray(318);
    const target = path.join(folder.path, 'out.dcm');
    const fragments = [dataSet.subarray(0, 100), dataSet.subarray(100, 101), dataSet.subarray(101)];
    await expect(writePart10File(target, DCMTK_META, fragments)).resolves.toEqual({
      bytes: file.byteLength,
    });
    expect(toHex(new Uint8Array(await readFile(target)))).toBe(toHex(file));
  });

  it('writes received fragments through a writer and reads back', async () => {
    const target = path.join(folder.path, 'received.dcm');
    const writer = await openPart10FileWriter(target, {
      ...DCMTK_META,
      receivingApplicationEntityTitle: 'DICOMNET',
      sourceApplicationEntityTitle: 'STORESCU',
    });
    const dataSet = fixture('part10-explicit.dcm').subarray(318);
    for (let offset = 0; offset < dataSet.length; offset += 64)
      await writer.write(dataSet.subarray(offset, offset + 64));
    await writer.commit();
    const read = await openPart10File(target);
    expect(read.meta).toMatchObject({
      receivingApplicationEntityTitle: 'DICOMNET',
      sourceApplicationEntityTitle: 'STORESCU',
    });
    expect(read.size - read.dataSetOffset).toBe(dataSet.length);
  });

  it('creates nothing for an invalid meta', async () => {
    await expect(
      writePart10File(
        path.join(folder.path, 'x.dcm'),
        { ...DCMTK_META, transferSyntaxUid: 'nope' },
        [],
      ),
    ).rejects.toMatchObject({
      code: 'DICOMNET_PART10_INVALID_META',
    });
    await expect(
      openPart10FileWriter(path.join(folder.path, 'x.dcm'), {
        ...DCMTK_META,
        transferSyntaxUid: 'nope',
      }),
    ).rejects.toMatchObject({
      code: 'DICOMNET_PART10_INVALID_META',
    });
    expect(await readdir(folder.path)).toEqual([]);
  });
});
