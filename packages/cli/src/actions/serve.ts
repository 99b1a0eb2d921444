import { mkdir } from 'node:fs/promises';
import type {
  AssociationRejectedError,
  NegotiatedAssociation,
  UserIdentityRequest,
} from '@dicomnet/pdu';
import { DicomnetError, UserIdentityType } from '@dicomnet/pdu';
import { TransferSyntax } from '@dicomnet/data';
import type { DimseHandlers, DimseServer, StoreRequest } from '@dicomnet/dimse';
import {
  createServer,
  isStorageSopClass,
  storeToDirectory,
  VERIFICATION_SOP_CLASS,
} from '@dicomnet/dimse';
import {
  INVENTORY_QUERY_RETRIEVE_SOP_CLASSES,
  QUERY_RETRIEVE_SOP_CLASSES,
} from '@dicomnet/repository/services';
import { statusCategory } from '@dicomnet/status-codes';
import type { InventoryCreationScp } from '@dicomnet/storage-management';
import type { CommandIo } from '../command-io.js';
import type { ServeOptions } from '../commands/serve.js';
import { wantsTls } from '../commands/tls-options.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { acceptListCheck } from './accept-list.js';
import { ServeConfigError, serveSettings, type ServeSettings } from './serve-config.js';
import { createServeLog, type ServeLog, writeServeFailure } from './serve-log.js';
import { openInventoryService } from './serve-inventory.js';
import { openRepositoryService, type RepositoryService } from './serve-repository.js';
import { serverTlsOptions } from './tls-context.js';

/** Every transfer syntax we store as received: uncompressed first, then the encapsulated ones. */
const ACCEPTED_SYNTAXES = [
  TransferSyntax.ExplicitVrLittleEndian,
  TransferSyntax.ImplicitVrLittleEndian,
  TransferSyntax.DeflatedExplicitVrLittleEndian,
  TransferSyntax.ExplicitVrBigEndian,
  ...Object.values(TransferSyntax).filter(
    (uid) => uid.startsWith('1.2.840.10008.1.2.4.') || uid === '1.2.840.10008.1.2.5',
  ),
];

interface AssociationLog {
  stored: number;
  failed: number;
}

/** The A-ASSOCIATE-RJ fields of an error, when it is a rejection. */
function rejectionOf(error: Error): AssociationRejectedError | undefined {
  return DicomnetError.isInstance(error) && error.code === 'DICOMNET_ASSOCIATION_REJECTED'
    ? (error as AssociationRejectedError)
    : undefined;
}

