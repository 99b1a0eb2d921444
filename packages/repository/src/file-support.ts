// Small file and time helpers of the file repository.
import { open, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * fsyncs a folder so that a rename or a new entry in it survives a power loss. Best effort where
 * folders cannot be opened (Windows): the file itself was synced already.
 */
export async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/**
 * Creates `folder` and its missing parents below `root`; with `durable`, fsyncs the parent of each
 * folder created, so that the new entries survive a power loss too.
 */
export async function makeFolder(root: string, folder: string, durable: boolean): Promise<void> {
  const first = await mkdir(folder, { recursive: true });
  if (first === undefined || !durable) return;
  // `first` is the top folder created; each created folder's parent gets a sync.
  for (let current = folder; ; current = path.dirname(current)) {
    await syncFolder(path.dirname(current));
    if (current === first || current === root || path.dirname(current) === current) break;
  }
}

/** A date as DICOM DT in UTC (`YYYYMMDDHHMMSS.FFFFFF+0000`, PS3.5 6.2), which sorts as it reads. */
export function dicomDateTime(date: Date): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}` +
    `.${pad(date.getUTCMilliseconds(), 3)}000+0000`
  );
}

/** Runs tasks one after the other per key; different keys run concurrently. */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
