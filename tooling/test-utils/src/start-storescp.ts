import { mkdir } from 'node:fs/promises';
import { launchOnFreePort } from './launch-on-free-port.js';
import type { DcmtkScp } from './launch-on-free-port.js';

/** Options of {@link startStorescp}. */
export interface StorescpOptions {
  /** Our AE title (`-aet`); default `STORESCP`. storescp answers to any called AE anyway. */
  readonly aeTitle?: string;
  /** Where received files go (`-od`); created if missing. */
  readonly outputDir: string;
  /**
   * More storescp options, placed before the port: `--fork`, `+xa`, `--refuse`, `-fe .dcm`,
   * `--sleep-during 2`… (PEERS.md §2.3). With `--fork`, also pass `detached: true`.
   */
  readonly extraArgs?: readonly string[];
  /** Run in its own process group and kill the group on stop (use with `--fork`). */
  readonly detached?: boolean;
  /** Bound on the wait until it answers C-ECHO; default 10 s. */
  readonly readyTimeoutMs?: number;
}

/**
 * Starts DCMTK's storescp (a Storage SCP that also answers C-ECHO) on a free port of
 * 127.0.0.1 and waits until it answers. Stop it with `stop()` or `stopAllPeers()`; it dies of
 * the SIGTERM (`signal: 'SIGTERM'`; a shell reports 143, PEERS.md §4.3).
 * @throws {@link PeerToolMissingError} if DCMTK is not installed.
 * @throws {@link PeerStartError} if it does not come up (the error carries its output).
 */
export async function startStorescp(options: StorescpOptions): Promise<DcmtkScp> {
  const aeTitle = options.aeTitle ?? 'STORESCP';
  await mkdir(options.outputDir, { recursive: true });
  const { port, peer } = await launchOnFreePort({
    command: 'storescp',
    argsFor: (listenPort) => [
      '-aet',
      aeTitle,
      '-od',
      options.outputDir,
      ...(options.extraArgs ?? []),
      String(listenPort),
    ],
    aeTitle,
    detached: options.detached ?? false,
    // `--refuse` makes storescp reject every association; a rejection still proves it listens.
    acceptRejection: true,
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
  });
  return { port, aeTitle, peer, stop: () => peer.stop() };
}
