// One process at a time on a storage root: a second one's recovery pass would remove the first
// one's stores in progress. The lock is a file holding the owner's process ID, created
// exclusively; a lock whose process is gone (a crash, a kill) is taken over.
import { open, readFile, unlink } from 'node:fs/promises';
import { RepositoryLockedError } from './errors.js';

/** Lock files held by this process (a container restart may give us the dead owner's PID). */
const held = new Set<string>();

/**
 * Takes the lock file `file` for this process.
 * @throws {@link RepositoryLockedError} when a live process (this one included) holds it.
 */
export async function lockRoot(file: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      held.add(file);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (held.has(file) || (owner !== process.pid && isAlive(owner)))
      throw new RepositoryLockedError(file, Number.isInteger(owner) ? owner : undefined);
    await unlink(file).catch(() => undefined); // stale: its process is gone
  }
  throw new RepositoryLockedError(file, undefined);
}

/** Gives the lock up. */
export async function unlockRoot(file: string): Promise<void> {
  held.delete(file);
  await unlink(file).catch(() => undefined);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
