import { setTimeout as sleep } from 'node:timers/promises';
import { PeerStartError } from './peer-errors.js';
import { runTool } from './run-tool.js';
import type { PeerProcess } from './spawn-peer.js';

/** Options of {@link waitForDicom}. */
export interface WaitForDicomOptions {
  /** Called AE title to echo; default `ANY-SCP` (echoscu's default). */
  readonly aeTitle?: string;
  /** Host; default `127.0.0.1`. */
  readonly host?: string;
  /** Give up after this long; default 10 s. */
  readonly timeoutMs?: number;
  /** Pause between two echoes; default 50 ms. */
  readonly intervalMs?: number;
  /**
   * Count an A-ASSOCIATE-RJ as ready too: the SCP listens and speaks DICOM but was told to
   * refuse (`storescp --refuse`). Default false: only a successful C-ECHO counts.
   */
  readonly acceptRejection?: boolean;
  /** The process behind the port: if it exits first, fail at once with its output. */
  readonly peer?: PeerProcess;
}

/**
 * Waits until a DICOM SCP answers a C-ECHO, polling `echoscu -q -to 1 -ta 1 -td 1` (PEERS.md
 * §4.2). A C-ECHO rather than a TCP connect, because storescp logs a bare probe as an association.
 * @throws {@link PeerStartError} when `timeoutMs` passes or the peer exits first.
 */
export async function waitForDicom(port: number, options: WaitForDicomOptions = {}): Promise<void> {
  const aeTitle = options.aeTitle ?? 'ANY-SCP';
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const args = ['-q', '-to', '1', '-ta', '1', '-td', '1', '-aec', aeTitle, host, String(port)];
  for (;;) {
    const echo = await runTool('echoscu', args, { timeoutMs: 5_000 });
    if (echo.code === 0) return;
    if (options.acceptRejection === true && echo.stderr.includes('Association Rejected')) return;
    const peer = options.peer;
    const status = peer?.exitStatus();
    if (peer !== undefined && status !== undefined) {
      throw new PeerStartError(
        `${peer.command} exited (code ${status.code}, signal ${status.signal}) before answering C-ECHO on port ${port}`,
        peer.output(),
      );
    }
    if (Date.now() >= deadline) {
      throw new PeerStartError(
        `no C-ECHO answer from ${aeTitle}@${host}:${port} within ${timeoutMs} ms; last echoscu: ${echo.stderr.trim()}`,
        peer?.output() ?? '',
      );
    }
    await sleep(options.intervalMs ?? 50);
  }
}
