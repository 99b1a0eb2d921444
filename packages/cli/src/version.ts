import { createRequire } from 'node:module';

// dist/*.js and src/*.ts both sit one level below package.json.
const manifest = createRequire(import.meta.url)('../package.json') as { version: string };

/** The version of the CLI package, printed by `dicomnet --version`. */
export const VERSION: string = manifest.version;
