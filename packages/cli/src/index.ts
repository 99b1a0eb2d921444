export { main } from './main.js';
export type { CommandIo } from './command-io.js';
export { ExitCode } from './exit-codes.js';
export { exitCodeFor } from './exit-code-for.js';
export { TlsFileError, TlsHandshakeError } from './errors.js';
