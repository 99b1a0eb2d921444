import { DicomnetError } from '@dicomnet/pdu';

/**
 * A certificate, key or CA file named on the command line cannot be read, or holds no PEM
 * object of the expected kind. The command exits with {@link ExitCode.Usage} (2).
 */
export class TlsFileError extends DicomnetError {
  /**
   * @param option - The option that named the file, e.g. `--tls-cert`.
   * @param path - The file as given.
   * @param reason - Why it is unusable.
   */
  constructor(
    readonly option: string,
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super('DICOMNET_CLI_TLS_FILE_UNREADABLE', `${option} ${path}: ${reason}`, options);
  }
}

/**
 * The TCP connection was made but the TLS handshake failed (PS3.15 Annex B): the peer's certificate
 * was not trusted or did not match the host, the peer refused ours, or the peer does not speak
 * TLS. The command exits with {@link ExitCode.TlsFailed} (6). `cause` is Node's TLS error.
 */
export class TlsHandshakeError extends DicomnetError {
  /**
   * @param host - The peer's host as given.
   * @param port - The peer's port.
   * @param options - `cause`: the TLS or socket error.
   */
  constructor(
    readonly host: string,
    readonly port: number,
    options: ErrorOptions,
  ) {
    const detail = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(
      'DICOMNET_CLI_TLS_HANDSHAKE_FAILED',
      `TLS handshake with ${host}:${port} failed${detail}`,
      options,
    );
  }
}
