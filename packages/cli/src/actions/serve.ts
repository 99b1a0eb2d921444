import { mkdir } from 'node:fs/promises';
import type { NegotiatedAssociation } from '@dicomnet/pdu';
import { createServer, isStorageSopClass, storeToDirectory, TransferSyntax } from '@dicomnet/dimse';
import { statusCategory } from '@dicomnet/status-codes';
import type { CommandIo } from '../command-io.js';
import type { ServeOptions } from '../commands/serve.js';
import { wantsTls } from '../commands/tls-options.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { acceptListCheck } from './accept-list.js';
import { serverTlsOptions } from './tls-context.js';

const VERIFICATION = '1.2.840.10008.1.1';

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

/** Runs `dicomnet serve` until the user interrupts it. */
export async function runServe(io: CommandIo, options: ServeOptions): Promise<void> {
  const log = (event: Record<string, unknown>, text: string): void => {
    io.stdout.write(
      options.json
        ? `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`
        : `${text}\n`,
    );
  };
  let tls;
  try {
    await mkdir(options.storage, { recursive: true });
    tls = wantsTls(options) ? await serverTlsOptions(options) : undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`dicomnet serve: ${message}\n`);
    io.setExitCode(exitCodeFor(error));
    return;
  }
  const acceptUsers = options.acceptUser;
  const perAssociation = new WeakMap<NegotiatedAssociation, AssociationLog>();
  const store = storeToDirectory(options.storage, { fsync: options.fsync });
  const server = createServer({
    aeTitles: [options.aet],
    maxAssociations: options.maxAssociations,
    // A peer that goes quiet for five minutes is released, so it cannot hold a slot forever.
    idleTimeout: 300_000,
    contexts: [
      {
        abstractSyntax: VERIFICATION,
        transferSyntaxes: [
          TransferSyntax.ExplicitVrLittleEndian,
          TransferSyntax.ImplicitVrLittleEndian,
        ],
      },
      { abstractSyntax: isStorageSopClass, transferSyntaxes: ACCEPTED_SYNTAXES },
    ],
    ...(acceptUsers !== undefined && { authenticate: acceptListCheck(acceptUsers) }),
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
      if (acceptUsers !== undefined && negotiated.userIdentity === undefined) {
        // The acceptor's policy consults the accept-list only when a User Identity sub-item
        // came; a peer that sent none is not on the list, so it is aborted before any request.
        log(
          { event: 'refused', calling: negotiated.callingAeTitle, reason: 'no user identity' },
          `association from ${negotiated.callingAeTitle} refused: no user identity`,
        );
        void client.abort();
        return;
      }
      perAssociation.set(negotiated, { stored: 0, failed: 0 });
      // PS3.15 B.4: the user name identifies the user, e.g. in logs; only types 1 and 2 hold one.
      const identity = negotiated.userIdentity;
      const user =
        identity !== undefined && identity.identityType <= 2
          ? new TextDecoder().decode(identity.primaryField)
          : undefined;
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
    onFailure: (error) =>
      log(
        { event: 'refused', reason: error.message },
        `connection refused or lost: ${error.message}`,
      ),
  });
  let address;
  try {
    address = await server.listen({
      port: options.port,
      host: options.host,
      ...(tls !== undefined && { tls }),
    });
  } catch (error) {
    io.stderr.write(`dicomnet serve: cannot listen: ${(error as Error).message}\n`);
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
