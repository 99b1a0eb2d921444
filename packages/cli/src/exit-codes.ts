import { DicomnetError } from '@dicomnet/pdu';

/**
 * Exit statuses of the `dicomnet` command, stable across releases so scripts can rely on them.
 */
export const ExitCode = {
  /** Everything succeeded (warnings included). */
  Ok: 0,
  /** At least one operation failed: a failure status, an unreadable file. */
  Failed: 1,
  /** The command line was wrong. */
  Usage: 2,
  /** The peer rejected the association (A-ASSOCIATE-RJ). */
  Rejected: 3,
  /** The connection could not be made or timed out. */
  Unreachable: 4,
  /** The association was aborted, the peer broke the protocol, or it stopped answering. */
  Aborted: 5,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit status an error that ended a command maps to. */
export function exitCodeFor(error: unknown): ExitCode {
  if (!DicomnetError.isInstance(error)) return ExitCode.Failed;
  switch (error.code) {
    case 'DICOMNET_ASSOCIATION_REJECTED':
      return ExitCode.Rejected;
    case 'DICOMNET_CONNECT_FAILED':
    case 'DICOMNET_CONNECT_TIMEOUT':
      return ExitCode.Unreachable;
    case 'DICOMNET_ASSOCIATION_ABORTED':
    case 'DICOMNET_TRANSPORT_CLOSED':
    case 'DICOMNET_ASSOCIATION_TIMEOUT':
    case 'DICOMNET_DIMSE_TIMEOUT':
    case 'DICOMNET_DIMSE_PROTOCOL':
      return ExitCode.Aborted;
    default:
      return ExitCode.Failed;
  }
}
