import type {
  DataSource,
  DicomnetError,
  NegotiatedAssociation,
  NegotiatedContext,
  WrittenCallback,
} from '@dicomnet/pdu';
import { findContext } from '@dicomnet/pdu';
import type { ServiceName } from '@dicomnet/status-codes';
import { Priority } from '../command/index.js';
import type { DimseResponse } from '../command/index.js';
import { transcodeDataSet, transcodeDataSetSync } from '@dicomnet/data';
import type { DataSet, DataSetCodec } from '@dicomnet/data';
import type { DimseAssociation } from '../association/dimse-association.js';
import type { ReceivedResponse } from '../association/outgoing-requests.js';
import { NoPresentationContextError } from '../errors.js';
import type { DimseResult } from '../services/results.js';
import { resultOf } from '../services/results.js';
import { VERIFICATION_SOP_CLASS } from '../services/verification.js';
import { findMatches, retrieveProgress } from './query-retrieve.js';
import type {
  FindOptions,
  FindQuery,
  GetOptions,
  MoveQuery,
  QueryRetrieveTarget,
  RetrieveOptions,
  RetrieveQuery,
} from './query-retrieve.js';
import { conversionTargets } from './store-conversion.js';
import { StoreRoute } from './store-route.js';
import type { RetrieveResult, SuboperationProgress } from './retrieve-results.js';

/** Options every operation takes. */
export interface OperationOptions {
  /** Gives up waiting: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** An instance to send with C-STORE: its identity, its transfer syntax and its bytes. */
export interface StoreInstance {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** The transfer syntax the data set is encoded in; a context for it must be accepted. */
  readonly transferSyntaxUid: string;
  /** The data set (no Part 10 header): bytes, or chunks such as a file read stream. */
  readonly dataSet: DataSource;
}

/** Options of {@link DimseClient.store}. */
export interface StoreOptions extends OperationOptions {
  /** Default Medium (PS3.7 §9.1.1.1.4). */
  readonly priority?: Priority;
  /** For a C-STORE sub-operation of a C-MOVE (PS3.7 §9.1.1.1.6). */
  readonly moveOriginator?: { readonly aeTitle: string; readonly messageId: number };
  /**
   * Called as data-set bytes are handed to the socket, with the running total; for a data set
   * in memory, once, when the socket has handed it all to the kernel.
   */
  readonly onProgress?: (bytesSent: number) => void;
  /**
   * Called once, when the request's last byte has been handed to the socket (its kernel has
   * it), or when it never will be (the store failed before or while sending: then with the
   * error): from then on nothing holds a view of `instance.dataSet`, whose memory may be
   * reused. The response may come before this, for a peer can answer once it has read the
   * command.
   */
  readonly onWritten?: WrittenCallback;
}

/** The outcome of an N-service request, with the data set its response carried if any. */
export interface NResult extends DimseResult {
  readonly dataSet: DataSet | undefined;
  readonly affectedSopInstanceUid: string | undefined;
  /** Attribute Identifier List of the response (0107H and 0105H statuses). */
  readonly attributeIdentifierList: readonly number[] | undefined;
}

/** Which SOP class and instance an N-service request names. */
export interface NTarget {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
}

/**
 * The requests an AE can send on an association (PS3.7 §9, §10), one method each. Failure
 * statuses reject with `DICOMNET_DIMSE_FAILURE_STATUS`; Success and Warning resolve.
 */
export class DimseClient {
  readonly #dimse: DimseAssociation;
  readonly #codec: DataSetCodec;
  readonly #stores: StoreRoute;
  /** Contexts found per (role, SOP class, transfer syntax): the negotiation never changes. */
  readonly #contexts = new Map<string, NegotiatedContext>();

  /** @internal Use {@link connect}, or the `association` of a server's request context. */
  constructor(dimse: DimseAssociation, codec: DataSetCodec, stores = new StoreRoute()) {
    this.#dimse = dimse;
    this.#codec = codec;
    this.#stores = stores;
  }

  /** What was negotiated: AE titles, contexts, maximum lengths, user identity. */
  get negotiated(): NegotiatedAssociation {
    return this.#dimse.negotiated;
  }

  /** Settles when the connection has closed. */
  get closed(): Promise<void> {
    return this.#dimse.closed;
  }

