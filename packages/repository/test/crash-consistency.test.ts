// A child process storing (and deleting some) instances is killed with SIGKILL at random points,
// again and again; at each reopen the recovery pass runs, the index and the files agree, and
// every instance whose store resolved (and that is never deleted) is there byte for byte; durable
// (small stores through a store journal small enough to take turns often) and relaxed (`fsync:
// false`), index rows committed after the acknowledgement. Runs the built
// package in the child (`pnpm build`).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { atomicWriterTargetOf, readPart10Header } from '@dicomnet/data';
import { tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRepository } from '../src/file-repository.js';
import { openSqlite } from '../src/sqlite/open-sqlite.js';
import { storedPathOf } from '../src/storage-path.js';
import { makeInstances, readAll, type TestInstance } from './instances.js';
import { EXPLICIT_LE, INVENTORY_STORAGE, inventoryBytes } from './inventory-instance.js';

const CHILD = fileURLToPath(new URL('./store-child.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const ROUNDS = 8;
/** The first few instances are also deleted by the child now and then. */
const VOLATILE = 4;
const CHILD_START_TIMEOUT_MS = 10_000;
/** The child's store journal size (store-child.mjs): opened alike here, so it is not remade. */
const JOURNAL_BYTES = 256 * 1024;

let work: { path: string; remove(): Promise<void> };
/** Patient instances, then a few Inventory instances (non-patient: their own table). */
let instances: Pick<
  TestInstance,
  'sopInstanceUid' | 'sopClassUid' | 'transferSyntaxUid' | 'dataSetBytes'
>[];
let list: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = await tempDir('dicomnet-crash-');
  instances = [
    ...(await makeInstances(path.join(work.path, 'source'), 24)),
    ...[1, 2, 3, 4].map((i) => {
      const sopInstanceUid = `1.2.826.0.1.3680043.10.543.66${i}`;
      const studies = Array.from({ length: 40 * i }, (_, j) => `1.2.3.${i}.${j}`);
      return {
        sopInstanceUid,
        sopClassUid: INVENTORY_STORAGE,
        transferSyntaxUid: EXPLICIT_LE,
        dataSetBytes: inventoryBytes({ sopInstanceUid, studies }),
      };
    }),
  ];
  list = path.join(work.path, 'instances.json');
  await Promise.all(
    instances.map((instance, i) =>
      writeFile(path.join(work.path, `dataset-${i}.bin`), instance.dataSetBytes),
    ),
  );
  await writeFile(
    list,
    JSON.stringify(
      instances.map((instance, i) => ({
        sopInstanceUid: instance.sopInstanceUid,
        sopClassUid: instance.sopClassUid,
        transferSyntaxUid: instance.transferSyntaxUid,
        dataSetPath: path.join(work.path, `dataset-${i}.bin`),
        volatile: i < VOLATILE,
      })),
    ),
  );
}, 60_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await work.remove();
});

type ChildMode = 'durable' | 'relaxed' | 'durable-hold' | 'relaxed-hold';

/**
 * Runs the child until `killAfterMs` after it is ready (`…-hold`: until it has stored
 * everything once), then SIGKILLs it; returns what it told.
 */
