import { describe, expect, it } from 'vitest';
import { CommandValidationError } from './command-errors.js';
import type { CommandSet } from './command-set.js';
import type { DimseKind, DimseMessage } from './dimse-message.js';
import { messageHasDataSet, messageIdOf, respondedIdOf } from './dimse-message.js';
import { parseCommand } from './parse-command.js';
import { toCommandSet } from './to-command-set.js';

const UID = '1.2.840.10008.5.1.4.1.1.2';
const INSTANCE = '1.2.3.4';

/** One valid message of every kind (PS3.7 Tables 9.3-x and 10.3-x). */
const VALID: { readonly [K in DimseKind]: Extract<DimseMessage, { kind: K }> } = {
  'C-ECHO-RQ': { kind: 'C-ECHO-RQ', messageId: 1, affectedSopClassUid: '1.2.840.10008.1.1' },
  'C-ECHO-RSP': { kind: 'C-ECHO-RSP', messageIdBeingRespondedTo: 1, status: 0 },
  'C-STORE-RQ': {
    kind: 'C-STORE-RQ',
    messageId: 1,
    affectedSopClassUid: UID,
    affectedSopInstanceUid: INSTANCE,
    priority: 0,
  },
  'C-STORE-RSP': { kind: 'C-STORE-RSP', messageIdBeingRespondedTo: 1, status: 0 },
  'C-FIND-RQ': { kind: 'C-FIND-RQ', messageId: 1, affectedSopClassUid: UID, priority: 0 },
  'C-FIND-RSP': { kind: 'C-FIND-RSP', messageIdBeingRespondedTo: 1, status: 0, hasDataSet: false },
  'C-GET-RQ': { kind: 'C-GET-RQ', messageId: 1, affectedSopClassUid: UID, priority: 0 },
  'C-GET-RSP': {
    kind: 'C-GET-RSP',
    messageIdBeingRespondedTo: 1,
    status: 0xa701,
    hasDataSet: false,
  },
  'C-MOVE-RQ': {
    kind: 'C-MOVE-RQ',
    messageId: 1,
    affectedSopClassUid: UID,
    priority: 0,
    moveDestination: 'DEST',
  },
  'C-MOVE-RSP': {
    kind: 'C-MOVE-RSP',
    messageIdBeingRespondedTo: 1,
    status: 0xa801,
    hasDataSet: false,
  },
  'C-CANCEL-RQ': { kind: 'C-CANCEL-RQ', messageIdBeingRespondedTo: 1 },
  'N-EVENT-REPORT-RQ': {
    kind: 'N-EVENT-REPORT-RQ',
    messageId: 1,
    affectedSopClassUid: UID,
    affectedSopInstanceUid: INSTANCE,
    eventTypeId: 1,
    hasDataSet: true,
  },
  'N-EVENT-REPORT-RSP': {
    kind: 'N-EVENT-REPORT-RSP',
    messageIdBeingRespondedTo: 1,
    status: 0,
    hasDataSet: false,
  },
  'N-GET-RQ': {
    kind: 'N-GET-RQ',
    messageId: 1,
    requestedSopClassUid: UID,
    requestedSopInstanceUid: INSTANCE,
  },
  'N-GET-RSP': { kind: 'N-GET-RSP', messageIdBeingRespondedTo: 1, status: 0, hasDataSet: true },
  'N-SET-RQ': {
    kind: 'N-SET-RQ',
    messageId: 1,
    requestedSopClassUid: UID,
    requestedSopInstanceUid: INSTANCE,
  },
  'N-SET-RSP': { kind: 'N-SET-RSP', messageIdBeingRespondedTo: 1, status: 0, hasDataSet: false },
  'N-ACTION-RQ': {
    kind: 'N-ACTION-RQ',
    messageId: 1,
    requestedSopClassUid: UID,
    requestedSopInstanceUid: INSTANCE,
    actionTypeId: 1,
    hasDataSet: true,
  },
  'N-ACTION-RSP': {
    kind: 'N-ACTION-RSP',
    messageIdBeingRespondedTo: 1,
    status: 0,
    hasDataSet: false,
  },
  'N-CREATE-RQ': { kind: 'N-CREATE-RQ', messageId: 1, affectedSopClassUid: UID, hasDataSet: true },
  'N-CREATE-RSP': {
    kind: 'N-CREATE-RSP',
    messageIdBeingRespondedTo: 1,
    status: 0x0110,
    hasDataSet: false,
  },
  'N-DELETE-RQ': {
    kind: 'N-DELETE-RQ',
    messageId: 1,
    requestedSopClassUid: UID,
    requestedSopInstanceUid: INSTANCE,
  },
  'N-DELETE-RSP': { kind: 'N-DELETE-RSP', messageIdBeingRespondedTo: 1, status: 0 },
};

