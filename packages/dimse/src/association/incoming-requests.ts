import { DataSetDecodeError } from '@dicomnet/data';
import type { Association, NegotiatedContext } from '@dicomnet/pdu';
import type { CCancelRq, CommandSet, DimseRequest, DimseResponse } from '../command/index.js';
import { CommandField, encodeCommandSet, parseCommand } from '../command/index.js';
import { commandEvent, publishMessageSent, watchesSent } from '../diagnostics.js';
import { MessageTooLargeError, OperationsWindowExceededError } from '../errors.js';
import type { DataSink } from '../message/data-sink.js';
import { DiscardSink, MemorySink } from '../message/data-sink.js';
import { FragmentChannel } from '../message/fragment-channel.js';
import { VERIFICATION_SOP_CLASS } from '../services/verification.js';
import type { DistributiveOmit } from './distributive-omit.js';
import { encodeResponse, failureResponse, messageOf } from './failure-response.js';
import { MessageIdSet } from './message-ids.js';

/** A request the peer sent us, as handed to the layer that answers it. */
export interface IncomingRequest {
  readonly message: DimseRequest;
  readonly context: NegotiatedContext;
  /** For C-STORE: the data set, streamed as it arrives. */
  readonly stream: FragmentChannel | undefined;
  /** For other requests with a data set: the whole data set (at most `maxReassembledBytes`). */
  readonly dataSet: Uint8Array | undefined;
  /**
   * Aborted when the association ends before the answer is sent, or, for C-FIND, C-GET and
   * C-MOVE, when the peer cancels the operation.
   */
  readonly signal: AbortSignal;
  /**
   * For C-FIND, C-GET and C-MOVE: aborted when the peer sends C-CANCEL-RQ for this request
   * (PS3.7 §9.3.2.3, §9.3.3.3, §9.3.4.3); undefined for the other operations.
   */
  readonly cancel: AbortSignal | undefined;
  /**
   * Resolves once the final response to this request has been handed to the transport: `true`,
   * or `false` when the association ended (or sending failed) first. Never rejects. Requests
   * that follow the response on the same association (the N-EVENT-REPORTs after an N-ACTION,
   * PS3.4 J.3.3 and KK.2.3) wait for it, so they cannot overtake it.
   */
  readonly responded: Promise<boolean>;
}

/** The answer to an {@link IncomingRequest}: a response without `messageIdBeingRespondedTo`. */
export interface OutgoingResponse {
  readonly message: DistributiveOmit<DimseResponse, 'messageIdBeingRespondedTo'>;
  readonly dataSet?: Uint8Array;
}

/**
 * The answers to a C-FIND, C-GET or C-MOVE: Pending responses, each sent once the one before it
 * is written, and the final response last.
 */
export interface OutgoingResponses {
  readonly responses: AsyncIterable<OutgoingResponse>;
}

/**
 * Answers requests from the peer with one response, or a stream of them; a thrown error (also
 * one thrown by the stream) becomes a failure status. An answer known at once may be returned
 * as it is (a C-ECHO without handler): it is still sent only after the rest of the input read
 * with its request has been taken, as an answer through a promise is.
 */
export type RequestDispatcher = (
  request: IncomingRequest,
) => OutgoingResponse | OutgoingResponses | Promise<OutgoingResponse | OutgoingResponses>;

/** Streamed responses sent before the event loop gets a turn. */
const RESPONSES_PER_TURN = 8;

/** The operations a C-CANCEL-RQ may cancel (PS3.7 §9.3.2.3, §9.3.3.3, §9.3.4.3). */
const CANCELLABLE = new Set(['C-FIND-RQ', 'C-GET-RQ', 'C-MOVE-RQ']);

/** What {@link IncomingRequests} needs of the association it answers on. */
export interface IncomingHost {
  readonly association: Association;
  /** Aborted when the association ends. */
  readonly ended: AbortSignal;
  /** A message failed part-way and cannot be withdrawn: the association must go. */
  abandon(): void;
  /** An answer has been sent (or failed to be). */
  settled(): void;
}

/** The limits {@link IncomingRequests} applies, resolved to numbers. */
export interface IncomingLimits {
  /**
   * Operations the peer may have outstanding (its side of the asynchronous operations window,
   * PS3.7 D.3.3.3); 0 = unlimited. A request past it aborts the association.
   */
  readonly peerWindow: number;
  /** Requests answered at once before the peer's input is paused. */
  readonly maxAnswering: number;
  readonly highWaterMark: number;
  readonly maxReassembledBytes: number;
  readonly maxStreamedBytes: number;
}

