// `dicomnet inventory request HOST PORT`: Initiate (PS3.4 KK.2.2.2), a live line from the
// Inventory Status events, the terminal event (KK.2.3.2), then the tree retrieved through
// Inventory GET or MOVE (PS3.4 JJ.3) and summarized as `inventory show --summary` does.
// The steering subcommands are in inventory-steer.ts, loaded with this module.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createInventoryScu,
  retrieveInventory,
  type InventoryEvent,
  type InventoryTransaction,
} from '@dicomnet/storage-management';
import { DicomnetError } from '@dicomnet/data';
import type { CommandIo } from '../command-io.js';
import type { InventoryRequestOptions } from '../commands/inventory-request.js';
import { keyName } from '../commands/query-keys.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { InventoryProgress } from '../inventory-progress.js';
import { createOutput, type Output } from '../output.js';
import { RetrieveProgress } from '../retrieve-progress.js';
import { describeEvent, eventJson } from './inventory-events.js';
import { LineWriter } from './inventory-format.js';
import { describeScope, scopeKeysOf } from './inventory-scope.js';
import { runInventoryShow } from './inventory-show.js';
import { describeError, describeOutcome, peerOf } from './inventory-connection.js';
import { deadline, eventReader } from './inventory-event-reader.js';
import type { PeerOptions } from './peer-options.js';

export { runInventorySteer } from './inventory-steer.js';

/** Request Status attempts in a row that may fail to reach the SCP before the wait gives up. */
const MAX_UNANSWERED_STATUS = 3;

/**
 * Request Status after a quiet `--timeout`: returns the failed attempts in a row so far. An SCP
 * out of reach (restarting) is asked again after the next quiet period, up to
 * {@link MAX_UNANSWERED_STATUS} times; a refusal (e.g. 0x0115, the transaction is unknown) ends
 * the wait at once.
 */
async function askStatus(
  transaction: InventoryTransaction,
  unanswered: number,
  out: Output,
  timeout: number,
): Promise<number> {
  try {
    await transaction.status(); // bounded by --timeout (the DIMSE timeout)
    return 0;
  } catch (error) {
    const refused =
      DicomnetError.isInstance(error) && error.code === 'DICOMNET_INVENTORY_ACTION_FAILED';
    if (refused || unanswered + 1 >= MAX_UNANSWERED_STATUS) throw error;
    out.warn(
      `the SCP did not answer Request Status (${describeError(error, undefined)}); asking again in ${timeout} s`,
    );
    return unanswered + 1;
  }
}

/**
 * Runs `dicomnet inventory request`: exit 0 when the inventory is COMPLETE and retrieved, 1 when
 * it ended otherwise (FAILURE, CANCELED) or an action failed, and the connection errors' codes.
 */
