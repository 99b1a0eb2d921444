import { mkdir, readdir, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { AtomicFileWriter, writePart10File } from '@dicomnet/data';
import { openInstanceFile } from './instance-file.js';
import { openInstanceFiles } from './store-files.js';
import { isStoreLeftover, removeStoreLeftovers } from './store-leftovers.js';
import { storeToDirectory } from './store-to-directory.js';

describe('leftovers of storeToDirectory', () => {
  it('recognises exactly the temporary names our writer gives an instance file', async () => {
    const dir = await tempDir();
    try {
      // A real temporary file of the writer, as a killed process leaves it.
      const writer = await AtomicFileWriter.open(path.join(dir.path, '1.2.840.5.dcm'));
      expect(isStoreLeftover(path.basename(writer.temporaryPath))).toBe(true);
      await writer.abort();
    } finally {
      await dir.remove();
    }
    expect(isStoreLeftover('.1.2.3.dcm.0123456789ab.part')).toBe(true);
    for (const name of [
      '1.2.3.dcm', // an instance
      '.1.2.3.dcm.part', // no random part
      '.1.2.3.dcm.0123456789AB.part', // not our lowercase hex
      '.1.2.3.dcm.0123456789a.part', // 11 digits
      '.1.2.03.dcm.0123456789ab.part', // not a UID
      '.notes.txt.0123456789ab.part', // our writer, but not an instance file
      '.1.2.3.0123456789ab.part', // no .dcm
      'x.1.2.3.dcm.0123456789ab.part',
    ]) {
      expect(isStoreLeftover(name), name).toBe(false);
    }
  });

  it('removes only regular files with our naming, and reports them', async () => {
    const dir = await tempDir();
    try {
      const leftover = path.join(dir.path, '.1.2.3.dcm.0123456789ab.part');
      const keep = [
        '1.2.3.dcm',
        '.1.2.3.dcm.part',
        '.notes.txt.0123456789ab.part',
        'other.0123456789ab.part',
      ];
      await writeFile(leftover, 'partial');
      for (const name of keep) await writeFile(path.join(dir.path, name), 'x');
      await mkdir(path.join(dir.path, '.1.2.4.dcm.0123456789ab.part')); // a folder: kept
      await symlink(leftover, path.join(dir.path, '.1.2.5.dcm.0123456789ab.part')); // a link: kept
      expect(await removeStoreLeftovers(dir.path)).toEqual([leftover]);
      expect((await readdir(dir.path)).sort()).toEqual(
        [...keep, '.1.2.4.dcm.0123456789ab.part', '.1.2.5.dcm.0123456789ab.part'].sort(),
      );
      expect(await removeStoreLeftovers(path.join(dir.path, 'missing'))).toEqual([]);
    } finally {
      await dir.remove();
    }
  });

  it('storeToDirectory removes them on start and reports them once', async () => {
    const dir = await tempDir();
    try {
      const leftover = path.join(dir.path, '.1.2.3.dcm.0123456789ab.part');
      await writeFile(leftover, 'partial');
      const reported = await new Promise<readonly string[]>((resolve) => {
        storeToDirectory(dir.path, { onLeftoversRemoved: resolve });
      });
      expect(reported).toEqual([leftover]);
      expect(await readdir(dir.path)).toEqual([]);
    } finally {
      await dir.remove();
    }
  });

  it('a leftover is never opened as an instance, though its header is whole', async () => {
    const dir = await tempDir();
    try {
      // A complete file renamed to a leftover's name: what a killed transfer leaves, but whole.
      const whole = path.join(dir.path, '1.2.3.dcm');
      await writePart10File(
        whole,
        {
          mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7',
          mediaStorageSopInstanceUid: '1.2.3',
          transferSyntaxUid: '1.2.840.10008.1.2.1',
        },
        [new Uint8Array(64)],
        { fsync: false },
      );
      expect((await openInstanceFile(whole)).sopInstanceUid).toBe('1.2.3');
      const leftover = path.join(dir.path, '.1.2.3.dcm.0123456789ab.part');
      await rename(whole, leftover);
      await expect(openInstanceFile(leftover)).rejects.toMatchObject({
        code: 'DICOMNET_PART10_UNFINISHED',
      });
      const [entry] = await openInstanceFiles([leftover]);
      expect(entry).toMatchObject({
        path: leftover,
        error: { code: 'DICOMNET_PART10_UNFINISHED' },
      });
    } finally {
      await dir.remove();
    }
  });
});
