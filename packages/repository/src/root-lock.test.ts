import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRepository } from './file-repository.js';

let work: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('dicomnet-lock-');
});
afterAll(() => work.remove());

describe('one process at a time on a root', () => {
  it('refuses a second open while the first is open, allows it after close', async () => {
    const root = path.join(work.path, 'a');
    const first = await FileRepository.open({ root });
    expect(await readFile(path.join(root, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
    await expect(FileRepository.open({ root })).rejects.toMatchObject({
      code: 'DICOMNET_REPOSITORY_LOCKED',
      ownerPid: process.pid,
    });
    await first.close();
    const second = await FileRepository.open({ root });
    await second.close();
  });

  it('takes over the lock of a process that is gone', async () => {
    const root = path.join(work.path, 'b');
    await (await FileRepository.open({ root })).close();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(path.join(root, 'lock'), `${gone}\n`);
    const repo = await FileRepository.open({ root });
    expect(await readFile(path.join(root, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
    await repo.close();
  });

  it('refuses a root whose lock names another live process', async () => {
    const root = path.join(work.path, 'c');
    await (await FileRepository.open({ root })).close();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)'], {
      stdio: 'ignore',
    });
    try {
      await writeFile(path.join(root, 'lock'), `${other.pid}\n`);
      await expect(FileRepository.open({ root })).rejects.toMatchObject({
        code: 'DICOMNET_REPOSITORY_LOCKED',
        ownerPid: other.pid,
      });
    } finally {
      other.kill('SIGKILL');
    }
  });
});
