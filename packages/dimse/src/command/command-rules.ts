import { CommandValidationError } from './command-errors.js';
import type { CommandSetFields, MessageFieldName } from './command-set.js';
import {
  MAX_LO_LENGTH,
  isAeTitleText,
  isDefaultRepertoireText,
  isTagList,
  isUidText,
  isUint16,
} from './command-value-rules.js';
import type { DimseRequest } from './dimse-message.js';
import type { MessageSpec } from './message-specs.js';

/** PS3.7 C.5.15 Mistyped argument: a missing or wrongly typed command field. */
export const MISTYPED_ARGUMENT = 0x0212;
/** PS3.7 C.5.23 Unrecognized operation: a Command Field not in PS3.7 Table E.1-1. */
export const UNRECOGNIZED_OPERATION = 0x0211;
/** PS3.7 C.5.12 Invalid SOP Instance: a SOP Instance UID that breaks the UID rules. */
export const INVALID_SOP_INSTANCE = 0x0117;

/** Which side of the wire a rule is checked on. */
export type Direction = 'send' | 'receive';

/** What a rule may need besides the message itself. */
export interface CommandRuleContext {
  /**
   * The request a response answers. Only the N-CREATE-RSP rule of PS3.7 §10.1.5.1.4 uses it: a
   * successful N-CREATE-RSP must carry Affected SOP Instance UID when the N-CREATE-RQ did not.
   */
  readonly request?: DimseRequest;
}

/** Command set fields being collected. */
export type MutableFields = { -readonly [K in MessageFieldName]?: CommandSetFields[K] };

/**
 * Copies the fields `spec` allows from `source` into `fields`, checking presence (M) and type.
 * Fields the message does not define are left out: on receipt they are ignored, like unknown
 * elements. `fields` may already hold other properties (the message being built).
 */
export function collectFields(
  spec: MessageSpec,
  source: CommandSetFields,
  direction: Direction,
  fields: MutableFields = {},
): CommandSetFields {
  for (const name of spec.fieldNames) {
    const value = source[name];
    if (value === undefined || value === '') {
      if (spec.fields[name] === 'M') {
        throw fail(spec, name, MISTYPED_ARGUMENT, 'is mandatory and missing');
      }
      if (value === undefined) continue;
    }
    const problem = problemWith(name, value, direction);
    if (problem !== undefined) {
      const status = name.endsWith('SopInstanceUid') ? INVALID_SOP_INSTANCE : MISTYPED_ARGUMENT;
      throw fail(spec, name, status, problem);
    }
    copy(fields, source, name);
  }
  return fields;
}

function copy<K extends MessageFieldName>(
  to: MutableFields,
  from: CommandSetFields,
  name: K,
): void {
  to[name] = from[name];
}

function problemWith(
  name: MessageFieldName,
  value: unknown,
  direction: Direction,
): string | undefined {
  switch (name) {
    case 'affectedSopClassUid':
    case 'requestedSopClassUid':
    case 'affectedSopInstanceUid':
    case 'requestedSopInstanceUid':
      return isUidText(value)
        ? undefined
        : 'is not a UID of at most 64 digits and dots (PS3.5 9.1)';
    case 'moveDestination':
    case 'moveOriginatorApplicationEntityTitle':
      return isAeTitleText(value) ? undefined : 'is not an AE title (at most 16 characters)';
    case 'priority':
      return value === 0 || value === 1 || value === 2
        ? undefined
        : 'is not 0, 1 or 2 (PS3.7 E.1-1)';
    case 'offendingElement':
    case 'attributeIdentifierList':
      return isTagList(value) ? undefined : 'is not a list of tags';
    case 'errorComment':
      // Free text without protocol meaning: any string is taken on receipt; what we send must
      // keep to the default repertoire (PS3.7 C.5.2 note) and LO's 64 characters.
      if (direction === 'receive') return typeof value === 'string' ? undefined : 'is not text';
      return isDefaultRepertoireText(value, MAX_LO_LENGTH)
        ? undefined
        : 'must be at most 64 default-repertoire characters without backslash (PS3.7 C.5.2)';
    default:
      return isUint16(value) ? undefined : 'is not an integer in 0..65535 (US)';
  }
}

/** A {@link CommandValidationError} for `field` of the message `spec` describes. */
export function fail(
  spec: MessageSpec,
  field: string,
  status: number,
  detail: string,
): CommandValidationError {
  return new CommandValidationError(spec.commandField, field, status, `${spec.kind} ${detail}`);
}