export async function runInventoryRequest(
  io: CommandIo,
  host: string,
  port: number,
  options: InventoryRequestOptions,
): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const lines = new LineWriter(io.stdout);
  const scu = createInventoryScu({ aeTitle: options.aet });
  const progress = new InventoryProgress(out, io.isTty);
  let cancelling: Promise<unknown> | undefined;
  let transaction: InventoryTransaction | undefined;
  try {
    const { peer, connection } = await peerOf(host, port, options);
    if (options.listen !== undefined) {
      const address = await scu.listen({ port: options.listen });
      out.line(`listening for reports as ${options.aet} on port ${address.port}`);
    }
    const scope = options.scope ?? [];
    out.line(
      `requesting an inventory at ${options.level} level of ${describeScope(scope, keyName)} from ${options.called ?? ''} at ${host}:${port}`,
    );
    const initiated = await scu.initiate({
      peer,
      level: options.level,
      ...(scope.length > 0 && { scope: scopeKeysOf(scope) }),
      ...(options.purpose !== undefined && { purpose: options.purpose }),
      ...(options.interval !== undefined && { requestedStatusInterval: options.interval }),
      // With --listen the SCP reports on associations it opens to us (PS3.4 KK.2.3.2).
      holdAssociation: options.listen === undefined,
      signal: io.interrupted,
    });
    transaction = initiated;
    const uid = initiated.transactionUid;
    if (options.json)
      await lines.json({
        kind: 'response',
        action: 'request',
        transactionUid: uid,
        ...initiated.initiation,
      });
    else out.line(describeOutcome(`transaction ${uid}`, initiated.initiation));
    // Ctrl-C: Cancel without keeping anything (PS3.4 Table KK.2-1, action 13); a second Ctrl-C
    // ends the process (bin.ts listens for the first one only).
    const onInterrupt = (): void => {
      out.warn(`cancelling ${uid} at the SCP (Ctrl-C again to exit)`);
      cancelling = initiated.cancel({ retainInstances: false }).catch((error: unknown) => {
        out.warn(`cancel failed: ${describeError(error, undefined)}`);
      });
    };
    io.interrupted.addEventListener('abort', onInterrupt, { once: true });
    let last: InventoryEvent | undefined;
    let shownState: string | undefined;
    let unanswered = 0;
    const nextEvent = eventReader(initiated.events());
    try {
      for (;;) {
        // A quiet production is asked for its status every --timeout seconds (PS3.4 KK.2.2.2,
        // Request Status): the answer comes on the association of that request, so a held
        // association the SCP lost (a restart) is replaced, and an SCP that is gone ends the wait
        // with the connection's error.
        const quiet = deadline(options.timeout * 1000);
        const next = await nextEvent(quiet.signal).finally(() => quiet.clear());
        if (next === undefined) {
          unanswered = await askStatus(initiated, unanswered, out, options.timeout);
          continue;
        }
        unanswered = 0;
        if (next.done === true) break;
        const event = next.value;
        last = event;
        progress.update(
          event.transactionStatus,
          event.type === 'terminated-without-instances' ? 0 : event.totalStudyRecords,
        );
        if (options.json) await lines.json(eventJson(event));
        else if (event.type !== 'status' || event.transactionStatus !== shownState) {
          // One line per state change; the live line shows the rest.
          if (!io.isTty || event.type !== 'status') {
            progress.stop();
            out.line(describeEvent(event));
          }
          shownState = event.transactionStatus;
        }
      }
    } finally {
      io.interrupted.removeEventListener('abort', onInterrupt);
      progress.stop();
    }
    await cancelling;
    await initiated.release(); // see runInventorySteer
    await scu.close();
    if (last === undefined || last.type !== 'terminated-with-instances') {
      io.setExitCode(ExitCode.Failed);
      return;
    }
    if (last.transactionStatus !== 'COMPLETE') io.setExitCode(ExitCode.Failed);
    await retrieveAndShow(io, host, port, options, connection, last.access.sopInstanceUid);
  } catch (error) {
    progress.stop();
    out.warn(`error: ${describeError(error, io)}`);
    io.setExitCode(exitCodeFor(error));
  } finally {
    await transaction?.release();
    await scu.close();
  }
}

/** Retrieves the tree rooted at `root` into `--out` (or a temporary folder) and summarizes it. */
async function retrieveAndShow(
  io: CommandIo,
  host: string,
  port: number,
  options: InventoryRequestOptions,
  connection: Omit<PeerOptions, 'host' | 'port'>,
  root: string,
): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const dir = options.out ?? (await mkdtemp(path.join(tmpdir(), 'dicomnet-inventory-')));
  const progress = new RetrieveProgress(out, io.isTty);
  try {
    const { callingAeTitle, calledAeTitle, ...rest } = connection;
    let records = 0;
    for await (const item of retrieveInventory({
      host,
      port,
      callingAeTitle,
      calledAeTitle,
      root,
      via: options.via,
      ...(options.via === 'move' && {
        // The command requires --listen with --via move.
        destination: { aeTitle: options.aet, port: options.listen as number, host: '0.0.0.0' },
      }),
      dir,
      connection: rest,
      signal: io.interrupted,
      onProgress: (step) => {
        if (step.phase === 'retrieve' && step.suboperations !== undefined)
          progress.update(step.suboperations);
      },
    })) {
      if (item.kind === 'study' || item.kind === 'series' || item.kind === 'instance') records++;
    }
    progress.stop();
    out.line(
      `retrieved the inventory ${root} through Inventory ${options.via.toUpperCase()} into ${options.out ?? 'a temporary folder'}: ${records} record(s)`,
    );
    await runInventoryShow(io, path.join(dir, `${root}.dcm`), {
      json: options.json,
      summary: true,
    });
  } finally {
    progress.stop();
    if (options.out === undefined) await rm(dir, { recursive: true, force: true });
  }
}
