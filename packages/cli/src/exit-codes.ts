/**
 * Exit statuses of the `dicomnet` command, stable across releases so scripts can rely on them.
 * This module stays free of imports: `--help` loads it and nothing of the networking stack.
 */
export const ExitCode = {
  /** Everything succeeded (warnings included). */
  Ok: 0,
  /** At least one operation failed: a failure status, an unreadable file. */
  Failed: 1,
  /** The command line was wrong (including a certificate or key file that cannot be read). */
  Usage: 2,
  /** The peer rejected the association (A-ASSOCIATE-RJ). */
  Rejected: 3,
  /** The connection could not be made or timed out. */
  Unreachable: 4,
  /** The association was aborted, the peer broke the protocol, or it stopped answering. */
  Aborted: 5,
  /** The TLS handshake failed: a certificate was refused, or the peer does not speak TLS. */
  TlsFailed: 6,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
