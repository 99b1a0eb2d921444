import { range, single, table } from '../status-row.js';
import type { StatusTableRow } from '../status-row.js';

/**
 * The statuses every DIMSE service shares, defined in PS3.7 Annex C (C.1–C.5). The 01xx and
 * 02xx codes keep their meaning in every service class; PS3.4 tables may only add Axxx, Bxxx
 * and Cxxx codes (PS3.7 Annex C introduction).
 */
export const GeneralStatus = {
  Success: 0x0000, // PS3.7 C.1.1
  OptionalAttributesNotSupported: 0x0001, // PS3.7 Annex C (0001H is a Warning); meaning per PS3.4
  NoSuchAttribute: 0x0105, // PS3.7 C.5.17
  InvalidAttributeValue: 0x0106, // PS3.7 C.5.11
  AttributeListWarning: 0x0107, // PS3.7 C.4.2
  ProcessingFailure: 0x0110, // PS3.7 C.5.21
  DuplicateSopInstance: 0x0111, // PS3.7 C.5.8
  NoSuchSopInstance: 0x0112, // PS3.7 C.5.19
  NoSuchEventType: 0x0113, // PS3.7 C.5.18
  NoSuchArgument: 0x0114, // PS3.7 C.5.16
  InvalidArgumentValue: 0x0115, // PS3.7 C.5.10
  AttributeValueOutOfRange: 0x0116, // PS3.7 C.4.3
  InvalidObjectInstance: 0x0117, // PS3.7 C.5.12
  NoSuchSopClass: 0x0118, // PS3.7 C.5.20
  ClassInstanceConflict: 0x0119, // PS3.7 C.5.7
  MissingAttribute: 0x0120, // PS3.7 C.5.13
  MissingAttributeValue: 0x0121, // PS3.7 C.5.14
  SopClassNotSupported: 0x0122, // PS3.7 C.5.6
  NoSuchAction: 0x0123, // PS3.7 C.5.24
  NotAuthorized: 0x0124, // PS3.7 C.5.25
  DuplicateInvocation: 0x0210, // PS3.7 C.5.9
  UnrecognizedOperation: 0x0211, // PS3.7 C.5.23
  MistypedArgument: 0x0212, // PS3.7 C.5.15
  ResourceLimitation: 0x0213, // PS3.7 C.5.22
  OutOfResources: 0xa700, // PS3.7 C.5.5 (first code of A7xx)
  MoveDestinationUnknown: 0xa801, // PS3.7 C.5.4
  DataSetDoesNotMatchSopClass: 0xa900, // PS3.7 C.5.2 (first code of A9xx)
  CannotUnderstand: 0xc000, // PS3.7 C.5.1 (first code of Cxxx)
  Cancel: 0xfe00, // PS3.7 C.3.1
  Pending: 0xff00, // PS3.7 C.2.1
  PendingWithWarning: 0xff01, // PS3.7 C.2.1
} as const;

/** A code named in {@link GeneralStatus}. */
export type GeneralStatus = (typeof GeneralStatus)[keyof typeof GeneralStatus];

