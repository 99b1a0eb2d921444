import type { Association, DataSource, NegotiatedContext, WrittenCallback } from '@dicomnet/pdu';
import { statusCategory } from '@dicomnet/status-codes';
import type { CommandSet, DimseRequest, DimseResponse } from '../command/index.js';
import { encodeCommandSet, parseCommand, toCommandSet } from '../command/index.js';
import { publishMessageSent } from '../diagnostics.js';
import {
  DimseProtocolError,
  DimseTimeoutError,
  MessageTooLargeError,
  ResponseMismatchError,
} from '../errors.js';
import type { DataSink } from '../message/data-sink.js';
import { MemorySink } from '../message/data-sink.js';
import type { DistributiveOmit } from './distributive-omit.js';
import { MessageIds, Window } from './message-ids.js';

/** A response to a request we sent, with its data set if it carried one. */
export interface ReceivedResponse {
  readonly message: DimseResponse;
  readonly dataSet: Uint8Array | undefined;
}

/** How to send one request. */
export interface InvokeOptions {
  readonly context: NegotiatedContext;
  readonly dataSet?: DataSource;
  readonly signal?: AbortSignal;
  /**
   * Called for each Pending response (0xFF00/0xFF01) before the final one. A promise it returns
   * holds the peer's input until it settles (for a Pending response with a data set: the
   * backpressure of a stream of C-FIND matches).
   */
  readonly onPending?: (response: ReceivedResponse) => void | Promise<void>;
  /**
   * Cancels the operation at the peer: once this signal aborts, a C-CANCEL-RQ is sent (PS3.7
   * §9.3.2.3, §9.3.3.3, §9.3.4.3) after the request itself, and the request still waits for its
   * final response (normally 0xFE00 Cancel). Unlike `signal`, nothing is given up locally.
   */
  readonly cancel?: AbortSignal;
  /**
   * Called once, when the request's last byte has been handed to the transport (a socket's
   * kernel has it), or when it never will be (refused, failed, aborted: then with the error):
   * from then on nothing holds a view of `dataSet`, whose memory may be reused. The response
   * may come first: a peer can answer once it has read the command.
   */
  readonly onWritten?: WrittenCallback | undefined;
}

/** What {@link OutgoingRequests} needs of the association it sends on. */
export interface OutgoingHost {
  readonly association: Association;
  /** Aborted when the association ends. */
  readonly ended: AbortSignal;
  /** There was traffic (restarts the idle timer). */
  touch(): void;
  /** A message failed part-way and cannot be withdrawn: the association must go. */
  abandon(): void;
  /** A request of ours has settled (its answer came, or the caller gave up). */
  settled(): void;
}

/** The limits {@link OutgoingRequests} applies, resolved to numbers. */
export interface OutgoingLimits {
  readonly dimseTimeout: number;
  readonly maxReassembledBytes: number;
  readonly maxStreamedBytes: number;
}

interface Pending {
  readonly operation: string;
  /** The caller gave up; only the Message ID waits for its answer. */
  readonly late: boolean;
  readonly settle: (result: ReceivedResponse | Error) => void;
  readonly onPending: ((response: ReceivedResponse) => void | Promise<void>) | undefined;
  /**
   * When the DIMSE timeout expires (`performance.now()` milliseconds); `Infinity` while the
   * request is still being sent, and for late entries.
   */
  deadline: number;
  /** A C-CANCEL-RQ has been sent for it. */
  cancelled: boolean;
}

/**
 * The requests we send on one association and their responses (PS3.7 §9.3, §10.3): Message IDs,
 * the asynchronous operations window we may invoke within (PS3.7 D.3.3.3), the DIMSE timeout of
 * each request, and the matching of each response to its request.
 *
 * The timeouts share one timer, armed for the earliest deadline and walking the pending map when
 * it fires: restarting a request's timeout (sent, a Pending response) only moves a number, where
 * a `setTimeout`/`clearTimeout` pair per message cost more than the rest of a C-ECHO's
 * bookkeeping. Requests learn that the association ended from {@link OutgoingRequests.end},
 * which walks the map once, rather than from an abort listener each.
 */
export class OutgoingRequests {
  readonly #host: OutgoingHost;
  readonly #limits: OutgoingLimits;
  readonly #ids = new MessageIds();
  readonly #window: Window;
  readonly #pending = new Map<number, Pending>();
  #timer: NodeJS.Timeout | undefined;
  /** When {@link #timer} fires; `Infinity` when it is not armed. */
  #timerAt = Infinity;
  /** Why the association ended, once {@link OutgoingRequests.end} was called. */
  #endReason: Error | undefined;

