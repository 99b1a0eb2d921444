// `dicomnet inventory status|cancel|pause|resume HOST PORT --transaction UID`: one steering
// N-ACTION (PS3.4 Table KK.2-1, action types 12-15) and the event(s) it brings (KK.2.3.2).
import {
  createInventoryScu,
  type ActionOutcome,
  type InventoryEvent,
  type InventoryTransaction,
} from '@dicomnet/storage-management';
import type { CommandIo } from '../command-io.js';
import type { InventoryRequestOptions, SteeringAction } from '../commands/inventory-request.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { deadline, eventReader } from './inventory-event-reader.js';
import { describeEvent, eventJson } from './inventory-events.js';
import { LineWriter } from './inventory-format.js';
import { describeError, describeOutcome, peerOf } from './inventory-connection.js';

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
