import { channel } from 'node:diagnostics_channel';
import { debuglog } from 'node:util';

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

/** Names of the diagnostics channels this package publishes on (public API). */
export const DIMSE_DIAGNOSTICS_CHANNELS = {
  messageSent: 'dicomnet:dimse:message-sent',
  messageReceived: 'dicomnet:dimse:message-received',
} as const;

const sent = channel(DIMSE_DIAGNOSTICS_CHANNELS.messageSent);
const received = channel(DIMSE_DIAGNOSTICS_CHANNELS.messageReceived);
const debug = debuglog('dicomnet');

export function publishMessageSent(event: DimseMessageEvent): void {
  if (debug.enabled) debug('%s sent %s #%d', event.associationId, event.kind, event.messageId);
  if (sent.hasSubscribers) sent.publish(event);
}

export function publishMessageReceived(event: DimseMessageEvent): void {
  if (debug.enabled) debug('%s received %s #%d', event.associationId, event.kind, event.messageId);
  if (received.hasSubscribers) received.publish(event);
}
