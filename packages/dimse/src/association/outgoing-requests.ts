import type { Association, DataSource, NegotiatedContext, WrittenCallback } from '@dicomnet/pdu';
import { statusCategory } from '@dicomnet/status-codes';
import type { CommandSet, DimseRequest, DimseResponse } from '../command/index.js';
import { encodeMessageCommand, parseCommand } from '../command/index.js';
import { publishMessageSent, watchesSent } from '../diagnostics.js';
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

/** The response kind of each request kind (PS3.7 §9.3, §10.3), not made anew per request. */
const RESPONSE_KIND: { readonly [K in DimseRequest['kind']]: DimseResponse['kind'] } = {
  'C-ECHO-RQ': 'C-ECHO-RSP',
  'C-STORE-RQ': 'C-STORE-RSP',
  'C-FIND-RQ': 'C-FIND-RSP',
  'C-GET-RQ': 'C-GET-RSP',
  'C-MOVE-RQ': 'C-MOVE-RSP',
  'N-EVENT-REPORT-RQ': 'N-EVENT-REPORT-RSP',
  'N-GET-RQ': 'N-GET-RSP',
  'N-SET-RQ': 'N-SET-RSP',
  'N-ACTION-RQ': 'N-ACTION-RSP',
  'N-CREATE-RQ': 'N-CREATE-RSP',
  'N-DELETE-RQ': 'N-DELETE-RSP',
};

/**
 * A request of ours from its sending to its final response. One object holds all of it (its
 * promise's settle functions, its listeners, its timeout), so sending a request makes no
 * closures but its promise's executor, and no second record when the caller gives up.
 */
class Pending {
  /** The caller gave up; only the Message ID waits for its answer. */
  late = false;
  /** The caller has its outcome (then `late` says whether the Message ID is still kept). */
  finished = false;
  /**
   * When the DIMSE timeout expires (`performance.now()` milliseconds); `Infinity` while the
   * request is still being sent, and for late entries.
   */
  deadline = Infinity;
  /** A C-CANCEL-RQ has been sent for it. */
  cancelled = false;
  resolve: (response: ReceivedResponse) => void = ignore;
  reject: (error: Error) => void = ignore;
  /** Listens on the caller's signal, when there is one. */
  onAbort: (() => void) | undefined = undefined;
  /** Listens on the caller's cancel signal, when there is one. */
  onCancel: (() => void) | undefined = undefined;

  constructor(
    readonly messageId: number,
    readonly kind: DimseRequest['kind'],
    readonly options: InvokeOptions,
  ) {}

  /** 'C-ECHO' for a C-ECHO-RQ (for errors: not made per request). */
  get operation(): string {
    return this.kind.slice(0, -3);
  }
}

