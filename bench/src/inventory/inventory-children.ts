/** Forks the inventory benchmark's children: the serving SCP and the C-ECHO client. */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exited, nextMessage } from '../child-messages.js';
import type {
  EchoConfig,
  EchoRoundTrips,
  EventLoopDelay,
  FromEcho,
  FromServe,
  ServeConfig,
  ToEcho,
  ToServe,
} from './inventory-messages.js';

/** The built child entries; tsup puts every output file in dist/ beside this module's chunk. */
const SERVE_ENTRY = fileURLToPath(new URL('./inventory-serve.js', import.meta.url));
const ECHO_ENTRY = fileURLToPath(new URL('./inventory-echo.js', import.meta.url));

/** The serving child. */
export interface ForkedServe {
  readonly port: number;
  /** RSS once listening, before any request. */
  readonly idleRssBytes: number;
  /** Starts recording event-loop delay and CPU time. */
  startMeasuring(): Promise<void>;
  stopMeasuring(): Promise<{ readonly eventLoop: EventLoopDelay; readonly cpuMicros: number }>;
  /** Stops it; resolves with its peak RSS. */
  close(): Promise<number>;
  /** Ends it at once (after a failure). */
  kill(): void;
}

/**
 * Forks dist/inventory-serve.js with `config`. The child inherits this process's `execArgv`, so
 * `node --cpu-prof dist/run.js inventory` profiles it too.
 */
export async function forkServe(config: ServeConfig): Promise<ForkedServe> {
  const child = fork(SERVE_ENTRY, [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FromServe['type']>(type: T): Promise<Extract<FromServe, { type: T }>> =>
    nextMessage<FromServe, T>(child, type, 'inventory SCP');
  const post = (message: ToServe): void => {
    child.send(message);
  };
  const listening = await next('listening').catch((error: unknown) => {
    child.kill();
    throw error;
  });
  return {
    port: listening.port,
    idleRssBytes: listening.idleRssBytes,
    async startMeasuring() {
      const measuring = next('measuring');
      post({ type: 'measure-start' });
      await measuring;
    },
    async stopMeasuring() {
      const measured = next('measured');
      post({ type: 'measure-stop' });
      const { eventLoop, cpuMicros } = await measured;
      return { eventLoop, cpuMicros };
    },
    async close() {
      const closed = next('closed');
      post({ type: 'close' });
      const { peakRssBytes } = await closed;
      await exited(child);
      return peakRssBytes;
    },
    kill: () => void child.kill(),
  };
}

/** The C-ECHO child. */
export interface ForkedEcho {
  /** Stops its C-ECHOs; resolves with their round trips. */
  stop(): Promise<EchoRoundTrips>;
  kill(): void;
}

/** Forks dist/inventory-echo.js; resolves once its association answers C-ECHO. */
export async function forkEcho(config: EchoConfig): Promise<ForkedEcho> {
  const child: ChildProcess = fork(ECHO_ENTRY, [JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends FromEcho['type']>(type: T): Promise<Extract<FromEcho, { type: T }>> =>
    nextMessage<FromEcho, T>(child, type, 'C-ECHO client');
  await next('ready').catch((error: unknown) => {
    child.kill();
    throw error;
  });
  return {
    async stop() {
      const stopped = next('stopped');
      const message: ToEcho = { type: 'stop' };
      child.send(message);
      const { count, p50Ms, p99Ms, maxMs, ownEventLoop } = await stopped;
      await exited(child);
      return { count, p50Ms, p99Ms, maxMs, ownEventLoop };
    },
    kill: () => void child.kill(),
  };
}
