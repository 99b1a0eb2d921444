import { Command, CommanderError } from 'commander';
import type { CommandIo } from './command-io.js';
import { echoCommand } from './commands/echo.js';
import { serveCommand } from './commands/serve.js';
import { storeCommand } from './commands/store.js';
import { demoCommand } from './commands/demo.js';
import { ExitCode } from './exit-codes.js';
import { VERSION } from './version.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  success (warnings included)
  1  an operation failed (failure status, unreadable file)
  2  the command line was wrong
  3  the peer rejected the association
  4  the peer could not be reached (refused, timed out)
  5  the association was aborted or the peer stopped answering`;

/**
 * Runs the `dicomnet` command line and resolves with its exit status (see {@link ExitCode}).
 * @param argv - The arguments after the program name.
 */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const commandIo: CommandIo = {
    ...io,
    setExitCode: (code) => (exitCode = Math.max(exitCode, code)),
  };
  const program = new Command('dicomnet')
    .description('DICOM networking from the terminal: echo, store, serve')
    .version(VERSION)
    .showHelpAfterError()
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  for (const command of [
    echoCommand(commandIo),
    storeCommand(commandIo),
    serveCommand(commandIo),
    demoCommand(commandIo),
  ]) {
    command
      .addHelpText('after', EXIT_CODES_HELP)
      .exitOverride()
      .configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
      });
    program.addCommand(command);
  }
  try {
    await program.parseAsync(['node', 'dicomnet', ...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    throw error;
  }
  return exitCode;
}
