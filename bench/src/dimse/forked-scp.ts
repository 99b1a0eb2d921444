/** Runs the dicomnet SCP in a child process, as a peer would: its own event loop and core. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromScp, ScpConfig, ScpMemory, ToScp } from './scp-messages.js';

/** The built child entry; tsup puts every output file in dist/ beside this module's chunk. */
const ENTRY = fileURLToPath(new URL('./dimse-scp.js', import.meta.url));

/** How long the child may take to answer any request. */
const ANSWER_TIMEOUT_MS = 60_000;

/** A dicomnet SCP child process. */
export interface ForkedScp {
  readonly port: number;
  /** The child's CPU time so far (user + system), in µs. */
  cpuMicros(): Promise<number>;
  /** Stops it and reports its memory. */
  close(): Promise<ScpMemory>;
}

/**
 * Forks dist/dimse-scp.js with `config`. The child inherits this process's `execArgv`, so
 * `node --cpu-prof dist/run.js dimse` profiles it too.
 */
export async function forkScp(config: ScpConfig): Promise<ForkedScp> {
  const child = fork(ENTRY, [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listening = await next(child, 'listening');
  const post = (message: ToScp): void => {
    child.send(message);
  };
  return {
    port: listening.port,
    async cpuMicros() {
      const usage = next(child, 'usage');
      post({ type: 'usage' });
      return (await usage).cpuMicros;
    },
    async close() {
      const closed = next(child, 'closed');
      post({ type: 'close' });
      const { idleRssBytes, peakRssBytes } = await closed;
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      return { idleRssBytes, peakRssBytes };
    },
  };
}

/** The child's next message of `type`; rejects if it fails, exits or stays silent. */
function next<T extends FromScp['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromScp, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`dicomnet SCP: no '${type}' within ${ANSWER_TIMEOUT_MS} ms`)),
      ANSWER_TIMEOUT_MS,
    );
    const onMessage = (message: FromScp): void => {
      if (message.type === 'failed') finish(new Error(`dicomnet SCP failed: ${message.message}`));
      // The type guard is the equality just tested.
      else if (message.type === type) finish(undefined, message as Extract<FromScp, { type: T }>);
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`dicomnet SCP exited (${code}) before '${type}'`));
    function finish(error: Error | undefined, message?: Extract<FromScp, { type: T }>): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error !== undefined || message === undefined) reject(error ?? new Error('no message'));
      else resolve(message);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}
