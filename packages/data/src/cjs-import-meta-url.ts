// Injected into the CommonJS build only (tsup.config.ts), where `import.meta.url` is replaced by
// this binding: CommonJS has no import.meta, and dcmjs-runtime.ts needs this file's URL to
// `require` dcmjs from the package's own node_modules. `pathToFileURL` escapes `#`, `%` and `?`
// in the install path, which tsup's own shim (`file:${__filename}`) would not.
import { pathToFileURL } from 'node:url';

/** The URL of the CommonJS bundle this is injected into. */
export const importMetaUrl = pathToFileURL(__filename).href;
