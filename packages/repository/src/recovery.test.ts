import { cp, mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInstances, readAll, storeRequestOf, type TestInstance } from '../test/instances.js';
import { FileRepository } from './file-repository.js';
import { storedPathOf } from './storage-path.js';

let work: { path: string; remove(): Promise<void> };
let instances: TestInstance[];

beforeAll(async () => {
  work = await tempDir('dicomnet-recovery-');
  instances = await makeInstances(path.join(work.path, 'source'), 4);
}, 60_000);
afterAll(() => work.remove());

let roots = 0;
/** A closed repository at a new root holding `stored`. */
async function repositoryWith(stored: readonly TestInstance[], sourceAeTitle?: string) {
  const root = path.join(work.path, `root-${++roots}`);
  const repo = await FileRepository.open({ root });
  for (const instance of stored) await repo.store(storeRequestOf(instance, sourceAeTitle));
  await repo.close();
  return root;
}

const fileOf = (root: string, uid: string): string =>
  path.join(root, 'instances', ...storedPathOf(uid).split('/'));

describe('the recovery pass at open', () => {
  it('removes what unfinished stores left in the staging folder, even after a clean close', async () => {
    const root = await repositoryWith(instances.slice(0, 1));
    await writeFile(path.join(root, 'incoming', 'abc.dcm'), 'staged, never moved');
    await writeFile(path.join(root, 'incoming', '.abc.dcm.0123456789ab.part'), 'half');
    const repo = await FileRepository.open({ root });
    try {
      expect(repo.recovery).toMatchObject({ full: false, leftoversRemoved: 2 });
      expect(await readdir(path.join(root, 'incoming'))).toEqual([]);
      expect(await repo.get(instances[0]!.sopInstanceUid)).toBeDefined();
    } finally {
      await repo.close();
    }
  });

  it('indexes files that have no row (an index lost or rebuilt from the files)', async () => {
    const source = await repositoryWith(instances);
    const root = path.join(work.path, `root-${++roots}`);
    await mkdir(root);
    await cp(path.join(source, 'instances'), path.join(root, 'instances'), { recursive: true });
    const repo = await FileRepository.open({ root });
    try {
      expect(repo.recovery).toMatchObject({
        full: true,
        filesChecked: 4,
        filesIndexed: 4,
        rowsDropped: 0,
        unindexable: [],
      });
      for (const instance of instances) {
        const stored = await repo.get(instance.sopInstanceUid);
        expect(stored).toMatchObject({
          studyInstanceUid: instance.studyInstanceUid,
          seriesInstanceUid: instance.seriesInstanceUid,
        });
      }
    } finally {
      await repo.close();
    }
  });

  it('drops rows whose file is gone, on a full check', async () => {
    const root = await repositoryWith(instances.slice(0, 2));
    await unlink(fileOf(root, instances[0]!.sopInstanceUid));
    const auto = await FileRepository.open({ root });
    // After a clean close nothing but the staging folder is looked at.
    expect(auto.recovery.full).toBe(false);
    await auto.close();
    const repo = await FileRepository.open({ root, recovery: 'full' });
    try {
      expect(repo.recovery).toMatchObject({ full: true, filesChecked: 1, rowsDropped: 1 });
      expect(await repo.get(instances[0]!.sopInstanceUid)).toBeUndefined();
      expect(await repo.get(instances[1]!.sopInstanceUid)).toBeDefined();
    } finally {
      await repo.close();
    }
  });

  it('indexes again a file whose row describes another one (a replace that died before its row)', async () => {
    const root = await repositoryWith(instances.slice(0, 1));
    const newer = await repositoryWith(instances.slice(0, 1), 'LONGER_AE_TITLE');
    const uid = instances[0]!.sopInstanceUid;
    await cp(fileOf(newer, uid), fileOf(root, uid));
    const repo = await FileRepository.open({ root, recovery: 'full' });
    try {
      expect(repo.recovery).toMatchObject({ filesChecked: 1, filesIndexed: 1 });
      const file = await readAll(await repo.read(uid));
      expect((await repo.get(uid))?.sizeBytes).toBe(file.byteLength);
    } finally {
      await repo.close();
    }
  });

  it('reports files it cannot index and leaves them where they are', async () => {
    const root = await repositoryWith(instances.slice(0, 1));
    const notDicom = fileOf(root, '1.2.3.4.5');
    await mkdir(path.dirname(notDicom), { recursive: true });
    await writeFile(notDicom, 'not a DICOM file');
    const misplaced = fileOf(root, '9.8.7');
    await mkdir(path.dirname(misplaced), { recursive: true });
    await cp(fileOf(root, instances[0]!.sopInstanceUid), misplaced);
    await writeFile(path.join(root, 'instances', 'notes.txt'), 'a note');
    const repo = await FileRepository.open({ root, recovery: 'full' });
    try {
      const reasons = Object.fromEntries(
        repo.recovery.unindexable.map((entry) => [entry.path, entry.reason]),
      );
      expect(Object.keys(reasons).sort()).toEqual(
        [storedPathOf('1.2.3.4.5'), storedPathOf('9.8.7'), 'notes.txt'].sort(),
      );
      expect(reasons[storedPathOf('9.8.7')]).toMatch(/belongs elsewhere/);
      expect(reasons[storedPathOf('1.2.3.4.5')]).toMatch(/DICOM|Part 10|DICM/i);
      expect(repo.recovery.filesIndexed).toBe(0);
      expect(await repo.get(instances[0]!.sopInstanceUid)).toBeDefined();
      await expect(readdir(path.dirname(misplaced))).resolves.toContain(path.basename(misplaced));
    } finally {
      await repo.close();
    }
  });

  it('removes temporary files of the atomic writer found in the instances tree', async () => {
    const root = await repositoryWith(instances.slice(0, 1));
    const file = fileOf(root, instances[0]!.sopInstanceUid);
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.0123456789ab.part`);
    await writeFile(temporary, 'half a file');
    const repo = await FileRepository.open({ root, recovery: 'full' });
    try {
      expect(repo.recovery).toMatchObject({ leftoversRemoved: 1, filesChecked: 1 });
      expect(await readdir(path.dirname(file))).toEqual([path.basename(file)]);
    } finally {
      await repo.close();
    }
  });
});
