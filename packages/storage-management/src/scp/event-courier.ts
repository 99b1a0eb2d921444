// Delivers the N-EVENT-REPORTs an SCP owes (PS3.4 KK.2.3.2; storage-management.md §8): on the
// association of the transaction's latest N-ACTION while it is open, never before that N-ACTION's
// response; otherwise on a new association to the requester's AE, on which we propose Inventory
// Creation asking for the SCP role through SCP/SCU Role Selection (PS3.7 D.3.3.4; the requestor
// is SCU by default), as Storage Commitment does (PS3.4 J.3.3). Owed events are persisted, so
// they survive a restart; failed deliveries are tried again with a bounded back-off.
import type { DimseClient } from '@dicomnet/dimse';
import { connect, DimseStatusError } from '@dicomnet/dimse';
import { TransferSyntax } from '@dicomnet/data';
import { INVENTORY_CREATION_SOP_CLASS, STORAGE_MANAGEMENT_SOP_INSTANCE } from '../uids.js';
import type { OwedEvent, TransactionStore } from './transaction-store.js';

/** A requester's network address. */
export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

/** The AE table: AE title → address, as a table or a lookup (like `dicomnet serve --peer`). */
export type PeerTable =
  Readonly<Record<string, PeerAddress>> | ((aeTitle: string) => PeerAddress | undefined);

/** How events are retried (all times in ms). */
export interface DeliveryOptions {
  /** Attempts per event before giving up; default 8. */
  readonly maxAttempts?: number;
  /** Wait after the first failed attempt; doubled after each one; default 1,000. */
  readonly initialDelay?: number;
  /** Longest wait between attempts; default 60,000. */
  readonly maxDelay?: number;
  /** Bound of one attempt on a new association (connect, report, release); default 30,000. */
  readonly timeout?: number;
}

/** What happened to one event, for the SCP's listeners. */
export type DeliveryReport =
  | {
      readonly type: 'event-delivered';
      readonly transactionUid: string;
      readonly eventTypeId: number;
      readonly via: 'same-association' | 'new-association';
      readonly status: number;
    }
  | {
      readonly type: 'event-retry' | 'event-given-up';
      readonly transactionUid: string;
      readonly eventTypeId: number;
      readonly attempts: number;
      /** The requester's status, when it answered with one. */
      readonly status: number | undefined;
      readonly reason: string;
    };

/**
 * The requester's answers that mean "try later": 0213H Resource limitation and 0110H Processing
 * failure (PS3.7 10.1.1.1.8; storage-management.md §9). Every other failure status of
 * N-EVENT-REPORT (0112H, 0113H, 0114H, 0115H, 0117H, 0118H, 0119H, 0210H, 0211H, 0212H) says
 * the report itself is unwelcome: sending it again cannot help, so we give up and say so.
 */
const RETRY_STATUSES: ReadonlySet<number> = new Set([0x0213, 0x0110]);

const TRANSFER_SYNTAXES = [
  TransferSyntax.ExplicitVrLittleEndian,
  TransferSyntax.ImplicitVrLittleEndian,
];

type Attempt =
  | {
      readonly outcome: 'delivered';
      readonly status: number;
      readonly via: 'same-association' | 'new-association';
    }
  | {
      readonly outcome: 'retry' | 'give-up';
      readonly status: number | undefined;
      readonly reason: string;
    };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function attemptOf(error: unknown): Attempt {
  if (error instanceof DimseStatusError) {
    return {
      outcome: RETRY_STATUSES.has(error.status) ? 'retry' : 'give-up',
      status: error.status,
      reason: error.message,
    };
  }
  // No answer at all (refused, unreachable, aborted, timed out): the requester may come back.
  return { outcome: 'retry', status: undefined, reason: messageOf(error) };
}

