import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The files named, and every file below the folders named, in a stable order (folders are read
 * sorted). Paths that do not exist are yielded too, so that the caller reports them.
 */
export async function* findFiles(paths: readonly string[]): AsyncGenerator<string> {
  for (const entry of paths) {
    const info = await stat(entry).catch(() => undefined);
    if (info?.isDirectory()) yield* walk(entry);
    else yield entry;
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}