/** Runs `dicomnet serve` until the user interrupts it (SIGINT or SIGTERM). */
export async function runServe(io: CommandIo, options: ServeOptions): Promise<void> {
  const { log, flush } = createServeLog(io, options.json);
  // What was logged before a failure is written before it.
  const fail = (text: string): void => {
    flush();
    writeServeFailure(io, text);
  };
  let settings: ServeSettings;
  let tls;
  try {
    settings = await serveSettings(options);
    tls = wantsTls(options) ? await serverTlsOptions(options) : undefined;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    io.setExitCode(error instanceof ServeConfigError ? ExitCode.Usage : exitCodeFor(error));
    return;
  }
  const perAssociation = new WeakMap<NegotiatedAssociation, AssociationLog>();
  const count = (request: StoreRequest, failed: boolean): void => {
    const counts = perAssociation.get(request.association);
    if (counts === undefined) return;
    if (failed) counts.failed++;
    else counts.stored++;
  };
  let service: StorageService;
  try {
    service =
      settings.target.kind === 'repository'
        ? await openRepositoryService({ ...settings, target: settings.target }, log, count)
        : await openFolderService(settings.target.dir, settings.fsync, log, count);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    io.setExitCode(exitCodeFor(error));
    return;
  }
  let inventory: InventoryCreationScp | undefined;
  if (settings.target.kind === 'repository' && settings.inventory.enabled) {
    // The repository target opened a RepositoryService above.
    const { repository } = service as RepositoryService;
    const { maxConcurrent, maxRecordsPerInstance, retentionDays } = settings.inventory;
    try {
      inventory = await openInventoryService(
        repository,
        {
          aeTitle: settings.aeTitle,
          peers: settings.peers,
          ...(maxConcurrent !== undefined && { maxConcurrent }),
          ...(maxRecordsPerInstance !== undefined && { maxRecordsPerInstance }),
          ...(retentionDays !== undefined && { retentionMs: retentionDays * 86_400_000 }),
        },
        log,
      );
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
      io.setExitCode(exitCodeFor(error));
      await repository.close();
      return;
    }
  }
  const storing =
    settings.target.kind === 'repository'
      ? `storing into the repository ${settings.target.root}`
      : `storing into ${settings.target.dir}`;
  const acceptUsers = options.acceptUser;
  const check = acceptUsers === undefined ? undefined : acceptListCheck(acceptUsers);
  const server = createServer({
    aeTitles: [settings.aeTitle],
    maxAssociations: options.maxAssociations,
    maxOperationsPerformed: options.window,
    // A peer that goes quiet for five minutes is released, so it cannot hold a slot forever.
    idleTimeout: 300_000,
    contexts: [
      {
        abstractSyntax: VERIFICATION_SOP_CLASS,
        transferSyntaxes: [
          TransferSyntax.ExplicitVrLittleEndian,
          TransferSyntax.ImplicitVrLittleEndian,
        ],
      },
      ...(settings.target.kind === 'repository'
        ? [
            ...Object.values(QUERY_RETRIEVE_SOP_CLASSES),
            ...Object.values(INVENTORY_QUERY_RETRIEVE_SOP_CLASSES),
          ].map((abstractSyntax) => ({
            abstractSyntax,
            transferSyntaxes: [
              TransferSyntax.ExplicitVrLittleEndian,
              TransferSyntax.ImplicitVrLittleEndian,
            ],
          }))
        : []),
      ...(inventory?.contexts ?? []),
      {
        abstractSyntax: isStorageSopClass,
        transferSyntaxes: ACCEPTED_SYNTAXES,
        // A C-GET's instances come back on the same association: the peer takes the SCP role
        // of the storage SOP classes it asks for (PS3.4 C.4.3, PS3.7 D.3.3.4).
        ...(settings.target.kind === 'repository' && {
          requestorRoles: { scu: true, scp: true },
        }),
      },
    ],
    // An anonymous peer is rejected 1/1/1 at negotiation, before it can send a request.
    ...(check !== undefined && {
      requireUserIdentity: true,
      authenticate: (identity: UserIdentityRequest) => {
        const accepted = check(identity);
        if (!accepted) {
          const user = userNameOf(identity);
          log(
            { event: 'refused', reason: 'user not accepted', ...(user !== undefined && { user }) },
            `user identity ${user === undefined ? `of type ${identity.identityType}` : user} not accepted`,
          );
        }
        return accepted;
      },
    }),
    handlers: { ...service.handlers, ...inventory?.handlers },
    ...(settings.peers.size > 0 && {
      moveDestinations: Object.fromEntries(
        [...settings.peers.values()].map((peer) => [
          peer.aeTitle,
          { host: peer.host, port: peer.port },
        ]),
      ),
    }),
    onAssociation: (client) => {
      const negotiated = client.negotiated;
      perAssociation.set(negotiated, { stored: 0, failed: 0 });
      const identity = negotiated.userIdentity;
      const user = identity === undefined ? undefined : userNameOf(identity);
      log(
        {
          event: 'association',
          calling: negotiated.callingAeTitle,
          called: negotiated.calledAeTitle,
          ...(user !== undefined && { user }),
        },
        `association from ${negotiated.callingAeTitle} to ${negotiated.calledAeTitle}${user === undefined ? '' : ` as user ${user}`}`,
      );
    },
    onAssociationEnd: (negotiated, error) => {
      const counts = perAssociation.get(negotiated) ?? { stored: 0, failed: 0 };
      const how = error === undefined ? 'released' : error.message;
      log(
        {
          event: 'association-end',
          calling: negotiated.callingAeTitle,
          stored: counts.stored,
          failed: counts.failed,
          ended: error?.code ?? 'released',
        },
        `association from ${negotiated.callingAeTitle} ended: ${counts.stored} stored, ${counts.failed} failed, ${how}`,
      );
    },
    onFailure: (error) => {
      const rejection = rejectionOf(error);
      if (rejection === undefined) {
        log(
          { event: 'refused', reason: error.message },
          `connection refused or lost: ${error.message}`,
        );
        return;
      }
      const { result, source, reason } = rejection;
      // With an accept-list, 1/1/1 is the user identity check: missing, or refused above.
      const why =
        check !== undefined && result === 1 && source === 1 && reason === 1
          ? 'no user identity, or one not accepted'
          : undefined;
      log(
        {
          event: 'rejected',
          rejection: `${result}/${source}/${reason}`,
          reason: why ?? error.message,
        },
        `association rejected ${result}/${source}/${reason}: ${why ?? error.message}`,
      );
    },
  });
  let address;
  try {
    address = await server.listen({
      port: settings.port,
      host: settings.host,
      ...(tls !== undefined && { tls }),
    });
  } catch (error) {
    fail(`cannot listen: ${(error as Error).message}`);
    await inventory?.close();
    await service.stop(server);
    io.setExitCode(ExitCode.Failed);
    return;
  }
  log(
    {
      event: 'listening',
      host: address.address,
      port: address.port,
      aeTitle: settings.aeTitle,
      [settings.target.kind === 'repository' ? 'storage' : 'folder']:
        settings.target.kind === 'repository' ? settings.target.root : settings.target.dir,
      tls: tls !== undefined,
    },
    `listening on ${address.address}:${address.port}${tls === undefined ? '' : ' (TLS)'} as ${settings.aeTitle}, ${storing}`,
  );
  await new Promise<void>((resolve) => {
    if (io.interrupted.aborted) resolve();
    io.interrupted.addEventListener('abort', () => resolve(), { once: true });
  });
  log({ event: 'stopping' }, 'stopping: no new associations');
  // Productions pause with their checkpoints persisted; the next start resumes them.
  await inventory?.close();
  await service.stop(server);
  log({ event: 'stopped' }, 'stopped');
  flush();
  io.setExitCode(ExitCode.Ok);
}

