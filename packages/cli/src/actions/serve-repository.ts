// `dicomnet serve --storage`: the services of a FileRepository (Storage SCP, Patient and Study
// Root Query/Retrieve), a log line per operation, and a shutdown that lets the stores under way
// finish before the repository closes.
import type { DataSet } from '@dicomnet/data';
import type {
  CGetRequest,
  CMoveRequest,
  DimseHandlers,
  DimseServer,
  FindMatches,
  FindRequest,
  HandlerResult,
  RetrieveAnswer,
  StoreRequest,
} from '@dicomnet/dimse';
import { formatStatus } from '@dicomnet/status-codes';
import { FileRepository } from '@dicomnet/repository';
import {
  createInventoryQueryRetrieveHandlers,
  createQueryRetrieveHandlers,
  createStoreHandler,
  INVENTORY_QUERY_RETRIEVE_SOP_CLASSES,
  withInventoryQueryRetrieve,
} from '@dicomnet/repository/services';
import type { ServeSettings } from './serve-config.js';
import type { ServeLog } from './serve-log.js';

/** How long a shutdown waits for the stores under way before it aborts their associations. */
const STORES_FINISH_TIMEOUT_MS = 30_000;

/** The repository `serve` runs on, its handlers, and how it stops. */
export interface RepositoryService {
  readonly repository: FileRepository;
  readonly handlers: Pick<DimseHandlers, 'store' | 'find' | 'get' | 'move'>;
  /**
   * Stops: refuses new C-STOREs (0xA700), waits for those under way to be answered, then aborts
   * what is still open and closes the server and the repository.
   */
  stop(server: DimseServer): Promise<void>;
}

/**
 * Opens the repository at the settings' root and makes its Storage SCP handler.
 * @throws The repository's open errors (locked, no SQLite, schema too new, file system).
 */
export async function openRepositoryService(
  settings: ServeSettings & { readonly target: { readonly kind: 'repository' } },
  log: ServeLog,
  onStoreDone: (request: StoreRequest, failed: boolean) => void,
): Promise<RepositoryService> {
  const repository = await FileRepository.open({
    root: settings.target.root,
    fsync: settings.fsync,
  });
  const recovered = repository.recovery;
  log(
    { event: 'repository-opened', root: repository.root, sqlite: repository.driver, recovered },
    `repository ${repository.root} opened (${repository.driver})${
      recovered.filesChecked + recovered.leftoversRemoved > 0
        ? `; recovery pass: ${recovered.journalReplayed} replayed from the store journal, ${recovered.filesChecked} file(s) checked, ${recovered.filesIndexed} indexed, ${recovered.rowsDropped} row(s) dropped, ${recovered.unindexable.length} unindexable, ${recovered.leftoversRemoved} unfinished store(s) removed`
        : ''
    }`,
  );
  const store = createStoreHandler(repository, {
    ...(settings.minFreeBytes > 0 && {
      minFreeBytes: settings.minFreeBytes,
      freeSpacePath: repository.root,
    }),
    ...(settings.duplicate !== undefined && { duplicate: settings.duplicate }),
    // The log holds the line and writes it after the response has left (see createServeLog).
    onStored: ({ outcome, instance }, request) =>
      log(
        {
          event: 'store',
          calling: request.association.callingAeTitle,
          sopClassUid: instance.sopClassUid,
          sopInstanceUid: instance.sopInstanceUid,
          outcome,
          bytes: instance.sizeBytes,
        },
        `C-STORE from ${request.association.callingAeTitle}: ${instance.sopInstanceUid} ${outcome} (${instance.sizeBytes} bytes)`,
      ),
    onRefused: (reply, request) => {
      log(
        {
          event: 'store-refused',
          calling: request.association.callingAeTitle,
          sopClassUid: request.sopClassUid,
          sopInstanceUid: request.sopInstanceUid,
          status: reply.status,
          ...(reply.errorComment !== undefined && { reason: reply.errorComment }),
        },
        `C-STORE from ${request.association.callingAeTitle}: ${request.sopInstanceUid} refused ${formatStatus(reply.status)}${reply.errorComment === undefined ? '' : `: ${reply.errorComment}`}`,
      );
    },
  });
  const queryRetrieve = loggedQueryRetrieve(
    // Inventory FIND/GET/MOVE (PS3.4 JJ) beside Patient and Study Root.
    withInventoryQueryRetrieve(
      createQueryRetrieveHandlers(repository, { retrieveAeTitle: settings.aeTitle }),
      createInventoryQueryRetrieveHandlers(repository, { retrieveAeTitle: settings.aeTitle }),
    ),
    log,
  );
  // Stores under way: counted from their start until their response is handed to the transport
  // (or the association ended), with one shared callback rather than promises per store.
  let underWay = 0;
  let allDone: (() => void) | undefined;
  const finished = (): void => {
    underWay--;
    if (underWay === 0) allDone?.();
  };
  let stopping = false;
  return {
    repository,
    handlers: {
      ...queryRetrieve,
      async store(request) {
        if (stopping) {
          onStoreDone(request, true);
          return { status: 0xa700, errorComment: 'the server is stopping' }; // PS3.4 B.2.3
        }
        underWay++;
        let answered;
        try {
          answered = await store(request);
        } catch (error) {
          finished();
          throw error;
        }
        void request.responded.then(finished);
        onStoreDone(request, answered.status !== 0x0000);
        return answered;
      },
    },
    async stop(server) {
      stopping = true;
      const closed = server.close(); // no new associations
      if (underWay > 0) {
        log(
          { event: 'waiting-for-stores', storesUnderWay: underWay },
          `waiting for ${underWay} store(s) under way to finish`,
        );
        await Promise.race([
          new Promise<void>((resolve) => (allDone = resolve)),
          new Promise((resolve) => setTimeout(resolve, STORES_FINISH_TIMEOUT_MS).unref()),
        ]);
      }
      await server.abortAll();
      await closed;
      await repository.close();
    },
  };
}

