// The Inventory Creation SCP (PS3.4 KK.2.2.3, KK.2.3.2): an N-ACTION handler for the well-known
// Storage Management instance, to merge into a dimse `createServer`, with its transactions kept
// in SQLite, their productions run from an InventorySource into an InventorySink, and the
// N-EVENT-REPORTs delivered on the N-ACTION's association or a new one.
import type { DataSet } from '@dicomnet/data';
import { TransferSyntax } from '@dicomnet/data';
import type {
  ActionRequest,
  DimseHandlers,
  ReplyWithDataSet,
  ServerOptions,
} from '@dicomnet/dimse';
import type { InventorySink } from '../inventory-sink.js';
import type { InventorySource } from '../inventory-source.js';
import { INVENTORY_LEVELS, isTerminal } from '../message-types.js';
import type { InventoryLevel, TransactionStatus } from '../message-types.js';
import type { InventoryRoot } from '../produce/types.js';
import { Tag } from '../tags.js';
import { INVENTORY_CREATION_SOP_CLASS } from '../uids.js';
import { isActionType } from './action-arguments.js';
import { checkTarget } from './check-target.js';
import type { DeliveryOptions, PeerTable } from './event-courier.js';
import { EventCourier } from './event-courier.js';
import type { InventoryAction } from './parse-action.js';
import { invalidValue, parseAction } from './parse-action.js';
import { Productions } from './productions.js';
import { InventoryScpClosedError, InventoryScpOptionError } from './scp-errors.js';
import type { InventoryScpListener } from './scp-events.js';
import { ScpNotices } from './scp-events.js';
import type { StoredTransaction } from './transaction-store.js';
import { TransactionStore } from './transaction-store.js';
import { yieldingSource } from './yielding-source.js';

/** A presentation context the server accepts (dimse `ServerOptions['contexts']`). */
export type InventoryScpContext = ServerOptions['contexts'][number];

/** What an authorization hook learns of a request (for 0124H Refused: Not authorized). */
export interface InventoryAuthorizationRequest {
  readonly callingAeTitle: string;
  /** The requester's User Identity (PS3.7 D.3.3.7), when it sent one. */
  readonly userIdentity: ActionRequest['association']['userIdentity'];
  readonly action: InventoryAction;
  /** The AE title that initiated the transaction, for actions on an existing one. */
  readonly initiatorAeTitle: string | undefined;
}

/** Options of {@link createInventoryCreationScp}. */
export interface InventoryCreationScpOptions {
  /** Our AE title: Calling AE Title of the associations we open, default Retrieve AE Title. */
  readonly aeTitle: string;
  /** What is inventoried (e.g. `repositorySource(repository)`). */
  readonly source: InventorySource;
  /** Where Inventory instances go (e.g. `repositorySink(repository)`). */
  readonly sink: InventorySink;
  /** SQLite file of the transactions, e.g. beside the repository index; `:memory:` in tests. */
  readonly storePath: string;
  /** Requesters' addresses, for events after their association has closed (KK.2.3.2). */
  readonly peers?: PeerTable;
  /** Most transactions PROCESSING or PAUSED at once; more Initiates are 0213H. Default 4. */
  readonly maxConcurrent?: number;
  /**
   * Retrieve AE Title (0008,0054) of event 11: who serves Inventory GET/MOVE of the root.
   * Default `[aeTitle]`; empty to offer only `retrieveUrl` (one of them is required, KK.2.3.1.1).
   */
  readonly retrieveAeTitles?: readonly string[];
  /** Retrieve URL (0008,1190) of the root (e.g. a DICOMweb URL). */
  readonly retrieveUrl?: (root: InventoryRoot) => string | undefined;
  /** File Access URI (0008,0409) of the root, where it is a readable file. */
  readonly fileAccessUri?: (root: InventoryRoot) => string | undefined;
  /** Retention of produced instances in ms: Expiration DateTime (0008,0416) of event 11. */
  readonly retentionMs?: number;
  /** Inventory Levels produced; default all three. Others are 0212H (KK.2.2.3). */
  readonly levels?: readonly InventoryLevel[];
  /** Specific Character Set terms accepted in an Initiate; others are 0212H (KK.2.2.3). */
  readonly characterSets?: readonly string[];
  /** Calling AE titles allowed to create and steer inventories; any when absent (else 0124H). */
  readonly allowedAeTitles?: readonly string[];
  /**
   * Decides whether a request is allowed: `true` yes; `false` or a reason no, answered 0124H
   * Refused: Not authorized with the reason as Error Comment (PS3.4 Table KK.2.2.3-1; PS3.17
   * YYYY.7.5 e.g. "no new full inventory within 24 h").
   */
  readonly authorize?: (
    request: InventoryAuthorizationRequest,
  ) => boolean | string | Promise<boolean | string>;
  /** Records per Inventory instance (produceInventory's maxRecordsPerInstance). */
  readonly maxRecordsPerInstance?: number;
  /** Retries of events on new associations. */
  readonly delivery?: DeliveryOptions;
}

