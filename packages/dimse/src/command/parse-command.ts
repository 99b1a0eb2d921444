import { CommandValidationError } from './command-errors.js';
import { UNRECOGNIZED_OPERATION, collectFields } from './command-rules.js';
import type { MutableFields } from './command-rules.js';
import { checkConditions } from './message-conditions.js';
import type { CommandRuleContext } from './command-rules.js';
import { commandFieldName } from './command-field.js';
import { hasDataSet } from './command-set.js';
import type { CommandSet } from './command-set.js';
import type { DimseMessage } from './dimse-message.js';
import { specForCommandField } from './message-specs.js';

/**
 * Turns a received command set into a typed DIMSE message, checking the rules of PS3.7 for its
 * service: a known Command Field, mandatory fields present and well typed, the data set rule,
 * C-FIND-RSP Identifier with Pending, N-EVENT-REPORT/N-ACTION-RSP type ID with a reply, and (given
 * the request) the N-CREATE-RSP Affected SOP Instance UID. Elements the message does not define
 * and `otherElements` are dropped.
 *
 * Lenient where real peers deviate and nothing depends on it: a final C-FIND-RSP with a data set
 * (pynetdicom before 2.0.0) is accepted with `hasDataSet: true`; C-GET/C-MOVE counters and
 * Identifier are not checked against the status (PS3.4 rules; DCMTK's DcmSCP sends all four
 * counters or none whatever the status); Annex C companion fields are accepted with any status
 * (pynetdicom copies whatever its handler returns); Error Comment may hold any text.
 * @param context - Optionally the request a response answers (used by the N-CREATE-RSP rule).
 * @throws {@link CommandValidationError} (`DICOMNET_DIMSE_INVALID_COMMAND`) whose `status` is the
 *   DIMSE status to answer a request with: 0211H for an unknown Command Field, 0117H for a bad
 *   SOP Instance UID, 0212H otherwise.
 */
export function parseCommand(set: CommandSet, context?: CommandRuleContext): DimseMessage {
  const spec = specForCommandField(set.commandField);
  if (spec === undefined) {
    throw new CommandValidationError(
      set.commandField,
      'commandField',
      UNRECOGNIZED_OPERATION,
      `${commandFieldName(set.commandField)} is not in PS3.7 Table E.1-1`,
    );
  }
  // The message is built in place (one object per received command, not three).
  const message: MutableFields & { kind: string; hasDataSet?: boolean } = { kind: spec.kind };
  collectFields(spec, set, 'receive', message);
  const dataSet = hasDataSet(set);
  checkConditions(spec, message, dataSet, 'receive', context);
  if (spec.dataSet === 'conditional') message.hasDataSet = dataSet;
  // collectFields kept exactly the fields of spec.kind, each checked for presence and type, and
  // hasDataSet is set where that kind has it: the object is that kind's message.
  return message as DimseMessage;
}
