import type { OptionSpec } from '../command-line/command-spec.js';

/** The TLS options as the command line gives them (PS3.15 Annex B, the Secure Transport Connection profiles). */
export interface TlsCommandOptions {
  readonly tls?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tlsCa?: readonly string[];
  readonly tlsNoVerify?: boolean;
}

/**
 * TLS options shared by `echo`, `store` and `serve`, after DCMTK's `+tls`/`+tla`, `+cf` and
 * `-ic`. Any `--tls-…` option turns TLS on.
 * @param side - `scu` for the commands that call a peer, `scp` for `serve`.
 */
export function tlsOptions(side: 'scu' | 'scp'): OptionSpec[] {
  return [
    { flags: '--tls', description: 'use a TLS connection (TLS 1.2 or later, PS3.15 B.12)' },
    {
      flags: '--tls-cert <file>',
      description:
        side === 'scp'
          ? 'our certificate (PEM), required with --tls'
          : 'our certificate (PEM), for peers that ask for one; without it we connect anonymously',
    },
    {
      flags: '--tls-key <file>',
      description: 'the private key of --tls-cert (PEM, not encrypted)',
    },
    {
      flags: '--tls-ca <file>',
      description: "trust the CA certificates in this PEM file; default: Node's bundled roots",
      repeatable: true,
    },
    {
      flags: '--tls-no-verify',
      description:
        side === 'scp'
          ? 'do not ask peers for a certificate (by default a trusted one is required)'
          : "do not verify the peer's certificate and host name (by default both are checked)",
    },
  ];
}

/** Whether any TLS option was given. */
export function wantsTls(options: TlsCommandOptions): boolean {
  return (
    options.tls === true ||
    options.tlsCert !== undefined ||
    options.tlsKey !== undefined ||
    options.tlsCa !== undefined ||
    options.tlsNoVerify === true
  );
}
