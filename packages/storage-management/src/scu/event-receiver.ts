// The SCU's N-EVENT-REPORT handler (PS3.4 KK.2.3; PS3.7 10.1.1.1.8): one for every association
// the reports arrive on, the N-ACTION's own or one the SCP opened. It answers each report with
// the status that says what became of it.
import type { DimseHandlers, EventReportRequest, ReplyWithDataSet } from '@dicomnet/dimse';
import { StorageManagementStatus as Status } from '@dicomnet/status-codes';
import { Tag } from '../tags.js';
import type { InventoryEvent } from './inventory-event.js';
import type { InventoryEventHandler, InventoryTransaction } from './inventory-transaction.js';
import type { EventRefusal } from './read-event.js';
import { readEvent } from './read-event.js';

/**
 * What to do with an event for a Transaction UID this SCU does not know (PS3.4 KK.2.3.3, the SCU
 * behaviour, is UNCONFIRMED here; these are dicomnet policies):
 * - `'refuse'` (default): 0x0115 Invalid argument value; the SCP gives up on it.
 * - `'retry-later'`: 0x0213 Resource limitation; the SCP reports again later, e.g. until a
 *   restarted SCU has re-attached with {@link InventoryScu.transaction}.
 * - `'accept'`: 0x0000; only the SCU's `onEvent` sees it.
 */
export type UnknownTransactionPolicy = 'refuse' | 'retry-later' | 'accept';

/** A report the SCU refused, for diagnostics (libraries never print). */
export interface RefusedEvent extends EventRefusal {
  readonly eventTypeId: number;
  /** The Transaction UID of the report, when it had one. */
  readonly transactionUid: string | undefined;
  readonly callingAeTitle: string;
}

/** What the receiver needs from its SCU. */
export interface ReceiverSettings {
  readonly strict: boolean;
  readonly unknownTransactions: UnknownTransactionPolicy;
  /** The transaction a Transaction UID names, if the SCU knows it. */
  readonly find: (transactionUid: string) => InventoryTransaction | undefined;
  /** Whether the transaction ended lately: a repeat of its terminal event is acknowledged. */
  readonly hasEnded: (transactionUid: string) => boolean;
  readonly onEvent: InventoryEventHandler | undefined;
  readonly onRefused: ((refused: RefusedEvent) => void) | undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `eventReport` handler of an Inventory Creation SCU. */
export function createEventReceiver(
  settings: ReceiverSettings,
): Required<Pick<DimseHandlers, 'eventReport'>> {
  const refuse = (
    request: EventReportRequest,
    refusal: EventRefusal,
    transactionUid?: string,
  ): ReplyWithDataSet => {
    try {
      settings.onRefused?.({
        ...refusal,
        eventTypeId: request.eventTypeId,
        transactionUid,
        callingAeTitle: request.association.callingAeTitle,
      });
    } catch {
      // A diagnostics hook must not change the answer.
    }
    return {
      status: refusal.status,
      ...(refusal.status === Status.ProcessingFailure && { errorComment: refusal.reason }),
      ...(refusal.invalid !== undefined && { dataSet: refusal.invalid }),
    };
  };
  return {
    async eventReport(request) {
      const read = readEvent(request, { strict: settings.strict });
      if ('refusal' in read) return refuse(request, read.refusal);
      const event: InventoryEvent = read.event;
      const uid = event.transactionUid;
      const transaction = settings.find(uid);
      // An SCP that lost our answer to a terminal event sends it again: it was taken already.
      if (transaction === undefined && settings.hasEnded(uid)) return Status.Success;
      if (transaction === undefined && settings.unknownTransactions !== 'accept') {
        const retry = settings.unknownTransactions === 'retry-later';
        return refuse(
          request,
          {
            status: retry ? Status.ResourceLimitation : Status.InvalidArgumentValue,
            reason: `unknown Transaction UID ${uid}`,
            // PS3.7 C.5.10: the value found invalid, echoed.
            ...(!retry && { invalid: { [Tag.TransactionUID]: { vr: 'UI', Value: [uid] } } }),
          },
          uid,
        );
      }
      // PS3.7 C.5.22: the reader of this transaction is `maxQueuedEvents` behind.
      if (transaction !== undefined && !transaction.canTake()) {
        return refuse(
          request,
          { status: Status.ResourceLimitation, reason: `event queue of ${uid} is full` },
          uid,
        );
      }
      try {
        await settings.onEvent?.(event);
        await transaction?.handle(event);
      } catch (error) {
        // PS3.7 C.5.21: the user could not take the event (e.g. persist it); the SCP may retry.
        return refuse(request, { status: Status.ProcessingFailure, reason: messageOf(error) }, uid);
      }
      transaction?.take(event, request.responded);
      if (transaction?.ended === true) {
        // The production is over: the association held for it may go, once this answer is out.
        void request.responded.then(() => transaction.release());
      }
      return Status.Success;
    },
  };
}
