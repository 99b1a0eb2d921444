import type { Association, NegotiatedAssociation, NegotiatedContext } from '@dicomnet/pdu';
import { DicomnetError, InvalidStateError } from '@dicomnet/pdu';
import type { DimseRequest } from '../command/index.js';
import { COMMAND_DATA_SET_ABSENT, decodeCommandSet } from '../command/index.js';
import {
  commandEvent,
  publishDimseError,
  publishMessageReceived,
  watchesReceived,
} from '../diagnostics.js';
import { DimseProtocolError } from '../errors.js';
import type { DataSink } from '../message/data-sink.js';
import type { AssemblerRetained } from '../message/message-assembler.js';
import { MessageAssembler } from '../message/message-assembler.js';
import type { DistributiveOmit } from './distributive-omit.js';
import type { DimseLimits } from './dimse-limits.js';
import {
  DEFAULT_DIMSE_TIMEOUT,
  DEFAULT_MAX_COMMAND_LENGTH,
  DEFAULT_MAX_PDV_FRAGMENTS,
  DEFAULT_MAX_REASSEMBLED_BYTES,
  DEFAULT_MAX_STREAMED_DATA_SET_BYTES,
  DEFAULT_STREAM_HIGH_WATER_MARK,
} from './dimse-limits.js';
import type { RequestDispatcher } from './incoming-requests.js';
import { IncomingRequests } from './incoming-requests.js';
import type { InvokeOptions, ReceivedResponse } from './outgoing-requests.js';
import { OutgoingRequests } from './outgoing-requests.js';

/**
 * The DIMSE layer of one association (PS3.7 §7–§10): turns requests into messages and messages
 * into requests and responses. Our requests and their responses are {@link OutgoingRequests};
 * the peer's requests and our answers are {@link IncomingRequests}; this class routes each
 * received command to one of them, and owns what concerns both: the idle timer, release once
 * both sides are settled, and ending on a protocol error.
 */
export class DimseAssociation {
  readonly #association: Association;
  readonly #assembler: MessageAssembler;
  readonly #outgoing: OutgoingRequests;
  readonly #incoming: IncomingRequests;
  readonly #ended = new AbortController();
  readonly #idleTimeout: number;
  /** The negotiated contexts by ID: looked up for every received command. */
  readonly #contexts: ReadonlyMap<number, NegotiatedContext>;
  #idleTimer: NodeJS.Timeout | undefined;
  /** When there was traffic last (`performance.now()` milliseconds). */
  #lastTraffic = 0;
  /** Waiting for every request in either direction to have its answer (release). */
  #waitingForSettled: (() => void)[] = [];
  /** The DIMSE-level error that made us abort, if any. */
  #failure: DicomnetError | undefined;
  /**
   * The association has ended: a plain field for the per-message path, since reading the
   * `ended` signal there costs V8's optimised code once the signal aborts (see OutgoingRequests).
   */
  #isEnded = false;

