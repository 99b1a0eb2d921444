import { isInStatusClass, statusCategory } from '@dicomnet/status-codes';
import type { StatusCategory } from '@dicomnet/status-codes';
import { MISTYPED_ARGUMENT, fail } from './command-rules.js';
import type { CommandRuleContext, Direction } from './command-rules.js';
import type { CommandSetFields, MessageFieldName } from './command-set.js';
import type { MessageSpec } from './message-specs.js';

/**
 * Checks the data set rule and the conditional fields of one message. Rules of PS3.7 itself are
 * checked in both directions; the service-class rules of PS3.4 and the Annex C companion-field
 * rules only when sending (README.md in this folder lists each leniency and its reason).
 */
export function checkConditions(
  spec: MessageSpec,
  fields: CommandSetFields,
  dataSet: boolean,
  direction: Direction,
  context: CommandRuleContext | undefined,
): void {
  if (spec.dataSet === 'never' && dataSet) {
    throw fail(spec, 'commandDataSetType', MISTYPED_ARGUMENT, 'this message has no data set');
  }
  if (spec.dataSet === 'always' && !dataSet) {
    throw fail(spec, 'commandDataSetType', MISTYPED_ARGUMENT, 'this message needs a data set');
  }
  const { status } = fields;
  if (status === undefined) return; // a request: nothing more is conditional
  const category = statusCategory(status);
  if (direction === 'send') checkStatusForSending(spec, status, category, fields);
  switch (spec.kind) {
    case 'C-FIND-RSP':
      // PS3.7 §9.1.2.1.5: the response Identifier "shall be sent only when that Status (0000,0900)
      // is equal to Pending (not permitted for other statuses)".
      if (category === 'Pending' && !dataSet) {
        throw fail(
          spec,
          'commandDataSetType',
          MISTYPED_ARGUMENT,
          'a Pending response needs an Identifier',
        );
      }
      // Receipt leniency: pynetdicom before 2.0.0 sent its final response with the last
      // Identifier still attached (pynetdicom issue #571, fixed by #572). The caller reads the data
      // set (hasDataSet stays true) and may drop it.
      if (category !== 'Pending' && dataSet && direction === 'send') {
        throw fail(
          spec,
          'commandDataSetType',
          MISTYPED_ARGUMENT,
          'only a Pending response has an Identifier',
        );
      }
      return;
    case 'C-GET-RSP':
    case 'C-MOVE-RSP':
      if (direction === 'send') checkRetrieveResponse(spec, category, fields, dataSet);
      return;
    case 'N-EVENT-REPORT-RSP':
      checkReply(
        spec,
        'eventTypeId',
        [0x0113, 0x0114, 0x0115],
        status,
        category,
        fields,
        dataSet,
        direction,
      );
      return;
    case 'N-ACTION-RSP':
      checkReply(
        spec,
        'actionTypeId',
        [0x0114, 0x0115, 0x0123],
        status,
        category,
        fields,
        dataSet,
        direction,
      );
      return;
    case 'N-GET-RSP':
      // PS3.7 §10.1.2.1 (Attribute List, C): with Success or Warning (0107H) only.
      if (direction === 'send' && dataSet && !isSuccessful(category)) {
        throw fail(
          spec,
          'commandDataSetType',
          MISTYPED_ARGUMENT,
          'no Attribute List with a failure',
        );
      }
      return;
    case 'N-CREATE-RSP':
      checkCreatedInstance(spec, status, category, fields, direction, context);
      return;
    default:
      return;
  }
}

function checkStatusForSending(
  spec: MessageSpec,
  status: number,
  category: StatusCategory,
  fields: CommandSetFields,
): void {
  if (!isInStatusClass(status)) {
    throw fail(spec, 'status', MISTYPED_ARGUMENT, 'is in no status class of PS3.7 Annex C');
  }
  const multiple =
    spec.kind === 'C-FIND-RSP' || spec.kind === 'C-GET-RSP' || spec.kind === 'C-MOVE-RSP';
  if ((category === 'Pending' || category === 'Cancel') && !multiple) {
    // PS3.7 C.2, C.3: Pending and Cancel belong to the services that send several responses.
    throw fail(spec, 'status', MISTYPED_ARGUMENT, `${category} is not a status of ${spec.kind}`);
  }
  for (const [name, allowed] of COMPANIONS) {
    if (fields[name] !== undefined && name in spec.fields && !allowed(status)) {
      throw fail(
        spec,
        name,
        MISTYPED_ARGUMENT,
        `is not sent with status ${hex4(status)} (PS3.7 Annex C)`,
      );
    }
  }
}

/** The Annex C status-related fields and the statuses whose Annex C row lists them. */
const COMPANIONS: readonly (readonly [MessageFieldName, (status: number) => boolean])[] = [
  // C.4.1 Warning, C.5.1 Cxxx, C.5.2 A9xx, C.5.3 service-specific failures; not A7xx (C.5.5)
  // nor A801 (C.5.4), whose rows list Error Comment only.
  [
    'offendingElement',
    (status) =>
      status === 0x0001 ||
      inRange(status, 0xb000, 0xbfff) ||
      inRange(status, 0xc000, 0xcfff) ||
      (inRange(status, 0xa000, 0xafff) && !inRange(status, 0xa700, 0xa7ff) && status !== 0xa801),
  ],
  // C.4.1, C.5.1–C.5.5, C.5.6 (0122H), C.5.21 (0110H), C.5.25 (0124H); 0212H and 0213H where a
  // service's status table lists Error Comment with them (PS3.4 Table KK.2.2.3-1).
  [
    'errorComment',
    (status) =>
      status === 0x0001 ||
      status === 0x0110 ||
      status === 0x0122 ||
      status === 0x0124 ||
      status === 0x0212 ||
      status === 0x0213 ||
      inRange(status, 0xa000, 0xcfff),
  ],
  // C.5.21 Processing failure
  ['errorId', (status) => status === 0x0110],
  // C.4.2 Attribute list warning, C.5.17 No such attribute, C.5.13 Missing Attribute; service
  // warnings whose table lists it (PS3.4 Table KK.2.2.3-1: 0xB010 Attribute list warning).
  [
    'attributeIdentifierList',
    (status) =>
      status === 0x0107 ||
      status === 0x0105 ||
      status === 0x0120 ||
      inRange(status, 0xb000, 0xbfff),
  ],
];

