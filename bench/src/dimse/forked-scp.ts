/** Runs the dicomnet SCP in a child process, as a peer would: its own event loop and core. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exited, nextMessage } from '../child-messages.js';
import type { FromScp, ScpConfig, ScpMemory, ToScp } from './scp-messages.js';

/** The built child entry; tsup puts every output file in dist/ beside this module's chunk. */
const ENTRY = fileURLToPath(new URL('./dimse-scp.js', import.meta.url));

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
      await exited(child);
      return { idleRssBytes, peakRssBytes };
    },
  };
}

function next<T extends FromScp['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromScp, { type: T }>> {
  return nextMessage<FromScp, T>(child, type, 'dicomnet SCP');
}