/** What a storage target gives the server: its C-STORE handler and how it stops. */
interface StorageService {
  readonly handlers: Pick<DimseHandlers, 'store' | 'find' | 'get' | 'move'>;
  stop(server: DimseServer): Promise<void>;
}

/** `--folder`: instances as `<SOP Instance UID>.dcm` files in `dir` (storeToDirectory). */
async function openFolderService(
  dir: string,
  fsync: boolean,
  log: ServeLog,
  onStoreDone: (request: StoreRequest, failed: boolean) => void,
): Promise<StorageService> {
  await mkdir(dir, { recursive: true });
  const store = storeToDirectory(dir, {
    fsync,
    // One line per file: there are at most as many as transfers were open when a process died.
    onLeftoversRemoved: (paths) => {
      for (const file of paths) {
        log(
          { event: 'leftover-removed', path: file },
          `removed ${file}: the unfinished transfer of a process that was stopped`,
        );
      }
    },
    onLeftoverError: (error) =>
      log(
        { event: 'leftover-error', storage: dir, reason: error.message },
        `cannot remove unfinished transfers in ${dir}: ${error.message}`,
      ),
  });
  return {
    handlers: {
      async store(request) {
        const reply = await store(request);
        onStoreDone(request, statusCategory(reply.status) === 'Failure');
        return reply;
      },
    },
    async stop(server) {
      // A file is there whole or not at all, so open transfers are simply cut.
      await server.abortAll();
      await server.close();
    },
  };
}

/** PS3.15 B.4: the user name identifies the user, e.g. in logs; only types 1 and 2 hold one. */
function userNameOf(identity: UserIdentityRequest): string | undefined {
  return identity.identityType === UserIdentityType.Username ||
    identity.identityType === UserIdentityType.UsernameAndPasscode
    ? new TextDecoder().decode(identity.primaryField)
    : undefined;
}