  /**
   * Why the association ended: a `DICOMNET_DIMSE_*` error when the DIMSE layer aborted it (a
   * limit passed, a broken message rule), else the Upper Layer's error; undefined while open
   * and after a normal release.
   */
  get error(): DicomnetError | undefined {
    return this.#dimse.error;
  }

  /** C-ECHO (PS3.7 §9.1.5): verifies the peer answers. */
  echo(options: OperationOptions & { readonly sopClassUid?: string } = {}): Promise<DimseResult> {
    // Not an async function: the response's promise, chained once (a C-ECHO is all overhead).
    const sopClassUid = options.sopClassUid ?? VERIFICATION_SOP_CLASS;
    let context: NegotiatedContext;
    try {
      context = this.#context(sopClassUid);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const signal = options.signal;
    return this.#dimse
      .invoke(
        { kind: 'C-ECHO-RQ', affectedSopClassUid: sopClassUid },
        signal === undefined ? { context } : { context, signal },
      )
      .then(echoResult);
  }

  /**
   * C-STORE (PS3.7 §9.1.1): sends one instance as it is, without decoding it, streaming its
   * data set in fragments within the peer's maximum PDU length.
   *
   * When the peer accepted the SOP class in another transfer syntax only, an instance in a native
   * one (Implicit or Explicit VR Little Endian, Explicit VR Big Endian, Deflated) is converted on
   * the way into Explicit, else Implicit VR Little Endian, the syntax every peer accepts (PS3.5
   * §10.1), as DCMTK's storescu does: see `transcodeDataSet` of `@dicomnet/data`, which holds each
   * value whole in memory while it converts it.
   * @throws {@link NoPresentationContextError} when no accepted context has the instance's SOP
   *   class with its transfer syntax or one it converts to.
   */
  async store(instance: StoreInstance, options: StoreOptions = {}): Promise<DimseResult> {
    let context: NegotiatedContext;
    let converted: DataSource;
    try {
      context = this.#storeContext(instance);
      converted = convertedDataSet(instance, context.transferSyntax, options);
    } catch (error) {
      options.onWritten?.(error as Error); // nothing was sent; what the codecs throw are Errors
      throw error;
    }
    const padded = context.transferSyntax === DEFLATED ? paddedToEven(converted) : converted;
    const { onProgress } = options;
    // A data set in memory goes out whole: its progress is one call once it is written, not a
    // generator around it, which would stream it PDU by PDU.
    const isWhole = onProgress !== undefined && padded instanceof Uint8Array;
    const dataSet = onProgress === undefined || isWhole ? padded : counted(padded, onProgress);
    const onWritten: WrittenCallback | undefined = isWhole
      ? (error) => {
          if (!error) onProgress(padded.byteLength);
          options.onWritten?.(error);
        }
      : options.onWritten;
    const { message } = await this.#dimse.invoke(
      {
        kind: 'C-STORE-RQ',
        affectedSopClassUid: instance.sopClassUid,
        affectedSopInstanceUid: instance.sopInstanceUid,
        priority: options.priority ?? Priority.Medium,
        ...(options.moveOriginator && {
          moveOriginatorApplicationEntityTitle: options.moveOriginator.aeTitle,
          moveOriginatorMessageId: options.moveOriginator.messageId,
        }),
      },
      { context, dataSet, ...signalOf(options), onWritten },
    );
    return resultOf('C-STORE', message, 'Storage');
  }

  /**
   * C-FIND (PS3.7 §9.1.2, PS3.4 C.4.1): yields the Identifier of each match as its Pending
   * response arrives, and returns the final result. Leaving the loop early (`break`, `return`,
   * a throw) or aborting `signal` sends C-CANCEL-RQ and waits for the final response (PS3.7
   * §9.3.2.3) before the association is used for anything else; an aborted `signal` then
   * rejects with its reason.
   * @throws {@link NoPresentationContextError} when no accepted context has the FIND SOP class.
   * @throws {@link DimseStatusError} for a Failure status (e.g. 0xA900 Identifier does not match
   *   SOP Class, 0xC000 Unable to process).
   */
  async *find(
    query: FindQuery,
    options: FindOptions = {},
  ): AsyncGenerator<DataSet, DimseResult, undefined> {
    const target = this.#target(query.sopClassUid);
    return yield* findMatches(target, query, options);
  }

