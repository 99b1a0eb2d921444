// Durable mode's store journal against what a power failure can do: a child process stores small
// instances (acknowledged once their journal record is synced; their files are not synced yet),
// deletes one, replaces another with a large instance (synced in place), and is killed. The test
// then removes or tears the files that were never synced, as a power failure could, and opens
// the repository: the replay brings back every acknowledged small store byte for byte, and
// neither resurrects the deleted instance nor puts the small content back over the large one;
// also when the repository is opened again without fsync.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FileRepository } from '../src/file-repository.js';
import { storedPathOf } from '../src/storage-path.js';
import { makeInstances, readAll, type TestInstance } from './instances.js';

const CHILD = fileURLToPath(new URL('./journal-child.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

let work: { path: string; remove(): Promise<void> };
let instances: TestInstance[];

beforeAll(async () => {
  work = await tempDir('dicomnet-journal-replay-');
  instances = await makeInstances(path.join(work.path, 'source'), 5);
}, 60_000);
afterAll(async () => {
  await work.remove();
});

/**
 * `dataSet` with a private element of `bytes` bytes after its last (Pixel Data): the same
 * instance, larger than a small store (Explicit VR Little Endian).
 */
function padded(dataSet: Uint8Array, bytes: number): Uint8Array {
  const creator = Buffer.from('DICOMNET TEST ', 'latin1');
  const element = Buffer.alloc(8 + creator.byteLength + 12);
  element.writeUInt16LE(0x7fe1, 0);
  element.writeUInt16LE(0x0010, 2);
  element.write('LO', 4, 'latin1');
  element.writeUInt16LE(creator.byteLength, 6);
  creator.copy(element, 8);
  const at = 8 + creator.byteLength;
  element.writeUInt16LE(0x7fe1, at);
  element.writeUInt16LE(0x1000, at + 2);
  element.write('OB', at + 4, 'latin1');
  element.writeUInt32LE(bytes, at + 8);
  return Buffer.concat([dataSet, element, Buffer.alloc(bytes, 0x5a)]);
}

/** Runs the steps in a child, then kills it once it says it is idle. */
async function runThenKill(root: string, steps: readonly object[]): Promise<number> {
  const stepsFile = path.join(work.path, 'steps.json');
  await writeFile(stepsFile, JSON.stringify(steps));
  const child = fork(CHILD, [root, stepsFile], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let done = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('message', (message: { type: string }) => {
      if (message.type === 'done') done++;
      else if (message.type === 'idle') child.kill('SIGKILL');
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(done);
      else reject(new Error(`the journal child exited by itself: ${code}`));
    });
  });
}

for (const reopened of ['durable', 'relaxed'] as const)
  it(`replays acknowledged small stores whose files a power failure lost or tore (reopened ${reopened})`, async () => {
    expect(existsSync(DIST), 'build the package first: pnpm build').toBe(true);
    const root = path.join(work.path, `repository-${reopened}`);
    const fsync = reopened === 'durable';
    const [zero, one, two, three, four] = instances as [
      TestInstance,
      TestInstance,
      TestInstance,
      TestInstance,
      TestInstance,
    ];
    const large = padded(three.dataSetBytes, 100_000);
    const largePath = path.join(work.path, 'large.bin');
    await writeFile(largePath, large);
    const store = (instance: TestInstance, dataSetPath: string): object => ({
      op: 'store',
      sopInstanceUid: instance.sopInstanceUid,
      sopClassUid: instance.sopClassUid,
      transferSyntaxUid: instance.transferSyntaxUid,
      dataSetPath,
    });
    const small = instances.map((instance, i) => ({
      instance,
      file: path.join(work.path, `dataset-${i}.bin`),
    }));
    await Promise.all(small.map(({ instance, file }) => writeFile(file, instance.dataSetBytes)));
    const done = await runThenKill(root, [
      ...small.map(({ instance, file }) => store(instance, file)),
      { op: 'delete', sopInstanceUid: four.sopInstanceUid },
      store(three, largePath),
    ]);
    expect(done).toBe(7);

    // What a power failure may leave of files written but never synced: gone, or torn.
    const fileOf = (instance: TestInstance): string =>
      path.join(root, 'instances', ...storedPathOf(instance.sopInstanceUid).split('/'));
    await rm(fileOf(zero));
    await rm(fileOf(one));
    await truncate(fileOf(two), 700);

    const repo = await FileRepository.open({ root, fsync });
    try {
      expect(repo.recovery.journalReplayed).toBe(5);
      expect(repo.recovery.full).toBe(true);
      expect(repo.recovery.unindexable).toEqual([]);
      for (const instance of [zero, one, two]) {
        const file = await readAll(await repo.read(instance.sopInstanceUid));
        expect(
          Buffer.from(file.subarray(file.byteLength - instance.dataSetBytes.byteLength)),
        ).toEqual(Buffer.from(instance.dataSetBytes));
      }
      const replaced = await readAll(await repo.read(three.sopInstanceUid));
      expect(replaced.subarray(replaced.byteLength - large.byteLength)).toEqual(Buffer.from(large));
      expect(await repo.get(four.sopInstanceUid)).toBeUndefined();
      expect(existsSync(fileOf(four))).toBe(false);
    } finally {
      await repo.close();
    }
    // Checkpointed at the close: a second open has nothing to replay.
    const again = await FileRepository.open({ root, fsync });
    expect(again.recovery).toMatchObject({ journalReplayed: 0, full: false });
    await again.close();
  }, 60_000);
