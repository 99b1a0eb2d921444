import type { CommandIo } from './command-io.js';
import type { CommandSpec } from './command-line/command-spec.js';
import { commandHelp, programHelp } from './command-line/help-text.js';
import type { ProgramInfo } from './command-line/help-text.js';
import { parseCommandLine } from './command-line/parse-command-line.js';
import { UsageError } from './command-line/usage-error.js';
import { demoCommand } from './commands/demo.js';
import { echoCommand } from './commands/echo.js';
import { findCommand } from './commands/find.js';
import { getCommand } from './commands/get.js';
import { importCommand } from './commands/import.js';
import { inventoryCommand } from './commands/inventory.js';
import { moveCommand } from './commands/move.js';
import { serveCommand } from './commands/serve.js';
import { storeCommand } from './commands/store.js';
import { ExitCode } from './exit-codes.js';
import { readVersion } from './version.js';

const PROGRAM: ProgramInfo = {
  name: 'dicomnet',
  description:
    'DICOM networking from the terminal: echo, store, find, get, move, serve, import, inventory',
  epilogue: `
Exit codes:
  0  success (warnings included)
  1  an operation failed (failure status, unreadable file)
  2  the command line was wrong (including an unreadable certificate or key file)
  3  the peer rejected the association
  4  the peer could not be reached (refused, timed out)
  5  the association was aborted or the peer stopped answering
  6  the TLS handshake failed (certificate refused, or the peer does not speak TLS)`,
};

const COMMANDS: readonly CommandSpec[] = [
  echoCommand,
  storeCommand,
  findCommand,
  getCommand,
  moveCommand,
  serveCommand,
  importCommand,
  inventoryCommand,
  demoCommand,
];

/**
 * Runs the `dicomnet` command line and resolves with its exit status (see {@link ExitCode}).
 * Parsing uses `node:util` alone and each command's implementation is imported only when it
 * runs, so `--help` and `echo` start quickly.
 * @param argv - The arguments after the program name.
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const commandIo: CommandIo = {
    ...io,
    setExitCode: (code) => (exitCode = Math.max(exitCode, code)),
  };
  try {
    const line = parseCommandLine(argv, COMMANDS);
    switch (line.kind) {
      case 'help':
        io.stdout.write(
          line.command === undefined
            ? programHelp(PROGRAM, COMMANDS)
            : commandHelp(PROGRAM, line.command),
        );
        return ExitCode.Ok;
      case 'version':
        io.stdout.write(`${readVersion()}\n`);
        return ExitCode.Ok;
      case 'run':
        await line.command.run(commandIo, line.args, line.options);
        return exitCode;
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const command = COMMANDS.find((candidate) => candidate.name === error.command);
    io.stderr.write(
      `error: ${error.message}\n\n${command === undefined ? programHelp(PROGRAM, COMMANDS) : commandHelp(PROGRAM, command)}`,
    );
    return ExitCode.Usage;
  }
}
