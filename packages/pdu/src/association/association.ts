import type { Duplex } from 'node:stream';
import type { AssociateAc, AssociateRj, AssociateRq, PDataTf, Pdu } from '../codec/index.js';
import {
  AbortReason,
  AbortSource,
  DEFAULT_MAX_ASSOCIATE_PDU_LENGTH,
  DEFAULT_MAX_UNBOUNDED_PDU_LENGTH,
  encodePdu,
  RejectReason,
  RejectResult,
  RejectSource,
} from '../codec/index.js';
import { DicomnetError } from '../errors.js';
import type { FailurePoint } from '../association-errors.js';
import {
  AssociationAbortedError,
  AssociationInternalError,
  AssociationRejectedError,
  AssociationTimeoutError,
  InvalidStateError,
  TransportClosedError,
  UserResponseTimeoutError,
} from '../association-errors.js';
import {
  publishAssociationEnded,
  publishAssociationError,
  publishPduSent,
  publishStateChanged,
} from '../diagnostics.js';
import type {
  AssociationRole,
  NegotiatedAssociation,
} from '../negotiation/negotiated-association.js';
import { negotiatedAssociation } from '../negotiation/negotiated-association.js';
import { checkAssociateAc } from '../negotiation/check-associate-ac.js';
import { checkAssociateRq } from '../negotiation/provider-checks.js';
import type { Event } from '../state/events.js';
import type { State } from '../state/states.js';
import type { Action } from '../state/transition-table.js';
import { actionFor } from '../state/transition-table.js';
import { Deferred } from './deferred.js';
import { InboundPdus } from './inbound-pdus.js';
import { MessageWriter } from './message-writer.js';
import type { OutgoingMessage } from './message-writer.js';
import { Timer } from './timer.js';
import type { AssociationLimits } from './association-limits.js';
import {
  DEFAULT_ARTIM_TIMEOUT,
  DEFAULT_MAX_PENDING_BYTES,
  DEFAULT_MAX_PENDING_PDUS,
  DEFAULT_USER_RESPONSE_TIMEOUT,
} from './association-limits.js';

/** What the layer above (DIMSE) hears from an association. */
export interface AssociationHandlers {
  /**
   * P-DATA indication (PS3.8 §7.6). Return a promise to hold further input until it settles:
   * the socket is paused meanwhile, which is how a slow consumer pushes back on the peer.
   */
  onPData?(pdu: PDataTf): void | Promise<void>;
  /**
   * A-RELEASE indication (PS3.8 §7.2): the peer asks to release. We may still send until the
   * returned promise settles; then we answer A-RELEASE-RP. Release cannot be refused.
   */
  onReleaseRequest?(): void | Promise<void>;
  /** Called once when the association ends; `error` is undefined after a normal release. */
  onEnd?(error: DicomnetError | undefined): void;
}

/** The event each received PDU is (PS3.8 Table 9-10 rows). */
const PDU_EVENTS: Readonly<Record<Pdu['type'], Event>> = {
  'A-ASSOCIATE-RQ': 'Evt6',
  'A-ASSOCIATE-AC': 'Evt3',
  'A-ASSOCIATE-RJ': 'Evt4',
  'P-DATA-TF': 'Evt10',
  'A-RELEASE-RQ': 'Evt12',
  'A-RELEASE-RP': 'Evt13',
  'A-ABORT': 'Evt16',
};

/** States in which we wait for a PDU from the peer and bound the wait (PS3.8 §9.1.5, DCMTK-style). */
const WAITING_STATES: ReadonlySet<State> = new Set([
  'Sta2',
  'Sta5',
  'Sta7',
  'Sta10',
  'Sta11',
  'Sta13',
]);

/** States in which we wait for our own user: the policy (Sta3) or the release handler. */
const USER_STATES: ReadonlySet<State> = new Set(['Sta3', 'Sta8', 'Sta9', 'Sta12']);

