// Action and event types of Inventory Creation (PS3.4 Tables KK.2-1 and KK.2-2) and the values of
// the attributes that steer it (PS3.3 C.38.1, C.38.3).

/** N-ACTION Action Type IDs (PS3.4 Table KK.2-1). */
export const ActionType = {
  Initiate: 11,
  RequestStatus: 12,
  Cancel: 13,
  Pause: 14,
  Resume: 15,
} as const;
export type ActionTypeId = (typeof ActionType)[keyof typeof ActionType];

/** N-EVENT-REPORT Event Type IDs (PS3.4 Table KK.2-2). */
export const EventType = {
  TerminatedWithInstances: 11,
  Status: 12,
  TerminatedWithoutInstances: 13,
} as const;
export type EventTypeId = (typeof EventType)[keyof typeof EventType];

/** Inventory Level (0008,0403) (PS3.3 C.38.1): which records an inventory holds. */
export type InventoryLevel = 'STUDY' | 'SERIES' | 'INSTANCE';
export const INVENTORY_LEVELS: readonly InventoryLevel[] = ['STUDY', 'SERIES', 'INSTANCE'];

/**
 * Transaction Status (0008,0417) (PS3.3 C.38.3; PS3.4 KK.2): the production states. COMPLETE,
 * FAILURE and CANCELED are terminal.
 */
export type TransactionStatus = 'PROCESSING' | 'PAUSED' | 'COMPLETE' | 'FAILURE' | 'CANCELED';

/** Whether a production in this state has ended (PS3.4 KK.2). */
export function isTerminal(status: TransactionStatus): boolean {
  return status === 'COMPLETE' || status === 'FAILURE' || status === 'CANCELED';
}
