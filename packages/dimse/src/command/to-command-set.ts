import { COMMAND_DATA_SET_ABSENT, COMMAND_DATA_SET_PRESENT, Priority } from './command-field.js';
import { CommandValidationError } from './command-errors.js';
import { MISTYPED_ARGUMENT, UNRECOGNIZED_OPERATION, collectFields } from './command-rules.js';
import type { MutableFields } from './command-rules.js';
import { checkConditions } from './message-conditions.js';
import type { CommandRuleContext } from './command-rules.js';
import type { CommandSet, CommandSetFields } from './command-set.js';
import type { DimseMessage } from './dimse-message.js';
import { MESSAGE_SPECS } from './message-specs.js';

/**
 * Builds the command set of a DIMSE message, checking the rules of its service before anything is
 * sent: mandatory fields present and well typed (PS3.7 Tables 9.1-x/10.1-x, 9.3-x/10.3-x), the
 * data set rule, the conditional fields (C-FIND Identifier only with Pending; C-GET/C-MOVE
 * counters and Identifier by status, PS3.4 C.4.2.1.6–C.4.2.1.9; N-EVENT-REPORT/N-ACTION type ID
 * with a reply; N-CREATE-RSP Affected SOP Instance UID, PS3.7 §10.1.5.1.4), the Annex C
 * companion fields only with the statuses that list them, Pending and Cancel only in C-FIND,
 * C-GET and C-MOVE responses, and a status inside the classes of PS3.7 Annex C.
 *
 * Priority defaults to Medium for C-STORE, C-FIND, C-GET and C-MOVE requests. A data set that
 * follows is announced with Command Data Set Type 0001H.
 * @param context - Optionally the request a response answers (used by the N-CREATE-RSP rule).
 * @throws {@link CommandValidationError} (`DICOMNET_DIMSE_INVALID_COMMAND`) naming the field.
 */
export function toCommandSet(message: DimseMessage, context?: CommandRuleContext): CommandSet {
  const spec = MESSAGE_SPECS[message.kind];
  // A JavaScript caller can pass any kind; TypeScript callers cannot get here.
  if (spec === undefined) {
    throw new CommandValidationError(
      0,
      'kind',
      UNRECOGNIZED_OPERATION,
      `unknown kind ${String(message.kind)}`,
    );
  }
  let source: CommandSetFields = message;
  if (spec.fields.priority !== undefined && source.priority === undefined) {
    // Not `{ ...source, priority }`: reading an object spread and then grown costs several
    // times more (see OutgoingRequests#send).
    const withPriority = { priority: Priority.Medium, ...source };
    // An own `priority: undefined` (a JavaScript caller) was copied over the default.
    (withPriority as { priority: number }).priority = Priority.Medium;
    source = withPriority;
  }
  // The command set is built in place: its two computed fields first, then the message's.
  const set: MutableFields & { commandField: number; commandDataSetType: number } = {
    commandField: spec.commandField,
    commandDataSetType: COMMAND_DATA_SET_ABSENT,
  };
  collectFields(spec, source, 'send', set);
  let dataSet = spec.dataSet === 'always';
  if (spec.dataSet === 'conditional') {
    const flag: unknown = 'hasDataSet' in message ? message.hasDataSet : undefined;
    if (typeof flag !== 'boolean') {
      throw new CommandValidationError(
        spec.commandField,
        'hasDataSet',
        MISTYPED_ARGUMENT,
        `${spec.kind} needs hasDataSet`,
      );
    }
    dataSet = flag;
  }
  checkConditions(spec, set, dataSet, 'send', context);
  if (dataSet) set.commandDataSetType = COMMAND_DATA_SET_PRESENT;
  return set;
}
