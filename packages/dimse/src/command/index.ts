export {
  CommandSetError,
  CommandValidationError,
  InvalidCommandFieldError,
} from './command-errors.js';
export type {
  ConfirmedRequestCommandField,
  RequestCommandField,
  ResponseCommandField,
} from './command-field.js';
export {
  COMMAND_DATA_SET_ABSENT,
  COMMAND_DATA_SET_PRESENT,
  CommandField,
  Priority,
  commandFieldName,
  isCommandField,
  isRequest,
  responseFieldFor,
} from './command-field.js';
export type { CommandElementDefinition, CommandElementVr } from './command-dictionary.js';
export { COMMAND_ELEMENTS, commandElementByTag } from './command-dictionary.js';
export type {
  CommandSet,
  CommandSetFieldName,
  CommandSetFields,
  MessageFieldName,
  OtherCommandElement,
} from './command-set.js';
export { hasDataSet } from './command-set.js';
export { encodeCommandSet } from './encode-command-set.js';
export { encodeMessageCommand } from './encode-message.js';
export { decodeCommandSet } from './decode-command-set.js';
export type {
  CCancelRq,
  CEchoRq,
  CEchoRsp,
  CFindRq,
  CFindRsp,
  CGetRq,
  CGetRsp,
  CMoveRq,
  CMoveRsp,
  CStoreRq,
  CStoreRsp,
  DimseCStatusDetail,
  SuboperationCounts,
} from './dimse-c-messages.js';
export type {
  DimseNResponseFields,
  DimseNStatusDetail,
  NActionRq,
  NActionRsp,
  NCreateRq,
  NCreateRsp,
  NDeleteRq,
  NDeleteRsp,
  NEventReportRq,
  NEventReportRsp,
  NGetRq,
  NGetRsp,
  NSetRq,
  NSetRsp,
} from './dimse-n-messages.js';
export type { DimseKind, DimseMessage, DimseRequest, DimseResponse } from './dimse-message.js';
export { messageHasDataSet, messageIdOf, respondedIdOf } from './dimse-message.js';
export type { CommandRuleContext } from './command-rules.js';
export { dimseKindOf } from './message-specs.js';
export { toCommandSet } from './to-command-set.js';
export { parseCommand } from './parse-command.js';
