import { mkdir } from 'node:fs/promises';
import { connect, storeToDirectory } from '@dicomnet/dimse';
import type { DimseClient, RetrieveResult, SuboperationProgress } from '@dicomnet/dimse';
import type { CommandIo } from '../command-io.js';
import type { GetCommandOptions } from '../commands/get.js';
import type { MoveCommandOptions } from '../commands/move.js';
import type { QueryCommandOptions } from '../commands/query-options.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { createOutput } from '../output.js';
import { RetrieveProgress } from '../retrieve-progress.js';
import { identifierOf, sopClassOf } from './identifier.js';
import { peerOptions, reportedError } from './peer-options.js';
import { getContexts, moveContexts } from './retrieve-contexts.js';

/** Runs `dicomnet get`: C-GET, the instances written into `--out` (PS3.4 C.4.3). */
export async function runGet(
  io: CommandIo,
  host: string,
  peerPort: number,
  options: GetCommandOptions,
): Promise<void> {
  const sopClassUid = sopClassOf(options, 'get');
  await runRetrieve(io, host, peerPort, options, 'C-GET', sopClassUid, async (client) => {
    await mkdir(options.out, { recursive: true });
    return client.get(
      { sopClassUid, identifier: identifierOf(options) },
      { store: storeToDirectory(options.out), signal: io.interrupted },
    );
  });
}

/** Runs `dicomnet move`: C-MOVE to `--dest` (PS3.4 C.4.2). */
export async function runMove(
  io: CommandIo,
  host: string,
  peerPort: number,
  options: MoveCommandOptions,
): Promise<void> {
  const sopClassUid = sopClassOf(options, 'move');
  await runRetrieve(io, host, peerPort, options, 'C-MOVE', sopClassUid, async (client) =>
    client.move(
      { sopClassUid, identifier: identifierOf(options), destination: options.dest },
      { signal: io.interrupted },
    ),
  );
}

async function runRetrieve(
  io: CommandIo,
  host: string,
  peerPort: number,
  options: QueryCommandOptions,
  operation: 'C-GET' | 'C-MOVE',
  sopClassUid: string,
  start: (client: DimseClient) => Promise<AsyncGenerator<SuboperationProgress, RetrieveResult>>,
): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const progress = new RetrieveProgress(out, io.isTty);
  let last: SuboperationProgress | undefined;
  try {
    const client = await connect({
      ...(await peerOptions(host, peerPort, options)),
      contexts: operation === 'C-GET' ? getContexts(sopClassUid) : moveContexts(sopClassUid),
      signal: io.interrupted,
    });
    let result: RetrieveResult;
    try {
      // Ctrl-C aborts io.interrupted: C-CANCEL-RQ, then the final response is awaited.
      const steps = await start(client);
      for (;;) {
        const next = await steps.next();
        if (next.done === true) {
          result = next.value;
          break;
        }
        last = next.value;
        progress.update(next.value);
      }
    } finally {
      progress.stop();
      await client.release().catch(() => client.abort());
    }
    out.line(
      `${operation}: ${result.completed} completed, ${result.failed} failed, ${result.warning} warning (${result.meaning})`,
    );
    for (const uid of result.failedSopInstanceUids) out.line(`failed: ${uid}`);
    out.result({ ok: result.failed === 0, ...result });
    io.setExitCode(result.failed === 0 ? ExitCode.Ok : ExitCode.Failed);
  } catch (caught) {
    const error = await reportedError(caught, host, peerPort, options);
    const message = io.interrupted.aborted
      ? `cancelled after ${last?.completed ?? 0} completed sub-operation(s)`
      : error instanceof Error
        ? error.message
        : String(error);
    out.warn(`dicomnet ${operation === 'C-GET' ? 'get' : 'move'}: ${message}`);
    out.result({ ok: false, error: { code: (error as { code?: string }).code, message } });
    io.setExitCode(exitCodeFor(error));
  }
}
