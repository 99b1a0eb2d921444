import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { AtomicFileWriter } from '../part10/index.js';
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
});
