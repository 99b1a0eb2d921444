import { spawn } from 'node:child_process';
import { BoundedOutput, DEFAULT_MAX_OUTPUT_BYTES } from './bounded-output.js';
import { isSpawnNotFound, PeerToolMissingError } from './peer-errors.js';

/** How long {@link PeerProcess.stop} waits after SIGTERM before it sends SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;
/** How long a process may take to vanish after SIGKILL before `stop()` gives up. */
const KILL_WAIT_MS = 5_000;

/** Options of {@link spawnPeer}. */
export interface SpawnPeerOptions {
  /** Working folder of the child; default: this process's. */
  readonly cwd?: string;
  /**
   * Variables laid over `process.env` (after `TCP_NODELAY=1`, so a test may override it); a key
   * set to `undefined` is removed.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Start the child in its own process group and signal the whole group on stop. Use it for
   * servers that fork per association (dcmqrscp, `storescp --fork`). Default false.
   */
  readonly detached?: boolean;
  /** Cap on the kept output (stdout and stderr together, last bytes win); default 256 KiB. */
  readonly maxOutputBytes?: number;
  /** Grace between SIGTERM and SIGKILL in `stop()`; default {@link DEFAULT_STOP_TIMEOUT_MS}. */
  readonly stopTimeoutMs?: number;
  /**
   * Runs once the process is gone, as part of `stop()` (also via {@link stopAllPeers}): the
   * place for a launcher to remove the peer's temp folder, so a failed test leaves nothing.
   */
  readonly afterStop?: () => Promise<void>;
}

/** How a peer process ended: an exit code, or the signal that killed it. */
export interface PeerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running peer program (DCMTK SCP, Orthanc) started by {@link spawnPeer}. */
export interface PeerProcess {
  readonly command: string;
  readonly args: readonly string[];
  readonly pid: number;
  /** Whether the peer leads its own process group (see {@link SpawnPeerOptions.detached}). */
  readonly detached: boolean;
  /** Settles when the process has exited (its PID is gone); never rejects. */
  readonly exited: Promise<PeerExit>;
  /** The tail of stdout and stderr, interleaved in arrival order. */
  output(): string;
  /** The exit status once the process has exited, else `undefined`. */
  exitStatus(): PeerExit | undefined;
  /**
   * Sends SIGTERM (to the group if detached), waits up to `stopTimeoutMs`, then SIGKILL.
   * Idempotent; resolves with the exit status once the PID is gone.
   */
  stop(): Promise<PeerExit>;
}

// Peers not yet stopped, so that stopAllPeers() and the exit hook can find forgotten ones.
const livePeers = new Set<PeerProcess>();
let exitHookInstalled = false;

/**
 * Starts a peer program with `TCP_NODELAY=1` in its environment (DCMTK 3.6.7 and Orthanc keep
 * Nagle's algorithm on without it, PEERS.md §0.1) and keeps the tail of its output.
 * Register cleanup with `afterAll(stopAllPeers)` in every test file that starts peers.
 * @throws {@link PeerToolMissingError} if the program is not installed.
 */
export async function spawnPeer(
  command: string,
  args: readonly string[] = [],
  options: SpawnPeerOptions = {},
): Promise<PeerProcess> {
  const detached = options.detached ?? false;
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const output = new BoundedOutput(options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, TCP_NODELAY: '1', ...options.env },
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let status: PeerExit | undefined;
  // 'exit' rather than 'close': a forked grandchild may hold the pipes open after the PID is gone.
  const exited = new Promise<PeerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      status = { code, signal };
      resolve(status);
    });
  });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  } catch (error) {
    if (isSpawnNotFound(error)) throw new PeerToolMissingError(command);
    throw error;
  }
  // A later 'error' (a failed kill) must not crash the test process as an unhandled event.
  child.on('error', () => {});
  // After 'spawn' the PID is known; the type allows undefined only for failed spawns.
  const pid = child.pid as number;

  const signalPeer = (signal: NodeJS.Signals): void => {
    try {
      process.kill(detached ? -pid : pid, signal);
    } catch {
      // ESRCH: already gone, which is what we want.
    }
  };

  let stopping: Promise<PeerExit> | undefined;
  const stopNow = async (): Promise<PeerExit> => {
    if (status === undefined) {
      signalPeer('SIGTERM');
      if ((await settleWithin(exited, stopTimeoutMs)) === undefined) {
        signalPeer('SIGKILL');
        if ((await settleWithin(exited, KILL_WAIT_MS)) === undefined) {
          throw new Error(`${command} (pid ${pid}) still runs ${KILL_WAIT_MS} ms after SIGKILL`);
        }
      }
    }
    // Children of a forking server may outlive the leader; the group id still names them.
    if (detached) signalPeer('SIGKILL');
    livePeers.delete(peer);
    await options.afterStop?.();
    return exited;
  };

  const peer: PeerProcess = {
    command,
    args: [...args],
    pid,
    detached,
    exited,
    output: () => output.text(),
    exitStatus: () => status,
    stop: () => (stopping ??= stopNow()),
  };
  livePeers.add(peer);
  // A group may keep members after its leader exits, and a cleanup may be pending, so only
  // plain peers leave the set here.
  void exited.then(() => {
    if (!detached && options.afterStop === undefined) livePeers.delete(peer);
  });
  installExitHook();
  return peer;
}

/**
 * Stops every peer started by {@link spawnPeer} in this process that is not stopped yet, in
 * parallel. Meant for `afterAll(stopAllPeers)`.
 * @throws AggregateError if some peer could not be killed.
 */
export async function stopAllPeers(): Promise<void> {
  const results = await Promise.allSettled([...livePeers].map((peer) => peer.stop()));
  const failures = results.filter((result) => result.status === 'rejected');
  if (failures.length > 0) {
    throw new AggregateError(
      failures.map((failure) => failure.reason),
      `${failures.length} peer(s) could not be stopped`,
    );
  }
}

/** PIDs of peers started here and not yet stopped (for assertions in cleanup tests). */
export function livePeerPids(): number[] {
  return [...livePeers].map((peer) => peer.pid);
}

/** Last resort when a test file forgot stopAllPeers(): kill synchronously as the worker exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const peer of livePeers) {
      try {
        process.kill(peer.detached ? -peer.pid : peer.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
}

/** The promise's value if it settles within `ms`, else `undefined`. */
async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