  constructor(host: OutgoingHost, limits: OutgoingLimits) {
    this.#host = host;
    this.#limits = limits;
    // PS3.7 D.3.3.3: as requestor we may invoke what the AC granted; as acceptor, what it asked.
    const { association } = host;
    const window = association.negotiated.asynchronousOperationsWindow;
    this.#window = new Window(
      association.role === 'requestor'
        ? window.maxOperationsInvoked
        : window.maxOperationsPerformed,
    );
  }

  /** Requests still waiting for their final response (not those the caller gave up on). */
  get active(): number {
    let active = 0;
    for (const pending of this.#pending.values()) if (!pending.late) active++;
    return active;
  }

  /**
   * Sends a request and waits for its final response (Pending ones go to `onPending`). The
   * Message ID is assigned here; pass the message without one.
   */
  invoke(
    request: DistributiveOmit<DimseRequest, 'messageId'>,
    options: InvokeOptions,
  ): Promise<ReceivedResponse> {
    // A free slot is taken without looking at the `ended` signal: aborting an AbortSignal changes
    // a field of the map all signals share, which throws away V8's optimised code of any function
    // that read one, so reading it here put `invoke` back in the interpreter at every release.
    // The end is a plain field for that path; only a wait for a slot, or a caller's signal,
    // needs the signal (the wait is given up when the association ends). Not an async function
    // either: with a free slot the caller gets the response's own promise, not one around it.
    if (options.signal !== undefined)
      return this.#invokeWithSignal(request, options, options.signal);
    if (this.#endReason !== undefined) return refused(options, this.#endReason);
    if (!this.#window.tryTake()) return this.#invokeWhenGranted(request, options);
    return this.#send(request, options);
  }

  /** {@link invoke} with the caller's signal: a free slot is still taken at once. */
  #invokeWithSignal(
    request: DistributiveOmit<DimseRequest, 'messageId'>,
    options: InvokeOptions,
    signal: AbortSignal,
  ): Promise<ReceivedResponse> {
    if (signal.aborted) return refused(options, signal.reason as Error); // the caller's reason
    if (this.#endReason !== undefined) return refused(options, this.#endReason);
    if (!this.#window.tryTake()) return this.#invokeWhenGranted(request, options);
    return this.#send(request, options);
  }

  /** {@link invoke} once the window grants a slot (or the caller's signal or the end stop it). */
  async #invokeWhenGranted(
    request: DistributiveOmit<DimseRequest, 'messageId'>,
    options: InvokeOptions,
  ): Promise<ReceivedResponse> {
    const ended = this.#host.ended;
    const callerSignal = options.signal;
    try {
      await this.#window.acquire(
        callerSignal === undefined ? ended : AbortSignal.any([callerSignal, ended]),
      );
    } catch (error) {
      return refused(options, error as Error); // the caller's signal or the end
    }
    if (this.#endReason !== undefined) {
      // The association ended as this request was granted its slot (a request ending with it
      // frees one): nothing may be sent on it any more.
      this.#window.release();
      return refused(options, this.#endReason);
    }
    return this.#send(request, options);
  }

  /** Sends a request that holds a slot of the window; settles with its final response. */
  #send(
    request: DistributiveOmit<DimseRequest, 'messageId'>,
    options: InvokeOptions,
  ): Promise<ReceivedResponse> {
    const host = this.#host;
    const callerSignal = options.signal;
    let messageId: number;
    try {
      messageId = this.#ids.take();
    } catch (error) {
      this.#window.release();
      return refused(options, error as Error);
    }
    const operation = request.kind.slice(0, -3); // 'C-ECHO-RQ' → 'C-ECHO'
    let command: Uint8Array;
    try {
      const message = { ...request, messageId } as DimseRequest; // the kind-specific fields are unchanged
      command = encodeCommandSet(toCommandSet(message));
    } catch (error) {
      this.#ids.release(messageId);
      this.#window.release();
      return refused(options, error as Error);
    }
    // Listeners only for the signals given: a plain request (an echo) makes no closures for them.
    const cancel = options.cancel;
    const onCancel =
      cancel === undefined ? undefined : (): void => this.#cancel(messageId, options.context);
    const response = new Promise<ReceivedResponse>((resolve, reject) => {
      let finished = false;
      const finish = (result: ReceivedResponse | Error): void => {
        if (finished) return;
        finished = true;
        if (onAbort !== undefined) callerSignal?.removeEventListener('abort', onAbort);
        if (onCancel !== undefined) cancel?.removeEventListener('abort', onCancel);
        this.#window.release();
        if (result instanceof Error && this.#endReason === undefined) {
          // Given up locally (timeout, caller's signal): keep the Message ID reserved until the
          // answer comes, so it is never taken for the answer to a newer request.
          this.#pending.set(messageId, {
            operation,
            late: true,
            settle: () => this.#forget(messageId),
            onPending: undefined,
            deadline: Infinity,
            cancelled: false,
          });
        } else {
          this.#forget(messageId);
        }
        host.settled();
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const onAbort =
        callerSignal === undefined
          ? undefined
          : (): void => finish(host.association.error ?? (callerSignal.reason as Error));
      this.#pending.set(messageId, {
        operation,
        late: false,
        settle: finish,
        onPending: options.onPending,
        deadline: Infinity,
        cancelled: false,
      });
      if (onAbort === undefined) return;
      if (callerSignal?.aborted === true) onAbort();
      else callerSignal?.addEventListener('abort', onAbort, { once: true });
    });
    const dataSet = options.dataSet;
    host.touch();
    publishMessageSent({
      associationId: host.association.id,
      kind: request.kind,
      messageId,
      presentationContextId: options.context.id,
    });
    host.association
      .sendMessage({
        presentationContextId: options.context.id,
        command,
        dataSet,
        onWritten: options.onWritten,
      })
      .then(
        () => {
          this.#restartTimeout(this.#pending.get(messageId));
          // Only now: a C-CANCEL must follow the whole request on the wire.
          if (onCancel === undefined) return;
          if (cancel?.aborted === true) onCancel();
          else cancel?.addEventListener('abort', onCancel, { once: true });
        },
        (error: Error) => {
          this.#pending.get(messageId)?.settle(error);
          host.abandon();
        },
      );
    return response;
  }

  /**
   * Takes a response the peer sent: where its data set (if any) goes.
   * @throws {@link DimseProtocolError} for a response to no request of ours;
   *   {@link ResponseMismatchError} for one of another operation.
   */
  onResponse(set: CommandSet, hasDataSet: boolean): DataSink | undefined {
    const message = parseCommand(set) as DimseResponse; // the response bit is set
    const id = message.messageIdBeingRespondedTo;
    const pending = this.#pending.get(id);
    if (pending === undefined) {
      throw new DimseProtocolError(
        `a ${message.kind} answers Message ID ${id}, which we did not send`,
      );
    }
    // PS3.7 §9.3 / §10.3: each request has exactly one response type, its Command Field with
    // bit 15 set. Any other answer is not an answer; nothing it says can be trusted.
    if (message.kind !== `${pending.operation}-RSP`) {
      throw new ResponseMismatchError(`${pending.operation}-RQ`, message.kind, id);
    }
    if (!hasDataSet) {
      void this.#deliver(pending, message, undefined); // a promise here holds no input of its own
      return undefined;
    }
    return new MemorySink(
      this.#limits.maxReassembledBytes,
      (result) =>
        result instanceof MessageTooLargeError
          ? pending.settle(result)
          : this.#deliver(pending, message, result),
      (error) => pending.settle(error),
      this.#limits.maxStreamedBytes,
    );
  }

  /** Hands a response to its request: a Pending one to `onPending`, the final one settles it. */
  #deliver(
    pending: Pending,
    message: DimseResponse,
    dataSet: Uint8Array | undefined,
  ): void | Promise<void> {
    const received: ReceivedResponse = { message, dataSet };
    if (statusCategory(message.status) === 'Pending') {
      this.#restartTimeout(pending);
      return pending.onPending?.(received);
    }
    pending.settle(received);
  }

  /** Rejects every request still waiting with `reason`. */
  failAll(reason: Error): void {
    for (const pending of [...this.#pending.values()]) pending.settle(reason);
  }

  /**
   * The association has ended: rejects every request still waiting, forgets the late ones, and
   * refuses new requests with `reason`.
   */
  end(reason: Error): void {
    this.#endReason ??= reason;
    this.failAll(reason);
    this.#pending.clear();
    clearTimeout(this.#timer);
    this.#timerAt = Infinity;
  }

  /** Starts a request's DIMSE timeout again: it was sent, or a Pending response came. */
  #restartTimeout(pending: Pending | undefined): void {
    const timeout = this.#limits.dimseTimeout;
    if (pending === undefined || pending.late || timeout === 0) return;
    pending.deadline = performance.now() + timeout;
    if (pending.deadline < this.#timerAt) this.#arm(pending.deadline);
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - performance.now()));
    this.#timer.unref();
  }

  /** The timer fired: times out every request past its deadline, re-arms for the next one. */
  #expire(): void {
    this.#timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    const expired: Pending[] = [];
    for (const pending of this.#pending.values()) {
      if (pending.deadline <= now) expired.push(pending);
      else if (pending.deadline < next) next = pending.deadline;
    }
    const timeout = this.#limits.dimseTimeout;
    for (const pending of expired)
      pending.settle(new DimseTimeoutError(pending.operation, timeout));
    if (next !== Infinity && next < this.#timerAt) this.#arm(next);
  }

  /** Sends C-CANCEL-RQ for a request still waiting for its final response (PS3.7 §9.3.2.3). */
  #cancel(messageId: number, context: NegotiatedContext): void {
    const pending = this.#pending.get(messageId);
    if (pending === undefined || pending.late || pending.cancelled) return;
    pending.cancelled = true;
    const association = this.#host.association;
    publishMessageSent({
      associationId: association.id,
      kind: 'C-CANCEL-RQ',
      messageId,
      presentationContextId: context.id,
    });
    const command = encodeCommandSet(
      toCommandSet({ kind: 'C-CANCEL-RQ', messageIdBeingRespondedTo: messageId }),
    );
    association.sendMessage({ presentationContextId: context.id, command }).catch(() => {
      this.#host.abandon(); // a C-CANCEL cut short leaves the peer a broken message
    });
  }

  #forget(messageId: number): void {
    this.#pending.delete(messageId);
    this.#ids.release(messageId);
  }
}

/** A request that fails before anything of it is sent: its data set is free at once. */
function refused(options: InvokeOptions, error: Error): Promise<never> {
  options.onWritten?.(error);
  return Promise.reject(error);
}
