// `dicomnet serve --storage`: the services of a FileRepository (Storage SCP), a log line per
// operation, and a shutdown that lets the stores under way finish before the repository closes.
import type { DimseHandlers, DimseServer, StoreRequest } from '@dicomnet/dimse';
import { formatStatus } from '@dicomnet/status-codes';
import { FileRepository } from '@dicomnet/repository';
import { createStoreHandler } from '@dicomnet/repository/services';
import type { ServeSettings } from './serve-config.js';
import type { ServeLog } from './serve-log.js';

/** How long a shutdown waits for the stores under way before it aborts their associations. */
const STORES_FINISH_TIMEOUT_MS = 30_000;

/** The repository `serve` runs on, its handlers, and how it stops. */
export interface RepositoryService {
  readonly repository: FileRepository;
  readonly handlers: Pick<DimseHandlers, 'store'>;
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
    `repository ${repository.root} opened (${repository.driver})`,
  );
  const store = createStoreHandler(repository, {
    ...(settings.minFreeBytes > 0 && {
      minFreeBytes: settings.minFreeBytes,
      freeSpacePath: repository.root,
    }),
    ...(settings.duplicate !== undefined && { duplicate: settings.duplicate }),
    onStored: ({ outcome, instance }, request) => {
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
      );
    },
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
  const underWay = new Set<Promise<unknown>>();
  let stopping = false;
  return {
    repository,
    handlers: {
      async store(request) {
        if (stopping) {
          onStoreDone(request, true);
          return { status: 0xa700, errorComment: 'the server is stopping' }; // PS3.4 B.2.3
        }
        const reply = store(request);
        // Done once its response is handed to the transport (or the association ended).
        const done = reply.then(
          () => request.responded,
          () => false,
        );
        underWay.add(done);
        void done.then(() => underWay.delete(done));
        const answered = await reply;
        onStoreDone(request, answered.status !== 0x0000);
        return answered;
      },
    },
    async stop(server) {
      stopping = true;
      const closed = server.close(); // no new associations
      if (underWay.size > 0) {
        log(
          { event: 'waiting-for-stores', storesUnderWay: underWay.size },
          `waiting for ${underWay.size} store(s) under way to finish`,
        );
        await Promise.race([
          Promise.allSettled([...underWay]),
          new Promise((resolve) => setTimeout(resolve, STORES_FINISH_TIMEOUT_MS).unref()),
        ]);
      }
      await server.abortAll();
      await closed;
      await repository.close();
    },
  };
}
