import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstanceFolders } from '../instance-folders.js';
import { storedPathOf } from '../storage-path.js';
import { syncJournaled, type CheckpointSyncCalls } from './journaled-files.js';

let work: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  work = await tempDir('dicomnet-journaled-files-');
});
afterEach(async () => {
  await work.remove();
});

/** Calls that record what was synced and how many syncs ran at once. */
function watchedCalls(): CheckpointSyncCalls & {
  readonly order: string[];
  readonly mostAtOnce: () => number;
} {
  const order: string[] = [];
  let running = 0;
  let most = 0;
  const run = async (what: string): Promise<void> => {
    running++;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 1));
    order.push(what);
    running--;
  };
  return {
    order,
    mostAtOnce: () => most,
    syncFile: (file) => run(`file ${file}`),
    syncFolder: (folder) => run(`folder ${folder}`),
  };
}

describe('syncJournaled', () => {
  it('syncs each file, then each of their folders once, two at a time at most', async () => {
    const root = path.join(work.path, 'instances');
    await mkdir(root);
    const folders = await InstanceFolders.open(root, true);
    const keys = Array.from({ length: 12 }, (_, i) => storedPathOf(`1.2.3.${i}`));
    const calls = watchedCalls();
    // A key that is not a stored path names nothing in the tree: skipped.
    await syncJournaled(root, folders, new Set([...keys, '../outside.dcm']), calls);
    await folders.close();
    const files = keys.map((key) => `file ${path.join(root, ...key.split('/'))}`);
    const folderNames = [...new Set(keys.map((key) => key.split('/')[0]))].map(
      (name) => `folder ${path.join(root, name ?? '')}`,
    );
    expect(calls.order.slice(0, files.length).sort()).toEqual([...files].sort());
    expect(calls.order.slice(files.length).sort()).toEqual([...folderNames].sort());
    expect(calls.mostAtOnce()).toBe(2);
  });

  it('syncs with node:fs, passing over a file deleted since its record', async () => {
    const root = path.join(work.path, 'instances');
    await mkdir(root);
    const folders = await InstanceFolders.open(root, true);
    const kept = storedPathOf('1.2.3.100');
    const deleted = storedPathOf('1.2.3.101');
    await writeFile(path.join(root, ...kept.split('/')), 'kept');
    await writeFile(path.join(root, ...deleted.split('/')), 'deleted');
    await rm(path.join(root, ...deleted.split('/')));
    await expect(syncJournaled(root, folders, new Set([kept, deleted]))).resolves.toBeUndefined();
    await folders.close();
  });
});