const RSP = ['messageIdBeingRespondedTo', 'status'];
const Q = ['messageId', 'affectedSopClassUid'];
const REQUESTED = ['messageId', 'requestedSopClassUid', 'requestedSopInstanceUid'];

/** The M fields of each message, from the M columns of PS3.7 Tables 9.1-x / 10.1-x. */
const MANDATORY: { readonly [K in DimseKind]: readonly string[] } = {
  'C-ECHO-RQ': Q,
  'C-ECHO-RSP': RSP,
  'C-STORE-RQ': [...Q, 'affectedSopInstanceUid'],
  'C-STORE-RSP': RSP,
  'C-FIND-RQ': Q,
  'C-FIND-RSP': RSP,
  'C-GET-RQ': Q,
  'C-GET-RSP': RSP,
  'C-MOVE-RQ': [...Q, 'moveDestination'],
  'C-MOVE-RSP': RSP,
  'C-CANCEL-RQ': ['messageIdBeingRespondedTo'],
  'N-EVENT-REPORT-RQ': [
    'messageId',
    'affectedSopClassUid',
    'affectedSopInstanceUid',
    'eventTypeId',
  ],
  'N-EVENT-REPORT-RSP': RSP,
  'N-GET-RQ': REQUESTED,
  'N-GET-RSP': RSP,
  'N-SET-RQ': REQUESTED,
  'N-SET-RSP': RSP,
  'N-ACTION-RQ': [...REQUESTED, 'actionTypeId'],
  'N-ACTION-RSP': RSP,
  'N-CREATE-RQ': Q,
  'N-CREATE-RSP': RSP,
  'N-DELETE-RQ': REQUESTED,
  'N-DELETE-RSP': RSP,
};

/** A copy of `value` without `field` (test input that the types would not allow). */
function without<T extends object>(value: T, field: string): T {
  // Test input the types would refuse: a copy of a message or set with one field removed.
  const copy = { ...value } as Record<string, unknown>;
  delete copy[field];
  return copy as T;
}

function validationError(action: () => unknown): CommandValidationError {
  try {
    action();
  } catch (error) {
    if (error instanceof CommandValidationError) return error;
    throw error;
  }
  throw new Error('no CommandValidationError');
}

const MANDATORY_CASES = Object.entries(MANDATORY).flatMap(([kind, fields]) =>
  fields.map((field) => [kind as DimseKind, field] as const),
);