/** A transaction as the SCP reports it. */
export interface InventoryScpTransaction {
  readonly transactionUid: string;
  readonly requesterAeTitle: string;
  readonly level: InventoryLevel;
  readonly state: TransactionStatus;
  readonly studyRecords: number;
  readonly startedAt: Date;
  /** The root of the produced inventory, once there is one. */
  readonly rootSopInstanceUid: string | undefined;
  readonly statusComment: string | undefined;
}

/** A running Inventory Creation SCP. */
export interface InventoryCreationScp {
  /** Merge into dimse `createServer({ handlers })` (it answers Inventory Creation N-ACTIONs). */
  readonly handlers: Required<Pick<DimseHandlers, 'action'>>;
  /** The presentation context to accept: Inventory Creation, Explicit and Implicit VR LE. */
  readonly contexts: readonly InventoryScpContext[];
  /** Every transaction this SCP knows, oldest first (persisted ones included). */
  transactions(): InventoryScpTransaction[];
  /** Listens to state changes, progress, event delivery and failures; returns the unsubscribe. */
  on(listener: InventoryScpListener): () => void;
  /** SCP-internal pause (KK.2 allows the SCP to pause by itself, e.g. resource shortage). */
  pause(transactionUid: string): Promise<void>;
  /** SCP-internal resume (KK.2). */
  resume(transactionUid: string): Promise<void>;
  /** SCP-internal cancel (KK.2), keeping or removing what was produced. */
  cancel(transactionUid: string, options: { readonly retain: boolean }): Promise<void>;
  /**
   * Stops productions (their checkpoints stand: a new SCP on the same store resumes them),
   * timers and deliveries (owed events stay owed), then closes the store. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Specific Character Set defined terms accepted by default (PS3.3 C.12.1.1.2): the single-byte
 * sets, UTF-8 and the Chinese multi-byte sets @dicomnet/data decodes; matching compares decoded
 * text, so any of them can be matched.
 */
export const DEFAULT_CHARACTER_SETS: readonly string[] = [
  'ISO_IR 6',
  'ISO_IR 100',
  'ISO_IR 101',
  'ISO_IR 109',
  'ISO_IR 110',
  'ISO_IR 144',
  'ISO_IR 127',
  'ISO_IR 126',
  'ISO_IR 138',
  'ISO_IR 148',
  'ISO_IR 203',
  'ISO_IR 166',
  'ISO_IR 13',
  'ISO_IR 192',
  'GB18030',
  'GBK',
];

/** Default of {@link InventoryCreationScpOptions.maxConcurrent}. */
export const DEFAULT_MAX_CONCURRENT_INVENTORIES = 4;

function processingFailure(error: unknown): ReplyWithDataSet {
  // PS3.7 C.5.21: Error Comment says what failed.
  return { status: 0x0110, errorComment: error instanceof Error ? error.message : String(error) };
}

function viewOf(transaction: StoredTransaction, studyRecords: number): InventoryScpTransaction {
  return {
    transactionUid: transaction.transactionUid,
    requesterAeTitle: transaction.requesterAeTitle,
    level: transaction.level,
    state: transaction.state,
    studyRecords,
    startedAt: transaction.startedAt,
    rootSopInstanceUid: transaction.root?.sopInstanceUid,
    statusComment: transaction.statusComment,
  };
}

function checkOptions(options: InventoryCreationScpOptions): void {
  const max = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_INVENTORIES;
  if (!Number.isInteger(max) || max < 1)
    throw new InventoryScpOptionError(`maxConcurrent must be a positive integer, not ${max}`);
  if ((options.retrieveAeTitles ?? [options.aeTitle]).length === 0 && !options.retrieveUrl)
    throw new InventoryScpOptionError(
      'event 11 needs Retrieve AE Title or Retrieve URL (PS3.4 KK.2.3.1.1): give retrieveAeTitles or retrieveUrl',
    );
  for (const level of options.levels ?? [])
    if (!INVENTORY_LEVELS.includes(level))
      throw new InventoryScpOptionError(`${String(level)} is not an Inventory Level`);
}

/**
 * Creates an Inventory Creation SCP (PS3.4 KK.2) over `source` and `sink`, opening (or creating)
 * its transaction store; transactions a previous SCP left PROCESSING resume from their
 * checkpoints, and events it still owed are delivered.
 * @throws {@link InventoryScpOptionError} (`DICOMNET_INVENTORY_SCP_INVALID_OPTION`); the store's
 *   errors (e.g. `DICOMNET_REPOSITORY_NO_SQLITE`).
 */
export async function createInventoryCreationScp(
  options: InventoryCreationScpOptions,
): Promise<InventoryCreationScp> {
  checkOptions(options);
  const store = await TransactionStore.open(options.storePath);
  const notices = new ScpNotices();
  const courier = new EventCourier({
    store,
    aeTitle: options.aeTitle,
    peers: options.peers,
    delivery: options.delivery,
    report: (report) => notices.emit(report),
  });
  const source = yieldingSource(options.source);
  const productions = new Productions({
    store,
    courier,
    notices,
    source,
    sink: options.sink,
    access: {
      retrieveAeTitles: options.retrieveAeTitles ?? [options.aeTitle],
      ...(options.retrieveUrl !== undefined && { retrieveUrl: options.retrieveUrl }),
      ...(options.fileAccessUri !== undefined && { fileAccessUri: options.fileAccessUri }),
      ...(options.retentionMs !== undefined && { retentionMs: options.retentionMs }),
    },
    maxRecordsPerInstance: options.maxRecordsPerInstance,
  });
  const policy = {
    levels: options.levels ?? INVENTORY_LEVELS,
    characterSets: options.characterSets ?? DEFAULT_CHARACTER_SETS,
    isMatchable: (tag: string) => options.source.isMatchable(tag),
  };
  const maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_INVENTORIES;
  let closed: Promise<void> | undefined;

  const authorize = async (
    request: ActionRequest,
    action: InventoryAction,
  ): Promise<ReplyWithDataSet | undefined> => {
    const callingAeTitle = request.association.callingAeTitle;
    if (options.allowedAeTitles !== undefined && !options.allowedAeTitles.includes(callingAeTitle))
      return { status: 0x0124, errorComment: `AE title ${callingAeTitle} is not allowed` };
    if (options.authorize === undefined) return undefined;
    const verdict = await options.authorize({
      callingAeTitle,
      userIdentity: request.association.userIdentity,
      action,
      initiatorAeTitle: store.get(action.transactionUid)?.requesterAeTitle,
    });
    if (verdict === true) return undefined;
    return { status: 0x0124, errorComment: verdict === false ? 'not authorized' : verdict };
  };

  /** The step of one action on its transaction, in that transaction's chain. */
  const perform = (
    request: ActionRequest,
    action: InventoryAction,
    information: DataSet,
  ): Promise<ReplyWithDataSet> =>
    productions.serial(action.transactionUid, async () => {
      const existing = store.get(action.transactionUid);
      if (action.kind === 'initiate') {
        // A Transaction UID names one transaction for good (KK.2.2.2): reusing one, running or
        // ended, is an invalid argument value (PS3.7 C.5.10), not 0210H Duplicate invocation,
        // which PS3.7 C.5.9 and 10.1.4.1.10 give to a Message ID already in use.
        if (existing !== undefined) return invalidValue(information, Tag.TransactionUID);
        if (productions.activeCount() >= maxConcurrent) {
          return {
            status: 0x0213, // Table KK.2.2.3-1: Resource Limitation, with Error Comment
            errorComment: `${maxConcurrent} inventories are already in production`,
          };
        }
        courier.noteRequest(action.transactionUid, request.peer, request.responded);
        productions.initiate(action, request.association.callingAeTitle);
        // KK.2.2.3: keys not supported for matching are 0xB010, listed; production still starts.
        return action.ignoredKeys.length > 0
          ? { status: 0xb010, attributeIdentifierList: action.ignoredKeys }
          : { status: 0x0000 };
      }
      // An unknown Transaction UID is an invalid argument value (PS3.7 C.5.10): KK.2.2.3 names no
      // other status for it (storage-management.md §9, our policy). Steering an ended
      // transaction is too; asking its status is not (it gets event 12 with the final state).
      if (existing === undefined) return invalidValue(information, Tag.TransactionUID);
      if (action.kind !== 'status' && isTerminal(existing.state))
        return invalidValue(information, Tag.TransactionUID);
      courier.noteRequest(action.transactionUid, request.peer, request.responded);
      switch (action.kind) {
        case 'status':
          productions.requestStatus(existing, action.statusInterval);
          break;
        case 'pause':
          await productions.pause(existing);
          break;
        case 'resume':
          productions.resume(existing);
          break;
        case 'cancel':
          await productions.cancel(existing, action.retain);
          break;
      }
      return { status: 0x0000 };
    });

  const action = async (request: ActionRequest): Promise<ReplyWithDataSet> => {
    if (closed !== undefined) {
      return { status: 0x0213, errorComment: 'the Inventory Creation SCP is closing' };
    }
    const target = checkTarget(request);
    if (target !== undefined) return target;
    const information = request.actionInformation ?? {};
    const actionTypeId = request.actionTypeId;
    if (!isActionType(actionTypeId)) return { status: 0x0123 }; // checkTarget already said so
    try {
      const parsed = parseAction(actionTypeId, information, policy);
      if ('refusal' in parsed) return parsed.refusal;
      const refusal = await authorize(request, parsed.action);
      if (refusal !== undefined) return refusal;
      return await perform(request, parsed.action, information);
    } catch (error) {
      // The source, the store or the sink failed under the request (e.g. isMatchable threw).
      notices.emit({ type: 'failure', transactionUid: '', error });
      return processingFailure(error);
    }
  };

  const steer = async (
    transactionUid: string,
    step: (transaction: StoredTransaction) => void | Promise<void>,
  ): Promise<void> => {
    if (closed !== undefined) throw new InventoryScpClosedError();
    await productions.serial(transactionUid, async () => {
      const transaction = store.get(transactionUid);
      if (transaction !== undefined && !isTerminal(transaction.state)) await step(transaction);
    });
  };

  productions.restore();
  courier.wake();
  return {
    handlers: { action },
    contexts: [
      {
        abstractSyntax: INVENTORY_CREATION_SOP_CLASS,
        transferSyntaxes: [
          TransferSyntax.ExplicitVrLittleEndian,
          TransferSyntax.ImplicitVrLittleEndian,
        ],
      },
    ],
    transactions: () =>
      store.list().map((transaction) => viewOf(transaction, productions.studyRecords(transaction))),
    on: (listener) => notices.add(listener),
    pause: (uid) => steer(uid, (transaction) => productions.pause(transaction)),
    resume: (uid) => steer(uid, (transaction) => productions.resume(transaction)),
    cancel: (uid, { retain }) =>
      steer(uid, (transaction) => productions.cancel(transaction, retain)),
    close: () =>
      (closed ??= (async () => {
        await productions.close();
        await courier.close();
        store.close();
      })()),
  };
}
