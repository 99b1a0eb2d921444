import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '@dicomnet/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeHeader, type JournalRecord } from './journal-format.js';
import { StoreJournal, type StoreJournalOptions } from './store-journal.js';

let work: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  work = await tempDir('dicomnet-journal-');
});
afterEach(async () => {
  await work.remove();
});

/** What the journal asked its owner to do. */
interface Owner extends StoreJournalOptions {
  readonly redone: JournalRecord[];
  readonly synced: ReadonlySet<string>[];
}

function owner(capacityBytes = 1024 * 1024): Owner {
  const redone: JournalRecord[] = [];
  const synced: ReadonlySet<string>[] = [];
  return {
    capacityBytes,
    redone,
    synced,
    redo: (record) => {
      redone.push({ ...record, payload: new Uint8Array(record.payload) });
      return Promise.resolve();
    },
    sync: (keys) => {
      synced.push(new Set(keys));
      return Promise.resolve();
    },
  };
}

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
const folder = (): string => path.join(work.path, 'journal');

async function headerOf(file: string): Promise<ReturnType<typeof decodeHeader>> {
  return decodeHeader(await readFile(path.join(folder(), file)));
}

describe('StoreJournal', () => {
  it('makes two preallocated files; a clean close leaves nothing to replay', async () => {
    const first = owner();
    const { journal, replayed } = await StoreJournal.open(folder(), first);
    expect(replayed).toBe(0);
    await journal.append('file', 'ab/1.dcm', [bytes(5000, 1)]);
    await journal.append('file', 'ab/2.dcm', [bytes(5000, 2)]);
    expect(journal.holds('ab/1.dcm')).toBe(true);
    await journal.close();
    expect(first.synced).toEqual([new Set(['ab/1.dcm', 'ab/2.dcm'])]);
    for (const file of ['store-journal-0', 'store-journal-1']) {
      const handle = await open(path.join(folder(), file));
      expect((await handle.stat()).size).toBe(1024 * 1024);
      await handle.close();
    }
    expect((await headerOf('store-journal-0'))?.state).toBe('checkpointed');

    const second = owner();
    const reopened = await StoreJournal.open(folder(), second);
    expect(reopened.replayed).toBe(0);
    expect(second.redone).toEqual([]);
    await reopened.journal.close();
  });

  it('replays, after a crash, the last record of each key, once each', async () => {
    const { journal } = await StoreJournal.open(folder(), owner());
    await journal.append('file', 'ab/1.dcm', [bytes(100, 1)]);
    await journal.append('file', 'ab/2.dcm', [bytes(100, 2)]);
    // In two parts (a file's header and data set): replayed as one payload.
    await journal.append('file', 'ab/1.dcm', [bytes(40, 3), bytes(60, 3)]);
    await journal.append('deleted', 'ab/2.dcm');
    await journal.append('file', 'ab/3.dcm', [bytes(100, 4)]);
    await journal.append('external', 'ab/3.dcm');
    // A crash: the journal is never closed.

    const after = owner();
    const { journal: reopened, replayed } = await StoreJournal.open(folder(), after);
    expect(replayed).toBe(3);
    expect(after.redone.map(({ kind, key }) => [kind, key])).toEqual([
      ['file', 'ab/1.dcm'],
      ['deleted', 'ab/2.dcm'],
      ['external', 'ab/3.dcm'],
    ]);
    expect(after.redone[0]?.payload).toEqual(bytes(100, 3));
    expect(after.synced).toEqual([new Set(['ab/1.dcm', 'ab/2.dcm', 'ab/3.dcm'])]);
    // Replayed and checkpointed: the next crash has nothing of it left to redo.
    expect(reopened.holds('ab/1.dcm')).toBe(false);
    const again = owner();
    await (await StoreJournal.open(folder(), again)).journal.close();
    expect(again.redone).toEqual([]);
    await reopened.close();
  });

  it('ignores a torn last record: the ones before it replay', async () => {
    const { journal } = await StoreJournal.open(folder(), owner());
    await journal.append('file', 'ab/1.dcm', [bytes(3000, 1)]);
    await journal.append('file', 'ab/2.dcm', [bytes(3000, 2)]);
    const handle = await open(path.join(folder(), 'store-journal-0'), 'r+');
    await handle.write(Uint8Array.of(0xff), 0, 1, 4096 + 24 + 8 + 3000 + 24 + 8 + 1500);
    await handle.close();

    const after = owner();
    await (await StoreJournal.open(folder(), after)).journal.close();
    expect(after.redone.map(({ key }) => key)).toEqual(['ab/1.dcm']);
  });

  it('takes turns between its files when one fills, syncing the full one before reusing it', async () => {
    // Room for three 60 KiB records a file.
    const capacity = 4096 + 3 * (60 * 1024 + 40);
    const first = owner(capacity);
    const { journal } = await StoreJournal.open(folder(), first);
    const written = new Map<string, Uint8Array>();
    for (let i = 0; i < 10; i++) {
      const key = `ab/${i}.dcm`;
      written.set(key, bytes(60 * 1024, i));
      await journal.append('file', key, [bytes(60 * 1024, i)]);
    }
    // 0-2 in the first file, 3-5 in the second, 6-8 in the first again (so 0-2 were synced
    // before it was reused), 9 in the second (3-5 synced before).
    expect(first.synced.slice(0, 2)).toEqual([
      new Set(['ab/0.dcm', 'ab/1.dcm', 'ab/2.dcm']),
      new Set(['ab/3.dcm', 'ab/4.dcm', 'ab/5.dcm']),
    ]);
    expect(journal.holds('ab/0.dcm')).toBe(false);
    expect(journal.holds('ab/9.dcm')).toBe(true);
    // A crash now replays at least the active file's record, maybe the other's (its checkpoint
    // may not have finished), each with the bytes last written; never a record already synced
    // and reused.
    const after = owner(capacity);
    const { journal: reopened } = await StoreJournal.open(folder(), after);
    const keys = after.redone.map(({ key }) => key);
    expect(keys).toContain('ab/9.dcm');
    for (const record of after.redone) {
      expect(['ab/6.dcm', 'ab/7.dcm', 'ab/8.dcm', 'ab/9.dcm']).toContain(record.key);
      expect(record.payload).toEqual(written.get(record.key));
    }
    await reopened.close();
  });

  it('refuses a record larger than a file can hold', async () => {
    const { journal } = await StoreJournal.open(folder(), owner(256 * 1024));
    await expect(journal.append('file', 'ab/big.dcm', [bytes(300 * 1024, 1)])).rejects.toThrow(
      RangeError,
    );
    await journal.close();
  });

  it('makes a file again at a new size when it holds nothing to replay', async () => {
    await (await StoreJournal.open(folder(), owner(512 * 1024))).journal.close();
    await (await StoreJournal.open(folder(), owner(256 * 1024))).journal.close();
    const handle = await open(path.join(folder(), 'store-journal-1'));
    expect((await handle.stat()).size).toBe(256 * 1024);
    await handle.close();
  });
});