function runAndKill(root: string, killAfterMs: number, mode: ChildMode): Promise<string[]> {
  const child = fork(CHILD, [root, list, mode], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  const stored: string[] = [];
  return new Promise((resolve, reject) => {
    const startTimer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the store child was not ready in ${CHILD_START_TIMEOUT_MS} ms`));
    }, CHILD_START_TIMEOUT_MS);
    child.on('message', (message: { type: string; uid?: string }) => {
      if (message.type === 'ready') {
        clearTimeout(startTimer);
        // A held child is killed when it says so; this timer only bounds the wait.
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      } else if (message.type === 'held') {
        child.kill('SIGKILL');
      } else if (message.type === 'stored' && message.uid !== undefined) {
        stored.push(message.uid);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(startTimer);
      if (signal === 'SIGKILL') resolve(stored);
      else reject(new Error(`the store child exited by itself: ${code}`));
    });
  });
}

/**
 * Opens the repository after a kill: the recovery pass ran, the index and the files agree, and
 * every instance whose store resolved and that is never deleted is there byte for byte.
 */
async function expectConsistent(root: string, everStored: ReadonlySet<string>): Promise<void> {
  const repo = await FileRepository.open({ root, journalBytes: JOURNAL_BYTES });
  try {
    expect(repo.recovery.full, 'a killed process leaves an unclean shutdown').toBe(true);
    expect(repo.recovery.unindexable).toEqual([]);
    expect(await readdir(path.join(root, 'incoming'))).toEqual([]);
    const files = new Set(
      (await readdir(path.join(root, 'instances'), { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) =>
          path
            .relative(path.join(root, 'instances'), path.join(entry.parentPath, entry.name))
            .split(path.sep)
            .join('/'),
        ),
    );
    // A small store is written straight into its folder under a temporary name: a kill
    // mid-write leaves one there, which the recovery pass must have removed.
    const temporary = [...files].filter(
      (file) => atomicWriterTargetOf(path.posix.basename(file)) !== undefined,
    );
    expect(temporary, 'temporary files left in the instances tree').toEqual([]);
    let rows = 0;
    for (const instance of instances) {
      const stored = await repo.get(instance.sopInstanceUid);
      const hasFile = files.has(storedPathOf(instance.sopInstanceUid));
      expect(stored !== undefined, `row and file of ${instance.sopInstanceUid}`).toBe(hasFile);
      if (stored === undefined) {
        const volatile = instances.indexOf(instance) < VOLATILE;
        if (!volatile) expect(everStored.has(instance.sopInstanceUid)).toBe(false);
        continue;
      }
      rows++;
      const file = await readAll(await repo.read(instance.sopInstanceUid));
      expect(stored.sizeBytes).toBe(file.byteLength);
      const header = readPart10Header(file);
      expect(Buffer.from(file.subarray(header.dataSetOffset)).equals(instance.dataSetBytes)).toBe(
        true,
      );
    }
    expect(files.size).toBe(rows);
  } finally {
    await repo.close();
  }
}

/** Patient instance rows committed to the index, read before the repository is opened. */
async function committedInstanceRows(root: string): Promise<number> {
  const db = await openSqlite(path.join(root, 'index.sqlite'));
  try {
    return Number(db.prepare('SELECT count(*) AS c FROM instances').get()?.c);
  } finally {
    db.close();
  }
}

describe('crash consistency', () => {
  for (const mode of ['durable', 'relaxed'] as const) {
    it(`${mode}: after each SIGKILL the index and the files agree and every resolved store is there`, async () => {
      expect(existsSync(DIST), 'build the package first: pnpm build').toBe(true);
      const root = path.join(work.path, `repository-${mode}`);
      const everStored = new Set<string>();
      for (let round = 0; round < ROUNDS; round++) {
        const killAfterMs = 20 + Math.floor(Math.random() * 300);
        for (const uid of await runAndKill(root, killAfterMs, mode)) everStored.add(uid);
        await expectConsistent(root, everStored);
      }
      expect(everStored.size).toBeGreaterThan(0);
    }, 60_000);
  }

  for (const mode of ['durable', 'relaxed'] as const)
    it(`${mode}: a kill between the acknowledgements and the index commit loses no instance`, async () => {
      expect(existsSync(DIST), 'build the package first: pnpm build').toBe(true);
      const root = path.join(work.path, `repository-${mode}-held`);
      const acknowledged = new Set(await runAndKill(root, CHILD_START_TIMEOUT_MS, `${mode}-hold`));
      expect(acknowledged.size).toBe(instances.length);
      // The kill came before any patient instance's row was committed...
      expect(await committedInstanceRows(root)).toBe(0);
      // ...and the recovery pass indexes every acknowledged file.
      await expectConsistent(root, acknowledged);
      const repo = await FileRepository.open({ root, journalBytes: JOURNAL_BYTES });
      try {
        for (const uid of acknowledged) expect(await repo.get(uid), uid).toBeDefined();
      } finally {
        await repo.close();
      }
    }, 60_000);
});