describe('mandatory fields of every message (PS3.7 §9.1, §10.1)', () => {
  it.each(Object.keys(VALID) as DimseKind[])('%s: the valid sample passes both ways', (kind) => {
    const set = toCommandSet(VALID[kind]);
    expect(set.commandField).toBeTypeOf('number');
    expect(parseCommand(set).kind).toBe(kind);
  });

  it.each(MANDATORY_CASES)('%s without %s: toCommandSet throws 0212H', (kind, field) => {
    const error = validationError(() => toCommandSet(without(VALID[kind], field)));
    expect(error.code).toBe('DICOMNET_DIMSE_INVALID_COMMAND');
    expect(error.field).toBe(field);
    expect(error.status).toBe(0x0212);
  });

  it.each(MANDATORY_CASES)('%s without %s: parseCommand throws 0212H', (kind, field) => {
    const set = without(toCommandSet(VALID[kind]), field);
    const error = validationError(() => parseCommand(set));
    expect(error.field).toBe(field);
    expect(error.status).toBe(0x0212);
    expect(error.commandField).toBe(set.commandField);
  });

  it.each(['C-STORE-RQ', 'C-FIND-RQ', 'C-GET-RQ', 'C-MOVE-RQ'] as const)(
    '%s: priority defaults to Medium when sending, is mandatory on receipt',
    (kind) => {
      const set = toCommandSet(without(VALID[kind], 'priority'));
      expect(set.priority).toBe(0);
      expect(validationError(() => parseCommand(without(set, 'priority'))).field).toBe('priority');
    },
  );

  it.each(['C-STORE-RQ', 'C-FIND-RQ'] as const)(
    '%s: an own priority of undefined (a JavaScript caller) still defaults to Medium',
    (kind) => {
      const message = { ...without(VALID[kind], 'priority'), priority: undefined };
      expect(toCommandSet(message as unknown as DimseMessage).priority).toBe(0); // any shape
    },
  );

  it('treats an empty mandatory string as missing', () => {
    const set = { ...toCommandSet(VALID['C-MOVE-RQ']), moveDestination: '' };
    expect(validationError(() => parseCommand(set)).field).toBe('moveDestination');
  });
});

describe('statuses carried by a CommandValidationError', () => {
  it('answers an unknown Command Field with 0211H Unrecognized operation', () => {
    const error = validationError(() =>
      parseCommand({ commandField: 0x0040, commandDataSetType: 0x0101, messageId: 1 }),
    );
    expect([error.field, error.status, error.commandField]).toEqual([
      'commandField',
      0x0211,
      0x0040,
    ]);
  });

  it('answers a bad SOP Instance UID with 0117H Invalid SOP Instance', () => {
    const set = { ...toCommandSet(VALID['C-STORE-RQ']), affectedSopInstanceUid: '1.2.abc' };
    const error = validationError(() => parseCommand(set));
    expect([error.field, error.status]).toEqual(['affectedSopInstanceUid', 0x0117]);
    const send = { ...VALID['N-SET-RQ'], requestedSopInstanceUid: '1/2' };
    expect(validationError(() => toCommandSet(send)).status).toBe(0x0117);
  });

  it('answers a bad SOP Class UID, priority or AE title with 0212H Mistyped argument', () => {
    const store = toCommandSet(VALID['C-STORE-RQ']);
    expect(validationError(() => parseCommand({ ...store, affectedSopClassUid: 'x' })).status).toBe(
      0x0212,
    );
    expect(validationError(() => parseCommand({ ...store, priority: 3 })).field).toBe('priority');
    const move = toCommandSet(VALID['C-MOVE-RQ']);
    const longAe = { ...move, moveDestination: 'A'.repeat(17) };
    expect(validationError(() => parseCommand(longAe)).field).toBe('moveDestination');
  });
});

