import { COMMAND_FIELD_ELEMENTS } from './command-dictionary.js';
import type { CommandFieldElement } from './command-dictionary.js';
import { CommandField } from './command-field.js';
import type { MessageFieldName } from './command-set.js';
import type { DimseKind } from './dimse-message.js';

/** M: mandatory; U: optional (conditions are checked in code, see command-rules.ts). */
export type FieldUsage = 'M' | 'U';

/** Whether a data set follows: always, never, or as the message's `hasDataSet` says. */
export type DataSetRule = 'always' | 'never' | 'conditional';

/** The command fields and data set rule of one DIMSE message (PS3.7 §9.3, §10.3). */
export interface MessageSpec {
  readonly kind: DimseKind;
  readonly commandField: CommandField;
  readonly dataSet: DataSetRule;
  /** Every field the message may carry, in no particular order. */
  readonly fields: Readonly<Partial<Record<MessageFieldName, FieldUsage>>>;
  /** The names of {@link MessageSpec.fields}, listed once (read for every message). */
  readonly fieldNames: readonly MessageFieldName[];
  /**
   * The elements of its command set: those of {@link MessageSpec.fields} with Command Field and
   * Command Data Set Type, in ascending tag order (the order of PS3.7 §6.3.1), for encoding.
   */
  readonly layout: readonly CommandFieldElement[];
}

type Fields = MessageSpec['fields'];

const C_RESPONSE: Fields = {
  messageIdBeingRespondedTo: 'M',
  status: 'M',
  affectedSopClassUid: 'U',
  offendingElement: 'U',
  errorComment: 'U',
};
const N_RESPONSE: Fields = {
  messageIdBeingRespondedTo: 'M',
  status: 'M',
  affectedSopClassUid: 'U',
  affectedSopInstanceUid: 'U',
  offendingElement: 'U',
  errorComment: 'U',
  errorId: 'U',
};
const REQUESTED: Fields = {
  messageId: 'M',
  requestedSopClassUid: 'M',
  requestedSopInstanceUid: 'M',
};
const COUNTS: Fields = {
  numberOfRemainingSuboperations: 'U',
  numberOfCompletedSuboperations: 'U',
  numberOfFailedSuboperations: 'U',
  numberOfWarningSuboperations: 'U',
};
const QUERY: Fields = { messageId: 'M', affectedSopClassUid: 'M', priority: 'M' };

function spec(
  kind: DimseKind,
  commandField: CommandField,
  dataSet: DataSetRule,
  fields: Fields,
): MessageSpec {
  // The keys of a `fields` record are MessageFieldName by its type.
  const fieldNames = Object.keys(fields) as MessageFieldName[];
  const layout = COMMAND_FIELD_ELEMENTS.filter(
    (element) =>
      element.field === 'commandField' ||
      element.field === 'commandDataSetType' ||
      fields[element.field as MessageFieldName] !== undefined, // the two others are excluded above
  );
  return { kind, commandField, dataSet, fields, fieldNames, layout };
}