  /**
   * C-MOVE (PS3.7 §9.1.4, PS3.4 C.4.2): asks the peer to send instances to `destination` with
   * C-STORE sub-operations of its own, yields the sub-operation counts of each Pending response
   * (only the latest ones when the loop is slower than the peer), and returns the final result
   * with the Failed SOP Instance UID List. Leaving the loop early or aborting `signal` sends
   * C-CANCEL-RQ and waits for the final response, as {@link DimseClient.find} does; aborting
   * `options.cancel` does too, and keeps the peer's answer.
   * @throws {@link NoPresentationContextError} when no accepted context has the MOVE SOP class.
   * @throws {@link RetrieveStatusError} (a {@link DimseStatusError} with the final sub-operation
   *   counts, PS3.4 C.4.2.3.1) for a Failure status (e.g. 0xA801 Move destination unknown, 0xA701
   *   Out of resources, 0xC000 Unable to process) or a Cancel the peer made.
   */
  async *move(
    query: MoveQuery,
    options: RetrieveOptions = {},
  ): AsyncGenerator<SuboperationProgress, RetrieveResult, undefined> {
    const target = this.#target(query.sopClassUid);
    const request = {
      kind: 'C-MOVE-RQ',
      affectedSopClassUid: query.sopClassUid,
      moveDestination: query.destination,
    } as const;
    return yield* retrieveProgress(target, request, query, options);
  }

  /**
   * C-GET (PS3.7 §9.1.3, PS3.4 C.4.3): asks the peer to send instances back on this association
   * with C-STORE sub-operations, which go to `options.store` (or the `store` handler given to
   * `connect`); propose their storage SOP classes with `roles: { scu: false, scp: true }`
   * (PS3.4 C.4.3.1: SCP/SCU Role Selection). Yields the sub-operation counts and returns the final
   * result, and cancels like {@link DimseClient.move}.
   * @throws {@link NoPresentationContextError} when no accepted context has the GET SOP class.
   * @throws {@link RetrieveStatusError} (a {@link DimseStatusError} with the final sub-operation
   *   counts, PS3.4 C.4.3.3.1) for a Failure status (e.g. 0xA702 Out of resources: unable to
   *   perform sub-operations, 0xC000 Unable to process) or a Cancel the peer made.
   */
  async *get(
    query: RetrieveQuery,
    options: GetOptions = {},
  ): AsyncGenerator<SuboperationProgress, RetrieveResult, undefined> {
    const target = this.#target(query.sopClassUid);
    const release =
      options.store === undefined
        ? undefined
        : await this.#stores.claim(options.store, options.signal);
    try {
      const request = { kind: 'C-GET-RQ', affectedSopClassUid: query.sopClassUid } as const;
      return yield* retrieveProgress(target, request, query, options);
    } finally {
      release?.();
    }
  }

  /** N-EVENT-REPORT (PS3.7 §10.1.1): we, the SOP class's SCP, report an event to the SCU. */
  async eventReport(
    target: NTarget & { readonly eventTypeId: number; readonly eventInformation?: DataSet },
    options: OperationOptions = {},
  ): Promise<NResult> {
    const context = this.#context(target.sopClassUid, undefined, 'scp');
    const dataSet = this.#encode(target.eventInformation, context);
    const response = await this.#dimse.invoke(
      {
        kind: 'N-EVENT-REPORT-RQ',
        affectedSopClassUid: target.sopClassUid,
        affectedSopInstanceUid: target.sopInstanceUid,
        eventTypeId: target.eventTypeId,
        hasDataSet: dataSet !== undefined,
      },
      { context, ...(dataSet && { dataSet }), ...signalOf(options) },
    );
    return this.#nResult('N-EVENT-REPORT', response, context);
  }

