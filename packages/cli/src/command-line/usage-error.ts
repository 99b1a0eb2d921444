/**
 * The command line was wrong: an unknown command or option, a missing or invalid value. `main`
 * prints the message and the help, and exits with {@link ExitCode.Usage} (2). It never leaves the
 * CLI, so it does not extend DicomnetError (whose package stays unloaded for `--help`).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'DICOMNET_CLI_USAGE';

  /**
   * @param message - What was wrong, for people.
   * @param command - The command whose help to show; the program's when absent.
   */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}