/** The message tables of PS3.7 §9.3 (DIMSE-C) and §10.3 (DIMSE-N), by kind. */
export const MESSAGE_SPECS: { readonly [K in DimseKind]: MessageSpec } = {
  // PS3.7 Tables 9.3-12, 9.3-13; Table 9.1-5
  'C-ECHO-RQ': spec('C-ECHO-RQ', CommandField.CEchoRq, 'never', {
    messageId: 'M',
    affectedSopClassUid: 'M',
  }),
  'C-ECHO-RSP': spec('C-ECHO-RSP', CommandField.CEchoRsp, 'never', {
    messageIdBeingRespondedTo: 'M',
    status: 'M',
    affectedSopClassUid: 'U',
    errorComment: 'U',
  }),
  // PS3.7 Tables 9.3-1, 9.3-2; Table 9.1-1
  'C-STORE-RQ': spec('C-STORE-RQ', CommandField.CStoreRq, 'always', {
    ...QUERY,
    affectedSopInstanceUid: 'M',
    moveOriginatorApplicationEntityTitle: 'U',
    moveOriginatorMessageId: 'U',
  }),
  'C-STORE-RSP': spec('C-STORE-RSP', CommandField.CStoreRsp, 'never', {
    ...C_RESPONSE,
    affectedSopInstanceUid: 'U',
  }),
  // PS3.7 Tables 9.3-3, 9.3-4; Table 9.1-2
  'C-FIND-RQ': spec('C-FIND-RQ', CommandField.CFindRq, 'always', QUERY),
  'C-FIND-RSP': spec('C-FIND-RSP', CommandField.CFindRsp, 'conditional', C_RESPONSE),
  // PS3.7 Tables 9.3-6, 9.3-7; Table 9.1-3
  'C-GET-RQ': spec('C-GET-RQ', CommandField.CGetRq, 'always', QUERY),
  'C-GET-RSP': spec('C-GET-RSP', CommandField.CGetRsp, 'conditional', {
    ...C_RESPONSE,
    ...COUNTS,
  }),
  // PS3.7 Tables 9.3-9, 9.3-10; Table 9.1-4
  'C-MOVE-RQ': spec('C-MOVE-RQ', CommandField.CMoveRq, 'always', {
    ...QUERY,
    moveDestination: 'M',
  }),
  'C-MOVE-RSP': spec('C-MOVE-RSP', CommandField.CMoveRsp, 'conditional', {
    ...C_RESPONSE,
    ...COUNTS,
  }),
  // PS3.7 Tables 9.3-5, 9.3-8, 9.3-11
  'C-CANCEL-RQ': spec('C-CANCEL-RQ', CommandField.CCancelRq, 'never', {
    messageIdBeingRespondedTo: 'M',
  }),
  // PS3.7 Tables 10.3-1, 10.3-2; Table 10.1-1
  'N-EVENT-REPORT-RQ': spec('N-EVENT-REPORT-RQ', CommandField.NEventReportRq, 'conditional', {
    messageId: 'M',
    affectedSopClassUid: 'M',
    affectedSopInstanceUid: 'M',
    eventTypeId: 'M',
  }),
  'N-EVENT-REPORT-RSP': spec('N-EVENT-REPORT-RSP', CommandField.NEventReportRsp, 'conditional', {
    ...N_RESPONSE,
    eventTypeId: 'U',
    // An Annex C companion (C.5.13 0120H Missing Attribute), e.g. an Inventory Creation SCU
    // refusing an event without Transaction UID (PS3.4 5.4.2.1).
    attributeIdentifierList: 'U',
  }),
  // PS3.7 Tables 10.3-3, 10.3-4; Table 10.1-2
  'N-GET-RQ': spec('N-GET-RQ', CommandField.NGetRq, 'never', {
    ...REQUESTED,
    attributeIdentifierList: 'U',
  }),
  'N-GET-RSP': spec('N-GET-RSP', CommandField.NGetRsp, 'conditional', {
    ...N_RESPONSE,
    attributeIdentifierList: 'U',
  }),
  // PS3.7 Tables 10.3-5, 10.3-6; Table 10.1-3
  'N-SET-RQ': spec('N-SET-RQ', CommandField.NSetRq, 'always', REQUESTED),
  'N-SET-RSP': spec('N-SET-RSP', CommandField.NSetRsp, 'conditional', {
    ...N_RESPONSE,
    attributeIdentifierList: 'U',
  }),
  // PS3.7 Tables 10.3-7, 10.3-8; Table 10.1-4
  'N-ACTION-RQ': spec('N-ACTION-RQ', CommandField.NActionRq, 'conditional', {
    ...REQUESTED,
    actionTypeId: 'M',
  }),
  'N-ACTION-RSP': spec('N-ACTION-RSP', CommandField.NActionRsp, 'conditional', {
    ...N_RESPONSE,
    actionTypeId: 'U',
    // An Annex C companion (C.5.13 0120H) and of service warnings that list it (PS3.4 Table
    // KK.2.2.3-1, 0xB010).
    attributeIdentifierList: 'U',
  }),
  // PS3.7 Tables 10.3-9, 10.3-10; Table 10.1-5
  'N-CREATE-RQ': spec('N-CREATE-RQ', CommandField.NCreateRq, 'conditional', {
    messageId: 'M',
    affectedSopClassUid: 'M',
    affectedSopInstanceUid: 'U',
  }),
  'N-CREATE-RSP': spec('N-CREATE-RSP', CommandField.NCreateRsp, 'conditional', {
    ...N_RESPONSE,
    attributeIdentifierList: 'U',
  }),
  // PS3.7 Tables 10.3-11, 10.3-12; Table 10.1-6
  'N-DELETE-RQ': spec('N-DELETE-RQ', CommandField.NDeleteRq, 'never', REQUESTED),
  'N-DELETE-RSP': spec('N-DELETE-RSP', CommandField.NDeleteRsp, 'never', N_RESPONSE),
};

const BY_COMMAND_FIELD: ReadonlyMap<number, MessageSpec> = new Map(
  Object.values(MESSAGE_SPECS).map((entry) => [entry.commandField, entry]),
);

/** The message spec for a Command Field value, or undefined if the value is not in Table E.1-1. */
export function specForCommandField(commandField: number): MessageSpec | undefined {
  return BY_COMMAND_FIELD.get(commandField);
}

/** The kind of DIMSE message a Command Field value names, or undefined if it is unknown. */
export function dimseKindOf(commandField: number): DimseKind | undefined {
  return BY_COMMAND_FIELD.get(commandField)?.kind;
}
