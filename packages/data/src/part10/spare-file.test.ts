import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { closeSync, fsync, open, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '@dicomnet/test-utils';
import { AtomicFileWriter, atomicWriterTargetOf } from './atomic-file-writer.js';
import { DurableFolder } from './durable-folder.js';
import { SpareFile } from './spare-file.js';

let folder: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  folder = await tempDir('dicomnet-spare-');
});
afterEach(() => folder.remove());

/** Waits until a spare exists in the folder (it is created through the thread pool). */
async function settled(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await readdir(folder.path)).some((name) => name.endsWith('.part'))) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // The open's callback runs on a later turn than the file appears.
  await new Promise((resolve) => setTimeout(resolve, 10));
}

async function writeOne(spare: SpareFile, name: string, text: string): Promise<AtomicFileWriter> {
  const writer = await AtomicFileWriter.open(path.join(folder.path, name), {
    spare,
    fsync: false,
  });
  await writer.write(Buffer.from(text));
  await writer.commit();
  return writer;
}

describe('SpareFile', () => {
  it('is named as a temporary file of the writer and removed by close', async () => {
    const spare = new SpareFile(folder.path, '0.dcm');
    spare.prepare();
    spare.prepare(); // one at a time
    await settled();
    const names = await readdir(folder.path);
    expect(names).toHaveLength(1);
    expect(atomicWriterTargetOf(names[0] ?? '')).toBe('0.dcm');
    await spare.close();
    await spare.close();
    expect(await readdir(folder.path)).toEqual([]);
    spare.prepare(); // after close: nothing
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('close waits for a spare being created and removes it', async () => {
    const spare = new SpareFile(folder.path, '0.dcm');
    spare.prepare();
    await spare.close();
    expect(await readdir(folder.path)).toEqual([]);
  });

  it('a writer takes the ready spare, prepares the next, and writes its bytes', async () => {
    const spare = new SpareFile(folder.path, '0.dcm');
    const first = await writeOne(spare, 'a.dcm', 'first');
    expect(atomicWriterTargetOf(path.basename(first.temporaryPath))).toBe('a.dcm'); // created
    await settled();
    const [spareName] = (await readdir(folder.path)).filter((n) => n.endsWith('.part'));
    const second = await writeOne(spare, 'b.dcm', 'second');
    expect(path.basename(second.temporaryPath)).toBe(spareName); // taken, not created
    await settled();
    const names = (await readdir(folder.path)).sort();
    expect(names.filter((n) => !n.endsWith('.part'))).toEqual(['a.dcm', 'b.dcm']);
    expect(names.filter((n) => n.endsWith('.part'))).toHaveLength(1); // the next one
    expect(await readFile(path.join(folder.path, 'b.dcm'), 'latin1')).toBe('second');
    await spare.close();
    expect((await readdir(folder.path)).sort()).toEqual(['a.dcm', 'b.dcm']);
  });

  it('a writer with another mode, or a streamed file, does not take it', async () => {
    const spare = new SpareFile(folder.path, '0.dcm');
    spare.prepare();
    await settled();
    const [spareName] = await readdir(folder.path);
    const other = await AtomicFileWriter.open(path.join(folder.path, 'm.dcm'), {
      spare,
      mode: 0o600,
      fsync: false,
    });
    await other.write(Buffer.from('x'));
    await other.commit();
    const streamed = await AtomicFileWriter.open(path.join(folder.path, 's.dcm'), {
      spare,
      bufferBytes: 4,
      fsync: false,
    });
    await streamed.write(Buffer.from('streamed'));
    await streamed.commit();
    expect((await readdir(folder.path)).sort()).toEqual(['m.dcm', 's.dcm', spareName].sort());
    await spare.close();
  });

  it('a failed write removes the taken spare', async () => {
    const spare = new SpareFile(folder.path, '0.dcm');
    spare.prepare();
    await settled();
    // Renaming onto a non-empty folder fails after the write.
    const target = path.join(folder.path, 'dir.dcm');
    await mkdir(target);
    await writeFile(path.join(target, 'keep'), 'x');
    const writer = await AtomicFileWriter.open(target, { spare, fsync: false });
    await writer.write(Buffer.from('x'));
    await expect(writer.commit()).rejects.toMatchObject({ operation: 'rename' });
    await spare.close();
    expect(await readdir(folder.path)).toEqual(['dir.dcm']);
  });

  it('with fsync, the folder is fsynced after the rename of a taken spare, before commit resolves', async () => {
    const log: string[] = [];
    // What the folder holds, spares aside, when its fsync starts.
    const readdirNames = (): string[] =>
      readdirSync(folder.path).filter((name) => !name.endsWith('.part'));
    const durable = new DurableFolder(folder.path, {
      calls: {
        open: (p) =>
          new Promise((resolve, reject) =>
            open(p, 'r', (e, fd) => (e === null ? resolve(fd) : reject(e))),
          ),
        fsync: (fd) =>
          new Promise((resolve, reject) => {
            log.push(`fsync ${[...readdirNames()].sort().join(',')}`);
            fsync(fd, (e) => (e === null ? resolve() : reject(e)));
          }),
        close: (fd) => Promise.resolve(closeSync(fd)),
      },
    });
    const spare = new SpareFile(folder.path, '0.dcm');
    spare.prepare();
    await settled();
    const writer = await AtomicFileWriter.open(path.join(folder.path, 'd.dcm'), {
      spare,
      folder: durable,
    });
    await writer.write(Buffer.from('durable'));
    await writer.commit();
    log.push('committed');
    expect(log).toEqual(['fsync d.dcm', 'committed']);
    await spare.close();
    await durable.close();
  });
});
