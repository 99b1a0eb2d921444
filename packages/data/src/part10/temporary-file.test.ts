import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemporaryFile, atomicWriterTargetOf, temporaryPathOf } from './temporary-file.js';

let work: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  work = await tempDir('dicomnet-temporary-file-');
});
afterEach(async () => {
  await work.remove();
});

const chunks = [Buffer.from('header-'), Buffer.from('data set')];

describe('TemporaryFile', () => {
  it('holds the bytes beside the final path until committed, then replaces what was there', async () => {
    const final = path.join(work.path, 'ab.dcm');
    await writeFile(final, 'replaced instance');
    const file = TemporaryFile.writeSync(final, chunks);
    expect(file.bytes).toBe(15);
    expect(await readFile(final, 'latin1')).toBe('replaced instance');
    expect(atomicWriterTargetOf(path.basename(file.path))).toBe('ab.dcm');
    expect(await readFile(file.path, 'latin1')).toBe('header-data set');
    const mtimeMs = file.mtimeMsSync();
    file.commitSync();
    expect(await readFile(final, 'latin1')).toBe('header-data set');
    expect(await readdir(work.path)).toEqual(['ab.dcm']);
    expect(mtimeMs).toBe(Math.trunc((await stat(final)).mtimeMs));
  });

  it('leaves nothing when discarded, however often', async () => {
    const file = TemporaryFile.writeSync(path.join(work.path, 'cd.dcm'), chunks);
    file.discardSync();
    file.discardSync();
    expect(await readdir(work.path)).toEqual([]);
  });

  it('writes at the path it is given, never over an existing file', async () => {
    const final = path.join(work.path, 'ef.dcm');
    const given = path.join(work.path, '.ef.dcm.0123456789ab.part');
    TemporaryFile.writeSync(final, chunks, { path: given }).commitSync();
    expect(await readFile(final, 'latin1')).toBe('header-data set');
    await writeFile(given, 'someone else’s');
    expect(() => TemporaryFile.writeSync(final, chunks, { path: given })).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_WRITE_FAILED', operation: 'open' }),
    );
    expect(await readFile(given, 'utf8')).toBe('someone else’s');
  });

  it('throws an AtomicWriteError and leaves nothing when the file cannot be made', () => {
    const final = path.join(work.path, 'missing-folder', 'ab.dcm');
    expect(() => TemporaryFile.writeSync(final, chunks)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_WRITE_FAILED', operation: 'open' }),
    );
    expect(existsSync(path.dirname(final))).toBe(false);
  });

  it('discards itself when the rename fails', async () => {
    const final = path.join(work.path, 'ab.dcm');
    await mkdir(final); // a folder where the file should go: rename(2) refuses (EISDIR)
    const file = TemporaryFile.writeSync(final, chunks);
    expect(() => file.commitSync()).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_WRITE_FAILED', operation: 'rename' }),
    );
    expect(await readdir(work.path)).toEqual(['ab.dcm']); // no temporary file left
    expect(() => file.mtimeMsSync()).toThrow(TypeError); // closed
  });
});

describe('temporaryPathOf', () => {
  it('names a new file beside the final one, as the atomic writer recognises', () => {
    const final = path.join(work.path, '0f', 'a1b2.dcm');
    const temporary = temporaryPathOf(final);
    expect(path.dirname(temporary)).toBe(path.dirname(final));
    expect(atomicWriterTargetOf(path.basename(temporary))).toBe('a1b2.dcm');
    expect(temporaryPathOf(final)).not.toBe(temporary);
  });
});
