import { freePort } from './free-port.js';
import { PeerStartError } from './peer-errors.js';
import { spawnPeer } from './spawn-peer.js';
import type { PeerExit, PeerProcess } from './spawn-peer.js';
import { waitForDicom } from './wait-for-dicom.js';

/** A DCMTK SCP listening on 127.0.0.1, as returned by the `start…` launchers. */
export interface DcmtkScp {
  /** The port it listens on. */
  readonly port: number;
  /** The AE title it answers to. */
  readonly aeTitle: string;
  /** The process, for its `output()` and `exited`. */
  readonly peer: PeerProcess;
  /** Stops the process (SIGTERM, then SIGKILL) and waits until its PID is gone. Idempotent. */
  stop(): Promise<PeerExit>;
}

/** How to start one SCP on a given port; internal to the launchers. */
export interface ScpLaunch {
  readonly command: string;
  /** The arguments for `port`; may write files first (dcmqrscp's config). */
  readonly argsFor: (port: number) => readonly string[] | Promise<readonly string[]>;
  readonly aeTitle: string;
  readonly cwd?: string;
  readonly detached?: boolean;
  readonly acceptRejection?: boolean;
  readonly readyTimeoutMs?: number;
  /** Cleanup once the process is gone (`SpawnPeerOptions.afterStop`). */
  readonly afterStop?: () => Promise<void>;
}

/**
 * Starts a DCMTK SCP on a free port and waits for its C-ECHO answer. DCMTK cannot listen on
 * port 0 (PEERS.md §0.2), so the port is picked first; if another process takes it in between,
 * the SCP exits with "Address already in use" and we retry once on a new port (PEERS.md §4.1).
 */
export async function launchOnFreePort(
  launch: ScpLaunch,
): Promise<{ port: number; peer: PeerProcess }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // The cleanup belongs to the peer that came up; a failed attempt must not remove the
    // folder the retry is about to use.
    let isUp = false;
    const afterStop = launch.afterStop;
    const peer = await spawnPeer(launch.command, await launch.argsFor(port), {
      ...(launch.cwd === undefined ? {} : { cwd: launch.cwd }),
      detached: launch.detached ?? false,
      ...(afterStop === undefined
        ? {}
        : { afterStop: async () => (isUp ? afterStop() : undefined) }),
    });
    try {
      await waitForDicom(port, {
        aeTitle: launch.aeTitle,
        peer,
        acceptRejection: launch.acceptRejection ?? false,
        timeoutMs: launch.readyTimeoutMs ?? 10_000,
      });
      isUp = true;
      return { port, peer };
    } catch (error) {
      await peer.stop();
      if (attempt >= 2 || !isPortTaken(error, peer)) throw error;
    }
  }
}

/** Whether a failed start looks like the port race: the peer exited saying the port is taken. */
export function isPortTaken(error: unknown, peer: PeerProcess): boolean {
  return error instanceof PeerStartError && /already in use/i.test(peer.output());
}
