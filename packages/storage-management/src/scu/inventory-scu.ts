// The Inventory Creation SCU (PS3.4 KK.2.2.2, KK.2.3): initiates and steers productions on an
// SCP, and receives their reports on the N-ACTION's association or on associations the SCP
// opens to it later (with SCP/SCU Role Selection, PS3.7 D.3.3.4).
import type { AddressInfo } from 'node:net';
import type { DataSet } from '@dicomnet/data';
import type { DimseHandlers, DimseServer, ServerOptions } from '@dicomnet/dimse';
import { createServer } from '@dicomnet/dimse';
import type { InventoryLevel } from '../message-types.js';
import { ActionType } from '../message-types.js';
import { INVENTORY_CREATION_SOP_CLASS } from '../uids.js';
import { initiateInformation } from './action-information.js';
import type { InventoryPeer } from './action-channel.js';
import { ActionChannel, DEFAULT_TRANSFER_SYNTAXES } from './action-channel.js';
import type { RefusedEvent, UnknownTransactionPolicy } from './event-receiver.js';
import { createEventReceiver } from './event-receiver.js';
import { DEFAULT_MAX_QUEUED_EVENTS } from './event-queue.js';
import type { ActionOutcome, InventoryEventHandler } from './inventory-transaction.js';
import { actionErrorOf, InventoryTransaction, outcomeOf } from './inventory-transaction.js';
import type { InventoryScopeKeys } from './scope-item.js';
import { buildScopeItem } from './scope-item.js';
import { InventoryRequestError, InventoryScuClosedError } from './scu-errors.js';
import { newTransactionUid } from './transaction-uid.js';

/** How long {@link InventoryScu.close} lets a held association release before aborting it. */
const CLOSE_TIMEOUT_MS = 5_000;

/** How many ended transactions the SCU remembers, to acknowledge repeats of their last event. */
const ENDED_MEMORY = 1024;

/** Options of {@link createInventoryScu}. */
export interface InventoryScuOptions {
  /** Our AE title: Calling AE Title of our N-ACTIONs, Called AE Title when the SCP calls us. */
  readonly aeTitle: string;
  /**
   * Refuse event attributes PS3.4 Table KK.2-2 does not define for the event type with 0x0114
   * No such argument. Default false (they are ignored).
   */
  readonly strict?: boolean;
  /** Events of one transaction held for its reader; default {@link DEFAULT_MAX_QUEUED_EVENTS}. */
  readonly maxQueuedEvents?: number;
  /** Events for Transaction UIDs we do not know; default `'refuse'` (0x0115). */
  readonly unknownTransactions?: UnknownTransactionPolicy;
  /**
   * Awaited for every event before it is acknowledged (e.g. to persist it); throwing answers
   * 0x0110 Processing failure and the event is not taken (the SCP may send it again).
   */
  readonly onEvent?: InventoryEventHandler;
  /** Every report refused, with the status and why (diagnostics). */
  readonly onRefused?: (refused: RefusedEvent) => void;
  /** Transfer syntaxes the listener accepts; default Explicit then Implicit VR Little Endian. */
  readonly transferSyntaxes?: readonly string[];
  /** Calling AE titles (SCPs) the listener accepts; any when absent. */
  readonly callingAeTitles?: ServerOptions['callingAeTitles'];
  /** Requests an SCP may have outstanding on the listener (PS3.7 D.3.3.3); default 1. */
  readonly maxOperationsPerformed?: number;
}

/** Options of {@link InventoryScu.initiate}. */
export interface InitiateOptions {
  /** The Inventory Creation SCP. */
  readonly peer: InventoryPeer;
  /** Inventory Level (0008,0403); default STUDY. */
  readonly level?: InventoryLevel;
  /** Which studies, as friendly keys (see {@link InventoryScopeKeys}); none = all. */
  readonly scope?: InventoryScopeKeys;
  /** The Scope of Inventory Sequence item as is, instead of `scope`. */
  readonly scopeItem?: DataSet;
  /** Inventory Purpose (0008,0401). */
  readonly purpose?: string;
  /** Requested Status Interval (0008,0414): an Inventory Status event every so many seconds. */
  readonly requestedStatusInterval?: number;
  /** Transaction UID (0008,1195); a new `2.25.` UID when absent. */
  readonly transactionUid?: string;
  /**
   * Keep the N-ACTION's association open until the production ends, so the SCP can report on it.
   * Default true. With false it is released after each response and the reports need
   * {@link InventoryScu.listen}.
   */
  readonly holdAssociation?: boolean;
  /** Awaited for each event of this transaction before it is acknowledged (0x0110 if it throws). */
  readonly onEvent?: InventoryEventHandler;
  /** Cancels connecting and waiting for the N-ACTION-RSP. */
  readonly signal?: AbortSignal;
}