  /**
   * N-GET (PS3.7 §10.1.2): reads attributes of a managed instance; none listed means all. (Not
   * `get`, which is C-GET.)
   */
  async nGet(
    target: NTarget & { readonly attributes?: readonly number[] },
    options: OperationOptions = {},
  ): Promise<NResult> {
    const context = this.#context(target.sopClassUid);
    const response = await this.#dimse.invoke(
      {
        kind: 'N-GET-RQ',
        requestedSopClassUid: target.sopClassUid,
        requestedSopInstanceUid: target.sopInstanceUid,
        ...(target.attributes !== undefined &&
          target.attributes.length > 0 && { attributeIdentifierList: target.attributes }),
      },
      { context, ...signalOf(options) },
    );
    return this.#nResult('N-GET', response, context);
  }

  /** N-SET (PS3.7 §10.1.3): modifies attributes of a managed instance. */
  async set(
    target: NTarget & { readonly modificationList: DataSet },
    options: OperationOptions = {},
  ): Promise<NResult> {
    const context = this.#context(target.sopClassUid);
    const dataSet = this.#encode(target.modificationList, context) ?? new Uint8Array(0);
    const response = await this.#dimse.invoke(
      {
        kind: 'N-SET-RQ',
        requestedSopClassUid: target.sopClassUid,
        requestedSopInstanceUid: target.sopInstanceUid,
      },
      { context, dataSet, ...signalOf(options) },
    );
    return this.#nResult('N-SET', response, context);
  }

  /** N-ACTION (PS3.7 §10.1.4): asks the SCP to perform an action on a managed instance. */
  async action(
    target: NTarget & { readonly actionTypeId: number; readonly actionInformation?: DataSet },
    options: OperationOptions = {},
  ): Promise<NResult> {
    const context = this.#context(target.sopClassUid);
    const dataSet = this.#encode(target.actionInformation, context);
    const response = await this.#dimse.invoke(
      {
        kind: 'N-ACTION-RQ',
        requestedSopClassUid: target.sopClassUid,
        requestedSopInstanceUid: target.sopInstanceUid,
        actionTypeId: target.actionTypeId,
        hasDataSet: dataSet !== undefined,
      },
      { context, ...(dataSet && { dataSet }), ...signalOf(options) },
    );
    return this.#nResult('N-ACTION', response, context);
  }

  /** N-CREATE (PS3.7 §10.1.5): creates a managed instance; without a UID the SCP assigns one. */
  async create(
    target: {
      readonly sopClassUid: string;
      readonly sopInstanceUid?: string;
      readonly attributeList?: DataSet;
    },
    options: OperationOptions = {},
  ): Promise<NResult> {
    const context = this.#context(target.sopClassUid);
    const dataSet = this.#encode(target.attributeList, context);
    const response = await this.#dimse.invoke(
      {
        kind: 'N-CREATE-RQ',
        affectedSopClassUid: target.sopClassUid,
        ...(target.sopInstanceUid !== undefined && {
          affectedSopInstanceUid: target.sopInstanceUid,
        }),
        hasDataSet: dataSet !== undefined,
      },
      { context, ...(dataSet && { dataSet }), ...signalOf(options) },
    );
    return this.#nResult('N-CREATE', response, context);
  }

  /** N-DELETE (PS3.7 §10.1.6): deletes a managed instance. */
  async delete(target: NTarget, options: OperationOptions = {}): Promise<NResult> {
    const context = this.#context(target.sopClassUid);
    const response = await this.#dimse.invoke(
      {
        kind: 'N-DELETE-RQ',
        requestedSopClassUid: target.sopClassUid,
        requestedSopInstanceUid: target.sopInstanceUid,
      },
      { context, ...signalOf(options) },
    );
    return this.#nResult('N-DELETE', response, context);
  }

  /** Releases the association after outstanding requests are answered (A-RELEASE). Idempotent. */
  release(): Promise<void> {
    return this.#dimse.release();
  }

  /** Aborts the association at once (A-ABORT); outstanding requests reject. Idempotent. */
  abort(): Promise<void> {
    return this.#dimse.abort();
  }

  /** What a Query/Retrieve operation of `sopClassUid` runs on. */
  #target(sopClassUid: string): QueryRetrieveTarget {
    return { dimse: this.#dimse, codec: this.#codec, context: this.#context(sopClassUid) };
  }

  #context(
    sopClassUid: string,
    transferSyntaxUid?: string,
    as: 'scu' | 'scp' = 'scu',
  ): NegotiatedContext {
    // The common case keyed by the UID alone, which holds no space: no string built per request.
    const key =
      as === 'scu' && transferSyntaxUid === undefined
        ? sopClassUid
        : `${as} ${sopClassUid} ${transferSyntaxUid ?? ''}`;
    const known = this.#contexts.get(key);
    if (known !== undefined) return known;
    const context = findContext(this.negotiated, sopClassUid, {
      as,
      ...(transferSyntaxUid !== undefined && { transferSyntax: transferSyntaxUid }),
    });
    if (context === undefined) throw new NoPresentationContextError(sopClassUid, transferSyntaxUid);
    this.#contexts.set(key, context);
    return context;
  }

  /** The context `instance` goes on: its own syntax's, else one it converts to (see `store`). */
  #storeContext(instance: StoreInstance): NegotiatedContext {
    const { sopClassUid, transferSyntaxUid } = instance;
    try {
      return this.#context(sopClassUid, transferSyntaxUid);
    } catch (error) {
      for (const target of conversionTargets(transferSyntaxUid)) {
        const context = findContext(this.negotiated, sopClassUid, { transferSyntax: target });
        if (context !== undefined) return context;
      }
      throw error;
    }
  }

  #encode(dataSet: DataSet | undefined, context: NegotiatedContext): Uint8Array | undefined {
    return dataSet === undefined ? undefined : this.#codec.encode(dataSet, context.transferSyntax);
  }

  #nResult(operation: string, response: ReceivedResponse, context: NegotiatedContext): NResult {
    const service = SERVICE_BY_CLASS[context.abstractSyntax]?.[operation];
    const result = resultOf(operation, response.message, service);
    const message = response.message as DimseResponse & {
      affectedSopInstanceUid?: string;
      attributeIdentifierList?: readonly number[];
    }; // N-service responses carry these optional fields
    return {
      ...result,
      dataSet:
        response.dataSet === undefined
          ? undefined
          : this.#codec.decode(response.dataSet, context.transferSyntax),
      affectedSopInstanceUid: message.affectedSopInstanceUid,
      attributeIdentifierList: message.attributeIdentifierList,
    };
  }
}

