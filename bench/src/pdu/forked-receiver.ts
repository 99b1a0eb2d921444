/** Runs a receiver in a child process, so that sender and receiver do not share an event loop. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  Receiver,
  ReceiverConfig,
  ReceiverMemory,
  ReceiverRound,
} from './loopback-receiver.js';
import type { FromReceiver, ToReceiver } from './receiver-messages.js';

/** The built child entry; tsup puts every output file in dist/ beside this module's chunk. */
const ENTRY = fileURLToPath(new URL('./loopback-receiver.js', import.meta.url));

/** How long a child may take to answer any request. */
const ANSWER_TIMEOUT_MS = 60_000;

/**
 * Forks dist/loopback-receiver.js with `config`. The child inherits this process's `execArgv`,
 * so `node --cpu-prof dist/run.js` profiles both sides.
 */
export async function forkReceiver(config: ReceiverConfig): Promise<Receiver> {
  const child = fork(ENTRY, [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const listening = await next(child, 'listening');
  const post = (message: ToReceiver): void => {
    child.send(message);
  };
  return {
    port: listening.port,
    async arm(bytes) {
      const done = next(child, 'done');
      // The first 'done' belongs to this round: rounds never overlap.
      const round: Promise<ReceiverRound> = done.then(({ bytes: got, cpuMicros }) => ({
        bytes: got,
        cpuMicros,
      }));
      round.catch(() => {}); // observed by the caller through `done`
      const armed = next(child, 'armed');
      post({ type: 'arm', bytes });
      await armed;
      return { done: round };
    },
    async close(): Promise<ReceiverMemory> {
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
function next<T extends FromReceiver['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromReceiver, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`receiver: no '${type}' within ${ANSWER_TIMEOUT_MS} ms`)),
      ANSWER_TIMEOUT_MS,
    );
    const onMessage = (message: FromReceiver): void => {
      if (message.type === 'failed') finish(new Error(`receiver failed: ${message.message}`));
      // The type guard is the equality just tested.
      else if (message.type === type)
        finish(undefined, message as Extract<FromReceiver, { type: T }>);
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`receiver exited (${code}) before '${type}'`));
    function finish(error: Error | undefined, message?: Extract<FromReceiver, { type: T }>): void {
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
