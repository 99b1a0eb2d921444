// The productions of an Inventory Creation SCP: each transaction's state moves through the one
// transition table (transitions.ts), its production runs (produceInventory) while PROCESSING,
// and every state change owes an N-EVENT-REPORT (PS3.4 KK.2, KK.2.3.2). What happens to one
// transaction happens one step at a time (a per-transaction chain), so an N-ACTION never races
// the end of its own production.
import type { DataSet } from '@dicomnet/data';
import type { Query } from '@dicomnet/repository';
import { parseInventoryScope } from '@dicomnet/repository';
import type { InventorySink } from '../inventory-sink.js';
import type { InventorySource } from '../inventory-source.js';
import { EventType, isTerminal } from '../message-types.js';
import { finishInventory, produceInventory } from '../produce/index.js';
import type { InventoryRequestSpec, InventoryRoot } from '../produce/types.js';
import type { EventCourier } from './event-courier.js';
import type { InventoryRootAccess } from './event-information.js';
import {
  statusInformation,
  terminatedWithInstancesInformation,
  terminatedWithoutInstancesInformation,
} from './event-information.js';
import type { InventoryAction } from './parse-action.js';
import { ProductionStoppedError } from './scp-errors.js';
import type { ScpNotices } from './scp-events.js';
import type { TransitionCause } from './transitions.js';
import { INITIAL_STATE, nextState } from './transitions.js';
import type { PendingFinish, StoredTransaction, TransactionStore } from './transaction-store.js';

type Outcome =
  | { readonly kind: 'complete'; readonly root: InventoryRoot }
  | { readonly kind: 'stopped'; readonly why: ProductionStoppedError['why'] }
  | { readonly kind: 'failed'; readonly error: unknown };

/** One running produceInventory. */
interface Run {
  readonly controller: AbortController;
  readonly done: Promise<Outcome>;
  /** Set once an outcome has been acted on (by the supervisor or by the step that stopped it). */
  concluded: boolean;
}

/** What productions need from the SCP. */
export interface ProductionsOptions {
  readonly store: TransactionStore;
  readonly courier: EventCourier;
  readonly notices: ScpNotices;
  readonly source: InventorySource;
  readonly sink: InventorySink;
  readonly access: InventoryRootAccess;
  readonly maxRecordsPerInstance: number | undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The transactions of one SCP and their productions. */
export class Productions {
  readonly #options: ProductionsOptions;
  readonly #runs = new Map<string, Run>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #chains = new Map<string, Promise<unknown>>();
  /** Study records so far of running productions, the open leaf included. */
  readonly #progress = new Map<string, number>();
  /**
   * Instances this process stored for each transaction, checkpointed or not: the first parts of a
   * split study are stored before the checkpoint that names them (produce-inventory.ts), so a
   * Cancel that removes, or a root over the checkpoint, must also see them to leave no orphan.
   */
  readonly #stored = new Map<string, Set<string>>();
  readonly #background = new Set<Promise<unknown>>();
  #closing = false;
  /** Aborts winding-up work on close(): it is redone, from `pendingFinish`, after a restart. */
  readonly #shutdown = new AbortController();

  constructor(options: ProductionsOptions) {
    this.#options = options;
  }

  /** Transactions not yet terminal (PROCESSING or PAUSED): what the concurrency limit counts. */
  activeCount(): number {
    return this.#options.store.countActive();
  }

  /** Study records of a transaction so far. */
  studyRecords(transaction: StoredTransaction): number {
    return this.#progress.get(transaction.transactionUid) ?? transaction.studyRecords;
  }