/** PS3.4 C.4.2.1.6–C.4.2.1.9 (C-MOVE) and C.4.3.1.x (C-GET): counters and Identifier by status. */
function checkRetrieveResponse(
  spec: MessageSpec,
  category: StatusCategory,
  fields: CommandSetFields,
  dataSet: boolean,
): void {
  if (dataSet && (category === 'Pending' || category === 'Success')) {
    // The Identifier holds the Failed SOP Instance UID List: nothing failed yet, or nothing at all.
    throw fail(
      spec,
      'commandDataSetType',
      MISTYPED_ARGUMENT,
      `no Identifier with a ${category} status`,
    );
  }
  if (category === 'Pending' && fields.numberOfRemainingSuboperations === undefined) {
    throw fail(
      spec,
      'numberOfRemainingSuboperations',
      MISTYPED_ARGUMENT,
      'is required with Pending',
    );
  }
  if (
    category !== 'Pending' &&
    category !== 'Cancel' &&
    fields.numberOfRemainingSuboperations !== undefined
  ) {
    throw fail(
      spec,
      'numberOfRemainingSuboperations',
      MISTYPED_ARGUMENT,
      `is not sent with ${category}`,
    );
  }
  if (category === 'Failure') return; // the other counters may be present
  for (const name of [
    'numberOfCompletedSuboperations',
    'numberOfFailedSuboperations',
    'numberOfWarningSuboperations',
  ] as const) {
    if (fields[name] === undefined) {
      throw fail(spec, name, MISTYPED_ARGUMENT, `is required with ${category}`);
    }
  }
}

/**
 * N-EVENT-REPORT-RSP / N-ACTION-RSP: the type ID is required when a reply data set is sent
 * (PS3.7 §10.1.1.1, §10.1.4.1.5), checked both ways. When sending, the type ID and the reply go
 * with a successful status only, or with the failures whose Annex C row lists them (C.5.10
 * 0115H, C.5.16 0114H, C.5.18 0113H, C.5.24 0123H).
 */
function checkReply(
  spec: MessageSpec,
  idField: 'eventTypeId' | 'actionTypeId',
  failuresWithId: readonly number[],
  status: number,
  category: StatusCategory,
  fields: CommandSetFields,
  dataSet: boolean,
  direction: Direction,
): void {
  if (dataSet && fields[idField] === undefined) {
    throw fail(spec, idField, MISTYPED_ARGUMENT, 'is required when a reply data set is sent');
  }
  if (direction !== 'send' || isSuccessful(category)) return;
  if (fields[idField] !== undefined && !failuresWithId.includes(status)) {
    throw fail(spec, idField, MISTYPED_ARGUMENT, `is not sent with status ${hex4(status)}`);
  }
  if (dataSet && status !== 0x0115) {
    throw fail(
      spec,
      'commandDataSetType',
      MISTYPED_ARGUMENT,
      `no reply with status ${hex4(status)}`,
    );
  }
}

/** Failures whose Annex C row lists Affected SOP Instance UID (C.5.8, C.5.11–C.5.14, C.5.21). */
const FAILURES_NAMING_INSTANCE: readonly number[] = [
  0x0106, 0x0110, 0x0111, 0x0117, 0x0120, 0x0121,
];

/** PS3.7 §10.1.5.1.4: Affected SOP Instance UID in an N-CREATE-RSP. */
function checkCreatedInstance(
  spec: MessageSpec,
  status: number,
  category: StatusCategory,
  fields: CommandSetFields,
  direction: Direction,
  context: CommandRuleContext | undefined,
): void {
  const present = fields.affectedSopInstanceUid !== undefined;
  if (!isSuccessful(category)) {
    if (direction === 'send' && present && !FAILURES_NAMING_INSTANCE.includes(status)) {
      throw fail(
        spec,
        'affectedSopInstanceUid',
        MISTYPED_ARGUMENT,
        'is sent with a successful status only',
      );
    }
    return;
  }
  const request = context?.request;
  if (!present && request?.kind === 'N-CREATE-RQ' && request.affectedSopInstanceUid === undefined) {
    throw fail(
      spec,
      'affectedSopInstanceUid',
      MISTYPED_ARGUMENT,
      'is required: the request left it to the performer',
    );
  }
}

/** Success and Warning: the operation was performed (PS3.7 C.1, C.4). */
function isSuccessful(category: StatusCategory): boolean {
  return category === 'Success' || category === 'Warning';
}

function inRange(value: number, low: number, high: number): boolean {
  return value >= low && value <= high;
}

function hex4(value: number): string {
  return `${value.toString(16).padStart(4, '0').toUpperCase()}H`;
}
