import { createRequire } from 'node:module';

/** The version of the CLI package, printed by `dicomnet --version`; read only when asked. */
export function readVersion(): string {
  // dist/*.js and src/*.ts both sit one level below package.json.
  const manifest = createRequire(import.meta.url)('../package.json') as { version: string };
  return manifest.version;
}