  constructor(association: Association, dispatch: RequestDispatcher, limits: DimseLimits = {}) {
    this.#association = association;
    this.#idleTimeout = limits.idleTimeout ?? 0;
    this.#contexts = new Map(
      association.negotiated.contexts.map((context) => [context.id, context]),
    );
    const maxReassembledBytes = limits.maxReassembledBytes ?? DEFAULT_MAX_REASSEMBLED_BYTES;
    const maxStreamedBytes = limits.maxStreamedDataSetBytes ?? DEFAULT_MAX_STREAMED_DATA_SET_BYTES;
    const host = {
      association,
      ended: this.#ended.signal,
      touch: () => this.#touch(),
      abandon: () => this.#abandon(),
      settled: () => this.#notifyIfSettled(),
    };
    this.#outgoing = new OutgoingRequests(host, {
      dimseTimeout: limits.dimseTimeout ?? DEFAULT_DIMSE_TIMEOUT,
      maxReassembledBytes,
      maxStreamedBytes,
    });
    const window = association.negotiated.asynchronousOperationsWindow;
    const widest = Math.max(window.maxOperationsInvoked, window.maxOperationsPerformed);
    this.#incoming = new IncomingRequests(host, dispatch, {
      // PS3.7 D.3.3.3: the requestor invokes what the AC granted it; the acceptor, what the
      // requestor said it would perform (the mirror of OutgoingRequests' window).
      peerWindow:
        association.role === 'acceptor'
          ? window.maxOperationsInvoked
          : window.maxOperationsPerformed,
      // PS3.7 D.3.3.3: 0 means unlimited; we still hold at most 64 answers' worth.
      maxAnswering: widest === 0 ? 64 : Math.max(1, widest),
      highWaterMark: limits.streamHighWaterMark ?? DEFAULT_STREAM_HIGH_WATER_MARK,
      maxReassembledBytes,
      maxStreamedBytes,
    });
    this.#assembler = new MessageAssembler({
      maxCommandLength: limits.maxCommandLength ?? DEFAULT_MAX_COMMAND_LENGTH,
      maxPdvFragments: limits.maxPdvFragments ?? DEFAULT_MAX_PDV_FRAGMENTS,
      onCommand: (contextId, bytes) => this.#onCommand(contextId, bytes),
    });
    association.setHandlers({
      onPData: (pdu) => {
        this.#touch();
        let pending: Promise<void> | undefined;
        try {
          // A PDU resumed after backpressure can still break a rule or pass a limit.
          pending = this.#assembler
            .push(pdu)
            ?.catch((error: unknown) => this.#protocolError(error));
        } catch (error) {
          return this.#protocolError(error);
        }
        const room = this.#incoming.roomToAnswer();
        if (room === undefined) return pending;
        return pending === undefined ? room : Promise.all([pending, room]).then(() => undefined);
      },
      onReleaseRequest: () => this.#settled(),
      onEnd: (error) => this.#onEnd(error),
    });
    this.#touch();
  }

  /** What was negotiated for this association. */
  get negotiated(): NegotiatedAssociation {
    return this.#association.negotiated;
  }

  /**
   * Why the association ended: the DIMSE-level error that made us abort it (a limit passed, a
   * broken message rule, a mismatched response), else the Upper Layer's error; undefined while
   * open and after a normal release.
   */
  get error(): DicomnetError | undefined {
    return this.#failure ?? this.#association.error;
  }

  /** What the message assembler holds of a command set in progress (for limits and tests). */
  get retained(): AssemblerRetained {
    return this.#assembler.retained;
  }

  /** Aborted when the association ends, for work tied to it. */
  get signal(): AbortSignal {
    return this.#ended.signal;
  }

  /**
   * Sends a request and waits for its final response (Pending ones go to `onPending`). The
   * Message ID is assigned here; pass the message without one.
   */
  invoke(
    request: DistributiveOmit<DimseRequest, 'messageId'>,
    options: InvokeOptions,
  ): Promise<ReceivedResponse> {
    return this.#outgoing.invoke(request, options);
  }

  /**
   * Releases the association once our requests have their answers and the peer's requests have
   * ours (PS3.8 §7.2). Idempotent.
   */
  async release(): Promise<void> {
    await this.#settled();
    await this.#association.release();
  }

  /** Aborts the association (A-ABORT); pending requests reject. Idempotent. */
  abort(): Promise<void> {
    return this.#association.abort();
  }

  /** Resolves when the transport connection has closed. */
  get closed(): Promise<void> {
    return this.#association.closed;
  }

  #onCommand(contextId: number, bytes: Uint8Array): DataSink | undefined {
    const set = decodeCommandSet(bytes); // a CommandSetError here aborts: we cannot even answer
    if (watchesReceived()) {
      publishMessageReceived(commandEvent(this.#association.id, contextId, set));
    }
    const context = this.#contexts.get(contextId);
    if (context === undefined || context.result !== 0) {
      throw new DimseProtocolError(
        `message on presentation context ${contextId}, which was not accepted`,
      );
    }
    const hasDataSet = set.commandDataSetType !== COMMAND_DATA_SET_ABSENT;
    if ((set.commandField & 0x8000) !== 0) return this.#outgoing.onResponse(set, hasDataSet);
    return this.#incoming.onRequest(set, context, hasDataSet);
  }

  /**
   * There was traffic: the idle timeout counts from now. Only a time is noted; the one timer,
   * when it fires, looks at it and waits the rest (re-arming a timer per message costs more than
   * a C-ECHO's other bookkeeping).
   */
  #touch(): void {
    if (this.#idleTimeout === 0 || this.#isEnded) return;
    this.#lastTraffic = performance.now();
    if (this.#idleTimer === undefined) this.#armIdle(this.#idleTimeout);
  }

  #armIdle(delay: number): void {
    this.#idleTimer = setTimeout(() => this.#onIdleTimer(), delay);
    this.#idleTimer.unref();
  }

  #onIdleTimer(): void {
    this.#idleTimer = undefined;
    const rest = this.#lastTraffic + this.#idleTimeout - performance.now();
    if (rest > 0) this.#armIdle(Math.ceil(rest));
    else if (!this.#isSettled()) this.#touch();
    else void this.release().catch(() => {});
  }

  /** Resolves once no request in either direction waits for its answer. */
  #settled(): Promise<void> {
    if (this.#isSettled()) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waitingForSettled.push(resolve));
  }

  #isSettled(): boolean {
    return this.#incoming.active === 0 && this.#outgoing.active === 0;
  }

  /** Called wherever an answer is sent or a request of ours settles. */
  #notifyIfSettled(): void {
    if (this.#waitingForSettled.length === 0 || !this.#isSettled()) return;
    const waiting = this.#waitingForSettled;
    this.#waitingForSettled = [];
    for (const resume of waiting) resume();
  }

  /**
   * A message that failed part-way cannot be withdrawn, and the peer would take what follows
   * for its continuation (PS3.8 Annex E): the association must go. Idempotent.
   */
  #abandon(): void {
    void this.#association.abort();
  }

  #protocolError(error: unknown): void {
    const cause = DicomnetError.isInstance(error)
      ? error
      : new DimseProtocolError(`receiving failed: ${String(error)}`, { cause: error });
    this.#failure ??= cause;
    publishDimseError({ associationId: this.#association.id, error: cause });
    this.#assembler.fail(cause);
    this.#outgoing.failAll(cause);
    void this.#association.abort();
  }

  #onEnd(error: DicomnetError | undefined): void {
    this.#isEnded = true;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const reason = error ?? new InvalidStateError('Sta1', 'use an association after its release');
    this.#assembler.fail(reason);
    this.#outgoing.end(reason);
    this.#ended.abort(reason);
    this.#incoming.resumeInput();
  }
}