/** A transaction the SCP accepted, with its N-ACTION-RSP. */
export interface InitiatedTransaction extends InventoryTransaction {
  /** The Initiate's response: 0x0000, or 0xB010 with the keys the SCP cannot match. */
  readonly initiation: ActionOutcome;
}

/** Options of {@link InventoryScu.transaction}. */
export interface AttachOptions {
  /** The SCP, to steer the transaction (status, cancel, pause, resume). */
  readonly peer?: InventoryPeer;
  readonly holdAssociation?: boolean;
  readonly onEvent?: InventoryEventHandler;
}

/** An Inventory Creation SCU. */
export interface InventoryScu {
  /**
   * The `eventReport` handler, to merge into a server of one's own (`createServer`) instead of
   * {@link listen}; give it {@link contexts} too.
   */
  readonly handlers: DimseHandlers;
  /**
   * The context to accept for SCPs that report on a new association: Inventory Creation with the
   * requestor in the SCP role only (PS3.7 D.3.3.4).
   */
  readonly contexts: ServerOptions['contexts'];
  /**
   * Accepts associations from SCPs that report later (PS3.4 KK.2.2.2, "different
   * Associations"). Resolves with the bound address. Register transactions to wait for (re-attach
   * after a restart) before listening, or use `unknownTransactions: 'retry-later'`.
   */
  listen(options: { readonly port: number; readonly host?: string }): Promise<AddressInfo>;
  /**
   * Initiate (11): asks the SCP to produce an inventory. Resolves once the SCP accepted
   * (0x0000 or 0xB010); events that arrived before its response are kept.
   * @throws {@link InventoryActionError} (`DICOMNET_INVENTORY_ACTION_FAILED`) for a Failure
   *   status, with `status`, `errorComment`, `attributeIdentifierList`;
   *   {@link InventoryRequestError} (`DICOMNET_INVENTORY_REQUEST_INVALID`) for bad options;
   *   connection errors of @dicomnet/dimse; the signal's reason.
   */
  initiate(options: InitiateOptions): Promise<InitiatedTransaction>;
  /**
   * The transaction with this UID: the one already known, or a new handle that waits for its
   * events (e.g. after a restart of the SCU). With `peer`, it can be steered.
   */
  transaction(transactionUid: string, options?: AttachOptions): InventoryTransaction;
  /** Transactions still waiting for their end. */
  readonly size: number;
  /**
   * Stops listening, releases held associations, and ends every open transaction with
   * `DICOMNET_INVENTORY_SCU_CLOSED`. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Creates an Inventory Creation SCU (PS3.4 KK.2); throws {@link InventoryRequestError} for a
 * `maxQueuedEvents` that is not a positive integer. It answers every N-EVENT-REPORT with a status
 * (PS3.7 10.1.1.1.8): 0x0000 taken; 0x0110 an `onEvent` handler threw; 0x0112 not the
 * Storage Management instance; 0x0113 event type not 11–13; 0x0114 (strict) an attribute not of
 * that event type; 0x0115 a bad value or an unknown Transaction UID; 0x0117 a malformed instance
 * UID, or a mandatory attribute missing or empty (PS3.7 10.1.1.1.8 lists no 0x0120/0x0121 for
 * N-EVENT-REPORT); 0x0118 not Inventory Creation; 0x0119 another class's well-known instance;
 * 0x0212 an attribute in the wrong VR; 0x0213 the reader
 * is `maxQueuedEvents` behind. 0x0210 and 0x0211 come from @dicomnet/dimse (a Message ID
 * already outstanding; a report on a context where the sender is not SCP).
 */
export function createInventoryScu(options: InventoryScuOptions): InventoryScu {
  const transactions = new Map<string, InventoryTransaction>();
  const channels = new Set<ActionChannel>();
  const transferSyntaxes = options.transferSyntaxes ?? DEFAULT_TRANSFER_SYNTAXES;
  const maxQueuedEvents = options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS;
  if (!Number.isInteger(maxQueuedEvents) || maxQueuedEvents < 1) {
    throw new InventoryRequestError(
      `maxQueuedEvents must be a positive integer, not ${maxQueuedEvents}`,
    );
  }
  // Transactions ended lately, oldest first (a Map keeps insertion order), at most ENDED_MEMORY.
  const ended = new Map<string, true>();
  let server: DimseServer | undefined;
  let closed = false;

  const handlers = createEventReceiver({
    strict: options.strict ?? false,
    unknownTransactions: options.unknownTransactions ?? 'refuse',
    find: (uid) => transactions.get(uid),
    hasEnded: (uid) => ended.has(uid),
    onEvent: options.onEvent,
    onRefused: options.onRefused,
  });
  const contexts: ServerOptions['contexts'] = [
    {
      abstractSyntax: INVENTORY_CREATION_SOP_CLASS,
      transferSyntaxes,
      // The SCP calls us as requestor and asks for the SCP role (PS3.7 D.3.3.4), as Storage
      // Commitment does (PS3.4 J.3.3.1.3); whether KK makes it mandatory is UNCONFIRMED.
      requestorRoles: { scu: false, scp: true },
    },
  ];

  const newChannel = (peer: InventoryPeer, hold: boolean | undefined): ActionChannel => {
    const channel = new ActionChannel({
      peer,
      callingAeTitle: options.aeTitle,
      handlers,
      hold: hold ?? true,
    });
    channels.add(channel);
    return channel;
  };

  const register = (
    transactionUid: string,
    channel: ActionChannel | undefined,
    onEvent: InventoryEventHandler | undefined,
  ): InventoryTransaction => {
    if (closed) throw new InventoryScuClosedError();
    const transaction = new InventoryTransaction({
      transactionUid,
      channel,
      maxQueuedEvents,
      aeTitle: options.aeTitle,
      onEvent,
      onSettled: () => {
        if (transactions.get(transactionUid) === transaction) transactions.delete(transactionUid);
        ended.set(transactionUid, true);
        if (ended.size > ENDED_MEMORY) ended.delete(ended.keys().next().value as string); // non-empty
        if (channel !== undefined) channels.delete(channel);
      },
    });
    transactions.set(transactionUid, transaction);
    return transaction;
  };

  return {
    handlers,
    contexts,
    get size() {
      return transactions.size;
    },
    async listen(address) {
      if (closed) throw new InventoryScuClosedError();
      if (server !== undefined) throw new InventoryRequestError('the SCU is already listening');
      const listening = createServer({
        aeTitles: [options.aeTitle],
        contexts,
        handlers,
        ...(options.callingAeTitles !== undefined && { callingAeTitles: options.callingAeTitles }),
        ...(options.maxOperationsPerformed !== undefined && {
          maxOperationsPerformed: options.maxOperationsPerformed,
        }),
      });
      server = listening;
      try {
        return await listening.listen({ port: address.port, host: address.host ?? '0.0.0.0' });
      } catch (error) {
        server = undefined; // e.g. the port is taken: listen may be tried again
        throw error;
      }
    },
    async initiate(request) {
      const transactionUid = request.transactionUid ?? newTransactionUid();
      if (transactions.has(transactionUid)) {
        throw new InventoryRequestError(`transaction ${transactionUid} is already open`);
      }
      if (request.scope !== undefined && request.scopeItem !== undefined) {
        throw new InventoryRequestError('give scope or scopeItem, not both');
      }
      const scopeItem = request.scopeItem ?? (request.scope && buildScopeItem(request.scope));
      const information = initiateInformation({
        transactionUid,
        level: request.level ?? 'STUDY',
        ...(scopeItem !== undefined && { scopeItem }),
        ...(request.purpose !== undefined && { purpose: request.purpose }),
        ...(request.requestedStatusInterval !== undefined && {
          requestedStatusInterval: request.requestedStatusInterval,
        }),
      });
      if (closed) throw new InventoryScuClosedError();
      const channel = newChannel(request.peer, request.holdAssociation);
      // Registered before the N-ACTION goes out: an SCP may report before it responds.
      const transaction = register(transactionUid, channel, request.onEvent);
      try {
        const result = await channel.send(ActionType.Initiate, information, request.signal);
        return Object.assign(transaction, { initiation: outcomeOf(result) });
      } catch (error) {
        const reason = actionErrorOf(ActionType.Initiate, error);
        transaction.abandon(reason);
        await channel.release();
        throw reason;
      }
    },
    transaction(transactionUid, attach = {}) {
      const known = transactions.get(transactionUid);
      if (known !== undefined) return known;
      if (closed) throw new InventoryScuClosedError();
      const channel =
        attach.peer === undefined ? undefined : newChannel(attach.peer, attach.holdAssociation);
      return register(transactionUid, channel, attach.onEvent);
    },
    async close() {
      if (closed) return;
      closed = true;
      const error = new InventoryScuClosedError();
      // Taken first: an abandoned transaction forgets its channel.
      const held = [...channels];
      channels.clear();
      for (const transaction of [...transactions.values()]) transaction.abandon(error);
      await Promise.all(held.map((channel) => channel.close(CLOSE_TIMEOUT_MS)));
      const listening = server;
      server = undefined;
      if (listening !== undefined) {
        await listening.abortAll();
        await listening.close();
      }
    },
  };
}
