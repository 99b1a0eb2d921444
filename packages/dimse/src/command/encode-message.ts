import type { CommandRuleContext } from './command-rules.js';
import type { DimseMessage } from './dimse-message.js';
import { encodeLaidOutCommandSet } from './encode-command-set.js';
import { MESSAGE_SPECS } from './message-specs.js';
import { toCommandSet } from './to-command-set.js';

/**
 * The command set of a message to send: the bytes and errors of
 * `encodeCommandSet(toCommandSet(message, context))`, encoded in the message's own element
 * order (a C-ECHO's whole command costs less than the general encoder's sort). The bytes lie in
 * Node's shared buffer pool: hand them to a send, do not keep them.
 * @throws {@link CommandValidationError} as {@link toCommandSet} does.
 */
export function encodeMessageCommand(
  message: DimseMessage,
  context?: CommandRuleContext,
): Uint8Array {
  const set = toCommandSet(message, context); // refuses an unknown kind first
  return encodeLaidOutCommandSet(set, MESSAGE_SPECS[message.kind].layout);
}
