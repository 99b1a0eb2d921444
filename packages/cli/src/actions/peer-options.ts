import type { ConnectOptions } from '@dicomnet/dimse';
import { UserIdentityType } from '@dicomnet/pdu';
import type { UserIdentityRequest } from '@dicomnet/pdu';
import type { NetworkOptions } from '../commands/common-options.js';
import type { IdentityCommandOptions } from '../commands/identity-options.js';
import { wantsTls } from '../commands/tls-options.js';
import type { TlsCommandOptions } from '../commands/tls-options.js';

/** What every command that calls a peer puts in its connect options. */
export type PeerOptions = Pick<
  ConnectOptions,
  | 'host'
  | 'port'
  | 'callingAeTitle'
  | 'calledAeTitle'
  | 'connectTimeout'
  | 'artimTimeout'
  | 'dimseTimeout'
  | 'tls'
  | 'userIdentity'
>;

/**
 * The user identity sub-item for `--user`/`--password`: type 1 (user name) or 2 (user name and
 * passcode), UTF-8, no positive response requested (PS3.7 D.3.3.7.1, Table D.3-14).
 */
export function userIdentity(options: IdentityCommandOptions): UserIdentityRequest | undefined {
  if (options.user === undefined) return undefined;
  const encoder = new TextEncoder();
  return {
    identityType:
      options.password === undefined
        ? UserIdentityType.Username
        : UserIdentityType.UsernameAndPasscode,
    positiveResponseRequested: false,
    primaryField: encoder.encode(options.user),
    secondaryField: encoder.encode(options.password ?? ''),
  };
}

/**
 * Address, AE titles, timeouts, TLS and user identity of a command that calls a peer.
 * @throws `DICOMNET_CLI_TLS_FILE_UNREADABLE` for a TLS file that cannot be used.
 */
export async function peerOptions(
  host: string,
  port: number,
  options: NetworkOptions & TlsCommandOptions & IdentityCommandOptions,
): Promise<PeerOptions> {
  const timeout = options.timeout * 1000;
  const identity = userIdentity(options);
  return {
    host,
    port,
    callingAeTitle: options.aet,
    calledAeTitle: options.called,
    connectTimeout: timeout,
    artimTimeout: timeout,
    dimseTimeout: timeout,
    // node:tls (with crypto) is loaded only when TLS is asked for.
    ...(wantsTls(options) && {
      tls: await (await import('../actions/tls-context.js')).clientTlsOptions(options),
    }),
    ...(identity !== undefined && { userIdentity: identity }),
  };
}

/**
 * The error to report for `caught`: with TLS asked for, a failed handshake or a refused
 * certificate becomes a `DICOMNET_CLI_TLS_HANDSHAKE_FAILED` error (see `classifyTlsError`);
 * without TLS, `caught` as it is (node:tls is not loaded for it).
 */
export async function reportedError(
  caught: unknown,
  host: string,
  port: number,
  options: TlsCommandOptions,
): Promise<unknown> {
  if (!wantsTls(options)) return caught;
  return (await import('./tls-context.js')).classifyTlsError(caught, host, port);
}
