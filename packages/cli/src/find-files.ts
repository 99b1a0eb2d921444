import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isStoreLeftover } from '@dicomnet/dimse';

/** Why a file below a folder named was left out. */
export const LEFTOVER_REASON =
  'unfinished transfer of a stopped dicomnet serve (a temporary file, never a whole instance)';

/** Options of {@link findFiles}. */
export interface FindFilesOptions {
  /** Called for each file below a folder named that is left out, with the reason. */
  readonly onSkip?: (file: string, reason: string) => void;
}

/**
 * The files named, and every file below the folders named, in a stable order (folders are read
 * sorted). Paths that do not exist are yielded too, so that the caller reports them. Below a
 * folder, the temporary files our storeToDirectory leaves when its process is killed
 * (`isStoreLeftover`) are skipped and reported to `onSkip`: a folder a server stored into is
 * sent as the instances it holds. A leftover named explicitly is yielded, so that opening it
 * reports it as unfinished.
 */
export async function* findFiles(
  paths: readonly string[],
  options: FindFilesOptions = {},
): AsyncGenerator<string> {
  for (const entry of paths) {
    const info = await stat(entry).catch(() => undefined);
    if (info?.isDirectory()) yield* walk(entry, options);
    else yield entry;
  }
}

async function* walk(dir: string, options: FindFilesOptions): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full, options);
    else if (!entry.isFile()) continue;
    else if (isStoreLeftover(entry.name)) options.onSkip?.(full, LEFTOVER_REASON);
    else yield full;
  }
}
