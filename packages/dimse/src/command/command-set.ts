import { COMMAND_DATA_SET_ABSENT } from './command-field.js';

/**
 * A group-0000 element kept as received: a retired command element (PS3.7 Table E.2-1) or one
 * this library does not know. It is re-encoded byte for byte.
 */
export interface OtherCommandElement {
  /** The tag as 0xGGGGEEEE; the group is always 0000, so this is the element number. */
  readonly tag: number;
  /** The value bytes, padding included, as received (even length). */
  readonly value: Uint8Array;
}

/**
 * A DIMSE command set (PS3.7 §6.3.1, Annex E): one optional field per command element of PS3.7
 * Table E.1-1, by camelCase keyword. Command Group Length (0000,0000) is not a field: the encoder
 * computes it and the decoder checks it. Strings are held without their padding; AE titles are
 * trimmed. Tags in `offendingElement` and `attributeIdentifierList` are numbers 0xGGGGEEEE.
 */
export interface CommandSet {
  /** (0000,0100) US: which DIMSE message this is (see `CommandField`). */
  readonly commandField: number;
  /** (0000,0800) US: 0101H means no data set follows; any other value means one does. */
  readonly commandDataSetType: number;
  /** (0000,0002) UI */
  readonly affectedSopClassUid?: string;
  /** (0000,0003) UI */
  readonly requestedSopClassUid?: string;
  /** (0000,0110) US */
  readonly messageId?: number;
  /** (0000,0120) US */
  readonly messageIdBeingRespondedTo?: number;
  /** (0000,0600) AE */
  readonly moveDestination?: string;
  /** (0000,0700) US: 0 medium, 1 high, 2 low. */
  readonly priority?: number;
  /** (0000,0900) US */
  readonly status?: number;
  /** (0000,0901) AT, 1-n */
  readonly offendingElement?: readonly number[];
  /** (0000,0902) LO */
  readonly errorComment?: string;
  /** (0000,0903) US */
  readonly errorId?: number;
  /** (0000,1000) UI */
  readonly affectedSopInstanceUid?: string;
  /** (0000,1001) UI */
  readonly requestedSopInstanceUid?: string;
  /** (0000,1002) US */
  readonly eventTypeId?: number;
  /** (0000,1005) AT, 1-n */
  readonly attributeIdentifierList?: readonly number[];
  /** (0000,1008) US */
  readonly actionTypeId?: number;
  /** (0000,1020) US */
  readonly numberOfRemainingSuboperations?: number;
  /** (0000,1021) US */
  readonly numberOfCompletedSuboperations?: number;
  /** (0000,1022) US */
  readonly numberOfFailedSuboperations?: number;
  /** (0000,1023) US */
  readonly numberOfWarningSuboperations?: number;
  /** (0000,1030) AE */
  readonly moveOriginatorApplicationEntityTitle?: string;
  /** (0000,1031) US */
  readonly moveOriginatorMessageId?: number;
  /** Retired and unknown group-0000 elements, kept raw; absent when there are none. */
  readonly otherElements?: readonly OtherCommandElement[];
}

/** The name of a {@link CommandSet} field that holds a command element value. */
export type CommandSetFieldName = Exclude<keyof CommandSet, 'otherElements'>;

/** The command element fields a DIMSE message may carry: all but Command Field and Data Set Type. */
export type CommandSetFields = Omit<
  CommandSet,
  'commandField' | 'commandDataSetType' | 'otherElements'
>;

/** The name of a field in {@link CommandSetFields}. */
export type MessageFieldName = keyof CommandSetFields;

/**
 * True when a data set follows the command: Command Data Set Type (0000,0800) is anything but
 * 0101H (PS3.7 Table E.1-1).
 */
export function hasDataSet(set: Pick<CommandSet, 'commandDataSetType'>): boolean {
  return set.commandDataSetType !== COMMAND_DATA_SET_ABSENT;
}
