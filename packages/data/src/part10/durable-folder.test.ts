import { readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '@dicomnet/test-utils';
import { AtomicFileWriter } from './atomic-file-writer.js';
import { DurableFolder, type FolderSyncCalls } from './durable-folder.js';

/** One fsync the test decides when to finish. */
interface HeldFsync {
  readonly number: number;
  finish(error?: Error): void;
}

/**
 * Folder calls that log every event in order and hold each fsync until the test finishes it:
 * the test then sees exactly which fsync an acknowledgement waited for.
 */
function recordingCalls(watched?: string): {
  calls: FolderSyncCalls;
  log: string[];
  held: HeldFsync[];
  /** Per fsync number, the names in `watched` when it started: the renames it covers. */
  covered: Map<number, readonly string[]>;
} {
  const log: string[] = [];
  const covered = new Map<number, readonly string[]>();
  const held: HeldFsync[] = [];
  let opened = 0;
  const calls: FolderSyncCalls = {
    open: () => {
      opened += 1;
      log.push(`open ${opened}`);
      return Promise.resolve(opened);
    },
    fsync: () =>
      new Promise<void>((resolve, reject) => {
        const number = held.length + 1;
        log.push(`fsync ${number} start`);
        if (watched !== undefined) covered.set(number, readdirSync(watched));
        held.push({
          number,
          finish: (error) => {
            log.push(`fsync ${number} ${error === undefined ? 'end' : 'failed'}`);
            if (error === undefined) resolve();
            else reject(error);
          },
        });
      }),
    close: (fd) => {
      log.push(`close ${fd}`);
      return Promise.resolve();
    },
  };
  return { calls, log, held, covered };
}

/**
 * Finishes every held fsync as it starts until `done()` holds, for at most 5 s: the commits
 * under test then run to their end at their own pace.
 */
async function finishFsyncsUntil(held: readonly HeldFsync[], done: () => boolean): Promise<void> {
  const finished = new Set<number>();
  const deadline = Date.now() + 5000;
  while (!done() && Date.now() < deadline) {
    for (const fsync of held) {
      if (finished.has(fsync.number)) continue;
      finished.add(fsync.number);
      fsync.finish();
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Lets every settled promise run its callbacks. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Checks the group-commit rule on a log: every `ack k` comes after the end of an fsync that
 * started after `rename k`.
 */
function expectEveryAckCovered(log: readonly string[]): void {
  for (const [index, entry] of log.entries()) {
    const ack = /^ack (\w+)$/.exec(entry);
    if (ack === null) continue;
    const renamed = log.indexOf(`rename ${ack[1]}`);
    expect(renamed, `rename ${ack[1]} before its ack`).toBeGreaterThanOrEqual(0);
    const covering = log.slice(renamed, index).some((event) => {
      const start = /^fsync (\d+) start$/.exec(event);
      return start !== null && log.indexOf(`fsync ${start[1]} end`) < index;
    });
    expect(covering, `an fsync started after rename ${ack[1]} ended before its ack`).toBe(true);
  }
}

describe('DurableFolder', () => {
  it('acknowledges nobody before an fsync that started after their call has ended', async () => {
    const { calls, log, held } = recordingCalls();
    const folder = new DurableFolder('/data', { calls });
    const commit = (name: string): Promise<void> => {
      log.push(`rename ${name}`);
      return folder.sync().then(() => void log.push(`ack ${name}`));
    };
    const first = commit('a');
    await settle();
    // b and c arrive while fsync 1 runs: it may have begun before their renames, so they wait.
    const rest = [commit('b'), commit('c')];
    await settle();
    held[0]?.finish();
    await first;
    await settle();
    expect(log).not.toContain('ack b');
    expect(held).toHaveLength(2); // one fsync for b and c together
    held[1]?.finish();
    await Promise.all(rest);
    expect(log).toEqual([
      'rename a',
      'open 1',
      'fsync 1 start',
      'rename b',
      'rename c',
      'fsync 1 end',
      'ack a',
      'fsync 2 start',
      'fsync 2 end',
      'ack b',
      'ack c',
    ]);
    expectEveryAckCovered(log);
    await folder.close();
    expect(log.at(-1)).toBe('close 1');
  });

  it('shares one fsync among 16 concurrent commits and keeps the folder open', async () => {
    const { calls, log, held } = recordingCalls();
    const folder = new DurableFolder('/data', { calls });
    const names = Array.from({ length: 16 }, (_, index) => `i${index}`);
    const round = async (): Promise<void> => {
      const acks = names.map((name) => {
        log.push(`rename ${name}`);
        return folder.sync().then(() => void log.push(`ack ${name}`));
      });
      let acked = 0;
      for (const ack of acks) void ack.then(() => (acked += 1));
      await finishFsyncsUntil(held, () => acked === acks.length);
      await Promise.all(acks);
    };
    await round();
    await round();
    expect(held).toHaveLength(4); // two per round: the first caller's, then the others'
    expect(log.filter((event) => event.startsWith('open'))).toEqual(['open 1']);
    expectEveryAckCovered(log);
    await folder.close();
  });

  it('rejects exactly the callers of a failed fsync, then reopens the folder', async () => {
    const { calls, log, held } = recordingCalls();
    const folder = new DurableFolder('/data', { calls });
    const failed = folder.sync();
    await settle();
    held[0]?.finish(new Error('EIO'));
    await expect(failed).rejects.toMatchObject({
      code: 'DICOMNET_PART10_WRITE_FAILED',
      operation: 'fsync-folder',
    });
    const next = folder.sync();
    await settle();
    held[1]?.finish();
    await expect(next).resolves.toBeUndefined();
    expect(log).toEqual([
      'open 1',
      'fsync 1 start',
      'fsync 1 failed',
      'close 1',
      'open 2',
      'fsync 2 start',
      'fsync 2 end',
    ]);
    await folder.close();
  });

  it('closes the folder after it has been idle', async () => {
    const { calls, log, held } = recordingCalls();
    const folder = new DurableFolder('/data', { calls, idleCloseMs: 10 });
    const synced = folder.sync();
    await settle();
    held[0]?.finish();
    await synced;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.at(-1)).toBe('close 1');
  });
});

describe('AtomicFileWriter with a DurableFolder', () => {
  let dir: { path: string; remove(): Promise<void> };
  beforeEach(async () => {
    dir = await tempDir('dicomnet-durable-');
  });
  afterEach(() => dir.remove());

  for (const blockingSmallFiles of [true, false]) {
    it(`commits only after the folder fsync that covers its rename (blockingSmallFiles ${blockingSmallFiles})`, async () => {
      const { calls, log, held, covered } = recordingCalls(dir.path);
      const folder = new DurableFolder(dir.path, { calls });
      const names = ['a.dcm', 'b.dcm', 'c.dcm'];
      const commits = names.map(async (name) => {
        const writer = await AtomicFileWriter.open(path.join(dir.path, name), {
          folder,
          blockingSmallFiles,
        });
        await writer.write(new Uint8Array(1000).fill(1));
        await writer.commit();
        log.push(`ack ${name}`);
      });
      const acked = (): number => log.filter((event) => event.startsWith('ack')).length;
      await finishFsyncsUntil(held, () => acked() === names.length);
      await Promise.all(commits);
      expect((await readdir(dir.path)).sort()).toEqual(names);
      for (const name of names) {
        const ack = log.indexOf(`ack ${name}`);
        const coveredBy = [...covered]
          .filter(([, present]) => present.includes(name))
          .map(([number]) => log.indexOf(`fsync ${number} end`));
        expect(
          coveredBy.some((end) => end >= 0 && end < ack),
          `${name}: ${log.join(', ')}`,
        ).toBe(true);
      }
      await folder.close();
    });
  }

  it('refuses a folder that is not the one of the file', async () => {
    const folder = new DurableFolder(path.join(dir.path, 'other'));
    await expect(
      AtomicFileWriter.open(path.join(dir.path, 'x.dcm'), { folder }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});