describe('data set rules (PS3.7 Tables 9.3-x, 10.3-x)', () => {
  it('refuses a data set where the message has none, and its absence where it needs one', () => {
    const echo = { ...toCommandSet(VALID['C-ECHO-RQ']), commandDataSetType: 0x0000 };
    expect(validationError(() => parseCommand(echo)).field).toBe('commandDataSetType');
    const store = { ...toCommandSet(VALID['C-STORE-RQ']), commandDataSetType: 0x0101 };
    expect(validationError(() => parseCommand(store)).field).toBe('commandDataSetType');
  });

  it('treats any Command Data Set Type but 0101H as a data set', () => {
    const set = { ...toCommandSet(VALID['N-ACTION-RQ']), commandDataSetType: 0x0102 };
    expect(parseCommand(set)).toMatchObject({ hasDataSet: true });
  });

  it('C-FIND-RSP: Identifier with Pending only when sending', () => {
    const pending = { ...VALID['C-FIND-RSP'], status: 0xff01 };
    expect(validationError(() => toCommandSet(pending)).field).toBe('commandDataSetType');
    expect(toCommandSet({ ...pending, hasDataSet: true }).commandDataSetType).toBe(0x0001);
    const final = { ...VALID['C-FIND-RSP'], hasDataSet: true };
    expect(validationError(() => toCommandSet(final)).field).toBe('commandDataSetType');
  });

  it('C-FIND-RSP: a Pending response without Identifier is refused on receipt', () => {
    const set: CommandSet = {
      commandField: 0x8020,
      commandDataSetType: 0x0101,
      messageIdBeingRespondedTo: 1,
      status: 0xff00,
    };
    expect(validationError(() => parseCommand(set)).field).toBe('commandDataSetType');
  });

  it('C-FIND-RSP: a final response with an Identifier is accepted on receipt (pynetdicom < 2.0)', () => {
    const set: CommandSet = {
      commandField: 0x8020,
      commandDataSetType: 0x0001,
      messageIdBeingRespondedTo: 1,
      status: 0,
    };
    expect(parseCommand(set)).toMatchObject({ kind: 'C-FIND-RSP', hasDataSet: true });
  });

  it('refuses hasDataSet that is not a boolean when sending', () => {
    const message = without(VALID['N-CREATE-RQ'], 'hasDataSet');
    expect(validationError(() => toCommandSet(message)).field).toBe('hasDataSet');
  });
});

describe('C-GET/C-MOVE-RSP sub-operation counters (PS3.4 C.4.2.1.6-9), checked when sending', () => {
  const counts = {
    numberOfCompletedSuboperations: 1,
    numberOfFailedSuboperations: 0,
    numberOfWarningSuboperations: 0,
  };
  const move = VALID['C-MOVE-RSP'];

  it('Pending needs all four counters and no Identifier', () => {
    expect(
      toCommandSet({ ...move, status: 0xff00, ...counts, numberOfRemainingSuboperations: 2 })
        .status,
    ).toBe(0xff00);
    expect(validationError(() => toCommandSet({ ...move, status: 0xff00, ...counts })).field).toBe(
      'numberOfRemainingSuboperations',
    );
    const withIdentifier = {
      ...move,
      status: 0xff00,
      ...counts,
      numberOfRemainingSuboperations: 2,
      hasDataSet: true,
    };
    expect(validationError(() => toCommandSet(withIdentifier)).field).toBe('commandDataSetType');
  });

  it('Success and Warning need Completed/Failed/Warning and refuse Remaining', () => {
    expect(toCommandSet({ ...move, status: 0, ...counts }).status).toBe(0);
    const remaining = { ...move, status: 0xb000, ...counts, numberOfRemainingSuboperations: 0 };
    expect(validationError(() => toCommandSet(remaining)).field).toBe(
      'numberOfRemainingSuboperations',
    );
    const missing = without({ ...move, status: 0, ...counts }, 'numberOfWarningSuboperations');
    expect(validationError(() => toCommandSet(missing)).field).toBe('numberOfWarningSuboperations');
  });

  it('Cancel may carry Remaining; Failure may carry the others', () => {
    expect(
      toCommandSet({ ...move, status: 0xfe00, ...counts, numberOfRemainingSuboperations: 3 })
        .status,
    ).toBe(0xfe00);
    expect(toCommandSet({ ...move, status: 0xa702, ...counts, hasDataSet: true }).status).toBe(
      0xa702,
    );
  });

  it('accepts any counters on receipt (DCMTK DcmSCP sends all four or none whatever the status)', () => {
    const set: CommandSet = {
      commandField: 0x8021,
      commandDataSetType: 0x0101,
      messageIdBeingRespondedTo: 1,
      status: 0,
      numberOfRemainingSuboperations: 0,
      ...counts,
    };
    expect(parseCommand(set)).toMatchObject({
      kind: 'C-MOVE-RSP',
      numberOfRemainingSuboperations: 0,
    });
  });
});

