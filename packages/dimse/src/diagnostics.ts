import { channel } from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import type { CommandSet } from './command/index.js';
import { commandFieldName } from './command/index.js';

/** Message on `dicomnet:dimse:message-sent` and `dicomnet:dimse:message-received`. */
export interface DimseMessageEvent {
  /** The Upper Layer association's id (as on the `dicomnet:pdu:*` channels). */
  readonly associationId: string;
  /** 'C-STORE-RQ', 'N-ACTION-RSP', … */
  readonly kind: string;
  /** Message ID of a request, or Message ID Being Responded To of a response. */
  readonly messageId: number;
  readonly presentationContextId: number;
  /** Status (0000,0900) of a response. */
  readonly status?: number;
}

/** Message on `dicomnet:dimse:error`: an association ended by the DIMSE layer, and why. */
export interface DimseErrorEvent {
  /** The Upper Layer association's id (as on the `dicomnet:pdu:*` channels). */
  readonly associationId: string;
  /** The coded error (`DICOMNET_DIMSE_*`) that made us abort, or a contained failure. */
  readonly error: Error;
}

/** Names of the diagnostics channels this package publishes on (public API). */
export const DIMSE_DIAGNOSTICS_CHANNELS = {
  messageSent: 'dicomnet:dimse:message-sent',
  messageReceived: 'dicomnet:dimse:message-received',
  error: 'dicomnet:dimse:error',
} as const;

const sent = channel(DIMSE_DIAGNOSTICS_CHANNELS.messageSent);
const received = channel(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived);
const errors = channel(DIMSE_DIAGNOSTICS_CHANNELS.error);
const debug = debuglog('dicomnet');

/**
 * Whether an event of a sent (received) message would go anywhere: callers on the per-message
 * path build the event only then.
 */
export function watchesSent(): boolean {
  return debug.enabled || sent.hasSubscribers;
}

/** See {@link watchesSent}. */
export function watchesReceived(): boolean {
  return debug.enabled || received.hasSubscribers;
}

export function publishMessageSent(event: DimseMessageEvent): void {
  if (debug.enabled) debug('%s sent %s #%d', event.associationId, event.kind, event.messageId);
  if (sent.hasSubscribers) sent.publish(event);
}

export function publishMessageReceived(event: DimseMessageEvent): void {
  if (debug.enabled) debug('%s received %s #%d', event.associationId, event.kind, event.messageId);
  if (received.hasSubscribers) received.publish(event);
}

/**
 * Publishes a DIMSE-level failure. (Node itself turns an exception thrown by a subscriber into
 * an 'uncaughtException' on the next tick: `publish` never throws here, and nothing here can
 * catch a subscriber's bug.)
 */
export function publishDimseError(event: DimseErrorEvent): void {
  if (debug.enabled) debug('%s dimse error %s', event.associationId, event.error.message);
  if (errors.hasSubscribers) errors.publish(event);
}

/** The event of a command set sent or received on presentation context `contextId`. */
export function commandEvent(
  associationId: string,
  contextId: number,
  set: CommandSet,
): DimseMessageEvent {
  return {
    associationId,
    kind: commandFieldName(set.commandField),
    messageId: set.messageId ?? set.messageIdBeingRespondedTo ?? 0,
    presentationContextId: contextId,
    ...(set.status !== undefined && { status: set.status }),
  };
}
