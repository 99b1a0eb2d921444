// One Inventory Creation transaction as the SCU sees it: the steering N-ACTIONs (PS3.4 KK.2.2.2)
// and the events the SCP reports for it (KK.2.3), correlated by Transaction UID.
import type { DataSet } from '@dicomnet/data';
import type { NResult } from '@dicomnet/dimse';
import { DimseStatusError } from '@dicomnet/dimse';
import { describeStatus } from '@dicomnet/status-codes';
import type { TransactionStatus } from '../message-types.js';
import { ActionType } from '../message-types.js';
import {
  cancelInformation,
  requestStatusInformation,
  transactionInformation,
} from './action-information.js';
import type { ActionChannel } from './action-channel.js';
import type { InventoryTreeItem } from '../read/read-inventory-tree.js';
import { EventQueue } from './event-queue.js';
import type { TransactionRetrieveOptions } from './retrieve-result.js';
import { retrieveResult } from './retrieve-result.js';
import type { InventoryEvent, InventoryResult } from './inventory-event.js';
import {
  InventoryActionError,
  InventoryRequestError,
  InventoryTerminatedError,
} from './scu-errors.js';

/** What the SCP answered to an N-ACTION it accepted (Success or Warning, PS3.4 KK.2.2.3). */
export interface ActionOutcome {
  /** Status (0000,0900): 0x0000, or a Warning such as 0xB010. */
  readonly status: number;
  readonly meaning: string;
  /** Error Comment (0000,0902), when sent. */
  readonly errorComment: string | undefined;
  /**
   * Attribute Identifier List (0000,1005): with 0xB010, the Scope of Inventory keys the SCP
   * cannot match; production goes on without them (PS3.4 KK.2.2.3).
   */
  readonly attributeIdentifierList: readonly number[];
}

/** Options of the steering actions. */
export interface ActionOptions {
  /** Aborting stops connecting and waiting for the response; rejects with its reason. */
  readonly signal?: AbortSignal;
}

/** A handler awaited for each event before it is acknowledged; throwing answers 0x0110. */
export type InventoryEventHandler = (event: InventoryEvent) => void | Promise<void>;

/** @internal How a transaction is made; see {@link InventoryScu.initiate}. */
export interface TransactionSettings {
  readonly transactionUid: string;
  /** Undefined when re-attached without a peer: the steering actions then throw. */
  readonly channel: ActionChannel | undefined;
  readonly maxQueuedEvents: number;
  /** Our AE title (the Calling AE Title of a retrieve). */
  readonly aeTitle: string;
  readonly onEvent: InventoryEventHandler | undefined;
  /** Called once the production has ended (or the SCU closed): forget the transaction. */
  readonly onSettled: () => void;
}

/** The outcome of an N-ACTION of ours the SCP accepted. */
export function outcomeOf(result: NResult): ActionOutcome {
  return {
    status: result.status,
    meaning: result.meaning,
    errorComment: result.errorComment,
    attributeIdentifierList: result.attributeIdentifierList ?? [],
  };
}

/** A Failure status of an N-ACTION as {@link InventoryActionError}; other errors unchanged. */
export function actionErrorOf(actionTypeId: number, error: unknown): unknown {
  if (!(error instanceof DimseStatusError)) return error;
  const meaning = describeStatus(error.status, 'StorageManagementAction').meaning;
  return new InventoryActionError(
    actionTypeId,
    error.status,
    meaning,
    error.details.errorComment,
    error.details.attributeIdentifierList,
    { cause: error },
  );
}

/**
 * An Inventory Creation transaction: its events as an async iterator, its end as a promise
 * ({@link done}), and Request Status, Cancel, Pause and Resume (PS3.4 Table KK.2-1).
 */
export class InventoryTransaction {
  /** Transaction UID (0008,1195): correlates every action and event (PS3.4 KK.2.2.2). */
  readonly transactionUid: string;
  /**
   * Resolves with the root reference and access on Inventory Terminated with Instances (event
   * 11; `transactionStatus` says COMPLETE, or FAILURE/CANCELED with what was kept). Rejects with
   * {@link InventoryTerminatedError} on event 13 (`DICOMNET_INVENTORY_FAILED` or
   * `DICOMNET_INVENTORY_CANCELED`), or `DICOMNET_INVENTORY_SCU_CLOSED`. It settles once our
   * answer to the terminal event has been handed to the transport.
   */
  readonly done: Promise<InventoryResult>;
  readonly #settings: TransactionSettings;
  readonly #queue: EventQueue;
  #settle!: { resolve: (result: InventoryResult) => void; reject: (error: unknown) => void };
  #state: TransactionStatus | undefined;
  #totalStudyRecords = 0;
  #ended = false;

  /** @internal Made by {@link InventoryScu.initiate} and {@link InventoryScu.transaction}. */
  constructor(settings: TransactionSettings) {
    this.transactionUid = settings.transactionUid;
    this.#settings = settings;
    this.#queue = new EventQueue(settings.maxQueuedEvents);
    this.done = new Promise<InventoryResult>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Callers that only read events need not await `done`: its rejection is not unhandled.
    this.done.catch(() => {});
  }

  /**
   * {@link done}, or the signal's reason if it aborts first (the transaction goes on; only the
   * wait ends).
   */
  wait(options: ActionOptions = {}): Promise<InventoryResult> {
    const { signal } = options;
    if (signal === undefined) return this.done;
    if (signal.aborted) return Promise.reject(signal.reason as unknown);
    return new Promise<InventoryResult>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as unknown);
      signal.addEventListener('abort', onAbort, { once: true });
      void this.done
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** The last Transaction Status (0008,0417) reported; undefined before the first event. */
  get state(): TransactionStatus | undefined {
    return this.#state;
  }

