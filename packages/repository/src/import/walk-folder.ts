// The entries below a folder to import, in a stable order (each folder's names sorted), without
// following symbolic links (a link to a parent folder would loop) and without entering the folders
// left out (the repository's own root, when it lies inside the folder imported).
import { opendir } from 'node:fs/promises';
import path from 'node:path';

/** One entry below the folder: a regular file, or something an import does not read. */
export interface WalkEntry {
  readonly path: string;
  readonly regularFile: boolean;
}

/**
 * Yields every entry below `dir` but folders (recursively) and what is below `excluded` folders.
 * @throws File system errors of the top folder (a missing `dir`); the signal's reason.
 */
export async function* walkFolder(
  dir: string,
  excluded: ReadonlySet<string>,
  signal?: AbortSignal,
): AsyncGenerator<WalkEntry> {
  signal?.throwIfAborted();
  const entries: { name: string; folder: boolean; file: boolean }[] = [];
  for await (const entry of await opendir(dir))
    entries.push({ name: entry.name, folder: entry.isDirectory(), file: entry.isFile() });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.folder) {
      if (!excluded.has(full)) yield* walkFolder(full, excluded, signal);
    } else {
      yield { path: full, regularFile: entry.file };
    }
  }
}

/**
 * Counts the regular files {@link walkFolder} would yield, for a progress bar's total.
 * @throws As {@link walkFolder}.
 */
export async function countFiles(
  dir: string,
  excluded: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<number> {
  let count = 0;
  for await (const entry of walkFolder(dir, excluded, signal)) if (entry.regularFile) count++;
  return count;
}