/**
 * The requests the peer sends us on one association (PS3.7 §9.3, §10.3): refused with the right
 * status where this side may not perform them, handed to the dispatcher otherwise, and answered
 * on their own presentation context; the peer's input waits while too many are being answered.
 */
export class IncomingRequests {
  readonly #host: IncomingHost;
  readonly #dispatch: RequestDispatcher;
  readonly #limits: IncomingLimits;
  /** Message IDs of the peer's requests we are performing (for 0x0210 Duplicate invocation). */
  readonly #performing = new MessageIdSet();
  /** Answers still being worked on or sent, refusals included. */
  #answering = 0;
  /** Cancellable operations being performed, by Message ID. */
  readonly #cancels = new Map<number, AbortController>();
  /** Input paused until fewer requests are being answered. */
  #waitingForRoom: (() => void)[] = [];
  /** The peer's operations whose final response we have not started to send. */
  #outstanding = 0;
  /** An operation's final response has started on its way (made once, shared by every Answer). */
  readonly #leaveWindow = (): void => {
    this.#outstanding--;
  };

  constructor(host: IncomingHost, dispatch: RequestDispatcher, limits: IncomingLimits) {
    this.#host = host;
    this.#dispatch = dispatch;
    this.#limits = limits;
  }

  /** Answers being worked on or sent. */
  get active(): number {
    return this.#answering;
  }

  /**
   * Takes a request the peer sent: where its data set (if any) goes.
   * @throws The command's own error when it cannot even be answered (no Message ID).
   */
  onRequest(
    set: CommandSet,
    context: NegotiatedContext,
    hasDataSet: boolean,
  ): DataSink | undefined {
    // C-CANCEL is not an operation and has no response (PS3.7 9.3.2.3): outside the window.
    const answer = set.commandField === CommandField.CCancelRq ? undefined : this.#opening();
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
      this.#answerLater(
        this.#sendRaw(context.id, failureResponse(set, status, messageOf(error)), answer),
        answer,
      );
      return hasDataSet ? this.#discard() : undefined;
    }
    if (parsed.kind === 'C-CANCEL-RQ') {
      // A cancel for an operation already answered (or never asked) is moot: nothing to do.
      this.#cancels.get(parsed.messageIdBeingRespondedTo)?.abort(cancelledByPeer());
      return hasDataSet ? this.#discard() : undefined;
    }
    const message = parsed;
    const opened = answer as Answer; // a request, not a C-CANCEL
    const refusal = this.#refusal(message, context);
    if (refusal !== undefined) {
      this.#answerLater(
        this.#sendRaw(context.id, failureResponse(set, refusal.status, refusal.comment), opened),
        opened,
      );
      return hasDataSet ? this.#discard() : undefined;
    }
    const ended = this.#host.ended;
    let cancel: AbortSignal | undefined;
    if (CANCELLABLE.has(message.kind)) {
      // Registered now, so a C-CANCEL that overtakes the identifier still finds it.
      const controller = new AbortController();
      this.#cancels.set(message.messageId, controller);
      cancel = controller.signal;
    }
    const signal = cancel === undefined ? ended : AbortSignal.any([ended, cancel]);
    if (message.kind === 'C-STORE-RQ' && hasDataSet) {
      const stream = new FragmentChannel(this.#limits.highWaterMark, this.#limits.maxStreamedBytes);
      this.#answer(set, new Incoming(message, context, signal, cancel, opened, stream, undefined));
      return stream;
    }
    if (!hasDataSet) {
      this.#answer(
        set,
        new Incoming(message, context, signal, cancel, opened, undefined, undefined),
      );
      return undefined;
    }
    return new MemorySink(
      this.#limits.maxReassembledBytes,
      (result) => {
        if (result instanceof MessageTooLargeError) {
          const status = message.kind.startsWith('N-') ? 0x0213 : 0xa700; // resource limitation / out of resources
          this.#cancels.delete(message.messageId);
          this.#answerLater(
            this.#sendRaw(context.id, failureResponse(set, status, result.message), opened),
            opened,
          );
        } else {
          this.#answer(
            set,
            new Incoming(message, context, signal, cancel, opened, undefined, result),
          );
        }
      },
      () => {},
      this.#limits.maxStreamedBytes,
    );
  }

  /**
   * Counts a request of the peer's as outstanding until its final response starts on its way:
   * the peer cannot have seen that response before, so more than its window open at once is
   * its error, never a race on our side.
   * @throws {@link OperationsWindowExceededError} when the peer is past its window (PS3.7 D.3.3.3).
   */
  #opening(): Answer {
    const window = this.#limits.peerWindow;
    if (window !== 0 && this.#outstanding >= window) {
      throw new OperationsWindowExceededError(window);
    }
    this.#outstanding++;
    return new Answer(this.#leaveWindow);
  }

  /**
   * A promise that holds the peer's input while more of its requests are being answered than
   * the window allows: a peer that sends requests without reading our answers would otherwise
   * make us hold every answer it never reads. Undefined when there is room.
   */
  roomToAnswer(): Promise<void> | undefined {
    if (this.#answering <= this.#limits.maxAnswering || this.#host.ended.aborted) return undefined;
    return new Promise<void>((resolve) => this.#waitingForRoom.push(resolve));
  }

  /** Lets held input go (there is room, or the association ended). */
  resumeInput(): void {
    const waiting = this.#waitingForRoom;
    if (waiting.length === 0) return;
    this.#waitingForRoom = [];
    for (const resume of waiting) resume();
  }

  /** A sink for a data set nobody wants, bounded like any data set that never ends. */
  #discard(): DataSink {
    return new DiscardSink(this.#limits.maxStreamedBytes);
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

  #answer(set: CommandSet, request: Incoming): void {
    const id = request.message.messageId;
    this.#performing.add(id);
    this.#answering++;
    void this.#perform(set, request);
  }

  /** Works out the answer to `request`, sends it, and ends its bookkeeping. Never rejects. */
  async #perform(set: CommandSet, request: Incoming): Promise<void> {
    const answer = request.answer;
    try {
      let reply: OutgoingResponse | OutgoingResponses;
      try {
        reply = await this.#dispatch(request);
      } finally {
        request.stream?.discard(); // the handler is done: drop any data set it did not read
      }
      if (!('responses' in reply)) {
        await this.#respond(request, reply, answer);
        return;
      }
      // One at a time: the next Pending response is made only once this one is written.
      let sent = 0;
      for await (const response of reply.responses) {
        await this.#respond(request, response, answer);
        // A write the kernel takes at once resolves without a turn of the event loop; give
        // other associations (and this one's input: a C-CANCEL) their turn now and then.
        if (++sent % RESPONSES_PER_TURN === 0) await new Promise(setImmediate);
      }
    } catch (error) {
      if (error instanceof ResponseSendError) return; // the association is being aborted
      const status =
        error instanceof InvalidResponseError ? 0x0110 : failureStatusOf(request.message, error);
      try {
        await this.#sendRaw(
          request.context.id,
          failureResponse(set, status, messageOf(error)),
          answer,
        );
      } catch {
        // Nothing more can be sent for this request: the association is going.
      }
    } finally {
      const id = request.message.messageId;
      this.#cancels.delete(id);
      this.#performing.delete(id);
      this.#answered(answer);
    }
  }

  /**
   * Sends one response to `request`; a response that cannot be encoded is answered 0x0110.
   * Not an async function: the send's own promise is the only one made (one per message
   * matters here: a C-ECHO's whole answer costs a few microseconds).
   * @throws {@link InvalidResponseError} when the response cannot be encoded.
   */
  #respond(request: IncomingRequest, response: OutgoingResponse, answer: Answer): Promise<void> {
    const association = this.#host.association;
    // Not `{ ...response.message, messageIdBeingRespondedTo }`: see OutgoingRequests#send.
    const respondedTo = request.message.messageId;
    const built: { messageIdBeingRespondedTo: number } = {
      messageIdBeingRespondedTo: respondedTo,
      ...response.message,
    };
    // A dispatcher's own (a JavaScript one) is overwritten, as by the spread.
    if (built.messageIdBeingRespondedTo !== respondedTo)
      built.messageIdBeingRespondedTo = respondedTo;
    const message = built as DimseResponse; // kind-specific fields unchanged
    let command: Uint8Array;
    try {
      command = encodeResponse(message, request.message);
    } catch (error) {
      throw new InvalidResponseError(messageOf(error), { cause: error });
    }
    if (watchesSent()) {
      publishMessageSent({
        associationId: association.id,
        kind: message.kind,
        messageId: message.messageIdBeingRespondedTo,
        presentationContextId: request.context.id,
        status: message.status,
      });
    }
    const final = !isPending(message.status);
    if (final) answer.sending();
    const dataSet = response.dataSet;
    return association
      .sendMessage(
        dataSet === undefined
          ? { presentationContextId: request.context.id, command }
          : { presentationContextId: request.context.id, command, dataSet },
      )
      .then(
        () => {
          if (final) answer.finished(true);
        },
        (error: unknown) => {
          this.#host.abandon();
          throw new ResponseSendError(error);
        },
      );
  }

  /** Tracks a refusal until it is sent. */
  #answerLater(work: Promise<void>, answer: Answer | undefined): void {
    this.#answering++;
    const done = (): void => this.#answered(answer);
    work.then(done, done);
  }

  /** An answer is over: sent, or never to be. */
  #answered(answer: Answer | undefined): void {
    answer?.finished(false); // a no-op once the final response went out
    this.#answering--;
    if (this.#answering <= this.#limits.maxAnswering) this.resumeInput();
    this.#host.settled();
  }

  /** Sends a failure response we made ourselves: the final one of its request. */
  async #sendRaw(contextId: number, set: CommandSet, answer: Answer | undefined): Promise<void> {
    const association = this.#host.association;
    publishMessageSent(commandEvent(association.id, contextId, set));
    answer?.sending();
    await association.sendMessage({
      presentationContextId: contextId,
      command: encodeCommandSet(set),
    });
    answer?.finished(true);
  }
}