describe('N-EVENT-REPORT/N-ACTION replies (PS3.7 §10.1.1.1, §10.1.4.1.5)', () => {
  it('needs the type ID with a reply, both ways', () => {
    const reply = { ...VALID['N-ACTION-RSP'], hasDataSet: true };
    expect(validationError(() => toCommandSet(reply)).field).toBe('actionTypeId');
    const set = { ...toCommandSet(VALID['N-EVENT-REPORT-RSP']), commandDataSetType: 0x0001 };
    expect(validationError(() => parseCommand(set)).field).toBe('eventTypeId');
  });

  it('sends the type ID with success or with the failures that list it (C.5.16, C.5.24)', () => {
    expect(
      toCommandSet({ ...VALID['N-ACTION-RSP'], status: 0x0123, actionTypeId: 7 }).actionTypeId,
    ).toBe(7);
    const processing = { ...VALID['N-ACTION-RSP'], status: 0x0110, actionTypeId: 7 };
    expect(validationError(() => toCommandSet(processing)).field).toBe('actionTypeId');
    const reply = {
      ...VALID['N-EVENT-REPORT-RSP'],
      status: 0x0112,
      eventTypeId: 1,
      hasDataSet: true,
    };
    expect(validationError(() => toCommandSet(reply)).field).toBe('eventTypeId');
  });
});

describe('N-GET-RSP and N-CREATE-RSP conditions', () => {
  it('N-GET-RSP: no Attribute List with a failure when sending', () => {
    const failed = { ...VALID['N-GET-RSP'], status: 0x0112 };
    expect(validationError(() => toCommandSet(failed)).field).toBe('commandDataSetType');
  });

  it('N-CREATE-RSP: Affected SOP Instance UID required on success when the request had none', () => {
    const request = VALID['N-CREATE-RQ'];
    const response = { ...VALID['N-CREATE-RSP'], status: 0 };
    expect(validationError(() => toCommandSet(response, { request })).field).toBe(
      'affectedSopInstanceUid',
    );
    expect(validationError(() => parseCommand(toCommandSet(response), { request })).field).toBe(
      'affectedSopInstanceUid',
    );
    expect(
      toCommandSet(response, { request: { ...request, affectedSopInstanceUid: INSTANCE } }).status,
    ).toBe(0);
    expect(
      toCommandSet({ ...response, affectedSopInstanceUid: INSTANCE }, { request }).status,
    ).toBe(0);
  });

  it('N-CREATE-RSP: the UID goes with success or with a failure whose Annex C row names it', () => {
    expect(
      toCommandSet({ ...VALID['N-CREATE-RSP'], affectedSopInstanceUid: INSTANCE }).status,
    ).toBe(0x0110);
    const refused = { ...VALID['N-CREATE-RSP'], status: 0x0124, affectedSopInstanceUid: INSTANCE };
    expect(validationError(() => toCommandSet(refused)).field).toBe('affectedSopInstanceUid');
    const received: CommandSet = {
      commandField: 0x8140,
      commandDataSetType: 0x0101,
      messageIdBeingRespondedTo: 1,
      status: 0x0124,
      affectedSopInstanceUid: INSTANCE,
    };
    expect(parseCommand(received)).toMatchObject({ affectedSopInstanceUid: INSTANCE });
  });
});