const QUERY_LEVEL = '00080052';

/** The Query/Retrieve Level (0008,0052) of an Identifier, for the log. */
function levelOf(request: FindRequest | CGetRequest): string {
  // The Inventory model has one level and no Query/Retrieve Level (PS3.4 JJ.2).
  if (
    Object.values(INVENTORY_QUERY_RETRIEVE_SOP_CLASSES).some((uid) => uid === request.sopClassUid)
  )
    return 'INVENTORY';
  const value = request.identifier[QUERY_LEVEL]?.Value?.[0];
  return typeof value === 'string' ? value : '?';
}

/** The Query/Retrieve handlers, each operation logged once: its matches, or what it sends. */
function loggedQueryRetrieve(
  handlers: Required<Pick<DimseHandlers, 'find' | 'get' | 'move'>>,
  log: ServeLog,
): Required<Pick<DimseHandlers, 'find' | 'get' | 'move'>> {
  async function* find(request: FindRequest): AsyncGenerator<DataSet, HandlerResult, undefined> {
    const calling = request.association.callingAeTitle;
    const level = levelOf(request);
    let matches = 0;
    let result: HandlerResult = undefined;
    let outcome = 'done';
    const iterator = handlers.find(request);
    // Re-yielded one by one, so that backpressure and C-CANCEL reach the repository's cursor.
    const source: AsyncIterator<DataSet, HandlerResult> | Iterator<DataSet, HandlerResult> =
      Symbol.asyncIterator in iterator
        ? iterator[Symbol.asyncIterator]()
        : iterator[Symbol.iterator]();
    try {
      for (;;) {
        const next = await source.next();
        if (next.done === true) {
          result = next.value;
          break;
        }
        matches++;
        outcome = 'stopped';
        yield next.value;
        outcome = 'done';
      }
    } catch (error) {
      outcome = 'failed';
      throw error;
    } finally {
      // Stopped while a match was out (C-CANCEL, association gone): end the handler's cursor too.
      if (outcome === 'stopped') await source.return?.();
      const status = statusOfResult(result);
      const how =
        outcome === 'done'
          ? status === undefined || status === 0
            ? ''
            : `, ${formatStatus(status)}`
          : outcome === 'failed'
            ? ', failed'
            : ', cancelled';
      log(
        {
          event: 'find',
          calling,
          level,
          matches,
          ...(status !== undefined && { status }),
          ...(outcome !== 'done' && { ended: outcome === 'failed' ? 'failed' : 'cancelled' }),
        },
        `C-FIND from ${calling} at ${level} level: ${matches} match(es)${how}`,
      );
    }
    return result;
  }
  const logRetrieve = (
    operation: 'get' | 'move',
    request: CGetRequest,
    destination: string,
    answer: RetrieveAnswer,
  ): void => {
    const calling = request.association.callingAeTitle;
    const level = levelOf(request);
    const total = Array.isArray(answer)
      ? answer.length
      : typeof answer === 'object' && answer !== null && 'total' in answer
        ? answer.total
        : undefined;
    // Not a set of instances: the handler refused with a status.
    const status = total === undefined ? statusOfResult(answer as HandlerResult) : undefined;
    log(
      {
        event: operation,
        calling,
        destination,
        level,
        ...(total !== undefined && { instances: total }),
        ...(status !== undefined && { status }),
      },
      `C-${operation.toUpperCase()} from ${calling} at ${level} level to ${destination}: ${total === undefined ? `refused ${formatStatus(status ?? 0)}` : `${total} instance(s)`}`,
    );
  };
  return {
    find: (request: FindRequest): FindMatches => find(request),
    async get(request: CGetRequest): Promise<RetrieveAnswer> {
      const answer = await handlers.get(request);
      logRetrieve('get', request, request.association.callingAeTitle, answer);
      return answer;
    },
    async move(request: CMoveRequest): Promise<RetrieveAnswer> {
      const answer = await handlers.move(request);
      logRetrieve('move', request, request.destination, answer);
      return answer;
    },
  };
}

/** The status a handler's result stands for (undefined: Success). */
function statusOfResult(result: HandlerResult): number | undefined {
  if (result === undefined) return undefined;
  return typeof result === 'number' ? result : result.status;
}