/** Sends owed events, one transaction's in order, transactions side by side. */
export class EventCourier {
  readonly #store: TransactionStore;
  readonly #aeTitle: string;
  readonly #peers: PeerTable | undefined;
  readonly #maxAttempts: number;
  readonly #initialDelay: number;
  readonly #maxDelay: number;
  readonly #timeout: number;
  readonly #report: (report: DeliveryReport) => void;
  /** The association of each transaction's latest N-ACTION, while it is open. */
  readonly #associations = new Map<string, DimseClient>();
  /** Each transaction's latest N-ACTION response: its events wait for it. */
  readonly #gates = new Map<string, Promise<unknown>>();
  readonly #busy = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: {
    readonly store: TransactionStore;
    readonly aeTitle: string;
    readonly peers: PeerTable | undefined;
    readonly delivery: DeliveryOptions | undefined;
    readonly report: (report: DeliveryReport) => void;
  }) {
    this.#store = options.store;
    this.#aeTitle = options.aeTitle;
    this.#peers = options.peers;
    this.#maxAttempts = options.delivery?.maxAttempts ?? 8;
    this.#initialDelay = options.delivery?.initialDelay ?? 1_000;
    this.#maxDelay = options.delivery?.maxDelay ?? 60_000;
    this.#timeout = options.delivery?.timeout ?? 30_000;
    this.#report = options.report;
  }

  /**
   * Notes the N-ACTION that just arrived for `transactionUid`: its events go on `peer` while that
   * association is open, and only once `responded` has settled (KK.2.3.2: the report follows the
   * response; a report sent earlier would reach the requester ahead of it).
   */
  noteRequest(transactionUid: string, peer: DimseClient, responded: Promise<boolean>): void {
    this.#associations.set(transactionUid, peer);
    this.#gates.set(transactionUid, responded);
    void peer.closed.then(() => {
      if (this.#associations.get(transactionUid) === peer)
        this.#associations.delete(transactionUid);
    });
  }

  /** Looks for owed events that are due and starts sending them. */
  wake(): void {
    if (this.#stop.signal.aborted) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = Date.now();
    const heads = new Map<string, OwedEvent>();
    for (const event of this.#store.owed()) {
      if (!heads.has(event.transactionUid)) heads.set(event.transactionUid, event);
    }
    let nextDue = Infinity;
    for (const [transactionUid, head] of heads) {
      if (this.#busy.has(transactionUid)) continue;
      if (head.notBefore > now) {
        nextDue = Math.min(nextDue, head.notBefore);
        continue;
      }
      this.#busy.add(transactionUid);
      const run = this.#deliverAll(transactionUid).finally(() => {
        this.#busy.delete(transactionUid);
        this.#running.delete(run);
        this.wake();
      });
      this.#running.add(run);
    }
    if (nextDue !== Infinity) {
      this.#timer = setTimeout(() => this.wake(), Math.max(0, nextDue - now));
      this.#timer.unref();
    }
  }

  /** Stops sending: attempts under way are aborted; what is still owed stays in the store. */
  async close(): Promise<void> {
    this.#stop.abort(new Error('the Inventory Creation SCP is closing'));
    clearTimeout(this.#timer);
    await Promise.allSettled([...this.#running]);
  }

  /** Sends the transaction's due events in order, on one association, until one fails. */
  async #deliverAll(transactionUid: string): Promise<void> {
    await this.#gates.get(transactionUid);
    let fresh: DimseClient | undefined;
    try {
      for (;;) {
        if (this.#stop.signal.aborted) return;
        const event = this.#store.owed().find((owed) => owed.transactionUid === transactionUid);
        if (event === undefined || event.notBefore > Date.now()) return;
        let attempt: Attempt;
        const same = this.#associations.get(transactionUid);
        attempt =
          same === undefined
            ? { outcome: 'retry', status: undefined, reason: '' }
            : await this.#send(same, event, 'same-association');
        if (attempt.outcome === 'retry' && attempt.status === undefined) {
          // The N-ACTION's association is gone (or failed under us): a new one.
          try {
            fresh ??= await this.#open(event.requesterAeTitle);
            attempt = await this.#send(fresh, event, 'new-association');
          } catch (error) {
            attempt = attemptOf(error);
          }
          if (attempt.outcome !== 'delivered' && fresh !== undefined) {
            void fresh.abort();
            fresh = undefined;
          }
        }
        if (!this.#settle(event, attempt)) return;
      }
    } finally {
      if (fresh !== undefined) await fresh.release().catch(() => fresh?.abort());
    }
  }

  async #send(
    client: DimseClient,
    event: OwedEvent,
    via: 'same-association' | 'new-association',
  ): Promise<Attempt> {
    try {
      const result = await client.eventReport(
        {
          sopClassUid: INVENTORY_CREATION_SOP_CLASS,
          // KK.2.3.2: the well-known instance is the Affected SOP Instance of every report.
          sopInstanceUid: STORAGE_MANAGEMENT_SOP_INSTANCE,
          eventTypeId: event.eventTypeId,
          eventInformation: event.information,
        },
        { signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.#timeout)]) },
      );
      return { outcome: 'delivered', status: result.status, via };
    } catch (error) {
      return attemptOf(error);
    }
  }

  async #open(aeTitle: string): Promise<DimseClient> {
    const address =
      typeof this.#peers === 'function' ? this.#peers(aeTitle) : this.#peers?.[aeTitle];
    if (address === undefined)
      throw new Error(`no address for AE title ${aeTitle} in the AE table`);
    return connect({
      host: address.host,
      port: address.port,
      callingAeTitle: this.#aeTitle,
      calledAeTitle: aeTitle,
      // We are the Inventory Creation SCP on an association we request (PS3.7 D.3.3.4).
      contexts: [
        {
          abstractSyntax: INVENTORY_CREATION_SOP_CLASS,
          transferSyntaxes: TRANSFER_SYNTAXES,
          roles: { scu: false, scp: true },
        },
      ],
      signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.#timeout)]),
    });
  }

  /** Records the attempt; true when the next event of the transaction may follow at once. */
  #settle(event: OwedEvent, attempt: Attempt): boolean {
    const base = { transactionUid: event.transactionUid, eventTypeId: event.eventTypeId };
    if (attempt.outcome === 'delivered') {
      this.#store.settle(event.id);
      this.#report({ type: 'event-delivered', ...base, via: attempt.via, status: attempt.status });
      return true;
    }
    if (this.#stop.signal.aborted) return false; // closing: the event stays owed as it was
    const attempts = event.attempts + 1;
    const failure = { ...base, attempts, status: attempt.status };
    if (attempt.outcome === 'give-up' || attempts >= this.#maxAttempts) {
      this.#store.settle(event.id);
      const reason =
        attempt.outcome === 'give-up' ? attempt.reason : `${attempts} attempts: ${attempt.reason}`;
      this.#report({ type: 'event-given-up', ...failure, reason });
      return true;
    }
    const delay = Math.min(this.#maxDelay, this.#initialDelay * 2 ** (attempts - 1));
    this.#store.postpone(event.id, Date.now() + delay);
    this.#report({ type: 'event-retry', ...failure, reason: attempt.reason });
    return false;
  }
}
