import type { ConnectOptions } from './connect.js';
import { connect } from './connect.js';
import type { DimseClient, OperationOptions, StoreInstance, StoreOptions } from './dimse-client.js';
import { PoolClosedError } from '../errors.js';
import type { DimseResult } from '../services/results.js';

/** Options of {@link createAssociationPool}: how to reach the peer, and how many at once. */
export interface PoolOptions extends Omit<ConnectOptions, 'signal'> {
  /** Most associations open to the peer at once. Default 4. */
  readonly maxAssociations?: number;
  /** An association with nothing to do for this many milliseconds is released. Default 30,000. */
  readonly idleTimeout?: number;
}

/** Associations to one peer, opened on demand and reused (see {@link createAssociationPool}). */
export interface AssociationPool {
  /**
   * Runs `work` on an association of the pool: an open one with room in its operations window,
   * a new one while fewer than `maxAssociations` are open, else the first to free up.
   * @throws {@link PoolClosedError} after `close()`; the reason of `options.signal` when it aborts
   *   while waiting; what `work` or connecting throws.
   */
  use<T>(work: (client: DimseClient) => Promise<T>, options?: OperationOptions): Promise<T>;
  /** C-STORE on an association of the pool (see {@link DimseClient.store}). */
  store(instance: StoreInstance, options?: StoreOptions): Promise<DimseResult>;
  /** C-ECHO on an association of the pool. */
  echo(options?: OperationOptions): Promise<DimseResult>;
  /** Associations open now. */
  readonly size: number;
  /** Releases every association once its operations are done; later calls reject. */
  close(): Promise<void>;
}

interface Member {
  readonly client: DimseClient;
  /** Operations running on it. */
  busy: number;
  /** Leaving the pool (idle, ended or closing): never given new work. */
  leaving: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

const DEFAULT_MAX_ASSOCIATIONS = 4;
const DEFAULT_IDLE_TIMEOUT = 30_000;

/**
 * A pool of associations to one peer, all proposing `options.contexts`. Operations reuse an open
 * association while its asynchronous operations window has room (PS3.7 D.3.3.3), more are opened
 * up to `maxAssociations`, idle ones are released after `idleTimeout`, and an association that
 * is being released or has ended is never given new work.
 */
export function createAssociationPool(options: PoolOptions): AssociationPool {
  const maxAssociations = options.maxAssociations ?? DEFAULT_MAX_ASSOCIATIONS;
  const idleTimeout = options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT;
  const members: Member[] = [];
  let opening = 0;
  let closed = false;
  const waiting: (() => void)[] = [];

  const wakeOne = (): void => waiting.shift()?.();
  const windowOf = (member: Member): number => {
    const invoked = member.client.negotiated.asynchronousOperationsWindow.maxOperationsInvoked;
    return invoked === 0 ? Number.POSITIVE_INFINITY : invoked;
  };
  const leave = (member: Member, release: boolean): void => {
    if (member.leaving) return;
    member.leaving = true;
    clearTimeout(member.idleTimer);
    members.splice(members.indexOf(member), 1);
    if (release) void member.client.release().catch(() => member.client.abort());
    wakeOne(); // room for a new association
  };
  const armIdle = (member: Member): void => {
    clearTimeout(member.idleTimer);
    if (member.busy > 0 || member.leaving) return;
    member.idleTimer = setTimeout(() => {
      if (member.busy === 0) leave(member, true);
    }, idleTimeout);
    member.idleTimer.unref();
  };

  /** A member with room, a new one, or undefined when the caller must wait. */
  const take = async (): Promise<Member | undefined> => {
    const free = members.find((member) => !member.leaving && member.busy < windowOf(member));
    if (free !== undefined) return free;
    if (members.length + opening >= maxAssociations) return undefined;
    opening++;
    try {
      const client = await connect(options);
      const member: Member = { client, busy: 0, leaving: false, idleTimer: undefined };
      members.push(member);
      // A peer that aborts or releases takes the association out of the pool.
      void client.closed.then(() => leave(member, false));
      return member;
    } finally {
      opening--;
    }
  };

  const use = async <T>(
    work: (client: DimseClient) => Promise<T>,
    operation: OperationOptions = {},
  ): Promise<T> => {
    for (;;) {
      if (closed) throw new PoolClosedError();
      operation.signal?.throwIfAborted();
      const member = await take();
      if (member !== undefined) {
        member.busy++;
        clearTimeout(member.idleTimer);
        try {
          return await work(member.client);
        } finally {
          member.busy--;
          armIdle(member);
          wakeOne();
        }
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          waiting.splice(waiting.indexOf(wake), 1);
          reject(operation.signal?.reason as Error);
        };
        const wake = (): void => {
          operation.signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        waiting.push(wake);
        operation.signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  };

  return {
    use,
    store: (instance, storeOptions = {}) =>
      use((client) => client.store(instance, storeOptions), storeOptions),
    echo: (echoOptions = {}) => use((client) => client.echo(echoOptions), echoOptions),
    get size() {
      return members.length;
    },
    async close() {
      closed = true;
      for (const wake of waiting.splice(0)) wake(); // they find the pool closed
      // Each release waits for the operations still running on it (DimseClient.release).
      await Promise.all(
        [...members].map((member) => {
          leave(member, false);
          return member.client.release().catch(() => member.client.abort());
        }),
      );
    },
  };
}
