import { readFile } from 'node:fs/promises';
import tls from 'node:tls';
import { DicomnetError } from '@dicomnet/pdu';
import { TlsFileError, TlsHandshakeError } from '../errors.js';
import type { TlsCommandOptions } from '../commands/tls-options.js';

/** The key material named by the TLS options, read and checked. */
interface TlsFiles {
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly ca?: Buffer[];
}

// PS3.15 B.1 (Basic TLS) names TLS 1.0 and Triple DES; the current profiles follow BCP 195:
// "Servers and clients shall support TLS 1.2 and may support TLS 1.3. Clients shall attempt to
// negotiate TLS 1.3" (B.12), and never TLS 1.0 or 1.1 (B.10, DCMTK's default +py). Node offers
// TLS 1.3 first and refuses below this minimum.
const MIN_VERSION = 'TLSv1.2';

/** Errors of the TCP connect itself; anything else after a TLS connect is the handshake's. */
const TCP_ERRORS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EADDRNOTAVAIL',
]);

/** What a PEM file must hold, by kind. */
const PEM_LABELS = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  'private key': /-----BEGIN (RSA |EC )?PRIVATE KEY-----/,
} as const;

async function readPem(
  option: string,
  path: string,
  kind: keyof typeof PEM_LABELS,
): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'cannot be read';
    throw new TlsFileError(option, path, `cannot be read (${reason})`, { cause: error });
  }
  const text = bytes.toString('latin1');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    throw new TlsFileError(option, path, 'the key is encrypted; give an unencrypted key');
  }
  if (!PEM_LABELS[kind].test(text)) throw new TlsFileError(option, path, `holds no PEM ${kind}`);
  return bytes;
}

function checkContext(option: string, path: string | undefined, files: TlsFiles): void {
  try {
    tls.createSecureContext({ ...files, minVersion: MIN_VERSION });
  } catch (error) {
    throw new TlsFileError(option, path ?? '', (error as Error).message, { cause: error });
  }
}

/**
 * Reads the files named by the TLS options and checks that they make a usable context (the key
 * matches the certificate, every PEM object parses).
 * @throws {@link TlsFileError} (`DICOMNET_CLI_TLS_FILE_UNREADABLE`).
 */
async function readTlsFiles(
  options: TlsCommandOptions,
  needsCertificate: boolean,
): Promise<TlsFiles> {
  const { tlsCert, tlsKey } = options;
  if (tlsCert === undefined || tlsKey === undefined) {
    if (tlsCert !== undefined) {
      throw new TlsFileError('--tls-key', '(none)', 'the key of --tls-cert is needed too');
    }
    if (tlsKey !== undefined) {
      throw new TlsFileError('--tls-cert', '(none)', 'the certificate of --tls-key is needed too');
    }
    if (needsCertificate) {
      throw new TlsFileError('--tls-cert', '(none)', 'a TLS server needs --tls-cert and --tls-key');
    }
  }
  const cert =
    tlsCert === undefined ? undefined : await readPem('--tls-cert', tlsCert, 'certificate');
  const key = tlsKey === undefined ? undefined : await readPem('--tls-key', tlsKey, 'private key');
  const ca =
    options.tlsCa === undefined
      ? undefined
      : await Promise.all(options.tlsCa.map((file) => readPem('--tls-ca', file, 'certificate')));
  // Each part on its own, so that the error names the file at fault (a key that does not match
  // its certificate, a CA file OpenSSL cannot parse).
  if (cert !== undefined && key !== undefined) checkContext('--tls-key', tlsKey, { cert, key });
  if (ca !== undefined) checkContext('--tls-ca', options.tlsCa?.join(', '), { ca });
  const files: TlsFiles = { ...(cert && { cert }), ...(key && { key }), ...(ca && { ca }) };
  return files;
}

/**
 * TLS options for a connection we open (echo, store): our certificate when given, the peer's
 * certificate and host name verified unless `--tls-no-verify` (DCMTK `-ic`).
 * @throws {@link TlsFileError} for an unreadable or unusable file.
 */
export async function clientTlsOptions(options: TlsCommandOptions): Promise<tls.ConnectionOptions> {
  const files = await readTlsFiles(options, false);
  return { ...files, minVersion: MIN_VERSION, rejectUnauthorized: options.tlsNoVerify !== true };
}

/**
 * TLS options for `serve`: our certificate and key are required; a trusted client certificate
 * is required too unless `--tls-no-verify` (DCMTK's default `-rc`, and `-ic`).
 * @throws {@link TlsFileError} for a missing, unreadable or unusable file.
 */
export async function serverTlsOptions(options: TlsCommandOptions): Promise<tls.TlsOptions> {
  const files = await readTlsFiles(options, true);
  const verify = options.tlsNoVerify !== true;
  return { ...files, minVersion: MIN_VERSION, requestCert: verify, rejectUnauthorized: verify };
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 8;) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns an error of a TLS connection into {@link TlsHandshakeError} when TLS is what failed: a
 * connect failure after the TCP connection was made, or any OpenSSL error in its causes (with
 * TLS 1.3 a refused client certificate shows up only after the handshake). Other errors are
 * returned as they are.
 */
export function classifyTlsError(error: unknown, host: string, port: number): unknown {
  if (!DicomnetError.isInstance(error)) return error;
  const chain = causes(error);
  const tcpConnectFailed =
    error.code === 'DICOMNET_CONNECT_FAILED' && TCP_ERRORS.has(codeOf(chain[1]) ?? 'ECONNREFUSED');
  if (error.code === 'DICOMNET_CONNECT_FAILED' && !tcpConnectFailed) {
    return new TlsHandshakeError(host, port, { cause: chain[1] ?? error });
  }
  const openSsl = chain.find((cause) => /^ERR_(SSL|TLS)_/.test(codeOf(cause) ?? ''));
  return openSsl === undefined ? error : new TlsHandshakeError(host, port, { cause: openSsl });
}