  /** The last Total Number of Study Records (0008,0428) reported: progress. */
  get totalStudyRecords(): number {
    return this.#totalStudyRecords;
  }

  /** Whether the terminal event arrived (or the SCU closed). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * The events in arrival order, ending after the terminal event (11 or 13); one reader at a
   * time. Events that came before the first read are kept (up to `maxQueuedEvents`, dropping
   * the oldest Inventory Status events first). Ends with `DICOMNET_INVENTORY_SCU_CLOSED` when
   * the SCU closes first.
   */
  events(): AsyncGenerator<InventoryEvent, void, undefined> {
    return this.#queue.read();
  }

  /** @internal Whether the event can be taken now (else the SCU answers 0x0213). */
  canTake(): boolean {
    return this.#ended || this.#queue.canTake();
  }

  /** @internal Runs the transaction's own handler; throwing means "not taken" (0x0110). */
  async handle(event: InventoryEvent): Promise<void> {
    if (!this.#ended) await this.#settings.onEvent?.(event);
  }

  /**
   * @internal Takes an acknowledged event (`answered`: when its answer is out). After the end,
   * repeats are acknowledged and dropped.
   */
  take(event: InventoryEvent, answered: Promise<unknown> = Promise.resolve()): void {
    if (this.#ended) return;
    this.#state = event.transactionStatus;
    if (event.type !== 'terminated-without-instances')
      this.#totalStudyRecords = event.totalStudyRecords;
    this.#queue.push(event);
    if (event.type === 'status') return;
    this.#ended = true;
    this.#queue.end();
    this.#settings.onSettled();
    // `done` settles once our answer to the terminal event is out: a caller that closes the
    // SCU as soon as it settles must not cut that answer off (the SCP would report again).
    void answered.then(() => {
      if (event.type === 'terminated-with-instances') this.#settle.resolve(event);
      else {
        this.#settle.reject(
          new InventoryTerminatedError(
            event.transactionUid,
            event.transactionStatus,
            event.comment,
          ),
        );
      }
    });
  }

  /** @internal Ends the transaction without a terminal event (the SCU closed). */
  abandon(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#queue.end(error);
    this.#settle.reject(error);
    this.#settings.onSettled();
  }

  /**
   * Request Status (12): the SCP answers with an Inventory Status event (PS3.4 KK.2.3.2) and, with
   * `requestedStatusInterval` (seconds; unit UNCONFIRMED), reports at that interval from now on.
   * @throws {@link InventoryActionError} (`DICOMNET_INVENTORY_ACTION_FAILED`) for a Failure status.
   */
  status(
    options: ActionOptions & { readonly requestedStatusInterval?: number } = {},
  ): Promise<ActionOutcome> {
    const information = requestStatusInformation(
      this.transactionUid,
      options.requestedStatusInterval,
    );
    return this.#act(ActionType.RequestStatus, information, options.signal);
  }

  /**
   * Cancel (13): the production ends CANCELED. With `retainInstances` the SCP keeps what it
   * produced and reports it with event 11; without, it removes it and reports event 13.
   * @throws {@link InventoryActionError} for a Failure status.
   */
  cancel(options: ActionOptions & { readonly retainInstances: boolean }): Promise<ActionOutcome> {
    const information = cancelInformation(this.transactionUid, options.retainInstances);
    return this.#act(ActionType.Cancel, information, options.signal);
  }

  /** Pause (14): production stops until {@link resume}. @throws {@link InventoryActionError}. */
  pause(options: ActionOptions = {}): Promise<ActionOutcome> {
    return this.#act(ActionType.Pause, transactionInformation(this.transactionUid), options.signal);
  }

  /** Resume (15): a paused production continues. @throws {@link InventoryActionError}. */
  resume(options: ActionOptions = {}): Promise<ActionOutcome> {
    return this.#act(
      ActionType.Resume,
      transactionInformation(this.transactionUid),
      options.signal,
    );
  }

  /**
   * Waits for {@link done}, then fetches the inventory's whole tree through Inventory GET (or
   * MOVE) from the Retrieve AE Title of event 11 at the SCP's address, and yields its study,
   * series and instance records in order, in bounded memory (`retrieveInventory`, PS3.4 JJ.3).
   * Options override each default (`host`, `port`, `calledAeTitle`, `via`, `dir`, `signal`…).
   * @throws What {@link done} rejects with; {@link InventoryRequestError} when there is nowhere
   *   to retrieve from; the errors of `retrieveInventory`.
   */
  async *retrieve(
    options: TransactionRetrieveOptions = {},
  ): AsyncGenerator<InventoryTreeItem, void, undefined> {
    const result = await this.wait(options.signal === undefined ? {} : { signal: options.signal });
    const channel = this.#settings.channel;
    yield* retrieveResult(
      result,
      channel?.peer,
      channel?.callingAeTitle ?? this.#settings.aeTitle,
      options,
    );
  }

  /** Releases the association held for this transaction, if any; events then need a listener. */
  release(): Promise<void> {
    return this.#settings.channel?.release() ?? Promise.resolve();
  }

  async #act(
    actionTypeId: number,
    information: DataSet,
    signal: AbortSignal | undefined,
  ): Promise<ActionOutcome> {
    const channel = this.#settings.channel;
    if (channel === undefined) {
      throw new InventoryRequestError(
        `transaction ${this.transactionUid} was attached without a peer: give one to steer it`,
      );
    }
    try {
      return outcomeOf(await channel.send(actionTypeId, information, signal));
    } catch (error) {
      throw actionErrorOf(actionTypeId, error);
    }
  }
}