function ignore(): void {}

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
    let messageId: number;
    try {
      messageId = this.#ids.take();
    } catch (error) {
      this.#window.release();
      return refused(options, error as Error);
    }
    let command: Uint8Array;
    try {
      // Not `{ ...request, messageId }`: on the object V8 makes of a spread and then a new
      // property, the command rules' reads cost several times more (toCommandSet of a C-ECHO
      // 1.4-1.9 us against 0.1-0.3 on Node 20). A messageId of the caller's own (a JavaScript
      // caller) is overwritten, as by the spread.
      const message = { messageId, ...request };
      // Our own object: a store to a field it has.
      if (message.messageId !== messageId) (message as { messageId: number }).messageId = messageId;
      command = encodeMessageCommand(message as DimseRequest); // kind-specific fields unchanged
    } catch (error) {
      this.#ids.release(messageId);
      this.#window.release();
      return refused(options, error as Error);
    }
    const pending = new Pending(messageId, request.kind, options);
    const response = new Promise<ReceivedResponse>((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    this.#pending.set(messageId, pending);
    // Listeners only for the signals given: a plain request (an echo) makes no closures for them.
    const callerSignal = options.signal;
    if (callerSignal !== undefined) {
      const onAbort = (): void =>
        this.#settle(pending, host.association.error ?? (callerSignal.reason as Error));
      pending.onAbort = onAbort;
      if (callerSignal.aborted) onAbort();
      else callerSignal.addEventListener('abort', onAbort, { once: true });
    }
    const contextId = options.context.id;
    host.touch();
    if (watchesSent()) {
      publishMessageSent({
        associationId: host.association.id,
        kind: request.kind,
        messageId,
        presentationContextId: contextId,
      });
    }
    host.association
      .sendMessage({
        presentationContextId: contextId,
        command,
        dataSet: options.dataSet,
        onWritten: options.onWritten,
      })
      .then(
        () => this.#sent(pending),
        (error: Error) => {
          this.#settle(pending, error);
          host.abandon();
        },
      );
    return response;
  }

  /** A request has been handed to the transport: its timeout starts, a cancel may follow it. */
  #sent(pending: Pending): void {
    this.#restartTimeout(pending);
    // Only now: a C-CANCEL must follow the whole request on the wire.
    const cancel = pending.options.cancel;
    if (cancel === undefined || pending.finished) return;
    const onCancel = (): void => this.#cancel(pending);
    pending.onCancel = onCancel;
    if (cancel.aborted) onCancel();
    else cancel.addEventListener('abort', onCancel, { once: true });
  }

  /**
   * Ends a request with its final response or an error, once. Given up locally (an error while
   * the association lives on: timeout, caller's signal), it stays in the map as late, keeping
   * its Message ID reserved until the answer comes, so that the ID is never taken for the
   * answer to a newer request; settling a late entry forgets it.
   */
  #settle(pending: Pending, result: ReceivedResponse | Error): void {
    if (pending.finished) {
      if (pending.late && this.#pending.get(pending.messageId) === pending) {
        this.#forget(pending.messageId);
      }
      return;
    }
    pending.finished = true;
    const { signal, cancel } = pending.options;
    if (pending.onAbort !== undefined) signal?.removeEventListener('abort', pending.onAbort);
    if (pending.onCancel !== undefined) cancel?.removeEventListener('abort', pending.onCancel);
    this.#window.release();
    if (result instanceof Error && this.#endReason === undefined) {
      pending.late = true;
      pending.deadline = Infinity;
    } else {
      this.#forget(pending.messageId);
    }
    this.#host.settled();
    if (result instanceof Error) pending.reject(result);
    else pending.resolve(result);
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
    if (message.kind !== RESPONSE_KIND[pending.kind]) {
      throw new ResponseMismatchError(pending.kind, message.kind, id);
    }
    if (!hasDataSet) {
      void this.#deliver(pending, message, undefined); // a promise here holds no input of its own
      return undefined;
    }
    return new MemorySink(
      this.#limits.maxReassembledBytes,
      (result) =>
        result instanceof MessageTooLargeError
          ? this.#settle(pending, result)
          : this.#deliver(pending, message, result),
      (error) => this.#settle(pending, error),
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
      if (pending.finished) return; // the caller gave up: only the final answer matters
      this.#restartTimeout(pending);
      return pending.options.onPending?.(received);
    }
    this.#settle(pending, received);
  }

  /** Rejects every request still waiting with `reason`. */
  failAll(reason: Error): void {
    for (const pending of [...this.#pending.values()]) this.#settle(pending, reason);
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
  #restartTimeout(pending: Pending): void {
    const timeout = this.#limits.dimseTimeout;
    if (pending.finished || timeout === 0) return;
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
    for (const pending of expired) {
      this.#settle(pending, new DimseTimeoutError(pending.operation, timeout));
    }
    if (next !== Infinity && next < this.#timerAt) this.#arm(next);
  }

  /** Sends C-CANCEL-RQ for a request still waiting for its final response (PS3.7 §9.3.2.3). */
  #cancel(pending: Pending): void {
    if (pending.finished || pending.cancelled) return;
    pending.cancelled = true;
    const { messageId } = pending;
    const context = pending.options.context;
    const association = this.#host.association;
    publishMessageSent({
      associationId: association.id,
      kind: 'C-CANCEL-RQ',
      messageId,
      presentationContextId: context.id,
    });
    const command = encodeMessageCommand({
      kind: 'C-CANCEL-RQ',
      messageIdBeingRespondedTo: messageId,
    });
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
