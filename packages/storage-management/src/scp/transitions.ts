// The production states of an inventory and the one table of moves between them (PS3.4 KK.2,
// Figure KK.2-1). Every state change of a transaction goes through nextState().
import type { TransactionStatus } from '../message-types.js';

/**
 * What moves a production: an N-ACTION (Pause 14, Resume 15, Cancel 13) or the SCP itself
 * (KK.2: "PAUSED … by N-ACTION or SCP-internal conditions"; "back to PROCESSING by Resume or
 * SCP-internal action"; COMPLETE or FAILURE "without further N-ACTION operations").
 */
export type TransitionCause = 'pause' | 'resume' | 'cancel' | 'complete' | 'fail';

/**
 * From each state, where each cause leads; a missing entry is not allowed. Pause while PAUSED
 * and Resume while PROCESSING lead to the same state: accepted, but no state change and so no
 * Inventory Status event (KK.2.3.2 asks for one "whenever production changes state").
 * FAILURE from PAUSED is not named by the text read (storage-management.md §2, UNCONFIRMED):
 * allowed, for an SCP that cannot resume a paused production (e.g. after a restart).
 */
const TRANSITIONS: Readonly<
  Record<TransactionStatus, Readonly<Partial<Record<TransitionCause, TransactionStatus>>>>
> = {
  PROCESSING: {
    pause: 'PAUSED',
    resume: 'PROCESSING',
    cancel: 'CANCELED',
    complete: 'COMPLETE',
    fail: 'FAILURE',
  },
  PAUSED: { pause: 'PAUSED', resume: 'PROCESSING', cancel: 'CANCELED', fail: 'FAILURE' },
  COMPLETE: {},
  FAILURE: {},
  CANCELED: {},
};

/** The state `cause` leads to from `from`, or undefined when the table does not allow it. */
export function nextState(
  from: TransactionStatus,
  cause: TransitionCause,
): TransactionStatus | undefined {
  return TRANSITIONS[from][cause];
}

/** The state of a production that was just initiated (KK.2: Initiate → PROCESSING). */
export const INITIAL_STATE: TransactionStatus = 'PROCESSING';
