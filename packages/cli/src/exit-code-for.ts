import { DicomnetError } from '@dicomnet/pdu';
import { ExitCode } from './exit-codes.js';

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
    case 'DICOMNET_DIMSE_RESPONSE_MISMATCH': // the peer broke the protocol or a limit: aborted
    case 'DICOMNET_DIMSE_TOO_MANY_FRAGMENTS':
    case 'DICOMNET_ASSOCIATE_AC_MISMATCH':
    case 'DICOMNET_PDU_PENDING_LIMIT':
      return ExitCode.Aborted;
    case 'DICOMNET_CLI_TLS_FILE_UNREADABLE':
      return ExitCode.Usage;
    case 'DICOMNET_CLI_TLS_HANDSHAKE_FAILED':
      return ExitCode.TlsFailed;
    default:
      return ExitCode.Failed;
  }
}