/** The rows of PS3.7 Annex C, in code order. */
export const GENERAL_STATUSES: readonly StatusTableRow[] = table([
  single(0x0000, 'Success', 'Success', 'PS3.7 C.1.1'),
  single(
    0x0001,
    'Warning',
    'Requested optional Attributes are not supported',
    'PS3.7 Annex C; PS3.4 Table CC.2.7-1',
  ),
  single(0x0105, 'Failure', 'No such Attribute', 'PS3.7 C.5.17'),
  single(0x0106, 'Failure', 'Invalid Attribute Value', 'PS3.7 C.5.11'),
  single(0x0107, 'Warning', 'Attribute List warning', 'PS3.7 C.4.2'),
  single(0x0110, 'Failure', 'Processing failure', 'PS3.7 C.5.21'),
  single(0x0111, 'Failure', 'Duplicate SOP Instance', 'PS3.7 C.5.8'),
  single(0x0112, 'Failure', 'No such SOP Instance', 'PS3.7 C.5.19'),
  single(0x0113, 'Failure', 'No such event type', 'PS3.7 C.5.18'),
  single(0x0114, 'Failure', 'No such argument', 'PS3.7 C.5.16'),
  single(0x0115, 'Failure', 'Invalid argument value', 'PS3.7 C.5.10'),
  single(0x0116, 'Warning', 'Attribute Value out of range', 'PS3.7 C.4.3'),
  single(0x0117, 'Failure', 'Invalid object instance', 'PS3.7 C.5.12'),
  single(0x0118, 'Failure', 'No such SOP Class', 'PS3.7 C.5.20'),
  single(0x0119, 'Failure', 'Class-instance conflict', 'PS3.7 C.5.7'),
  single(0x0120, 'Failure', 'Missing Attribute', 'PS3.7 C.5.13'),
  single(0x0121, 'Failure', 'Missing Attribute Value', 'PS3.7 C.5.14'),
  single(0x0122, 'Failure', 'Refused: SOP Class not supported', 'PS3.7 C.5.6'),
  single(0x0123, 'Failure', 'No such action', 'PS3.7 C.5.24'),
  single(0x0124, 'Failure', 'Refused: Not authorized', 'PS3.7 C.5.25'),
  single(0x0210, 'Failure', 'Duplicate invocation', 'PS3.7 C.5.9'),
  single(0x0211, 'Failure', 'Unrecognized operation', 'PS3.7 C.5.23'),
  single(0x0212, 'Failure', 'Mistyped argument', 'PS3.7 C.5.15'),
  single(0x0213, 'Failure', 'Resource limitation', 'PS3.7 C.5.22'),
  range(0xa700, 0xa7ff, 'Failure', 'Refused: Out of resources', 'PS3.7 C.5.5'),
  single(0xa801, 'Failure', 'Refused: Move destination unknown', 'PS3.7 C.5.4'),
  range(0xa900, 0xa9ff, 'Failure', 'Error: Data Set does not match SOP Class', 'PS3.7 C.5.2'),
  range(0xc000, 0xcfff, 'Failure', 'Error: Cannot understand', 'PS3.7 C.5.1'),
  single(
    0xfe00,
    'Cancel',
    'Canceled: the operation was terminated by a cancel request',
    'PS3.7 C.3.1',
  ),
  single(0xff00, 'Pending', 'Pending: the operation is continuing', 'PS3.7 C.2.1'),
  single(
    0xff01,
    'Pending',
    'Pending: the operation is continuing, with a warning (meaning per PS3.4 service class)',
    'PS3.7 C.2.1',
  ),
]);

/**
 * The general rows for `codes`, each re-labelled with `reference` (the PS3.7 service
 * definition that lists it for one DIMSE operation).
 */
function pick(codes: readonly number[], reference: string): readonly StatusTableRow[] {
  return table(
    codes.map((code) => {
      const row = GENERAL_STATUSES.find((candidate) => candidate.code === code);
      // The lists below are written from GENERAL_STATUSES; a missing code is a typo here.
      if (row === undefined) throw new RangeError(`no general status 0x${code.toString(16)}`);
      return single(row.code, row.category, row.meaning, reference);
    }),
  );
}

/** C-ECHO statuses (PS3.7 9.1.5.1.4), used by the Verification Service Class (PS3.4 A). */
export const C_ECHO_STATUSES = pick([0x0000, 0x0122, 0x0210, 0x0211, 0x0212], 'PS3.7 9.1.5.1.4');

/** The N-CREATE statuses of PS3.7 10.1.5.1.6 (listed the same in PS3.2 Table N.7-40). */
export const N_CREATE_STATUSES = pick(
  [
    0x0000, 0x0105, 0x0106, 0x0107, 0x0110, 0x0111, 0x0116, 0x0117, 0x0118, 0x0120, 0x0121, 0x0124,
    0x0210, 0x0211, 0x0212, 0x0213,
  ],
  'PS3.7 10.1.5.1.6',
);

/** The N-ACTION statuses of PS3.7 10.1.4.1.10 (listed the same in PS3.2 Table N.7-44). */
export const N_ACTION_STATUSES = pick(
  [
    0x0000, 0x0110, 0x0112, 0x0114, 0x0115, 0x0117, 0x0118, 0x0119, 0x0123, 0x0124, 0x0210, 0x0211,
    0x0212, 0x0213,
  ],
  'PS3.7 10.1.4.1.10',
);

/** The N-EVENT-REPORT statuses of PS3.7 10.1.1.1.8. */
export const N_EVENT_REPORT_STATUSES = pick(
  [
    0x0000, 0x0110, 0x0112, 0x0113, 0x0114, 0x0115, 0x0117, 0x0118, 0x0119, 0x0210, 0x0211, 0x0212,
    0x0213,
  ],
  'PS3.7 10.1.1.1.8',
);

/**
 * `base` with `overrides` laid over it: a row of `overrides` replaces the base row with the
 * same code, other override rows are added.
 */
export function withOverrides(
  base: readonly StatusTableRow[],
  overrides: readonly StatusTableRow[],
): readonly StatusTableRow[] {
  const replaced = new Set(overrides.map((row) => row.code));
  return table([...base.filter((row) => !replaced.has(row.code)), ...overrides]);
}
