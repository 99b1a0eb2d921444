import { mkdir } from 'node:fs/promises';
import type {
  AssociationRejectedError,
  NegotiatedAssociation,
  UserIdentityRequest,
} from '@dicomnet/pdu';
import { DicomnetError, UserIdentityType } from '@dicomnet/pdu';
import { TransferSyntax } from '@dicomnet/data';
import {
  createServer,
  isStorageSopClass,
  storeToDirectory,
  VERIFICATION_SOP_CLASS,
} from '@dicomnet/dimse';
import { statusCategory } from '@dicomnet/status-codes';
import type { CommandIo } from '../command-io.js';
import type { ServeOptions } from '../commands/serve.js';
import { wantsTls } from '../commands/tls-options.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { terminalSafe, terminalSafeJson } from '../terminal-safe.js';
import { acceptListCheck } from './accept-list.js';
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

/** Runs `dicomnet serve` until the user interrupts it. */
export async function runServe(io: CommandIo, options: ServeOptions): Promise<void> {
  // The one place serve's lines are written: AE titles, user names and error texts in them come
  // from peers, so both forms go through the terminal-safe writers.
  const log = (event: Record<string, unknown>, text: string): void => {
    io.stdout.write(
      options.json
        ? `${terminalSafeJson({ time: new Date().toISOString(), ...event })}\n`
        : `${terminalSafe(text)}\n`,
    );
  };
  const fail = (text: string): void => {
    io.stderr.write(`dicomnet serve: ${terminalSafe(text)}\n`);
  };
  let tls;
  try {
    await mkdir(options.storage, { recursive: true });
    tls = wantsTls(options) ? await serverTlsOptions(options) : undefined;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    io.setExitCode(exitCodeFor(error));
    return;
  }
  const acceptUsers = options.acceptUser;
  const perAssociation = new WeakMap<NegotiatedAssociation, AssociationLog>();
  const store = storeToDirectory(options.storage, {
    fsync: options.fsync,
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
        { event: 'leftover-error', storage: options.storage, reason: error.message },
        `cannot remove unfinished transfers in ${options.storage}: ${error.message}`,
      ),
  });
  const check = acceptUsers === undefined ? undefined : acceptListCheck(acceptUsers);
  const server = createServer({
    aeTitles: [options.aet],
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
      { abstractSyntax: isStorageSopClass, transferSyntaxes: ACCEPTED_SYNTAXES },
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
    handlers: {
      async store(request) {
        const reply = await store(request);
        const counts = perAssociation.get(request.association);
        if (counts !== undefined) {
          if (statusCategory(reply.status) === 'Failure') counts.failed++;
          else counts.stored++;
        }
        return reply;
      },
    },
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
      port: options.port,
      host: options.host,
      ...(tls !== undefined && { tls }),
    });
  } catch (error) {
    fail(`cannot listen: ${(error as Error).message}`);
    io.setExitCode(ExitCode.Failed);
    return;
  }
  log(
    {
      event: 'listening',
      host: address.address,
      port: address.port,
      aeTitle: options.aet,
      storage: options.storage,
      tls: tls !== undefined,
    },
    `listening on ${address.address}:${address.port}${tls === undefined ? '' : ' (TLS)'} as ${options.aet}, storing into ${options.storage}`,
  );
  await new Promise<void>((resolve) => {
    if (io.interrupted.aborted) resolve();
    io.interrupted.addEventListener('abort', () => resolve(), { once: true });
  });
  log({ event: 'stopping' }, 'stopping: aborting open associations');
  await server.abortAll();
  await server.close();
  io.setExitCode(ExitCode.Ok);
}

/** PS3.15 B.4: the user name identifies the user, e.g. in logs; only types 1 and 2 hold one. */
function userNameOf(identity: UserIdentityRequest): string | undefined {
  return identity.identityType === UserIdentityType.Username ||
    identity.identityType === UserIdentityType.UsernameAndPasscode
    ? new TextDecoder().decode(identity.primaryField)
    : undefined;
}
