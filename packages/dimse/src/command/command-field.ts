import { InvalidCommandFieldError } from './command-errors.js';

/**
 * Values of Command Field (0000,0100), PS3.7 Table E.1-1. A response carries its request's value
 * with bit 15 set; C-CANCEL-RQ has one value for C-FIND, C-GET and C-MOVE and no response.
 */
export const CommandField = {
  CStoreRq: 0x0001, // PS3.7 Table 9.3-1
  CStoreRsp: 0x8001, // PS3.7 Table 9.3-2
  CGetRq: 0x0010, // PS3.7 Table 9.3-6
  CGetRsp: 0x8010, // PS3.7 Table 9.3-7
  CFindRq: 0x0020, // PS3.7 Table 9.3-3
  CFindRsp: 0x8020, // PS3.7 Table 9.3-4
  CMoveRq: 0x0021, // PS3.7 Table 9.3-9
  CMoveRsp: 0x8021, // PS3.7 Table 9.3-10
  CEchoRq: 0x0030, // PS3.7 Table 9.3-12
  CEchoRsp: 0x8030, // PS3.7 Table 9.3-13
  NEventReportRq: 0x0100, // PS3.7 Table 10.3-1
  NEventReportRsp: 0x8100, // PS3.7 Table 10.3-2
  NGetRq: 0x0110, // PS3.7 Table 10.3-3
  NGetRsp: 0x8110, // PS3.7 Table 10.3-4
  NSetRq: 0x0120, // PS3.7 Table 10.3-5
  NSetRsp: 0x8120, // PS3.7 Table 10.3-6
  NActionRq: 0x0130, // PS3.7 Table 10.3-7
  NActionRsp: 0x8130, // PS3.7 Table 10.3-8
  NCreateRq: 0x0140, // PS3.7 Table 10.3-9
  NCreateRsp: 0x8140, // PS3.7 Table 10.3-10
  NDeleteRq: 0x0150, // PS3.7 Table 10.3-11
  NDeleteRsp: 0x8150, // PS3.7 Table 10.3-12
  CCancelRq: 0x0fff, // PS3.7 Tables 9.3-5, 9.3-8, 9.3-11
} as const;

/** A Command Field value listed in PS3.7 Table E.1-1. */
export type CommandField = (typeof CommandField)[keyof typeof CommandField];

/** The request Command Field values, C-CANCEL-RQ included. */
export type RequestCommandField =
  | typeof CommandField.CStoreRq
  | typeof CommandField.CGetRq
  | typeof CommandField.CFindRq
  | typeof CommandField.CMoveRq
  | typeof CommandField.CEchoRq
  | typeof CommandField.NEventReportRq
  | typeof CommandField.NGetRq
  | typeof CommandField.NSetRq
  | typeof CommandField.NActionRq
  | typeof CommandField.NCreateRq
  | typeof CommandField.NDeleteRq
  | typeof CommandField.CCancelRq;

/** The request Command Field values that expect a response: all but C-CANCEL-RQ. */
export type ConfirmedRequestCommandField = Exclude<
  RequestCommandField,
  typeof CommandField.CCancelRq
>;

/** The response Command Field values. */
export type ResponseCommandField = Exclude<CommandField, RequestCommandField>;

/** Priority (0000,0700) values, PS3.7 Table E.1-1. An SCP need not honour it (PS3.4 C.4.1.1.2). */
export const Priority = { Medium: 0x0000, High: 0x0001, Low: 0x0002 } as const;

/** A Priority (0000,0700) value. */
export type Priority = (typeof Priority)[keyof typeof Priority];

/**
 * Command Data Set Type (0000,0800) value meaning "no data set follows" (PS3.7 Table E.1-1). Every
 * other value means a data set follows.
 */
export const COMMAND_DATA_SET_ABSENT = 0x0101;

