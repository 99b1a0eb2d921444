import type {
  Association,
  DataSource,
  NegotiatedAssociation,
  NegotiatedContext,
} from '@dicomnet/pdu';
import { DicomnetError, InvalidStateError } from '@dicomnet/pdu';
import { statusCategory } from '@dicomnet/status-codes';
import type { CCancelRq, CommandSet, DimseRequest, DimseResponse } from '../command/index.js';
import {
  COMMAND_DATA_SET_ABSENT,
  CommandField,
  commandFieldName,
  decodeCommandSet,
  encodeCommandSet,
  parseCommand,
  toCommandSet,
} from '../command/index.js';
import type { DimseMessageEvent } from '../diagnostics.js';
import { encodeResponse, failureResponse, messageOf } from './failure-response.js';
import { publishDimseError, publishMessageReceived, publishMessageSent } from '../diagnostics.js';
import {
  DimseProtocolError,
  DimseTimeoutError,
  MessageTooLargeError,
  ResponseMismatchError,
} from '../errors.js';
import type { DataSink } from '../message/data-sink.js';
import { DiscardSink, MemorySink } from '../message/data-sink.js';
import { FragmentChannel } from '../message/fragment-channel.js';
import type { AssemblerRetained } from '../message/message-assembler.js';
import { MessageAssembler } from '../message/message-assembler.js';
import { MessageIds, Window } from './message-ids.js';
import { VERIFICATION_SOP_CLASS } from '../services/verification.js';

/**
 * Limits and timers of the DIMSE layer, in bytes and milliseconds. Every buffer a peer can fill
 * is bounded by one of them. Byte limits on what is held count its real cost: the bytes plus
 * `FRAGMENT_OVERHEAD_BYTES` (128) per fragment held, so empty or 1-byte PDVs cannot
 * make a small byte count hold a large heap. A peer past a limit gets a failure status where
 * the message can still be answered, an A-ABORT otherwise (see each limit).
 */
export interface DimseLimits {
  /**
   * Most a command set may cost while it is received (bytes plus 128 per fragment). Default
   * 64 KiB (commands are a few hundred bytes). Past it: A-ABORT, `DICOMNET_DIMSE_MESSAGE_TOO_LARGE`.
   */
  readonly maxCommandLength?: number;
  /**
   * Most PDVs one message (command set and data set together) may be split into. Default
   * 1,048,576 (16 GiB in PDUs of 16 KiB). Past it: A-ABORT, `DICOMNET_DIMSE_TOO_MANY_FRAGMENTS`.
   */
  readonly maxPdvFragments?: number;
  /**
   * Most a data set held in memory may cost (bytes plus 128 per fragment): N-service attribute
   * lists, identifiers, responses. C-STORE data sets stream and are not bounded by this.
   * Default 16 MiB. Past it the data set is dropped as it arrives and the request is answered
   * 0x0213 (N-services) or 0xA700 (C-services); a response over it rejects the request.
   */
  readonly maxReassembledBytes?: number;
  /**
   * Most bytes any one received data set may have in total, held or not: a streamed C-STORE
   * data set (so that one that never ends cannot fill a disk through a streaming handler), one
   * past `maxReassembledBytes` that is only counted, one that is dropped. Default 4 GiB. Past
   * it: A-ABORT, `DICOMNET_DIMSE_MESSAGE_TOO_LARGE`, and a handler's stream fails (nothing is
   * stored).
   */
  readonly maxStreamedDataSetBytes?: number;
  /** How long to wait for each response to a request we sent; 0 = forever. Default 60,000. */
  readonly dimseTimeout?: number;
  /**
   * Most a streamed data set's fragments waiting for their consumer may cost (bytes plus 128 per
   * fragment); beyond it the socket is paused. Default 1 MiB.
   */
  readonly streamHighWaterMark?: number;
  /**
   * Releases the association after this many milliseconds without a message in either
   * direction and nothing outstanding; 0 = never. Default 0.
   */
  readonly idleTimeout?: number;
}

/** A request the peer sent us, as handed to the layer that answers it. */
export interface IncomingRequest {
  readonly message: DimseRequest;
  readonly context: NegotiatedContext;
  /** For C-STORE: the data set, streamed as it arrives. */
  readonly stream: FragmentChannel | undefined;
  /** For other requests with a data set: the whole data set (at most `maxReassembledBytes`). */
  readonly dataSet: Uint8Array | undefined;
  /** Aborted when the association ends before the answer is sent. */
  readonly signal: AbortSignal;
}

