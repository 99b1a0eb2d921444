import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateInstances,
  makeTlsCertificates,
  startStorescp,
  startTlsStorescp,
  tempDir,
} from '@dicomnet/test-utils';
import type { DcmtkScp, TlsCertificates } from '@dicomnet/test-utils';
import { ExitCode } from '../../src/exit-codes.js';
import { runCli } from '../run-cli.js';

function errorCode(stdout: string): unknown {
  return (JSON.parse(stdout) as { error?: { code?: string } }).error?.code;
}

describe('dicomnet echo and store over TLS against storescp +tls (PS3.15 B.12)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let certificates: TlsCertificates;
  let scp: DcmtkScp;
  let peer: string[];
  let ourIdentity: string[];

  beforeAll(async () => {
    dir = await tempDir();
    certificates = await makeTlsCertificates(dir.path);
    const { server, client } = certificates;
    // -rc: storescp requires a client certificate it trusts (DCMTK's default).
    scp = await startTlsStorescp({
      outputDir: path.join(dir.path, 'received'),
      identity: server,
      trust: [client.cert],
      peerCertificate: '-rc',
      probeArgs: ['+tls', client.key, client.cert, '+cf', server.cert],
      extraArgs: ['+xa'],
    });
    peer = ['127.0.0.1', String(scp.port), '--timeout', '10', '--json'];
    ourIdentity = ['--tls-cert', client.cert, '--tls-key', client.key];
  });
  afterAll(async () => {
    await scp?.stop();
    await dir?.remove();
  });

  it('echoes and stores with mutual authentication', async () => {
    const echo = await runCli([
      'echo',
      ...peer,
      '--tls-ca',
      certificates.server.cert,
      ...ourIdentity,
    ]);
    expect(echo.code, echo.stderr).toBe(ExitCode.Ok);
    const instances = await generateInstances(path.join(dir.path, 'send'), { count: 3 });
    const store = await runCli([
      'store',
      ...peer,
      path.join(dir.path, 'send'),
      '--tls',
      '--tls-ca',
      certificates.server.cert,
      ...ourIdentity,
    ]);
    expect(store.code, store.stderr).toBe(ExitCode.Ok);
    const received = await readdir(path.join(dir.path, 'received'));
    for (const instance of instances) {
      expect(received.some((name) => name.includes(instance.sopInstanceUid))).toBe(true);
    }
  });

  it('exits 6 when a certificate is refused, on either side', async () => {
    const cases = [
      // storescp -rc refuses a client without a certificate (TLS 1.3: after the handshake).
      ['--tls-ca', certificates.server.cert],
      // ...and one whose certificate it does not trust.
      [
        '--tls-ca',
        certificates.server.cert,
        '--tls-cert',
        certificates.stranger.cert,
        '--tls-key',
        certificates.stranger.key,
      ],
      // We refuse a self-signed server certificate that no --tls-ca names.
      ['--tls', ...ourIdentity],
      // We refuse a trusted certificate of another name than the host.
      ['--tls-ca', certificates.stranger.cert, ...ourIdentity],
    ];
    for (const options of cases) {
      const result = await runCli(['echo', ...peer, ...options]);
      expect(result.code, `${options.join(' ')}: ${result.stderr}`).toBe(ExitCode.TlsFailed);
      expect(errorCode(result.stdout)).toBe('DICOMNET_CLI_TLS_HANDSHAKE_FAILED');
      expect(result.stderr).toContain('TLS handshake with 127.0.0.1');
    }
    // -ic semantics: without verification the self-signed server is accepted.
    const unverified = await runCli(['echo', ...peer, '--tls-no-verify', ...ourIdentity]);
    expect(unverified.code, unverified.stderr).toBe(ExitCode.Ok);
  });

  it('plain TCP to the TLS port is aborted (5); TLS to a plain port fails the handshake (6)', async () => {
    const plain = await runCli(['echo', '127.0.0.1', String(scp.port), '--timeout', '5']);
    expect(plain.code, plain.stderr).toBe(ExitCode.Aborted);
    const plainScp = await startStorescp({ outputDir: path.join(dir.path, 'plain') });
    try {
      const result = await runCli([
        'echo',
        '127.0.0.1',
        String(plainScp.port),
        '--tls-no-verify',
        '--json',
      ]);
      expect(result.code, result.stderr).toBe(ExitCode.TlsFailed);
      expect(errorCode(result.stdout)).toBe('DICOMNET_CLI_TLS_HANDSHAKE_FAILED');
    } finally {
      await plainScp.stop();
    }
  });

  it('exits 2 with a coded error for an unusable certificate or key file', async () => {
    const missing = path.join(dir.path, 'no-such.pem');
    const cases: [string[], string][] = [
      [['--tls-ca', missing], 'cannot be read'],
      [['--tls-cert', certificates.client.cert], 'is needed too'],
      [['--tls-cert', certificates.client.cert, '--tls-key', certificates.client.cert], 'no PEM'],
      [['--tls-cert', certificates.client.cert, '--tls-key', certificates.server.key], 'mismatch'],
    ];
    for (const [options, reason] of cases) {
      const result = await runCli(['echo', ...peer, ...options]);
      expect(result.code, options.join(' ')).toBe(ExitCode.Usage);
      expect(errorCode(result.stdout)).toBe('DICOMNET_CLI_TLS_FILE_UNREADABLE');
      expect(result.stderr).toContain(reason);
    }
    const store = await runCli(['store', ...peer, __filename, '--tls-ca', missing]);
    expect(store.code).toBe(ExitCode.Usage);
    // A TLS server needs its own certificate; serve stops before listening.
    const storage = path.join(dir.path, 'serve-storage');
    const serve = await runCli(['serve', '--folder', storage, '--port', '0', '--tls']);
    expect(serve.code).toBe(ExitCode.Usage);
    expect(serve.stderr).toContain('needs --tls-cert and --tls-key');
  });
});