/**
 * The Command Data Set Type (0000,0800) value dicomnet sends when a data set follows. Any value
 * but {@link COMMAND_DATA_SET_ABSENT} means the same (PS3.7 Table E.1-1); 0001H is what DCMTK
 * sends (captured from storescu, findscu, movescu and getscu 3.6.7).
 */
export const COMMAND_DATA_SET_PRESENT = 0x0001;

const NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [CommandField.CStoreRq, 'C-STORE-RQ'],
  [CommandField.CStoreRsp, 'C-STORE-RSP'],
  [CommandField.CGetRq, 'C-GET-RQ'],
  [CommandField.CGetRsp, 'C-GET-RSP'],
  [CommandField.CFindRq, 'C-FIND-RQ'],
  [CommandField.CFindRsp, 'C-FIND-RSP'],
  [CommandField.CMoveRq, 'C-MOVE-RQ'],
  [CommandField.CMoveRsp, 'C-MOVE-RSP'],
  [CommandField.CEchoRq, 'C-ECHO-RQ'],
  [CommandField.CEchoRsp, 'C-ECHO-RSP'],
  [CommandField.NEventReportRq, 'N-EVENT-REPORT-RQ'],
  [CommandField.NEventReportRsp, 'N-EVENT-REPORT-RSP'],
  [CommandField.NGetRq, 'N-GET-RQ'],
  [CommandField.NGetRsp, 'N-GET-RSP'],
  [CommandField.NSetRq, 'N-SET-RQ'],
  [CommandField.NSetRsp, 'N-SET-RSP'],
  [CommandField.NActionRq, 'N-ACTION-RQ'],
  [CommandField.NActionRsp, 'N-ACTION-RSP'],
  [CommandField.NCreateRq, 'N-CREATE-RQ'],
  [CommandField.NCreateRsp, 'N-CREATE-RSP'],
  [CommandField.NDeleteRq, 'N-DELETE-RQ'],
  [CommandField.NDeleteRsp, 'N-DELETE-RSP'],
  [CommandField.CCancelRq, 'C-CANCEL-RQ'],
]);

/** True when `value` is one of the Command Field values of PS3.7 Table E.1-1. */
export function isCommandField(value: number): value is CommandField {
  return NAMES.has(value);
}

/**
 * The message name of a Command Field value ('C-ECHO-RQ', 'N-ACTION-RSP', …), or
 * `unknown command 0xNNNN` for a value not in PS3.7 Table E.1-1.
 */
export function commandFieldName(commandField: number): string {
  return (
    NAMES.get(commandField) ?? `unknown command 0x${commandField.toString(16).padStart(4, '0')}`
  );
}

/**
 * True when `commandField` names a request: bit 15 clear (PS3.7 Table E.1-1 gives every response
 * its request's value with 8000H added). Also true for a value not in the table with bit 15
 * clear, which a receiver treats as a request for an unrecognized operation.
 */
export function isRequest(commandField: number): boolean {
  return (commandField & 0x8000) === 0;
}

/**
 * The Command Field of the response to a confirmed request (request | 8000H, PS3.7 Table E.1-1).
 * @throws {@link InvalidCommandFieldError} (`DICOMNET_DIMSE_INVALID_FIELD`) for C-CANCEL-RQ (it
 *   has no response), a response value or a value not in Table E.1-1.
 */
export function responseFieldFor(requestField: ConfirmedRequestCommandField): ResponseCommandField;
export function responseFieldFor(requestField: number): ResponseCommandField;
export function responseFieldFor(requestField: number): ResponseCommandField {
  const response = requestField | 0x8000;
  if (
    !isRequest(requestField) ||
    requestField === CommandField.CCancelRq ||
    !isCommandField(requestField) ||
    !isCommandField(response)
  ) {
    throw new InvalidCommandFieldError(
      'commandField',
      `${commandFieldName(requestField)} is not a request that has a response`,
    );
  }
  // Every confirmed request value in Table E.1-1 has its response at value | 8000H (checked above).
  return response as ResponseCommandField;
}