/** The answer to an {@link IncomingRequest}: a response without `messageIdBeingRespondedTo`. */
export interface OutgoingResponse {
  readonly message: DistributiveOmit<DimseResponse, 'messageIdBeingRespondedTo'>;
  readonly dataSet?: Uint8Array;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

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
  /** Called for each Pending response (0xFF00/0xFF01) before the final one. */
  readonly onPending?: (response: ReceivedResponse) => void;
}

interface Pending {
  readonly operation: string;
  /** The caller gave up; only the Message ID waits for its answer. */
  readonly late: boolean;
  readonly settle: (result: ReceivedResponse | Error) => void;
  readonly onPending: ((response: ReceivedResponse) => void) | undefined;
  readonly restartTimer: () => void;
}

/** Answers requests from the peer; a thrown error becomes a failure status. */
export type RequestDispatcher = (request: IncomingRequest) => Promise<OutgoingResponse>;

const DEFAULT_MAX_COMMAND_LENGTH = 64 * 1024;
/** Default of {@link DimseLimits.maxPdvFragments}. */
export const DEFAULT_MAX_PDV_FRAGMENTS = 1 << 20;
/** Default of {@link DimseLimits.maxStreamedDataSetBytes}. */
export const DEFAULT_MAX_STREAMED_DATA_SET_BYTES = 4 * 1024 ** 3;
/** Default of {@link DimseLimits.streamHighWaterMark}. */
export const DEFAULT_STREAM_HIGH_WATER_MARK = 1 << 20;
/** Default of {@link DimseLimits.maxReassembledBytes}. */
export const DEFAULT_MAX_REASSEMBLED_BYTES = 16 * 1024 * 1024;
/** Default of {@link DimseLimits.dimseTimeout}. */
export const DEFAULT_DIMSE_TIMEOUT = 60_000;

/**
 * The DIMSE layer of one association (PS3.7 §7–§10): turns requests into messages and messages
 * into requests and responses. Outgoing requests get Message IDs and wait for their responses,
 * within the negotiated asynchronous operations window; incoming requests go to a dispatcher and
 * their answers go back on the same presentation context.
 */
export class DimseAssociation {
  readonly #association: Association;
  readonly #dispatch: RequestDispatcher;
  readonly #assembler: MessageAssembler;
  readonly #ids = new MessageIds();
  readonly #window: Window;
  readonly #pending = new Map<number, Pending>();
  /** Message IDs of the peer's requests we are performing (for 0x0210 Duplicate invocation). */
  readonly #performing = new Set<number>();
  /** Answers still being worked on or sent, refusals included. */
  readonly #answering = new Set<Promise<void>>();
  readonly #ended = new AbortController();
  readonly #maxReassembledBytes: number;
  readonly #dimseTimeout: number;
  readonly #highWaterMark: number;
  readonly #maxStreamedBytes: number;
  /**
   * The peer's requests we answer at once before we stop reading its input: the negotiated
   * asynchronous operations window. A peer that sends requests without reading our answers
   * would otherwise make us hold every answer it never reads.
   */
  readonly #maxAnswering: number;
  /** Input paused until fewer requests are being answered. */
  #waitingForRoom: (() => void)[] = [];
  /** Waiting for every request in either direction to have its answer (release). */
  #waitingForSettled: (() => void)[] = [];
  readonly #idleTimeout: number;
  #idleTimer: NodeJS.Timeout | undefined;
  /** The DIMSE-level error that made us abort, if any. */
  #failure: DicomnetError | undefined;

