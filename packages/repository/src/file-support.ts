// Small file and time helpers of the file repository.
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
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
  await (
    await createFolder(root, folder, durable)
  ).durable;
}

/** A folder that exists now; its entry in its parent may not be durable yet. */
export interface ReadyFolder {
  /** Resolves once the folder, and any parent created with it, survives a power loss. */
  readonly durable: Promise<void>;
}

const DURABLE_NOW: ReadyFolder = { durable: Promise.resolve() };

/**
 * Creates `folder` and its missing parents below `root`, resolving once they exist. With
 * `durable`, the parent of each folder created is fsynced, concurrently, in the `durable` promise
 * returned: a store waits for it only after writing its file, so the folder syncs run beside the
 * file's own instead of before it.
 */
export async function createFolder(
  root: string,
  folder: string,
  durable: boolean,
): Promise<ReadyFolder> {
  // Synchronous, as the atomic writer's small files are: a few µs per level on a local disk,
  // where a round trip through libuv's thread pool costs more than the call itself.
  const first = mkdirSync(folder, { recursive: true });
  if (first === undefined || !durable) return DURABLE_NOW;
  // `first` is the top folder created; each created folder's parent gets a sync.
  const parents: string[] = [];
  for (let current = folder; ; current = path.dirname(current)) {
    parents.push(path.dirname(current));
    if (current === first || current === root || path.dirname(current) === current) break;
  }
  return { durable: Promise.all(parents.map(syncFolder)).then(() => undefined) };
}

/**
 * The folders of the instances tree known to exist, each created (and its new entries synced)
 * once: a store into a known folder makes no `mkdir` call and no parent fsync. Concurrent
 * callers for the same folder share the one creation; a failed one is not remembered.
 */
export class FolderCache {
  readonly #make: (folder: string) => Promise<ReadyFolder>;
  readonly #known = new Map<string, Promise<ReadyFolder>>();

  /** `make` creates a folder with its parents, as {@link createFolder} does. */
  constructor(make: (folder: string) => Promise<ReadyFolder>) {
    this.#make = make;
  }

  /** Resolves once `folder` exists; await its `durable` before acknowledging a file in it. */
  ensure(folder: string): Promise<ReadyFolder> {
    const known = this.#known.get(folder);
    if (known !== undefined) return known;
    const making = this.#make(folder);
    this.#known.set(folder, making);
    const forget = (): void => {
      if (this.#known.get(folder) === making) this.#known.delete(folder);
    };
    void making.then((ready) => ready.durable.catch(forget), forget);
    return making;
  }

  /** Records `folder` as existing and durable (made and synced by the caller). */
  add(folder: string): void {
    this.#known.set(folder, Promise.resolve(DURABLE_NOW));
  }

  /** Forgets `folder` (removed behind our back): the next {@link ensure} creates it again. */
  forget(folder: string): void {
    this.#known.delete(folder);
  }
}

/** What {@link takeUpTo} read of a source of chunks. */
export interface TakenChunks {
  /** The chunks read, in order. */
  readonly chunks: Uint8Array[];
  /** Their total size. */
  readonly bytes: number;
  /** The rest of the source when it brought more than the limit; undefined when it ended. */
  readonly rest: AsyncIterator<Uint8Array> | undefined;
}

/**
 * Reads chunks of `source` until it ends or more than `limit` bytes have come, so that a small
 * data set is in memory whole (checked and written from there) and a large one streams on.
 */
export async function takeUpTo(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limit: number,
): Promise<TakenChunks> {
  // The source's own iterator when it has one: a wrapping generator would add a round of
  // promises to every chunk.
  const iterator: AsyncIterator<Uint8Array> =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (async function* () {
          yield* source;
        })();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return { chunks, bytes, rest: undefined };
    chunks.push(next.value);
    bytes += next.value.byteLength;
    if (bytes > limit) return { chunks, bytes, rest: iterator };
  }
}

/** The chunks as one array (the only one when there is one). */
export function joinChunks(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const joined = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
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

/**
 * Runs tasks one after the other per key; different keys run concurrently. A task whose key is
 * free starts at once, without a turn of promises (the usual case: one store per instance).
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    let result: Promise<T>;
    if (previous !== undefined) result = previous.then(task, task);
    else {
      try {
        result = task();
      } catch (error) {
        result = Promise.reject(error);
      }
    }
    // Settles once the task has, whatever its outcome, and frees the key unless a later task
    // queued behind it.
    const queue = this.#tails;
    const forget = (): void => {
      if (queue.get(key) === tail) queue.delete(key);
    };
    const tail = result.then(forget, forget);
    queue.set(key, tail);
    return result;
  }
}
