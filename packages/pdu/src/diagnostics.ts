import { channel } from 'node:diagnostics_channel';
import { debuglog } from 'node:util';
import type { AssociationInternalError } from './association-errors.js';
import type { AssociationRole } from './negotiation/negotiated-association.js';
import type { State } from './state/states.js';
import type { Event } from './state/events.js';
import type { Action } from './state/transition-table.js';

/** Message on `dicomnet:pdu:pdu-received` and `dicomnet:pdu:pdu-sent`. */
export interface PduTrafficMessage {
  readonly associationId: string;
  /** PDU type, PS3.8 §9.3 (0x01–0x07). */
  readonly type: number;
  /** PDU-length: the bytes after the 6-byte header. */
  readonly length: number;
}

/** Message on `dicomnet:pdu:state-changed`: one transition of PS3.8 Table 9-10. */
export interface StateChangedMessage {
  readonly associationId: string;
  readonly role: AssociationRole;
  readonly from: State;
  readonly event: Event;
  readonly action: Action;
  readonly to: State;
}

/** Message on `dicomnet:pdu:association-ended`. `error` is absent after a normal release. */
export interface AssociationEndedMessage {
  readonly associationId: string;
  readonly role: AssociationRole;
  readonly error: Error | undefined;
}

/**
 * Message on `dicomnet:pdu:association-error`: an exception caught on one association's path;
 * that association is ending (A-ABORT or close), the process and other associations go on.
 */
export interface AssociationErrorMessage {
  readonly associationId: string;
  readonly role: AssociationRole;
  /** Where it was caught; `error.cause` is what was thrown. */
  readonly error: AssociationInternalError;
}

/**
 * Message on `dicomnet:pdu:acceptor-error`: a listening server reported an error that belongs
 * to no association (e.g. `accept` failing with EMFILE when a peer opens too many connections).
 * The server keeps listening.
 */
export interface AcceptorErrorMessage {
  readonly error: Error;
}

/** Names of the diagnostics channels this package publishes on (public API). */
export const DIAGNOSTICS_CHANNELS = {
  pduReceived: 'dicomnet:pdu:pdu-received',
  pduSent: 'dicomnet:pdu:pdu-sent',
  stateChanged: 'dicomnet:pdu:state-changed',
  associationEnded: 'dicomnet:pdu:association-ended',
  associationError: 'dicomnet:pdu:association-error',
  acceptorError: 'dicomnet:pdu:acceptor-error',
} as const;

const pduReceived = channel(DIAGNOSTICS_CHANNELS.pduReceived);
const pduSent = channel(DIAGNOSTICS_CHANNELS.pduSent);
const stateChanged = channel(DIAGNOSTICS_CHANNELS.stateChanged);
const associationEnded = channel(DIAGNOSTICS_CHANNELS.associationEnded);
const associationError = channel(DIAGNOSTICS_CHANNELS.associationError);
const acceptorError = channel(DIAGNOSTICS_CHANNELS.acceptorError);
const debug = debuglog('dicomnet');

// The per-PDU publishers take their fields, not a message: the message object is built only
// when someone listens (a C-ECHO round trip passes here six times on each side).

export function publishPduReceived(associationId: string, type: number, length: number): void {
  if (pduReceived.hasSubscribers) pduReceived.publish({ associationId, type, length });
}

export function publishPduSent(associationId: string, type: number, length: number): void {
  if (pduSent.hasSubscribers) pduSent.publish({ associationId, type, length });
}

export function publishStateChanged(
  associationId: string,
  role: AssociationRole,
  from: State,
  event: Event,
  action: Action,
  to: State,
): void {
  if (debug.enabled) {
    debug('%s %s: %s + %s -> %s -> %s', role, associationId, from, event, action, to);
  }
  if (stateChanged.hasSubscribers) {
    const message: StateChangedMessage = { associationId, role, from, event, action, to };
    stateChanged.publish(message);
  }
}

export function publishAssociationEnded(message: AssociationEndedMessage): void {
  if (debug.enabled) {
    debug(
      '%s %s ended: %s',
      message.role,
      message.associationId,
      message.error?.message ?? 'released',
    );
  }
  if (associationEnded.hasSubscribers) associationEnded.publish(message);
}

export function publishAssociationError(message: AssociationErrorMessage): void {
  if (debug.enabled) {
    debug('%s %s failed: %s', message.role, message.associationId, message.error.message);
  }
  if (associationError.hasSubscribers) associationError.publish(message);
}

export function publishAcceptorError(message: AcceptorErrorMessage): void {
  if (debug.enabled) debug('acceptor error: %s', message.error.message);
  if (acceptorError.hasSubscribers) acceptorError.publish(message);
}