  /** Runs `step` after every earlier step of the same transaction. */
  serial<T>(transactionUid: string, step: () => T | Promise<T>): Promise<T> {
    const previous = this.#chains.get(transactionUid) ?? Promise.resolve();
    const next = previous.then(step, step);
    const settled = next.catch(() => undefined);
    this.#chains.set(transactionUid, settled);
    void settled.then(() => {
      if (this.#chains.get(transactionUid) === settled) this.#chains.delete(transactionUid);
    });
    return next;
  }

  /** Records an Initiate and starts its production (KK.2: Initiate → PROCESSING). */
  initiate(action: InventoryAction & { kind: 'initiate' }, requesterAeTitle: string): void {
    const transaction: StoredTransaction = {
      transactionUid: action.transactionUid,
      requesterAeTitle,
      level: action.level,
      scope: action.scope,
      purpose: action.purpose,
      startedAt: new Date(),
      statusInterval: action.statusInterval,
      state: INITIAL_STATE,
      statusComment: undefined,
      checkpoint: undefined,
      studyRecords: 0,
      root: undefined,
      pendingFinish: undefined,
    };
    this.#options.store.insert(transaction);
    this.#start(transaction, action.query);
    // Entering PROCESSING is the production's first state change (KK.2.3.2).
    this.#changed(transaction.transactionUid);
    this.#schedule(transaction.transactionUid, action.statusInterval);
  }

  /** Request Status (12): a status report now; a new interval when one is given (KK.2.2.2). */
  requestStatus(transaction: StoredTransaction, interval: number | undefined): void {
    if (interval !== undefined && !isTerminal(transaction.state)) {
      this.#options.store.update(transaction.transactionUid, { statusInterval: interval });
      this.#schedule(transaction.transactionUid, interval);
    }
    this.#oweStatus(transaction.transactionUid);
  }

  /** Pause: stops the production, keeping its checkpoint (KK.2: PROCESSING → PAUSED). */
  async pause(transaction: StoredTransaction): Promise<void> {
    if (transaction.state !== 'PROCESSING') return; // PAUSED stays PAUSED: no state change
    const run = this.#runs.get(transaction.transactionUid);
    if (run === undefined) {
      this.#move(transaction.transactionUid, 'pause');
      return;
    }
    run.controller.abort(new ProductionStoppedError('pause'));
    this.#conclude(transaction.transactionUid, run, await run.done);
  }

  /** Resume: production goes on from its checkpoint (KK.2: PAUSED → PROCESSING). */
  resume(transaction: StoredTransaction): void {
    if (transaction.state !== 'PAUSED') return; // PROCESSING stays PROCESSING
    const query = this.#queryOf(transaction);
    if (query instanceof Error) {
      this.#fail(transaction.transactionUid, query);
      return;
    }
    this.#move(transaction.transactionUid, 'resume');
    const current = this.#options.store.get(transaction.transactionUid) ?? transaction;
    this.#start(current, query);
  }

  /**
   * Cancel (KK.2: PROCESSING or PAUSED → CANCELED): stops the production; what it produced is
   * kept (`retain`: a root over the stored leaves, event 11) or removed (event 13). The winding
   * up runs after this step, so the N-ACTION is answered at once.
   */
  async cancel(transaction: StoredTransaction, retain: boolean): Promise<void> {
    const uid = transaction.transactionUid;
    const run = this.#runs.get(uid);
    if (run !== undefined) {
      run.controller.abort(new ProductionStoppedError('cancel'));
      const outcome = await run.done;
      run.concluded = true;
      this.#runs.delete(uid);
      this.#progress.delete(uid);
      // Finished before it could stop: the whole inventory is what Cancel keeps or removes.
      if (outcome.kind === 'complete') this.#options.store.update(uid, { root: outcome.root });
    }
    this.#end(uid, 'cancel', undefined, retain ? 'retain' : 'remove');
  }

  /**
   * Picks up after a restart: PROCESSING productions go on from their checkpoint (or FAILURE if
   * their scope no longer parses), terminal ones still being wound up are finished, and owed
   * events are sent (KK.2.3.2: the terminal event is still delivered).
   */
  restore(): void {
    for (const transaction of this.#options.store.list()) {
      const uid = transaction.transactionUid;
      if (transaction.state === 'PROCESSING') {
        const query = this.#queryOf(transaction);
        if (query instanceof Error) this.#fail(uid, query);
        else this.#start(transaction, query);
      }
      if (!isTerminal(transaction.state)) this.#schedule(uid, transaction.statusInterval);
      if (isTerminal(transaction.state) && transaction.pendingFinish !== undefined) {
        this.#track(this.serial(uid, () => this.#finish(uid)));
      }
    }
  }

  /** Stops every production (its checkpoint stands; it resumes on restart) and every timer. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#shutdown.abort(new ProductionStoppedError('shutdown'));
    for (const timer of this.#timers.values()) clearInterval(timer);
    this.#timers.clear();
    for (const run of this.#runs.values())
      run.controller.abort(new ProductionStoppedError('shutdown'));
    await Promise.allSettled([...[...this.#runs.values()].map((run) => run.done)]);
    await Promise.allSettled([...this.#background, ...this.#chains.values()]);
  }

  #queryOf(transaction: StoredTransaction): Query | Error {
    try {
      return parseInventoryScope(transaction.scope, {
        isMatchable: (tag) => this.#options.source.isMatchable(tag),
      });
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** The root's scope is the transaction's; its query only matters to a running walk. */
  #queryOrUniversal(transaction: StoredTransaction): Query {
    const query = this.#queryOf(transaction);
    return query instanceof Error ? { conditions: [], returnKeys: [], ignoredKeys: [] } : query;
  }

