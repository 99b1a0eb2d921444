import path from 'node:path';
import { runTool } from './run-tool.js';

/** A private key and its self-signed certificate, as PEM files. */
export interface TlsIdentity {
  readonly key: string;
  readonly cert: string;
}

/** The identities of a TLS test: a server, a client and a stranger nobody trusts. */
export interface TlsCertificates {
  readonly server: TlsIdentity;
  readonly client: TlsIdentity;
  readonly stranger: TlsIdentity;
}

/**
 * Makes a self-signed RSA certificate with `openssl req` (PEERS.md §2.4), valid two days, for
 * `CN=<name>` with the subject alternative names localhost and 127.0.0.1 (Node checks the host
 * name against them; DCMTK 3.6.7 does not). A self-signed certificate is its own CA, so trusting
 * an identity means listing its `cert` (`+cf`, `--tls-ca`).
 */
export async function makeTlsIdentity(dir: string, name: string): Promise<TlsIdentity> {
  const identity = { key: path.join(dir, `${name}-key.pem`), cert: path.join(dir, `${name}.pem`) };
  const result = await runTool(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      identity.key,
      '-out',
      identity.cert,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { timeoutMs: 20_000 },
  );
  if (result.code !== 0) throw new Error(`openssl req failed: ${result.stderr}`);
  return identity;
}

/** Makes the server, client and stranger identities of a TLS test in `dir`. */
export async function makeTlsCertificates(dir: string): Promise<TlsCertificates> {
  const [server, client, stranger] = await Promise.all(
    ['server', 'client', 'stranger'].map((name) => makeTlsIdentity(dir, name)),
  );
  // Promise.all over three names gives three identities.
  return {
    server: server as TlsIdentity,
    client: client as TlsIdentity,
    stranger: stranger as TlsIdentity,
  };
}
