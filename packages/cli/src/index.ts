export { main } from './main.js';
export type { CommandIo } from './command-io.js';
export { ExitCode, exitCodeFor } from './exit-codes.js';