  #requestOf(transaction: StoredTransaction, query: Query): InventoryRequestSpec {
    return {
      transactionUid: transaction.transactionUid,
      level: transaction.level,
      ...(transaction.scope !== undefined && { scope: transaction.scope }),
      query,
      ...(transaction.purpose !== undefined && { purpose: transaction.purpose }),
      startedAt: transaction.startedAt,
    };
  }

  #start(transaction: StoredTransaction, query: Query): void {
    const uid = transaction.transactionUid;
    const { store, notices, source, sink } = this.#options;
    const controller = new AbortController();
    const stored = this.#stored.get(uid) ?? new Set<string>();
    this.#stored.set(uid, stored);
    const done = produceInventory({
      source,
      sink: {
        store: async (instance, signal) => {
          await sink.store(instance, signal);
          stored.add(instance.sopInstanceUid);
        },
        remove: (sopInstanceUid) => sink.remove(sopInstanceUid),
      },
      request: this.#requestOf(transaction, query),
      ...(this.#options.maxRecordsPerInstance !== undefined && {
        maxRecordsPerInstance: this.#options.maxRecordsPerInstance,
      }),
      ...(transaction.checkpoint !== undefined && { resume: transaction.checkpoint }),
      signal: controller.signal,
      onCheckpoint: (checkpoint) => {
        store.update(uid, { checkpoint, studyRecords: checkpoint.studyRecords });
      },
      onProgress: (studyRecords) => {
        this.#progress.set(uid, studyRecords);
        notices.emit({ type: 'progress', transactionUid: uid, studyRecords });
      },
    }).then(
      (root): Outcome => ({ kind: 'complete', root }),
      (error: unknown): Outcome =>
        controller.signal.aborted && controller.signal.reason instanceof ProductionStoppedError
          ? { kind: 'stopped', why: controller.signal.reason.why }
          : { kind: 'failed', error },
    );
    const run: Run = { controller, done, concluded: false };
    this.#runs.set(uid, run);
    this.#track(done.then((outcome) => this.serial(uid, () => this.#conclude(uid, run, outcome))));
  }

  /** Acts on the end of a run, once. */
  #conclude(uid: string, run: Run, outcome: Outcome): void {
    if (run.concluded) return;
    run.concluded = true;
    if (this.#runs.get(uid) === run) this.#runs.delete(uid);
    switch (outcome.kind) {
      case 'complete':
        this.#options.store.update(uid, {
          root: outcome.root,
          studyRecords: outcome.root.totalStudyRecords,
        });
        this.#progress.delete(uid);
        this.#end(uid, 'complete', undefined, 'retain');
        return;
      case 'failed':
        this.#fail(uid, outcome.error);
        return;
      case 'stopped':
        // What a paused production holds is its checkpoint; the open leaf is gone.
        this.#progress.delete(uid);
        if (outcome.why === 'pause') this.#move(uid, 'pause');
        // 'shutdown': the state stays PROCESSING in the store; a restart resumes it.
        return;
    }
  }

  /** FAILURE (KK.2: "processing failure"): what was stored is kept, as a PARTIAL inventory. */
  #fail(uid: string, error: unknown): void {
    this.#progress.delete(uid);
    this.#options.notices.emit({ type: 'failure', transactionUid: uid, error });
    this.#end(uid, 'fail', messageOf(error), 'retain');
  }

  /** A non-terminal move: persisted, announced, reported (event 12). */
  #move(uid: string, cause: TransitionCause): void {
    const transaction = this.#options.store.get(uid);
    if (transaction === undefined) return;
    const state = nextState(transaction.state, cause);
    if (state === undefined || state === transaction.state) return;
    this.#options.store.update(uid, { state });
    this.#changed(uid);
  }

  /** A move into a terminal state; the terminal event follows once what stays is settled. */
  #end(
    uid: string,
    cause: TransitionCause,
    comment: string | undefined,
    finish: PendingFinish,
  ): void {
    const transaction = this.#options.store.get(uid);
    if (transaction === undefined) return;
    const state = nextState(transaction.state, cause);
    if (state === undefined) return;
    this.#options.store.update(uid, { state, statusComment: comment, pendingFinish: finish });
    const timer = this.#timers.get(uid);
    clearInterval(timer);
    this.#timers.delete(uid);
    this.#options.notices.emit({
      type: 'state',
      transactionUid: uid,
      state,
      studyRecords: this.studyRecords(transaction),
    });
    this.#track(this.serial(uid, () => this.#finish(uid)));
  }

  /**
   * Winds up a terminal transaction and owes its terminal event (KK.2.3.2): 11 when instances
   * are available (the complete root, or a PARTIAL root over the stored leaves), 13 when none are
   * (nothing stored, or a Cancel that removes them). Persisted first as `pendingFinish`, so a
   * restart in the middle finishes it.
   */
  async #finish(uid: string): Promise<void> {
    const { store, sink } = this.#options;
    const transaction = store.get(uid);
    if (transaction === undefined || transaction.pendingFinish === undefined) return;
    const report = {
      transactionUid: uid,
      state: transaction.state,
      comment: transaction.statusComment,
    };
    const leaves = transaction.checkpoint?.leaves ?? [];
    const kept = new Set([
      ...leaves.map((leaf) => leaf.sopInstanceUid),
      ...(transaction.root?.instances ?? []),
    ]);
    const orphans = [...(this.#stored.get(uid) ?? [])].filter((stored) => !kept.has(stored));
    this.#stored.delete(uid);
    try {
      for (const orphan of orphans) {
        this.#shutdown.signal.throwIfAborted();
        await sink.remove(orphan);
      }
      if (transaction.pendingFinish === 'remove') {
        for (const sopInstanceUid of kept) {
          this.#shutdown.signal.throwIfAborted();
          await sink.remove(sopInstanceUid);
        }
        this.#owe(
          uid,
          EventType.TerminatedWithoutInstances,
          terminatedWithoutInstancesInformation(report),
        );
      } else if (transaction.root !== undefined || leaves.length > 0) {
        const root =
          transaction.root ??
          (await finishInventory({
            sink,
            request: this.#requestOf(transaction, this.#queryOrUniversal(transaction)),
            checkpoint: transaction.checkpoint ?? { leaves: [], studyRecords: 0 },
            completion: 'PARTIAL',
            signal: this.#shutdown.signal,
          }));
        store.update(uid, { root, studyRecords: root.totalStudyRecords });
        this.#owe(
          uid,
          EventType.TerminatedWithInstances,
          terminatedWithInstancesInformation(report, root, this.#options.access, new Date()),
        );
      } else {
        this.#owe(
          uid,
          EventType.TerminatedWithoutInstances,
          terminatedWithoutInstancesInformation(report),
        );
      }
    } catch (error) {
      // Closing: `pendingFinish` stands, and the next SCP on this store finishes the job.
      if (this.#shutdown.signal.aborted) return;
      // Nothing usable could be kept: the requester still learns that the production ended.
      this.#options.notices.emit({ type: 'failure', transactionUid: uid, error });
      this.#owe(
        uid,
        EventType.TerminatedWithoutInstances,
        terminatedWithoutInstancesInformation({
          ...report,
          comment: `${report.comment ?? ''} ${messageOf(error)}`.trim(),
        }),
      );
    }
    store.update(uid, { pendingFinish: undefined });
  }

  /** A state change of a running transaction: announced and reported (event 12, KK.2.3.2). */
  #changed(uid: string): void {
    const transaction = this.#options.store.get(uid);
    if (transaction === undefined) return;
    this.#options.notices.emit({
      type: 'state',
      transactionUid: uid,
      state: transaction.state,
      studyRecords: this.studyRecords(transaction),
    });
    this.#oweStatus(uid);
  }

  #oweStatus(uid: string): void {
    const transaction = this.#options.store.get(uid);
    if (transaction === undefined) return;
    const report = {
      transactionUid: uid,
      state: transaction.state,
      comment: transaction.statusComment,
    };
    this.#owe(uid, EventType.Status, statusInformation(report, this.studyRecords(transaction)));
  }

  #owe(uid: string, eventTypeId: number, information: DataSet): void {
    this.#options.store.owe(uid, eventTypeId, information, Date.now());
    this.#options.courier.wake();
  }

  /**
   * Periodic Inventory Status reports every Requested Status Interval seconds (KK.2.2.3: the SCP
   * starts "periodic status reporting"; the unit is UNCONFIRMED, seconds assumed); 0 or none
   * stops them.
   */
  #schedule(uid: string, seconds: number | undefined): void {
    clearInterval(this.#timers.get(uid));
    this.#timers.delete(uid);
    if (seconds === undefined || seconds === 0 || this.#closing) return;
    const timer = setInterval(() => {
      void this.serial(uid, () => this.#oweStatus(uid)).catch((error: unknown) =>
        this.#options.notices.emit({ type: 'failure', transactionUid: uid, error }),
      );
    }, seconds * 1_000);
    timer.unref();
    this.#timers.set(uid, timer);
  }

  #track(work: Promise<unknown>): void {
    const contained = work.catch((error: unknown) =>
      this.#options.notices.emit({ type: 'failure', transactionUid: '', error }),
    );
    this.#background.add(contained);
    void contained.then(() => this.#background.delete(contained));
  }
}
