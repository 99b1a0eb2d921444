// `dicomnet inventory request HOST PORT`: Initiate (PS3.4 KK.2.2.2), a live line from the
// Inventory Status events, the terminal event (KK.2.3.2), then the tree retrieved through
// Inventory GET or MOVE (PS3.4 JJ.3) and summarized as `inventory show --summary` does.
// `dicomnet inventory status|cancel|pause|resume HOST PORT --transaction UID`: one steering
// N-ACTION and the event(s) it brings.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createInventoryScu,
  retrieveInventory,
  type ActionOutcome,
  type InventoryEvent,
  type InventoryPeer,
  type InventoryTransaction,
} from '@dicomnet/storage-management';
import { DicomnetError } from '@dicomnet/data';
import { formatStatus } from '@dicomnet/status-codes';
import type { CommandIo } from '../command-io.js';
import type { InventoryRequestOptions, SteeringAction } from '../commands/inventory-request.js';
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
import { peerOptions, type PeerOptions } from './peer-options.js';

/** The SCP's address and connection settings, and ours. */
async function peerOf(
  host: string,
  port: number,
  options: InventoryRequestOptions,
): Promise<{ peer: InventoryPeer; connection: Omit<PeerOptions, 'host' | 'port'> }> {
  // The subcommands refuse to run without --called.
  const settings = await peerOptions(host, port, { ...options, called: options.called as string });
  const { callingAeTitle: _calling, ...peer } = settings;
  const { host: _host, port: _port, ...connection } = settings;
  return { peer, connection };
}

function describeOutcome(name: string, outcome: ActionOutcome): string {
  const keys =
    outcome.attributeIdentifierList.length > 0
      ? `; keys the SCP cannot match, ignored: ${outcome.attributeIdentifierList.map(keyName).join(', ')}`
      : '';
  const comment = outcome.errorComment === undefined ? '' : ` (${outcome.errorComment})`;
  return `${name}: ${formatStatus(outcome.status)} ${outcome.meaning}${comment}${keys}`;
}

function describeError(error: unknown, io: CommandIo | undefined): string {
  if (io?.interrupted.aborted === true) return 'interrupted';
  return error instanceof Error ? error.message : String(error);
}

/**
 * A signal that aborts after `ms`, from a timer that keeps the process alive meanwhile (unlike
 * `AbortSignal.timeout`): waiting for events holds no socket once an association is lost.
 */
function deadline(ms: number): { readonly signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no event within ${ms} ms`)), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Reads `events` one at a time, each read giving up (undefined) when its signal aborts first. */
type EventReader = (signal: AbortSignal) => Promise<IteratorResult<InventoryEvent> | undefined>;

/**
 * An {@link EventReader} of `events`. A read that gave up leaves its `next()` pending for the next
 * read, so no event is lost between reads.
 */
function eventReader(events: AsyncIterator<InventoryEvent>): EventReader {
  let pending: Promise<IteratorResult<InventoryEvent>> | undefined;
  return async (signal) => {
    if (signal.aborted) return undefined;
    pending ??= events.next();
    let onAbort: () => void = () => {};
    const aborted = new Promise<undefined>((resolve) => {
      onAbort = () => resolve(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const result = await Promise.race([pending, aborted]);
      if (result !== undefined) pending = undefined;
      return result;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}

/** Whether `event` is what a steering action waits for (PS3.4 KK.2: the state it leads to). */
function isAnswer(action: SteeringAction, event: InventoryEvent): boolean {
  if (event.type !== 'status') return true; // a terminal event ends every wait
  switch (action) {
    case 'status':
      return true;
    case 'pause':
      return event.transactionStatus === 'PAUSED';
    case 'resume':
      return event.transactionStatus === 'PROCESSING';
    case 'cancel':
      return false;
  }
}

function steer(
  transaction: InventoryTransaction,
  action: SteeringAction,
  options: InventoryRequestOptions,
  signal: AbortSignal,
): Promise<ActionOutcome> {
  switch (action) {
    case 'status':
      return transaction.status({ signal });
    case 'pause':
      return transaction.pause({ signal });
    case 'resume':
      return transaction.resume({ signal });
    case 'cancel':
      return transaction.cancel({ retainInstances: options.retain, signal });
  }
}

/**
 * Runs `dicomnet inventory status|pause|resume|cancel`: the N-ACTION on a held association, then
 * the events the SCP reports on it (PS3.4 KK.2.3.2) until the one the action leads to, at most
 * `--timeout` seconds.
 */
export async function runInventorySteer(
  io: CommandIo,
  action: SteeringAction,
  host: string,
  port: number,
  options: InventoryRequestOptions,
): Promise<void> {
  const out = new LineWriter(io.stdout);
  const transactionUid = options.transaction as string; // the subcommand requires it
  const scu = createInventoryScu({ aeTitle: options.aet });
  const wait = deadline(options.timeout * 1000);
  const waited = AbortSignal.any([io.interrupted, wait.signal]);
  let transaction: InventoryTransaction | undefined;
  try {
    const { peer } = await peerOf(host, port, options);
    transaction = scu.transaction(transactionUid, { peer, holdAssociation: true });
    const nextEvent = eventReader(transaction.events());
    const outcome = await steer(transaction, action, options, io.interrupted);
    if (options.json) await out.json({ kind: 'response', action, transactionUid, ...outcome });
    else await out.line(describeOutcome(`${action} ${transactionUid}`, outcome));
    for (;;) {
      const next = await nextEvent(waited);
      const event = next?.done === false ? next.value : undefined;
      if (event === undefined) {
        io.stderr.write(
          `error: ${io.interrupted.aborted ? 'interrupted' : `no ${action === 'cancel' ? 'terminal ' : ''}event from the SCP within ${options.timeout} s`}\n`,
        );
        io.setExitCode(ExitCode.Failed);
        return;
      }
      if (options.json) await out.json(eventJson(event));
      else await out.line(describeEvent(event));
      if (isAnswer(action, event)) return;
    }
  } catch (error) {
    io.stderr.write(`error: ${describeError(error, io)}\n`);
    io.setExitCode(exitCodeFor(error));
  } finally {
    // Released by the transaction itself: the SCU's close() lets go of the associations of the
    // transactions it abandons without releasing them.
    wait.clear();
    await transaction?.release();
    await scu.close();
  }
}

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
