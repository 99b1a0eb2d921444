// What an Inventory Creation SCP tells its listeners: state changes, progress, the fate of each
// N-EVENT-REPORT, and failures (a library never prints; the CLI or the user decides).
import type { TransactionStatus } from '../message-types.js';
import type { DeliveryReport } from './event-courier.js';

/** One notice of an Inventory Creation SCP (see {@link InventoryCreationScp.on}). */
export type InventoryScpEvent =
  | {
      /** A transaction entered `state` (PS3.4 KK.2). */
      readonly type: 'state';
      readonly transactionUid: string;
      readonly state: TransactionStatus;
      readonly studyRecords: number;
    }
  | {
      /** Production progress: study records so far. */
      readonly type: 'progress';
      readonly transactionUid: string;
      readonly studyRecords: number;
    }
  | {
      /** Something failed that no response carries: a production, a finish, a persisted write. */
      readonly type: 'failure';
      readonly transactionUid: string;
      readonly error: unknown;
    }
  | DeliveryReport;

/** A listener of {@link InventoryScpEvent}s; what it throws is ignored. */
export type InventoryScpListener = (event: InventoryScpEvent) => void;

/** A small fan-out of notices to listeners, contained: a throwing listener harms nobody. */
export class ScpNotices {
  readonly #listeners = new Set<InventoryScpListener>();

  add(listener: InventoryScpListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: InventoryScpEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not stop production or delivery.
      }
    }
  }
}