/** States before AE-3/AE-7: there is no association to release yet. */
const NOT_ESTABLISHED: ReadonlySet<State> = new Set(['Sta1', 'Sta2', 'Sta3', 'Sta4', 'Sta5']);

let nextId = 1;

/**
 * @internal Fires a state-machine event directly, for the tests of PS3.8 Table 9-10 that need
 * events the public API never produces in that state. Not exported from the package.
 */
export const fireEvent = Symbol('fireEvent');

/**
 * @internal Ends the association after an exception caught outside it (the acceptor's
 * `onAssociation`/`onFailure` callbacks). Not exported from the package.
 */
export const containFailure = Symbol('containFailure');

/**
 * One DICOM association over one transport connection: the state machine of PS3.8 §9.2 with
 * its ARTIM timer, the P-DATA writer and the PDU reader. Created by {@link requestAssociation}
 * (requestor) or by an acceptor; the layer above talks to it through {@link AssociationHandlers},
 * {@link Association.sendMessage}, {@link Association.release} and {@link Association.abort}.
 *
 * ```
 *  requestor: Sta1 -Evt1-> Sta4 -Evt2-> Sta5 -Evt3-> Sta6      acceptor: Sta1 -Evt5-> Sta2 -Evt6-> Sta3 -Evt7-> Sta6
 *  Sta6 -release()-> Sta7 -A-RELEASE-RP-> Sta1                 Sta6 -A-RELEASE-RQ-> Sta8 -answer-> Sta13 -close-> Sta1
 *  any -abort()-> Sta13 -close-> Sta1                          Sta2 -abort()-> Sta1 (nothing sent)
 * ```
 *
 * Nothing thrown on the association's path (decoding, encoding, the policy, handlers, timers,
 * socket events) leaves it: such an exception ends this association (A-ABORT 2/0 or a close)
 * and is published on `dicomnet:pdu:association-error`.
 */
export class Association {
  /** Identifies the association in diagnostics messages. */
  readonly id = `a${nextId++}`;
  readonly role: AssociationRole;
  /** Settles when the transport connection has closed and the state is Sta1. Never rejects. */
  readonly closed: Promise<void>;

  #state: State = 'Sta1';
  #socket: Duplex | undefined;
  #handlers: AssociationHandlers = {};
  #negotiated: NegotiatedAssociation | undefined;
  #request: AssociateRq | undefined;
  readonly #timer = new Timer();
  readonly #artimTimeout: number;
  readonly #associateResponseTimeout: number;
  readonly #releaseResponseTimeout: number;
  readonly #inbound: InboundPdus;
  readonly #writer: MessageWriter;
  readonly #established = new Deferred<NegotiatedAssociation>();
  readonly #ended = new Deferred<void>();
  readonly #closed = new Deferred<void>();
  #endError: DicomnetError | undefined;
  #isEnded = false;
  #releaseAnswer: Promise<boolean> | undefined;
  #decide: ((request: AssociateRq) => Promise<AssociateAc | AssociateRj>) | undefined;

