import type { CommandSetFieldName } from './command-set.js';

/** The value representations used by command elements (PS3.7 Annex E). */
export type CommandElementVr = 'UL' | 'US' | 'UI' | 'AE' | 'AT' | 'LO' | 'SH' | 'LT' | 'CS' | 'IS';

/** One command element of PS3.7 Table E.1-1 (current) or Table E.2-1 (retired). */
export interface CommandElementDefinition {
  /** The tag as 0xGGGGEEEE (group 0000). */
  readonly tag: number;
  /** The standard's keyword, e.g. `AffectedSOPClassUID`. */
  readonly keyword: string;
  /** Value representation; command sets are Implicit VR, so a decoder needs this table. */
  readonly vr: CommandElementVr;
  /** Value multiplicity. */
  readonly vm: '1' | '1-n';
  /** True for the retired elements of Table E.2-1. */
  readonly retired: boolean;
  /** The {@link CommandSet} field holding a current element; absent for group length and retired ones. */
  readonly field?: CommandSetFieldName;
}

function current(
  tag: number,
  keyword: string,
  vr: CommandElementVr,
  field?: CommandSetFieldName,
  vm: '1' | '1-n' = '1',
): CommandElementDefinition {
  return field === undefined
    ? { tag, keyword, vr, vm, retired: false }
    : { tag, keyword, vr, vm, retired: false, field };
}

function retired(
  tag: number,
  keyword: string,
  vr: CommandElementVr,
  vm: '1' | '1-n' = '1',
): CommandElementDefinition {
  return { tag, keyword, vr, vm, retired: true };
}

/** Every command element of PS3.7 Tables E.1-1 and E.2-1, in ascending tag order. */
export const COMMAND_ELEMENTS: readonly CommandElementDefinition[] = [
  current(0x00000000, 'CommandGroupLength', 'UL'),
  retired(0x00000001, 'CommandLengthToEnd', 'UL'),
  current(0x00000002, 'AffectedSOPClassUID', 'UI', 'affectedSopClassUid'),
  current(0x00000003, 'RequestedSOPClassUID', 'UI', 'requestedSopClassUid'),
  retired(0x00000010, 'CommandRecognitionCode', 'SH'),
  current(0x00000100, 'CommandField', 'US', 'commandField'),
  current(0x00000110, 'MessageID', 'US', 'messageId'),
  current(0x00000120, 'MessageIDBeingRespondedTo', 'US', 'messageIdBeingRespondedTo'),
  retired(0x00000200, 'Initiator', 'AE'),
  retired(0x00000300, 'Receiver', 'AE'),
  retired(0x00000400, 'FindLocation', 'AE'),
  current(0x00000600, 'MoveDestination', 'AE', 'moveDestination'),
  current(0x00000700, 'Priority', 'US', 'priority'),
  current(0x00000800, 'CommandDataSetType', 'US', 'commandDataSetType'),
  retired(0x00000850, 'NumberOfMatches', 'US'),
  retired(0x00000860, 'ResponseSequenceNumber', 'US'),
  current(0x00000900, 'Status', 'US', 'status'),
  current(0x00000901, 'OffendingElement', 'AT', 'offendingElement', '1-n'),
  current(0x00000902, 'ErrorComment', 'LO', 'errorComment'),
  current(0x00000903, 'ErrorID', 'US', 'errorId'),
  current(0x00001000, 'AffectedSOPInstanceUID', 'UI', 'affectedSopInstanceUid'),
  current(0x00001001, 'RequestedSOPInstanceUID', 'UI', 'requestedSopInstanceUid'),
  current(0x00001002, 'EventTypeID', 'US', 'eventTypeId'),
  current(0x00001005, 'AttributeIdentifierList', 'AT', 'attributeIdentifierList', '1-n'),
  current(0x00001008, 'ActionTypeID', 'US', 'actionTypeId'),
  current(0x00001020, 'NumberOfRemainingSuboperations', 'US', 'numberOfRemainingSuboperations'),
  current(0x00001021, 'NumberOfCompletedSuboperations', 'US', 'numberOfCompletedSuboperations'),
  current(0x00001022, 'NumberOfFailedSuboperations', 'US', 'numberOfFailedSuboperations'),
  current(0x00001023, 'NumberOfWarningSuboperations', 'US', 'numberOfWarningSuboperations'),
  current(
    0x00001030,
    'MoveOriginatorApplicationEntityTitle',
    'AE',
    'moveOriginatorApplicationEntityTitle',
  ),
  current(0x00001031, 'MoveOriginatorMessageID', 'US', 'moveOriginatorMessageId'),
  retired(0x00004000, 'DialogReceiver', 'LT'),
  retired(0x00004010, 'TerminalType', 'LT'),
  retired(0x00005010, 'MessageSetID', 'SH'),
  retired(0x00005020, 'EndMessageID', 'SH'),
  retired(0x00005110, 'DisplayFormat', 'LT'),
  retired(0x00005120, 'PagePositionID', 'LT'),
  retired(0x00005130, 'TextFormatID', 'CS'),
  retired(0x00005140, 'NormalReverse', 'CS'),
  retired(0x00005150, 'AddGrayScale', 'CS'),
  retired(0x00005160, 'Borders', 'CS'),
  retired(0x00005170, 'Copies', 'IS'),
  retired(0x00005180, 'CommandMagnificationType', 'CS'),
  retired(0x00005190, 'Erase', 'CS'),
  retired(0x000051a0, 'Print', 'CS'),
  retired(0x000051b0, 'Overlays', 'US', '1-n'),
];

const BY_TAG: ReadonlyMap<number, CommandElementDefinition> = new Map(
  COMMAND_ELEMENTS.map((definition) => [definition.tag, definition]),
);

/** The definition of a command element by tag (0xGGGGEEEE), or undefined if none is known. */
export function commandElementByTag(tag: number): CommandElementDefinition | undefined {
  return BY_TAG.get(tag);
}

/** A current command element held in a {@link CommandSet} field (group length excluded). */
export interface CommandFieldElement extends CommandElementDefinition {
  /** The {@link CommandSet} field. */
  readonly field: CommandSetFieldName;
}

/** The current elements held in {@link CommandSet} fields, in ascending tag order. */
export const COMMAND_FIELD_ELEMENTS: readonly CommandFieldElement[] = COMMAND_ELEMENTS.filter(
  (definition): definition is CommandFieldElement => definition.field !== undefined,
);
