import { mkdir } from 'node:fs/promises';
import { Command, Option } from 'commander';
import type { NegotiatedAssociation } from '@dicomnet/pdu';
import { createServer, isStorageSopClass, storeToDirectory, TransferSyntax } from '@dicomnet/dimse';
import type { CommandIo } from '../command-io.js';
import { statusCategory } from '@dicomnet/status-codes';
import { ExitCode } from '../exit-codes.js';
import { aeTitle, port, positiveInteger } from './common-options.js';

interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly aet: string;
  readonly storage: string;
  readonly maxAssociations: number;
  readonly fsync: boolean;
  readonly json: boolean;
}

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

/**
 * `dicomnet serve`: a Verification and Storage SCP that writes every instance it receives into
 * a folder, atomically, as `<SOP Instance UID>.dcm` with a Part 10 header (PS3.10).
 */
export function serveCommand(io: CommandIo): Command {
  return new Command('serve')
    .description('receive instances (C-STORE) into a folder and answer C-ECHO, until interrupted')
    .requiredOption(
      '--storage <dir>',
      'folder received instances are written to (created if missing)',
    )
    .addOption(
      new Option('--port <n>', 'TCP port to listen on (0 picks a free one)')
        .default(11112)
        .argParser(port),
    )
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1'))
    .addOption(
      new Option('--aet <title>', 'our AE title; other called AE titles are rejected')
        .default('DICOMNET')
        .argParser(aeTitle),
    )
    .addOption(
      new Option('--max-associations <n>', 'associations served at once')
        .default(16)
        .argParser(positiveInteger),
    )
    .addOption(
      new Option(
        '--no-fsync',
        'do not wait for each file to reach the disk before answering (faster; an OS crash may lose what was acknowledged)',
      ),
    )
    .addOption(new Option('--json', 'log one JSON object per line').default(false))
    .action(async (options: ServeOptions) => {
      await mkdir(options.storage, { recursive: true });
      const log = (event: Record<string, unknown>, text: string): void => {
        io.stdout.write(
          options.json
            ? `${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`
            : `${text}\n`,
        );
      };
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
          log(
            {
              event: 'association',
              calling: negotiated.callingAeTitle,
              called: negotiated.calledAeTitle,
            },
            `association from ${negotiated.callingAeTitle} to ${negotiated.calledAeTitle}`,
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
      const address = await server.listen({ port: options.port, host: options.host });
      log(
        {
          event: 'listening',
          host: address.address,
          port: address.port,
          aeTitle: options.aet,
          storage: options.storage,
        },
        `listening on ${address.address}:${address.port} as ${options.aet}, storing into ${options.storage}`,
      );
      await new Promise<void>((resolve) => {
        if (io.interrupted.aborted) resolve();
        io.interrupted.addEventListener('abort', () => resolve(), { once: true });
      });
      log({ event: 'stopping' }, 'stopping: aborting open associations');
      await server.abortAll();
      await server.close();
      io.setExitCode(ExitCode.Ok);
    });
}
