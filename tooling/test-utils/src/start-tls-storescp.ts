import { mkdir } from 'node:fs/promises';
import { freePort } from './free-port.js';
import type { DcmtkScp } from './launch-on-free-port.js';
import { PeerStartError } from './peer-errors.js';
import { runTool } from './run-tool.js';
import { spawnPeer } from './spawn-peer.js';
import type { TlsIdentity } from './tls-certificates.js';

/** How to start `storescp +tls` (PEERS.md §2.4). */
export interface TlsStorescpOptions {
  readonly outputDir: string;
  /** storescp's own key and certificate (`+tls KEY CERT`). */
  readonly identity: TlsIdentity;
  /** Certificates it trusts (`+cf`); clients must present one of them unless `-ic` is given. */
  readonly trust: readonly string[];
  /**
   * storescp's peer-certificate option: `-rc` requires a trusted client certificate, `-vc`
   * verifies one if sent, `-ic` ignores it. Default `-ic`.
   */
  readonly peerCertificate?: '-rc' | '-vc' | '-ic';
  /** echoscu's TLS arguments for the readiness probe; default `+tla -ic`. */
  readonly probeArgs?: readonly string[];
  readonly extraArgs?: readonly string[];
  readonly aeTitle?: string;
}

/**
 * Starts `storescp +tls` on a free port and waits until `echoscu` over TLS gets a C-ECHO answer
 * (the plain probe of the other launchers cannot talk to a TLS port), for at most 10 s.
 */
export async function startTlsStorescp(options: TlsStorescpOptions): Promise<DcmtkScp> {
  const aeTitle = options.aeTitle ?? 'STORESCP';
  await mkdir(options.outputDir, { recursive: true });
  const port = await freePort();
  const peer = await spawnPeer('storescp', [
    '-aet',
    aeTitle,
    '-od',
    options.outputDir,
    '+tls',
    options.identity.key,
    options.identity.cert,
    ...options.trust.flatMap((cert) => ['+cf', cert]),
    options.peerCertificate ?? '-ic',
    ...(options.extraArgs ?? []),
    String(port),
  ]);
  const probe = [
    ...(options.probeArgs ?? ['+tla', '-ic']),
    ...['-q', '-to', '1', '-ta', '1', '-td', '1', '-aec', aeTitle, '127.0.0.1', String(port)],
  ];
  const deadline = Date.now() + 10_000;
  for (;;) {
    const echo = await runTool('echoscu', probe, { timeoutMs: 5_000 });
    if (echo.code === 0) return { port, aeTitle, peer, stop: () => peer.stop() };
    if (peer.exitStatus() !== undefined || Date.now() >= deadline) {
      await peer.stop();
      throw new PeerStartError(
        `storescp +tls on port ${port} did not answer a TLS C-ECHO: ${echo.stderr.trim()}`,
        peer.output(),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
