/** Runs a receiver in a child process, so that sender and receiver do not share an event loop. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exited, nextMessage } from '../child-messages.js';
import type {
  Receiver,
  ReceiverConfig,
  ReceiverMemory,
  ReceiverRound,
} from './loopback-receiver.js';
import type { FromReceiver, ToReceiver } from './receiver-messages.js';

/** The built child entry; tsup puts every output file in dist/ beside this module's chunk. */
const ENTRY = fileURLToPath(new URL('./loopback-receiver.js', import.meta.url));

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
      await exited(child);
      return { idleRssBytes, peakRssBytes };
    },
  };
}

function next<T extends FromReceiver['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromReceiver, { type: T }>> {
  return nextMessage<FromReceiver, T>(child, type, 'receiver');
}
