import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether `name` is an executable file in one of the PATH folders (or, if it contains a slash,
 * at that path). Synchronous so that it can guard a suite: `describe.skipIf(!hasCommand('Orthanc'))`.
 */
export function hasCommand(name: string): boolean {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter((folder) => folder !== '')
        .map((folder) => path.join(folder, name));
  return candidates.some(isExecutableFile);
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
