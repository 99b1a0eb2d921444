// Waiting for the events of an Inventory Creation transaction (PS3.4 KK.2.3) with a bound per
// wait, for `dicomnet inventory request` and the steering subcommands.
import type { InventoryEvent } from '@dicomnet/storage-management';

/**
 * A signal that aborts after `ms`, from a timer that keeps the process alive meanwhile (unlike
 * `AbortSignal.timeout`): waiting for events holds no socket once an association is lost.
 */
export function deadline(ms: number): { readonly signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no event within ${ms} ms`)), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Reads `events` one at a time, each read giving up (undefined) when its signal aborts first. */
export type EventReader = (
  signal: AbortSignal,
) => Promise<IteratorResult<InventoryEvent> | undefined>;

/**
 * An {@link EventReader} of `events`. A read that gave up leaves its `next()` pending for the next
 * read, so no event is lost between reads.
 */
export function eventReader(events: AsyncIterator<InventoryEvent>): EventReader {
  let pending: Promise<IteratorResult<InventoryEvent>> | undefined;
  return async (signal) => {
    if (signal.aborted) return undefined;
    pending ??= events.next();
    let onAbort: () => void = () => {};
    const aborted = new Promise<undefined>((resolve) => {
      onAbort = () => resolve(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const result = await Promise.race([pending, aborted]);
      if (result !== undefined) pending = undefined;
      return result;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}
