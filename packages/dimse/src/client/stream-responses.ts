import type { DimseAssociation } from '../association/dimse-association.js';
import type { DistributiveOmit } from '../association/distributive-omit.js';
import type { InvokeOptions, ReceivedResponse } from '../association/outgoing-requests.js';
import type { CFindRq, CGetRq, CMoveRq } from '../command/index.js';
import type { ResponseHandoff } from './response-handoff.js';

/** How {@link streamResponses} sends its request and turns Pending responses into items. */
export interface StreamedOperation<T, U> {
  readonly request: DistributiveOmit<CFindRq | CGetRq | CMoveRq, 'messageId'>;
  readonly invoke: Pick<InvokeOptions, 'context' | 'dataSet'>;
  /** Gives up: cancels at the peer, waits for the final response, then rejects with the reason. */
  readonly signal: AbortSignal | undefined;
  /** Asks the peer to stop: cancels at the peer, and its final response is returned as usual. */
  readonly cancel: AbortSignal | undefined;
  /** Holds the items between the association and the consumer. */
  readonly handoff: ResponseHandoff<T>;
  /** The item a Pending response carries, taken on the association's input path. */
  readonly itemOf: (response: ReceivedResponse) => T | undefined;
  /** What the consumer gets for an item, made when it asks for it. */
  readonly map: (item: T) => U;
}

/**
 * Performs a C-FIND, C-GET or C-MOVE whose Pending responses are consumed as an async generator,
 * and returns its final response. Leaving the loop early, aborting `signal` or aborting
 * `cancel` sends C-CANCEL-RQ (PS3.7 §9.3.2.3, §9.3.3.3, §9.3.4.3) and still waits for the final
 * response, so the association is never used again while the peer is still answering.
 */
export async function* streamResponses<T, U>(
  dimse: DimseAssociation,
  operation: StreamedOperation<T, U>,
): AsyncGenerator<U, ReceivedResponse, undefined> {
  const { handoff, signal } = operation;
  const cancel = new AbortController();
  const onAbort = (): void => cancel.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  operation.cancel?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted === true || operation.cancel?.aborted === true) cancel.abort();
  let done = false;
  const final = dimse
    .invoke(operation.request, {
      ...operation.invoke,
      cancel: cancel.signal,
      onPending: (response) => {
        const item = operation.itemOf(response);
        return item === undefined ? undefined : handoff.push(item);
      },
    })
    .finally(() => handoff.end());
  void final.catch(() => {}); // awaited below; handled now, so a slow consumer is no unhandled rejection
  try {
    for (;;) {
      const item = await handoff.next();
      if (item === undefined) break;
      yield operation.map(item);
    }
    const response = await final;
    done = true;
    signal?.throwIfAborted();
    return response;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    operation.cancel?.removeEventListener('abort', onAbort);
    if (!done) {
      // Left early: cancel at the peer, drop what still comes, wait for the end.
      cancel.abort();
      handoff.discard();
      await final.catch(() => {});
    }
  }
}