const DEFLATED = '1.2.840.10008.1.2.1.99';

/**
 * Status tables to describe N-service statuses with, by SOP class and operation (PS3.4 J, KK);
 * other classes use the general table of PS3.7 Annex C.
 */
const SERVICE_BY_CLASS: Readonly<Record<string, Partial<Record<string, ServiceName>>>> = {
  '1.2.840.10008.1.20.1': {
    'N-ACTION': 'StorageCommitmentAction',
    'N-EVENT-REPORT': 'StorageCommitmentEventReport',
  },
  '1.2.840.10008.5.1.4.1.1.201.5': {
    'N-ACTION': 'StorageManagementAction',
    'N-EVENT-REPORT': 'StorageManagementEventReport',
  },
};

function echoResult(response: ReceivedResponse): DimseResult {
  return resultOf('C-ECHO', response.message, 'Verification');
}

function signalOf(options: OperationOptions): { signal?: AbortSignal } {
  return options.signal === undefined ? {} : { signal: options.signal };
}

/**
 * `instance`'s data set in `transferSyntaxUid`: as it is, or converted. One in memory is converted
 * at once, so that a malformed one fails the store before anything is sent; a stream is converted
 * as it is sent (an error then aborts the association, which holds a message begun).
 */
function convertedDataSet(
  instance: StoreInstance,
  transferSyntaxUid: string,
  options: OperationOptions,
): DataSource {
  const from = instance.transferSyntaxUid;
  if (transferSyntaxUid === from) return instance.dataSet;
  const to = transferSyntaxUid;
  return instance.dataSet instanceof Uint8Array
    ? transcodeDataSetSync(instance.dataSet, { from, to })
    : transcodeDataSet(instance.dataSet, { from, to, ...signalOf(options) });
}

async function* counted(
  source: DataSource,
  onProgress: (bytes: number) => void,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunksOf(source)) {
    yield chunk;
    total += chunk.byteLength;
    onProgress(total);
  }
}

/**
 * A Deflated data set with one 00H appended when its length is odd: PS3.5 A.5 pads the deflated
 * bitstream to even length, and files written without the pad (as `dcmconv +td` does) exist.
 */
async function* paddedToEven(source: DataSource): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunksOf(source)) {
    total += chunk.byteLength;
    yield chunk;
  }
  if (total % 2 === 1) yield new Uint8Array(1);
}

function chunksOf(source: DataSource): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  return source instanceof Uint8Array ? [source] : source;
}