  constructor(association: Association, dispatch: RequestDispatcher, limits: DimseLimits = {}) {
    this.#association = association;
    this.#dispatch = dispatch;
    this.#maxReassembledBytes = limits.maxReassembledBytes ?? DEFAULT_MAX_REASSEMBLED_BYTES;
    this.#dimseTimeout = limits.dimseTimeout ?? DEFAULT_DIMSE_TIMEOUT;
    this.#highWaterMark = limits.streamHighWaterMark ?? DEFAULT_STREAM_HIGH_WATER_MARK;
    this.#maxStreamedBytes = limits.maxStreamedDataSetBytes ?? DEFAULT_MAX_STREAMED_DATA_SET_BYTES;
    const negotiatedWindow = association.negotiated.asynchronousOperationsWindow;
    const widest = Math.max(
      negotiatedWindow.maxOperationsInvoked,
      negotiatedWindow.maxOperationsPerformed,
    );
    // PS3.7 D.3.3.3: 0 means unlimited; we still hold at most 64 answers' worth.
    this.#maxAnswering = widest === 0 ? 64 : Math.max(1, widest);
    this.#idleTimeout = limits.idleTimeout ?? 0;
    // PS3.7 D.3.3.3: as requestor we may invoke what the AC granted; as acceptor, what it asked.
    const window = association.negotiated.asynchronousOperationsWindow;
    this.#window = new Window(
      association.role === 'requestor'
        ? window.maxOperationsInvoked
        : window.maxOperationsPerformed,
    );
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
        const room = this.#roomToAnswer();
        if (room === undefined) return pending;
        return pending === undefined ? room : Promise.all([pending, room]).then(() => undefined);
      },
      onReleaseRequest: () => this.#settled(),
      onEnd: (error) => this.#onEnd(error),
    });
    this.#touch();
  }

  /** Restarts the idle timer: there was traffic. */
  #touch(): void {
    if (this.#idleTimeout === 0) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#answering.size > 0 || this.#activePending() > 0) this.#touch();
      else void this.release().catch(() => {});
    }, this.#idleTimeout);
    this.#idleTimer.unref();
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
  async invoke(
    request: DistributiveOmit<DimseRequest, 'messageId'>,
    options: InvokeOptions,
  ): Promise<ReceivedResponse> {
    const signal =
      options.signal === undefined
        ? this.#ended.signal
        : AbortSignal.any([options.signal, this.#ended.signal]);
    await this.#window.acquire(signal);
    const messageId = this.#ids.take();
    const operation = request.kind.replace(/-RQ$/, '');
    let command: Uint8Array;
    try {
      const message = { ...request, messageId } as DimseRequest; // the kind-specific fields are unchanged
      command = encodeCommandSet(toCommandSet(message));
    } catch (error) {
      this.#ids.release(messageId);
      this.#window.release();
      throw error;
    }
    const response = new Promise<ReceivedResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (result: ReceivedResponse | Error): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#window.release();
        if (result instanceof Error && !this.#ended.signal.aborted) {
          // Given up locally (timeout, caller's signal): keep the Message ID reserved until the
          // answer comes, so it is never taken for the answer to a newer request.
          this.#pending.set(messageId, {
            operation,
            late: true,
            settle: () => this.#forget(messageId),
            onPending: undefined,
            restartTimer: () => {},
          });
        } else {
          this.#forget(messageId);
        }
        this.#notifyIfSettled();
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const onAbort = (): void => finish(this.#association.error ?? (signal.reason as Error));
      const restartTimer = (): void => {
        if (this.#dimseTimeout === 0) return;
        clearTimeout(timer);
        timer = setTimeout(
          () => finish(new DimseTimeoutError(operation, this.#dimseTimeout)),
          this.#dimseTimeout,
        );
        timer.unref();
      };
      this.#pending.set(messageId, {
        operation,
        late: false,
        settle: finish,
        onPending: options.onPending,
        restartTimer,
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const dataSet = options.dataSet;
    this.#touch();
    publishMessageSent({
      associationId: this.#association.id,
      kind: request.kind,
      messageId,
      presentationContextId: options.context.id,
    });
    this.#association
      .sendMessage({
        presentationContextId: options.context.id,
        command,
        ...(dataSet !== undefined && { dataSet }),
      })
      .then(
        () => this.#pending.get(messageId)?.restartTimer(),
        (error: Error) => {
          this.#pending.get(messageId)?.settle(error);
          this.#abandon();
        },
      );
    return response;
  }

  #forget(messageId: number): void {
    this.#pending.delete(messageId);
    this.#ids.release(messageId);
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

  // --- receiving ------------------------------------------------------------------------------

  #onCommand(contextId: number, bytes: Uint8Array): DataSink | undefined {
    const set = decodeCommandSet(bytes); // a CommandSetError here aborts: we cannot even answer
    this.#publish(publishMessageReceived, contextId, set);
    const context = this.negotiated.contexts.find((candidate) => candidate.id === contextId);
    if (context === undefined || context.result !== 0) {
      throw new DimseProtocolError(
        `message on presentation context ${contextId}, which was not accepted`,
      );
    }
    const hasDataSet = set.commandDataSetType !== COMMAND_DATA_SET_ABSENT;
    if ((set.commandField & 0x8000) !== 0) return this.#onResponse(set, hasDataSet);
    return this.#onRequest(set, context, hasDataSet);
  }

  #onResponse(set: CommandSet, hasDataSet: boolean): DataSink | undefined {
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
    const deliver = (dataSet: Uint8Array | undefined): void => {
      const received: ReceivedResponse = { message, dataSet };
      if (statusCategory(message.status) === 'Pending') {
        pending.restartTimer();
        pending.onPending?.(received);
        return;
      }
      pending.settle(received);
    };
    if (!hasDataSet) {
      deliver(undefined);
      return undefined;
    }
    return new MemorySink(
      this.#maxReassembledBytes,
      (result) =>
        result instanceof MessageTooLargeError ? pending.settle(result) : deliver(result),
      (error) => pending.settle(error),
      this.#maxStreamedBytes,
    );
  }

  /** A sink for a data set nobody wants, bounded like any data set that never ends. */
  #discard(): DataSink {
    return new DiscardSink(this.#maxStreamedBytes);
  }

  #onRequest(
    set: CommandSet,
    context: NegotiatedContext,
    hasDataSet: boolean,
  ): DataSink | undefined {
    let parsed: DimseRequest | CCancelRq;
    try {
      parsed = parseCommand(set) as DimseRequest | CCancelRq; // the response bit is clear
    } catch (error) {
      // C-CANCEL has no response (PS3.7 §9.3.2.3): a malformed one is dropped, not answered
      // with a 8FFFH command that does not exist.
      if (set.commandField === CommandField.CCancelRq)
        return hasDataSet ? this.#discard() : undefined;
      const status = (error as { status?: unknown }).status; // CommandValidationError carries one
      if (typeof status !== 'number' || set.messageId === undefined) throw error;
      this.#answerLater(this.#sendRaw(context.id, failureResponse(set, status, messageOf(error))));
      return hasDataSet ? this.#discard() : undefined;
    }
    if (parsed.kind === 'C-CANCEL-RQ') {
      // Nothing we perform can be cancelled yet (C-FIND, C-GET, C-MOVE); a late cancel is moot.
      return hasDataSet ? this.#discard() : undefined;
    }
    const message = parsed;
    const refusal = this.#refusal(message, context);
    if (refusal !== undefined) {
      this.#answerLater(
        this.#sendRaw(context.id, failureResponse(set, refusal.status, refusal.comment)),
      );
      return hasDataSet ? this.#discard() : undefined;
    }
    const signal = this.#ended.signal;
    if (message.kind === 'C-STORE-RQ' && hasDataSet) {
      const stream = new FragmentChannel(this.#highWaterMark, this.#maxStreamedBytes);
      this.#answer(set, { message, context, stream, dataSet: undefined, signal });
      return stream;
    }
    if (!hasDataSet) {
      this.#answer(set, { message, context, stream: undefined, dataSet: undefined, signal });
      return undefined;
    }
    return new MemorySink(
      this.#maxReassembledBytes,
      (result) => {
        if (result instanceof MessageTooLargeError) {
          const status = message.kind.startsWith('N-') ? 0x0213 : 0xa700; // resource limitation / out of resources
          this.#answerLater(
            this.#sendRaw(context.id, failureResponse(set, status, result.message)),
          );
        } else {
          this.#answer(set, { message, context, stream: undefined, dataSet: result, signal });
        }
      },
      () => {},
      this.#maxStreamedBytes,
    );
  }

  /** Requests the peer may not send on this context, with the status that says why. */
  #refusal(
    message: DimseRequest,
    context: NegotiatedContext,
  ): { status: number; comment: string } | undefined {
    if (this.#performing.has(message.messageId)) {
      return { status: 0x0210, comment: `Message ID ${message.messageId} is already outstanding` };
    }
    // N-EVENT-REPORT is invoked by the SOP class's SCP; every other request by its SCU (PS3.7 §10.1.1).
    const weMustBe = message.kind === 'N-EVENT-REPORT-RQ' ? context.localIsScu : context.localIsScp;
    if (!weMustBe) {
      return {
        status: 0x0211,
        comment: `${message.kind} is not agreed on context ${context.id} in this role`,
      };
    }
    // C-ECHO is the Verification SOP class's only operation (PS3.4 A.4, PS3.7 §9.1.5): on a
    // context of any other SOP class it is an operation not agreed between the DIMSE users,
    // Unrecognized Operation (PS3.7 C.5.23, listed for C-ECHO in §9.1.5.1.4).
    if (message.kind === 'C-ECHO-RQ' && context.abstractSyntax !== VERIFICATION_SOP_CLASS) {
      return {
        status: 0x0211,
        comment: `C-ECHO on context ${context.id}, which is not Verification`,
      };
    }
    return undefined;
  }

  #answer(set: CommandSet, request: IncomingRequest): void {
    const work = (async (): Promise<void> => {
      let response: OutgoingResponse;
      try {
        response = await this.#dispatch(request);
      } catch (error) {
        const status = request.message.kind === 'C-STORE-RQ' ? 0xc000 : 0x0110; // cannot understand / processing failure
        await this.#sendRaw(request.context.id, failureResponse(set, status, messageOf(error)));
        return;
      } finally {
        request.stream?.discard(); // the handler is done: drop any data set it did not read
      }
      const message = {
        ...response.message,
        messageIdBeingRespondedTo: request.message.messageId,
      } as DimseResponse; // kind-specific fields unchanged
      let command: Uint8Array;
      try {
        command = encodeResponse(message, request.message);
      } catch (error) {
        await this.#sendRaw(
          request.context.id,
          failureResponse(set, 0x0110, `invalid response: ${messageOf(error)}`),
        );
        return;
      }
      publishMessageSent({
        associationId: this.#association.id,
        kind: message.kind,
        messageId: message.messageIdBeingRespondedTo,
        presentationContextId: request.context.id,
        status: message.status,
      });
      await this.#association
        .sendMessage({
          presentationContextId: request.context.id,
          command,
          ...(response.dataSet !== undefined && { dataSet: response.dataSet }),
        })
        .catch((error: unknown) => {
          this.#abandon();
          throw error;
        });
    })();
    this.#answerLater(work, request.message.messageId);
  }

  /** Tracks an answer until it is sent; `performing` marks the peer's Message ID as in use. */
  #answerLater(work: Promise<void>, performing?: number): void {
    if (performing !== undefined) this.#performing.add(performing);
    const tracked: Promise<void> = work
      .catch(() => {})
      .finally(() => {
        this.#answering.delete(tracked);
        if (performing !== undefined) this.#performing.delete(performing);
        if (this.#answering.size <= this.#maxAnswering) this.#resumeInput();
        this.#notifyIfSettled();
      });
    this.#answering.add(tracked);
  }

  /** A promise that holds the peer's input while too many of its requests wait for answers. */
  #roomToAnswer(): Promise<void> | undefined {
    if (this.#answering.size <= this.#maxAnswering || this.#ended.signal.aborted) return undefined;
    return new Promise<void>((resolve) => this.#waitingForRoom.push(resolve));
  }

  #resumeInput(): void {
    const waiting = this.#waitingForRoom;
    this.#waitingForRoom = [];
    for (const resume of waiting) resume();
  }

  #publish(publish: (event: DimseMessageEvent) => void, contextId: number, set: CommandSet): void {
    publish({
      associationId: this.#association.id,
      kind: commandFieldName(set.commandField),
      messageId: set.messageId ?? set.messageIdBeingRespondedTo ?? 0,
      presentationContextId: contextId,
      ...(set.status !== undefined && { status: set.status }),
    });
  }

  async #sendRaw(contextId: number, set: CommandSet): Promise<void> {
    this.#publish(publishMessageSent, contextId, set);
    return this.#association.sendMessage({
      presentationContextId: contextId,
      command: encodeCommandSet(set),
    });
  }

  /**
   * A message that failed part-way cannot be withdrawn, and the peer would take what follows
   * for its continuation (PS3.8 Annex E): the association must go. Idempotent.
   */
  #abandon(): void {
    void this.#association.abort();
  }

  /** Resolves once no request in either direction waits for its answer. */
  #settled(): Promise<void> {
    if (this.#isSettled()) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waitingForSettled.push(resolve));
  }

  #isSettled(): boolean {
    return this.#answering.size === 0 && this.#activePending() === 0;
  }

  /** Called wherever an answer is sent or a request of ours settles. */
  #notifyIfSettled(): void {
    if (this.#waitingForSettled.length === 0 || !this.#isSettled()) return;
    const waiting = this.#waitingForSettled;
    this.#waitingForSettled = [];
    for (const resume of waiting) resume();
  }

  #activePending(): number {
    let active = 0;
    for (const pending of this.#pending.values()) if (!pending.late) active++;
    return active;
  }

  #protocolError(error: unknown): void {
    const cause = DicomnetError.isInstance(error)
      ? error
      : new DimseProtocolError(`receiving failed: ${String(error)}`, { cause: error });
    this.#failure ??= cause;
    publishDimseError({ associationId: this.#association.id, error: cause });
    this.#assembler.fail(cause);
    for (const pending of this.#pending.values()) pending.settle(cause);
    void this.#association.abort();
  }

  #onEnd(error: DicomnetError | undefined): void {
    clearTimeout(this.#idleTimer);
    const reason = error ?? new InvalidStateError('Sta1', 'use an association after its release');
    this.#assembler.fail(reason);
    for (const pending of [...this.#pending.values()]) pending.settle(reason);
    this.#pending.clear();
    this.#ended.abort(reason);
    this.#resumeInput();
  }
}