/** One request of the peer's on its way to its final response. */
class Answer {
  #state: 'open' | 'sending' | 'done' = 'open';
  /** Whether the final response went out, once done. */
  #sent = false;
  #responded: Promise<boolean> | undefined;
  #settle: ((sent: boolean) => void) | undefined;
  readonly #leaveWindow: () => void;

  constructor(leaveWindow: () => void) {
    this.#leaveWindow = leaveWindow;
  }

  /** See {@link IncomingRequest.responded}: made when first asked for (most answers, never). */
  get responded(): Promise<boolean> {
    if (this.#responded === undefined) {
      this.#responded =
        this.#state === 'done'
          ? Promise.resolve(this.#sent)
          : new Promise<boolean>((resolve) => {
              this.#settle = resolve;
            });
    }
    return this.#responded;
  }

  /** The final response is being sent: the operation no longer counts against the window. */
  sending(): void {
    if (this.#state !== 'open') return;
    this.#state = 'sending';
    this.#leaveWindow();
  }

  /** The final response went out (`true`), or never will (`false`). Idempotent. */
  finished(sent: boolean): void {
    if (this.#state === 'done') return;
    if (this.#state === 'open') this.#leaveWindow();
    this.#state = 'done';
    this.#sent = sent;
    this.#settle?.(sent);
  }
}

/** A request as handed to the dispatcher; `responded` is made only if someone reads it. */
class Incoming implements IncomingRequest {
  constructor(
    readonly message: DimseRequest,
    readonly context: NegotiatedContext,
    readonly signal: AbortSignal,
    readonly cancel: AbortSignal | undefined,
    readonly answer: Answer,
    readonly stream: FragmentChannel | undefined,
    readonly dataSet: Uint8Array | undefined,
  ) {}

  get responded(): Promise<boolean> {
    return this.answer.responded;
  }
}

/** Pending (0xFF00, 0xFF01) responses are followed by others (PS3.7 C.4.1.1, C.4.2.1, C.4.3.1). */
function isPending(status: number): boolean {
  return status === 0xff00 || status === 0xff01;
}

/** A handler's response the command rules refuse: answered 0x0110 Processing failure. */
class InvalidResponseError extends Error {
  constructor(detail: string, options: ErrorOptions) {
    super(`invalid response: ${detail}`, options);
  }
}

/** A response that failed on the wire: nothing more can be sent for its request. */
class ResponseSendError extends Error {
  constructor(override readonly cause: unknown) {
    super('sending a response failed', { cause });
  }
}

/**
 * The status a request gets when its handler fails: 0xC000 Cannot understand for C-STORE
 * (PS3.4 B.2.3), 0xC000 Unable to process for C-FIND, C-GET and C-MOVE (PS3.4 C.4.1.1.4,
 * C.4.2.1.5, C.4.3.1.4), 0x0110 Processing failure otherwise (PS3.7 C.5.8). An N-service data
 * set in a Specific Character Set we cannot decode is 0x0212 Mistyped argument instead: a
 * parameter "not agreed for use" (PS3.7 C.5.15; PS3.4 KK.2.2.3 names it for character sets).
 */
function failureStatusOf(message: DimseRequest, error?: unknown): number {
  if (
    message.kind.startsWith('N-') &&
    error instanceof DataSetDecodeError &&
    error.feature === 'character-set'
  )
    return 0x0212;
  return message.kind === 'C-ECHO-RQ' || message.kind.startsWith('N-') ? 0x0110 : 0xc000;
}

/** The reason a handler's signal carries when the peer cancelled its operation. */
function cancelledByPeer(): Error {
  return new DOMException('the peer sent C-CANCEL-RQ', 'AbortError');
}