  /** @internal Use {@link requestAssociation} or an acceptor. */
  constructor(role: AssociationRole, maxPduLength: number, limits: AssociationLimits = {}) {
    this.role = role;
    this.#artimTimeout = limits.artimTimeout ?? DEFAULT_ARTIM_TIMEOUT;
    this.#associateResponseTimeout =
      limits.associateResponseTimeout ?? DEFAULT_USER_RESPONSE_TIMEOUT;
    this.#releaseResponseTimeout = limits.releaseResponseTimeout ?? DEFAULT_USER_RESPONSE_TIMEOUT;
    this.closed = this.#closed.promise;
    const maxAssociatePduLength = limits.maxAssociatePduLength ?? DEFAULT_MAX_ASSOCIATE_PDU_LENGTH;
    const largestPdu = Math.max(
      maxPduLength === 0 ? DEFAULT_MAX_UNBOUNDED_PDU_LENGTH : maxPduLength,
      maxAssociatePduLength,
    );
    this.#inbound = new InboundPdus({
      maxPduLength,
      maxAssociatePduLength,
      maxPendingPdus: limits.maxPendingPdus ?? DEFAULT_MAX_PENDING_PDUS,
      maxPendingBytes: limits.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES + largestPdu,
      associationId: this.id,
      onPdu: (pdu) => this.#onPdu(pdu),
      onInvalid: (error) => this.#fire('Evt19', error),
      onFailure: (where, error) => this.#contain(where, error),
      onLimit: (error) => this.#endByProvider(error),
    });
    this.#writer = new MessageWriter({
      associationId: this.id,
      beforeWrite: () => this.#beforePData(),
    });
    // Nobody may be listening for these yet; failures are reported through the other channels.
    this.#established.promise.catch(() => {});
    this.#ended.promise.catch(() => {});
  }

  /** The current state of PS3.8 §9.2.1, `'Sta1'` … `'Sta13'`. */
  get state(): State {
    return this.#state;
  }

  /**
   * What was negotiated.
   * @throws {@link InvalidStateError} before the association is established.
   */
  get negotiated(): NegotiatedAssociation {
    if (this.#negotiated === undefined)
      throw new InvalidStateError(this.#state, 'read the negotiation');
    return this.#negotiated;
  }

  /** Why the association ended, once it has; undefined while open and after a normal release. */
  get error(): DicomnetError | undefined {
    return this.#endError;
  }

  /** Installs the handlers. P-DATA that arrived before is held (with the socket paused) until now. */
  setHandlers(handlers: AssociationHandlers): void {
    this.#handlers = handlers;
    this.#inbound.setConsumer(handlers.onPData);
  }

  /**
   * Sends one DIMSE message: the command, then the data set if any, as P-DATA-TF PDUs no larger
   * than the peer's maximum (PS3.8 Annex E). Messages never interleave: concurrent calls queue.
   * The data set may be bytes or a stream of chunks; it is never concatenated. It resolves
   * once the message is handed to the transport, whose buffer may still hold it: see
   * `message.onWritten`.
   * @throws {@link InvalidStateError} when the association cannot send (not established, or
   *   released), or the error that ended it.
   */
  sendMessage(message: OutgoingMessage): Promise<void> {
    const negotiated = this.#negotiated;
    if (negotiated === undefined) {
      const error = new InvalidStateError(this.#state, 'send P-DATA');
      message.onWritten?.(error);
      throw error;
    }
    return this.#writer.send(message, negotiated.peerMaxPduLength);
  }

  /**
   * Releases the association (A-RELEASE, PS3.8 §7.2) after queued messages are sent. Resolves
   * when the release is complete; idempotent. Rejects with the error that ended the association
   * if it was aborted instead.
   */
  async release(): Promise<void> {
    const state = this.#state;
    if (state === 'Sta6') {
      await this.#writer.idle();
      if (this.#state === 'Sta6') this.#fire('Evt11');
    } else if (!this.#isEnded && NOT_ESTABLISHED.has(state)) {
      throw new InvalidStateError(state, 'release an association that is not established');
    }
    // Sta7–Sta13: a release (ours, the peer's, or both) or an abort is already under way.
    await this.#ended.promise;
  }

  /**
   * Aborts the association at once (A-ABORT, PS3.8 §7.3) and closes the connection. Queued and
   * future sends reject. Resolves when the transport has closed; idempotent. Before the peer's
   * A-ASSOCIATE-RQ (Sta2) there is no association: the connection is closed and nothing sent.
   */
  async abort(): Promise<void> {
    if (this.#socket === undefined && this.#state === 'Sta1') {
      this.#closed.resolve(); // never connected
    } else if (this.#state === 'Sta13') {
      this.#socket?.destroy(); // the association is already over: stop waiting for the peer
    } else if (this.#state !== 'Sta1') {
      this.#fire('Evt15');
    }
    await this.#closed.promise;
  }

  /** @internal See {@link fireEvent}. */
  [fireEvent](event: Event, input?: Pdu | DicomnetError): void | Promise<void> {
    return this.#dispatch(event, input);
  }

  /** @internal See {@link containFailure}. */
  [containFailure](where: FailurePoint, error: unknown): void {
    this.#contain(where, error);
  }

  // --- starting -----------------------------------------------------------------------------

  /** @internal Requestor: Evt1, then Evt2 once `connect` gives a transport; resolves at AE-3. */
  async request(rq: AssociateRq, connect: () => Promise<Duplex>): Promise<NegotiatedAssociation> {
    this.#request = rq;
    this.#fire('Evt1');
    let socket: Duplex;
    try {
      socket = await connect();
    } catch (error) {
      // The connection failed: the transport's "closed" indication in Sta4 (Evt17, AA-4).
      if (DicomnetError.isInstance(error)) this.#endWith(error);
      if (this.#state === 'Sta4') this.#fire('Evt17');
      throw error;
    }
    if (this.#state !== 'Sta4') {
      socket.destroy(); // aborted while connecting
      return this.#established.promise;
    }
    this.#attach(socket);
    this.#fire('Evt2');
    return this.#established.promise;
  }

  /** @internal Acceptor: Evt5 on a new connection; `decide` answers the A-ASSOCIATE-RQ. */
  accept(
    socket: Duplex,
    decide: (request: AssociateRq) => Promise<AssociateAc | AssociateRj>,
  ): Promise<NegotiatedAssociation> {
    this.#decide = decide;
    this.#attach(socket);
    this.#fire('Evt5');
    return this.#established.promise;
  }

  #attach(socket: Duplex): void {
    this.#socket = socket;
    this.#writer.attach(socket);
    this.#inbound.attach(socket);
    socket.on('error', (error) => {
      this.#inbound.noteTransportError(error);
    });
    // The peer ended its side: it can send no PDU any more, so we end ours too, as a TCP socket
    // without allowHalfOpen does. The 'close' that follows is the transport's closed indication
    // (Evt17). A Duplex that allows half-open connections would otherwise leave us waiting.
    socket.once('end', () => {
      if (socket.writable) socket.end();
    });
    socket.once('close', () => {
      try {
        this.#fire('Evt17');
      } finally {
        this.#timer.stop();
        this.#closed.resolve();
      }
    });
  }

  // --- the state machine ----------------------------------------------------------------------

  #onPdu(pdu: Pdu): void | Promise<void> {
    if (pdu.type === 'A-ASSOCIATE-AC' && this.#state === 'Sta5') {
      // An AC that answers what we did not propose is an invalid PDU (Evt19): A-ABORT 2/6.
      const mismatch = checkAssociateAc(requireValue(this.#request), pdu);
      if (mismatch !== undefined) return this.#dispatch('Evt19', mismatch);
    }
    return this.#dispatch(PDU_EVENTS[pdu.type], pdu);
  }

  /** Runs the action of Table 9-10 for `event`; only P-DATA delivery has a promise to drop. */
  #fire(event: Event, input?: Pdu | DicomnetError): void {
    // The promise of DT-2/AR-6 never rejects (#deliver contains the handler's failure).
    void this.#dispatch(event, input);
  }

  /**
   * Runs the action of Table 9-10 for `event` in the current state. Returns the P-DATA
   * handler's promise (DT-2, AR-6), which holds further input until it settles.
   */
  #dispatch(event: Event, input?: Pdu | DicomnetError): void | Promise<void> {
    const from = this.#state;
    // In Sta1 there is no connection any more: late transport, timer and PDU events are moot.
    if (from === 'Sta1' && event !== 'Evt1' && event !== 'Evt5') return undefined;
    // A local abort before any A-ASSOCIATE-RQ (Sta2) has no cell in Table 9-10 and there is no
    // association to abort: close the connection and send nothing (AA-2; decision record 0001).
    const action = from === 'Sta2' && event === 'Evt15' ? 'AA-2' : actionFor(from, event);
    let result: void | Promise<void>;
    try {
      result = this.#perform(action, from, event, input);
    } catch (error) {
      // Containment: nothing thrown while running an action may leave this association.
      this.#contain('state-machine', error);
      return undefined;
    }
    publishStateChanged(this.id, this.role, from, event, action, this.#state);
    return result;
  }

  /**
   * Moves to `state`. A timer starts when a waiting state is entered from another state and is
   * never restarted by staying there: ARTIM runs once through Sta13, however many stray PDUs
   * AA-6/AA-7 ignore meanwhile (PS3.8 Table 9-9 starts it in AE-6, AE-8, AR-4, AA-1 and AA-8
   * only), and sending P-DATA in Sta8 (AR-7) does not extend the release handler's bound.
   */
  #enter(state: State): void {
    const previous = this.#state;
    this.#state = state;
    if (previous === state && (WAITING_STATES.has(state) || USER_STATES.has(state))) return;
    const timeout = WAITING_STATES.has(state)
      ? this.#artimTimeout
      : state === 'Sta3'
        ? this.#associateResponseTimeout
        : USER_STATES.has(state)
          ? this.#releaseResponseTimeout
          : undefined;
    if (timeout === undefined) this.#timer.stop();
    else this.#timer.start(timeout, () => this.#guard('timer', () => this.#onTimeout()));
  }

  #onTimeout(): void {
    const state = this.#state;
    if (state === 'Sta2' || state === 'Sta13') {
      this.#fire('Evt18');
      return;
    }
    if (state === 'Sta3') {
      // Our policy did not answer. The provider answers for it with a transient reject, which
      // tells the peer to retry later (PS3.8 Table 9-21: 2/3/1 temporary-congestion); an
      // A-ABORT would tell it nothing, and AA-1 would name our user as its source.
      this.#endWith(new UserResponseTimeoutError(state, this.#associateResponseTimeout));
      this.#fire('Evt8', {
        type: 'A-ASSOCIATE-RJ',
        result: RejectResult.Transient,
        source: RejectSource.ServiceProviderPresentation,
        reason: RejectReason.TemporaryCongestion,
      });
      return;
    }
    if (USER_STATES.has(state)) {
      // Our release handler did not finish: an A-RELEASE-RP would claim a normal release that
      // did not happen. PS3.8 7.2.2 lets the acceptor answer an A-RELEASE indication with
      // A-ABORT, which releases "with the possible loss of information in transit": the truth.
      this.#providerAbort(new UserResponseTimeoutError(state, this.#releaseResponseTimeout));
      return;
    }
    // No answer to our A-ASSOCIATE-RQ or A-RELEASE-RQ: the standard sets no timer here, so we
    // give up as the user would, with an A-ABORT (Evt15, AA-1).
    this.#endWith(new AssociationTimeoutError(state, this.#artimTimeout));
    this.#fire('Evt15');
  }

  #perform(
    action: Action,
    from: State,
    event: Event,
    input?: Pdu | DicomnetError,
  ): void | Promise<void> {
    switch (action) {
      case 'AE-1':
        this.#enter('Sta4');
        return;
      case 'AE-2':
        this.#enter('Sta5');
        this.#send(requireValue(this.#request));
        return;
      case 'AE-3': {
        const ac = input as AssociateAc; // Evt3 always carries the A-ASSOCIATE-AC
        this.#enter('Sta6');
        this.#establish(requireValue(this.#request), ac);
        return;
      }
      case 'AE-4': {
        const rj = input as AssociateRj; // Evt4 always carries the A-ASSOCIATE-RJ
        this.#enter('Sta1');
        this.#endWith(new AssociationRejectedError(rj.result, rj.source, rj.reason));
        this.#closeTransport();
        return;
      }
      case 'AE-5':
        this.#enter('Sta2');
        return;
      case 'AE-6':
        // Not awaited: while the user decides (Sta3) the peer may still abort or close.
        void this.#onAssociateRequest(input as AssociateRq).catch((error: unknown) =>
          this.#contain('policy', error),
        ); // Evt6 carries the A-ASSOCIATE-RQ
        return;
      case 'AE-7':
        this.#enter('Sta6');
        this.#send(input as AssociateAc); // Evt7 is fired with our A-ASSOCIATE-AC
        this.#establish(requireValue(this.#request), input as AssociateAc);
        return;
      case 'AE-8': {
        const rj = input as AssociateRj; // Evt8 is fired with our A-ASSOCIATE-RJ
        this.#enter('Sta13');
        this.#send(rj);
        this.#endWith(new AssociationRejectedError(rj.result, rj.source, rj.reason));
        return;
      }
      case 'DT-1':
      case 'AR-7':
        this.#enter(action === 'DT-1' ? 'Sta6' : 'Sta8');
        return; // the MessageWriter writes the PDU itself
      case 'DT-2':
      case 'AR-6':
        return this.#deliver(input as PDataTf); // Evt10 carries the P-DATA-TF
      case 'AR-1':
        this.#enter('Sta7');
        this.#send({ type: 'A-RELEASE-RQ' });
        return;
      case 'AR-2':
        this.#enter('Sta8');
        this.#answerRelease();
        return;
      case 'AR-3':
        this.#enter('Sta1');
        this.#endWith(undefined);
        this.#closeTransport();
        return;
      case 'AR-4':
        this.#enter('Sta13');
        this.#send({ type: 'A-RELEASE-RP' });
        this.#endWith(undefined);
        return;
      case 'AR-5':
        this.#enter('Sta1');
        return;
      case 'AR-8':
        this.#enter(this.role === 'requestor' ? 'Sta9' : 'Sta10');
        this.#answerRelease();
        return;
      case 'AR-9':
        this.#enter('Sta11');
        this.#send({ type: 'A-RELEASE-RP' });
        return;
      case 'AR-10':
        this.#enter('Sta12');
        this.#answerRelease();
        return;
      case 'AA-1':
        this.#enter('Sta13');
        this.#send({ type: 'A-ABORT', source: AbortSource.ServiceUser, reason: 0 });
        this.#endWith(new AssociationAbortedError('local', AbortSource.ServiceUser, 0));
        return;
      case 'AA-2':
        // In Sta2 no association existed yet: the peer aborted or ARTIM expired before its RQ.
        if (from === 'Sta2') {
          this.#endWith(
            event === 'Evt16'
              ? new AssociationAbortedError('peer', AbortSource.ServiceUser, 0)
              : event === 'Evt15'
                ? new AssociationAbortedError('local', AbortSource.ServiceUser, 0)
                : new AssociationTimeoutError(from, this.#artimTimeout),
          );
        }
        this.#enter('Sta1');
        this.#closeTransport();
        return;
      case 'AA-3': {
        const abort = input as Extract<Pdu, { type: 'A-ABORT' }>; // Evt16 carries the A-ABORT
        this.#enter('Sta1');
        this.#endWith(new AssociationAbortedError('peer', abort.source, abort.reason));
        this.#closeTransport();
        return;
      }
      case 'AA-4':
        this.#endWith(new TransportClosedError(from, { cause: this.#inbound.transportError }));
        this.#enter('Sta1');
        this.#closeTransport();
        return;
      case 'AA-5':
        this.#endWith(new TransportClosedError(from, { cause: this.#inbound.transportError }));
        this.#enter('Sta1');
        return;
      case 'AA-6':
        this.#enter('Sta13');
        return;
      case 'AA-7':
      case 'AA-8': {
        const reason = isError(input) ? abortReasonOf(input) : AbortReason.UnexpectedPdu;
        this.#enter('Sta13');
        this.#send({ type: 'A-ABORT', source: AbortSource.ServiceProvider, reason });
        if (action === 'AA-8') {
          const cause = isError(input) ? input : undefined;
          this.#endWith(
            new AssociationAbortedError('provider', AbortSource.ServiceProvider, reason, { cause }),
          );
        }
        return;
      }
    }
  }

  async #onAssociateRequest(rq: AssociateRq): Promise<void> {
    this.#timer.stop();
    this.#request = rq;
    // AE-6: the provider's own checks (protocol version, AE titles), before any policy runs;
    // a refused RQ is answered with A-ASSOCIATE-RJ and ARTIM started (PS3.8 Table 9-7).
    const rj = checkAssociateRq(rq);
    if (rj !== undefined) {
      this.#enter('Sta13');
      this.#send(rj);
      this.#endWith(new AssociationRejectedError(rj.result, rj.source, rj.reason));
      return;
    }
    this.#enter('Sta3');
    const decide = requireValue(this.#decide);
    let answer: AssociateAc | AssociateRj;
    try {
      answer = await decide(rq);
    } catch (error) {
      // The policy (our local user) failed: it still answers, transiently, as Evt8 in Sta3
      // allows, so the peer may retry rather than wait (PS3.8 Table 9-21: 2/1/1).
      answer = { type: 'A-ASSOCIATE-RJ', result: 2, source: 1, reason: 1 };
      const failure = new AssociationInternalError('policy', error);
      this.#publishFailure(failure);
      this.#endWith(failure);
    }
    if (this.#state !== 'Sta3') return; // aborted or closed while deciding
    this.#fire(answer.type === 'A-ASSOCIATE-AC' ? 'Evt7' : 'Evt8', answer);
  }

  #establish(rq: AssociateRq, ac: AssociateAc): void {
    this.#negotiated = negotiatedAssociation(this.role, rq, ac);
    this.#established.resolve(this.#negotiated);
  }

  /**
   * Asks the user (onReleaseRequest) and answers A-RELEASE-RP when it has settled (Evt14). A
   * handler that throws or rejects cannot refuse the release, but it has not finished either:
   * answering A-RELEASE-RP would claim a normal release, so the association is aborted instead,
   * which PS3.8 7.2.2 allows in answer to an A-RELEASE indication ("the association is released
   * with the possible loss of information in transit").
   */
  #answerRelease(): void {
    this.#releaseAnswer ??= Promise.resolve()
      .then(() => this.#writer.idle())
      .then(() => this.#handlers.onReleaseRequest?.())
      .then(
        () => true,
        (error: unknown) => {
          this.#contain('on-release-request', error);
          return false;
        },
      );
    void this.#releaseAnswer.then((answered) => {
      // Sta10 waits for the peer's A-RELEASE-RP first; AR-10 calls us again in Sta12.
      const state = this.#state;
      if (answered && (state === 'Sta8' || state === 'Sta9' || state === 'Sta12'))
        this.#fire('Evt14');
    });
  }

  /** P-DATA indication; a handler that throws or rejects ends this association, nothing else. */
  #deliver(pdu: PDataTf): void | Promise<void> {
    let pending: void | Promise<void>;
    try {
      pending = this.#inbound.deliver(pdu);
    } catch (error) {
      this.#contain('on-pdata', error);
      return undefined;
    }
    return pending?.catch((error: unknown) => this.#contain('on-pdata', error));
  }

  #beforePData(): DicomnetError | undefined {
    if (this.#state !== 'Sta6' && this.#state !== 'Sta8') {
      return this.#endError ?? new InvalidStateError(this.#state, 'send P-DATA');
    }
    this.#fire('Evt9');
    return undefined;
  }

  #send(pdu: Pdu): void {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed || !socket.writable) return;
    let bytes: Uint8Array;
    try {
      bytes = encodePdu(pdu);
    } catch (error) {
      throw new AssociationInternalError('encode', error);
    }
    socket.write(bytes);
    publishPduSent(this.id, bytes[0] ?? 0, bytes.length - 6);
  }

  /** Marks the association as over for the user, once; later calls keep the first outcome. */
  #endWith(error: DicomnetError | undefined): void {
    if (this.#isEnded) return;
    this.#isEnded = true;
    this.#endError = error;
    if (error === undefined) this.#ended.resolve();
    else this.#ended.reject(error);
    this.#established.reject(
      error ?? new InvalidStateError(this.#state, 'establish the association'),
    );
    publishAssociationEnded({ associationId: this.id, role: this.role, error });
    // The association is over already: a throwing onEnd is reported, and the action that ended
    // the association still completes (its PDU sent, its transport closed).
    this.#guard('on-end', () => this.#handlers.onEnd?.(error), false);
  }

  /** Runs `body`; an exception is contained (and, when `abort`, ends the association). */
  #guard(where: FailurePoint, body: () => void, abort = true): void {
    try {
      body();
    } catch (error) {
      if (abort) this.#contain(where, error);
      else this.#publishFailure(new AssociationInternalError(where, error));
    }
  }

  #publishFailure(failure: AssociationInternalError): void {
    publishAssociationError({ associationId: this.id, role: this.role, error: failure });
  }

  /**
   * Containment (issue 13): an exception caught on this association's path is published and ends
   * this association only. Where an association exists or is being negotiated we send A-ABORT
   * source 2 (service-provider), reason 0 (PS3.8 7.4, Table 9-26) and wait in Sta13 as AA-8 does;
   * before the A-ASSOCIATE-RQ (Sta2), while connecting (Sta4) or after the end (Sta13) there is
   * nothing to abort and the connection is just closed. Never throws.
   */
  #contain(where: FailurePoint, error: unknown): void {
    const failure =
      error instanceof AssociationInternalError
        ? error
        : new AssociationInternalError(where, error);
    try {
      this.#publishFailure(failure);
      this.#endByProvider(failure);
    } catch {
      // A second failure while containing the first: drop the connection, the last resort.
      this.#socket?.destroy();
    }
  }

  /**
   * Ends the association on our provider's initiative because of `cause`: A-ABORT source 2,
   * reason 0 where an association exists or is being negotiated (the user sees an
   * {@link AssociationAbortedError} with `cause`); a plain close before the A-ASSOCIATE-RQ
   * (Sta2), while connecting (Sta4) or after the end (Sta13), where there is nothing to abort.
   */
  #endByProvider(cause: DicomnetError): void {
    const state = this.#state;
    if (state === 'Sta1') return;
    if (state === 'Sta2' || state === 'Sta4' || state === 'Sta13') {
      this.#endWith(cause);
      if (state !== 'Sta13') this.#enter('Sta1');
      this.#closeTransport();
      return;
    }
    this.#providerAbort(
      new AssociationAbortedError('provider', AbortSource.ServiceProvider, 0, { cause }),
    );
  }

  /** A-ABORT source 2, reason 0 on our provider's initiative (PS3.8 7.4), then Sta13 as AA-8. */
  #providerAbort(error: DicomnetError): void {
    this.#enter('Sta13');
    this.#send({ type: 'A-ABORT', source: AbortSource.ServiceProvider, reason: 0 });
    this.#endWith(error);
  }

  #closeTransport(): void {
    const socket = this.#socket;
    if (socket === undefined) {
      this.#closed.resolve(); // never connected
      return;
    }
    if (socket.destroyed) return;
    socket.end(() => socket.destroy());
    // A peer that never closes its side must not keep the socket alive.
    setTimeout(() => socket.destroy(), this.#artimTimeout).unref();
  }
}

function requireValue<T>(value: T | undefined): T {
  if (value === undefined) throw new TypeError('association used out of order');
  return value;
}

function isError(value: unknown): value is DicomnetError {
  return value instanceof Error;
}

function abortReasonOf(error: DicomnetError): number {
  const reason = (error as { abortReason?: unknown }).abortReason; // codec errors carry one
  return typeof reason === 'number' ? reason : AbortReason.NotSpecified;
}
