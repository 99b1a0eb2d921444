import { mkdir } from 'node:fs/promises';
import { connect, RetrieveStatusError, storeToDirectory } from '@dicomnet/dimse';
import type { DimseClient, RetrieveResult, SuboperationProgress } from '@dicomnet/dimse';
import { formatStatus } from '@dicomnet/status-codes';
import type { CommandIo } from '../command-io.js';
import type { GetCommandOptions } from '../commands/get.js';
import type { MoveCommandOptions } from '../commands/move.js';
import type { QueryCommandOptions } from '../commands/query-options.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { createOutput } from '../output.js';
import type { Output } from '../output.js';
import { describeCounts, RetrieveProgress } from '../retrieve-progress.js';
import { identifierOf, sopClassOf } from './identifier.js';
import { peerOptions, reportedError } from './peer-options.js';
import { getContexts, moveContexts } from './retrieve-contexts.js';

/** What `get` wrote into `--out`: files that are complete (each written atomically). */
interface Written {
  readonly dir: string;
  count: number;
}

/** Runs `dicomnet get`: C-GET, the instances written into `--out` (PS3.4 C.4.3). */
export async function runGet(
  io: CommandIo,
  host: string,
  peerPort: number,
  options: GetCommandOptions,
): Promise<void> {
  const sopClassUid = sopClassOf(options, 'get');
  const written: Written = { dir: options.out, count: 0 };
  await runRetrieve(io, host, peerPort, options, 'C-GET', sopClassUid, written, async (client) => {
    await mkdir(options.out, { recursive: true });
    // getscu never fsyncs; we do unless told not to: a success status then means on disk.
    const store = storeToDirectory(options.out, {
      fsync: options.fsync,
      onStored: () => written.count++,
    });
    // Ctrl-C aborts io.interrupted: C-CANCEL-RQ, and the peer's final response ends the C-GET.
    return client.get(
      { sopClassUid, identifier: identifierOf(options) },
      { store, cancel: io.interrupted },
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
  await runRetrieve(io, host, peerPort, options, 'C-MOVE', sopClassUid, undefined, async (client) =>
    client.move(
      { sopClassUid, identifier: identifierOf(options), destination: options.dest },
      { cancel: io.interrupted },
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
  written: Written | undefined,
  start: (client: DimseClient) => Promise<AsyncGenerator<SuboperationProgress, RetrieveResult>>,
): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const command = operation === 'C-GET' ? 'get' : 'move';
  const progress = new RetrieveProgress(out, io.isTty);
  try {
    const client = await connect({
      ...(await peerOptions(host, peerPort, options)),
      contexts: operation === 'C-GET' ? getContexts(sopClassUid) : moveContexts(sopClassUid),
      signal: io.interrupted,
    });
    let result: RetrieveResult;
    try {
      const steps = await start(client);
      for (;;) {
        const next = await steps.next();
        if (next.done === true) {
          result = next.value;
          break;
        }
        progress.update(next.value);
      }
    } finally {
      progress.stop();
      await client.release().catch(() => client.abort());
    }
    out.line(`${operation}: ${describeCounts(result)} (${result.meaning})`);
    // The peer had finished before it read our C-CANCEL-RQ: nothing was cancelled.
    if (io.interrupted.aborted) out.line('interrupted, but the peer had already finished');
    reportWritten(out, written);
    for (const uid of result.failedSopInstanceUids) out.warn(`failed: ${uid}`);
    out.result({
      ok: result.failed === 0,
      ...result,
      ...(written && { written: written.count }),
    });
    io.setExitCode(result.failed === 0 ? ExitCode.Ok : ExitCode.Failed);
  } catch (caught) {
    const error = await reportedError(caught, host, peerPort, options);
    if (error instanceof RetrieveStatusError) {
      // PS3.4 C.4.2.3.1, C.4.3.3.1: a Cancel or Failure response says how far the peer got.
      const what =
        error.category === 'Cancel'
          ? 'cancelled at the peer'
          : `failed at the peer (${error.meaning})`;
      const comment =
        error.details.errorComment === undefined ? '' : ` (${error.details.errorComment})`;
      out.warn(
        `dicomnet ${command}: ${what}, status ${formatStatus(error.status)}${comment}: ${describeCounts(error)}`,
      );
      for (const uid of error.failedSopInstanceUids) out.warn(`failed: ${uid}`);
    } else {
      const message =
        io.interrupted.aborted && error === io.interrupted.reason
          ? 'interrupted before the association was established'
          : error instanceof Error
            ? error.message
            : String(error);
      out.warn(`dicomnet ${command}: ${message}`);
    }
    reportWritten(out, written);
    const message = error instanceof Error ? error.message : String(error);
    out.result({
      ok: false,
      error: { code: (error as { code?: string }).code, message },
      ...(error instanceof RetrieveStatusError && {
        status: error.status,
        meaning: error.meaning,
        completed: error.completed,
        failed: error.failed,
        warning: error.warning,
        remaining: error.remaining,
        failedSopInstanceUids: error.failedSopInstanceUids,
      }),
      ...(written && { written: written.count }),
    });
    io.setExitCode(exitCodeFor(error));
  }
}

/**
 * What `get` leaves in `--out`: only whole instances, each renamed into place once complete, so
 * an interrupted or failed C-GET keeps what arrived and nothing partial.
 */
function reportWritten(out: Output, written: Written | undefined): void {
  if (written === undefined) return;
  out.line(`${written.count} instance(s) written to ${written.dir}`);
}