describe('status and companion fields (PS3.7 Annex C), checked when sending', () => {
  it('refuses a status in no class, and Pending or Cancel outside C-FIND/C-GET/C-MOVE', () => {
    expect(
      validationError(() => toCommandSet({ ...VALID['C-STORE-RSP'], status: 0x0300 })).field,
    ).toBe('status');
    expect(
      validationError(() => toCommandSet({ ...VALID['C-STORE-RSP'], status: 0xff00 })).field,
    ).toBe('status');
    expect(
      validationError(() => toCommandSet({ ...VALID['N-GET-RSP'], status: 0xfe00 })).field,
    ).toBe('status');
  });

  it.each([
    ['C-STORE-RSP', 0x0000, 'errorComment', 'x'],
    ['C-STORE-RSP', 0xa700, 'offendingElement', [0x00100010]],
    ['C-FIND-RSP', 0xa801, 'offendingElement', [0x00100010]],
    ['C-ECHO-RSP', 0x0211, 'errorComment', 'x'],
    ['N-SET-RSP', 0x0112, 'errorId', 1],
    ['N-GET-RSP', 0x0000, 'attributeIdentifierList', [0x00100010]],
  ] as const)('%s with %s refuses %s', (kind, status, field, value) => {
    // Test input: hasDataSet is ignored by the kinds that have no such field.
    const message = { ...VALID[kind], status, hasDataSet: false, [field]: value } as DimseMessage;
    expect(validationError(() => toCommandSet(message)).field).toBe(field);
  });

  it.each([
    ['C-STORE-RSP', 0xb007, 'offendingElement', [0x00100010]],
    ['C-STORE-RSP', 0xc001, 'errorComment', 'cannot parse'],
    ['C-FIND-RSP', 0xa700, 'errorComment', 'full'],
    ['C-ECHO-RSP', 0x0122, 'errorComment', 'no'],
    ['N-SET-RSP', 0x0110, 'errorId', 0xa710],
    ['N-GET-RSP', 0x0107, 'attributeIdentifierList', [0x00100010]],
    ['N-SET-RSP', 0x0105, 'attributeIdentifierList', [0x00100010]],
  ] as const)('%s with %s accepts %s', (kind, status, field, value) => {
    // Test input: hasDataSet is ignored by the kinds that have no such field.
    const message = { ...VALID[kind], status, hasDataSet: false, [field]: value } as DimseMessage;
    expect(toCommandSet(message)).toMatchObject({ [field]: value });
  });

  it('accepts companion fields with any status on receipt (pynetdicom copies what handlers return)', () => {
    const set: CommandSet = {
      commandField: 0x8001,
      commandDataSetType: 0x0101,
      messageIdBeingRespondedTo: 1,
      status: 0,
      errorComment: 'ok \\ é',
      offendingElement: [0x00100010],
    };
    expect(parseCommand(set)).toMatchObject({
      errorComment: 'ok \\ é',
      offendingElement: [0x00100010],
    });
  });

  it('refuses an Error Comment outside the default repertoire when sending', () => {
    const message = { ...VALID['C-STORE-RSP'], status: 0xc000, errorComment: 'é' };
    expect(validationError(() => toCommandSet(message)).field).toBe('errorComment');
  });
});

describe('message helpers', () => {
  it('drops elements the message does not define', () => {
    const set = { ...toCommandSet(VALID['C-ECHO-RQ']), priority: 1, status: 0 };
    expect(parseCommand(set)).toEqual(VALID['C-ECHO-RQ']);
  });

  it('reads the Message IDs and the data set flag', () => {
    expect(messageIdOf(VALID['N-GET-RQ'])).toBe(1);
    expect(messageIdOf(VALID['C-CANCEL-RQ'])).toBeUndefined();
    expect(respondedIdOf(VALID['C-CANCEL-RQ'])).toBe(1);
    expect(respondedIdOf(VALID['C-ECHO-RQ'])).toBeUndefined();
    expect(messageHasDataSet(VALID['C-STORE-RQ'])).toBe(true);
    expect(messageHasDataSet(VALID['C-ECHO-RSP'])).toBe(false);
    expect(messageHasDataSet(VALID['N-ACTION-RQ'])).toBe(true);
  });
});
