import type { DataSet, DataSetCodec } from '@dicomnet/data';
import type { NegotiatedContext } from '@dicomnet/pdu';
import type { ServiceName } from '@dicomnet/status-codes';
import type { DimseAssociation } from '../association/dimse-association.js';
import { Priority } from '../command/index.js';
import type { CGetRq, CGetRsp, CMoveRq, CMoveRsp } from '../command/index.js';
import type { DimseResult } from '../services/results.js';
import { resultOf } from '../services/results.js';
import type { OperationOptions } from './dimse-client.js';
import { ResponseHandoff } from './response-handoff.js';
import { progressOf, retrieveResultOf } from './retrieve-results.js';
import type { RetrieveResult, SuboperationProgress } from './retrieve-results.js';
import type { StoreHandler } from './store-route.js';
import { streamResponses } from './stream-responses.js';

/** What to look for with C-FIND (PS3.4 C.4.1.1). */
export interface FindQuery {
  /**
   * The FIND SOP class of the Information Model, e.g. Study Root
   * `1.2.840.10008.5.1.4.1.2.2.1` (PS3.4 C.6); a context for it must be accepted.
   */
  readonly sopClassUid: string;
  /**
   * The Identifier (PS3.4 C.4.1.1.3.1): Query/Retrieve Level (0008,0052), the keys to match and
   * the keys to return (empty values).
   */
  readonly identifier: DataSet;
}

/** Options of {@link DimseClient.find}. */
export interface FindOptions extends OperationOptions {
  /** Default Medium (PS3.7 §9.1.2.1.4). */
  readonly priority?: Priority;
  /**
   * Matches held for a consumer that has not taken them before the peer's input is paused.
   * Default 16.
   */
  readonly highWaterMark?: number;
  /**
   * Asks the peer to stop: aborting it sends C-CANCEL-RQ (PS3.7 §9.3.2.3), and the operation
   * then ends as the peer's final response says (Cancel 0xFE00 rejects with a
   * `DimseStatusError`; Success if the peer had finished first). Unlike `signal`, which
   * rejects with its own reason, the peer's answer is kept.
   */
  readonly cancel?: AbortSignal;
}

/** What to retrieve with C-GET or C-MOVE (PS3.4 C.4.2.1, C.4.3.1). */
export interface RetrieveQuery {
  /**
   * The GET or MOVE SOP class of the Information Model, e.g. Study Root MOVE
   * `1.2.840.10008.5.1.4.1.2.2.2`, GET `1.2.840.10008.5.1.4.1.2.2.3` (PS3.4 C.6); a context for
   * it must be accepted.
   */
  readonly sopClassUid: string;
  /** The Identifier: Query/Retrieve Level and the unique keys of what to retrieve (PS3.4 C.4.2.1.4.1). */
  readonly identifier: DataSet;
}

/** What to move with C-MOVE, and where to. */
export interface MoveQuery extends RetrieveQuery {
  /** Move Destination (0000,0600): the AE title the peer sends the instances to. */
  readonly destination: string;
}

/** Options of {@link DimseClient.move} and {@link DimseClient.get}. */
export interface RetrieveOptions extends OperationOptions {
  /** Default Medium (PS3.7 §9.1.3.1.4, §9.1.4.1.4). */
  readonly priority?: Priority;
  /**
   * Asks the peer to stop: aborting it sends C-CANCEL-RQ (PS3.7 §9.3.3.3, §9.3.4.3), and the
   * operation then ends as the peer's final response says: Cancel 0xFE00 rejects with a
   * `RetrieveStatusError` holding the sub-operation counts so far (PS3.4 C.4.2.3.1), or a
   * result if the peer had finished first. Unlike `signal`, which rejects with its own reason,
   * the peer's counts are kept.
   */
  readonly cancel?: AbortSignal;
}

/** Options of {@link DimseClient.get}. */
export interface GetOptions extends RetrieveOptions {
  /**
   * Receives the C-STORE sub-operations of this C-GET (PS3.4 C.4.3.3), on this association;
   * without it they go to the `store` handler given to `connect`. C-GETs with their own handler
   * take turns, since a sub-operation does not say which C-GET it serves.
   */
  readonly store?: StoreHandler;
}

/** The association, codec and presentation context a Query/Retrieve operation runs on. */
export interface QueryRetrieveTarget {
  readonly dimse: DimseAssociation;
  readonly codec: DataSetCodec;
  readonly context: NegotiatedContext;
}

/** C-FIND's matches, decoded as they are consumed, and its final result (see `DimseClient.find`). */
export async function* findMatches(
  target: QueryRetrieveTarget,
  query: FindQuery,
  options: FindOptions,
): AsyncGenerator<DataSet, DimseResult, undefined> {
  const { codec, context } = target;
  const final = yield* streamResponses(target.dimse, {
    request: {
      kind: 'C-FIND-RQ',
      affectedSopClassUid: query.sopClassUid,
      priority: options.priority ?? Priority.Medium,
    },
    invoke: { context, dataSet: codec.encode(query.identifier, context.transferSyntax) },
    signal: options.signal,
    cancel: options.cancel,
    handoff: new ResponseHandoff<Uint8Array>(options.highWaterMark ?? 16),
    // PS3.7 §9.1.2.1.6: a Pending response carries one match; others carry none.
    itemOf: (response) => response.dataSet,
    map: (bytes) => codec.decode(bytes, context.transferSyntax),
  });
  return resultOf('C-FIND', final.message, 'QueryRetrieveFind');
}

/**
 * A C-GET or C-MOVE whose Pending responses become progress (latest only), and its final result
 * with the Failed SOP Instance UID List (see `DimseClient.get` and `DimseClient.move`).
 */
export async function* retrieveProgress(
  target: QueryRetrieveTarget,
  request: Omit<CGetRq, 'messageId' | 'priority'> | Omit<CMoveRq, 'messageId' | 'priority'>,
  query: RetrieveQuery,
  options: RetrieveOptions,
): AsyncGenerator<SuboperationProgress, RetrieveResult, undefined> {
  const { codec, context } = target;
  const final = yield* streamResponses(target.dimse, {
    request: { ...request, priority: options.priority ?? Priority.Medium },
    invoke: { context, dataSet: codec.encode(query.identifier, context.transferSyntax) },
    signal: options.signal,
    cancel: options.cancel,
    handoff: new ResponseHandoff<SuboperationProgress>(2, { latestOnly: true }),
    // The response matched the request's kind: a C-GET-RSP or C-MOVE-RSP.
    itemOf: (response) => progressOf(response.message as CGetRsp | CMoveRsp),
    map: (progress) => progress,
  });
  const message = final.message as CGetRsp | CMoveRsp;
  const identifier =
    final.dataSet === undefined ? undefined : codec.decode(final.dataSet, context.transferSyntax);
  const [operation, service]: [string, ServiceName] =
    request.kind === 'C-GET-RQ' ? ['C-GET', 'QueryRetrieveGet'] : ['C-MOVE', 'QueryRetrieveMove'];
  return retrieveResultOf(operation, message, identifier, service);
}
