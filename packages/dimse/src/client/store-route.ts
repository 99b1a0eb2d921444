import type { DimseHandlers } from '../services/handlers.js';

/** A C-STORE handler, as `DimseHandlers.store`. */
export type StoreHandler = NonNullable<DimseHandlers['store']>;

/**
 * Where the C-STOREs arriving on an association go while one of our C-GETs runs: its own
 * handler. The C-STORE sub-operations of a C-GET do not say which C-GET they serve (PS3.4
 * C.4.3.3), so C-GETs that bring their own handler take turns.
 */
export class StoreRoute {
  #current: StoreHandler | undefined;
  #turn: Promise<void> = Promise.resolve();

  /** The handler of the C-GET running now, if it brought one. */
  get current(): StoreHandler | undefined {
    return this.#current;
  }

  /**
   * Waits for the C-GETs before to finish, then routes C-STOREs to `handler` until the returned
   * function is called.
   * @throws The reason of `signal` when it aborts while waiting.
   */
  async claim(handler: StoreHandler, signal: AbortSignal | undefined): Promise<() => void> {
    const before = this.#turn;
    let release!: () => void;
    this.#turn = new Promise<void>((resolve) => (release = resolve));
    try {
      await abortable(before, signal);
    } catch (error) {
      void before.then(release); // our place in line passes on when it comes
      throw error;
    }
    this.#current = handler;
    return () => {
      this.#current = undefined;
      release();
    };
  }
}

function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
