import { readFileSync } from 'node:fs';
import { fromHex, toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import type { CommandSet } from './command-set.js';
import { decodeCommandSet } from './decode-command-set.js';
import type { DimseMessage } from './dimse-message.js';
import { encodeCommandSet } from './encode-command-set.js';
import { parseCommand } from './parse-command.js';
import { toCommandSet } from './to-command-set.js';

function fixture(name: string): Uint8Array {
  return fromHex(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8'));
}

const VERIFICATION = '1.2.840.10008.1.1';
const CT = '1.2.840.10008.5.1.4.1.1.2';
const SC = '1.2.840.10008.5.1.4.1.1.7';
const FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
const GET = '1.2.840.10008.5.1.4.1.2.2.3';
const COMMITMENT = '1.2.840.10008.1.20.1';
const COMMITMENT_INSTANCE = '1.2.840.10008.1.20.1.1';
const PRINTER = '1.2.840.10008.5.1.1.16';
const PRINTER_INSTANCE = '1.2.840.10008.5.1.1.17';
const MPPS = '1.2.840.10008.3.1.2.3.3';
const FILM_SESSION = '1.2.840.10008.5.1.1.1';

interface Golden {
  readonly file: string;
  readonly set: CommandSet;
  readonly message: DimseMessage;
}

/** Expected values, written from the same standard tables as the fixtures (not from our code). */
const GOLDEN: readonly Golden[] = [
  {
    file: 'command-c-echo-rq.hex',
    set: {
      commandField: 0x0030,
      commandDataSetType: 0x0101,
      affectedSopClassUid: VERIFICATION,
      messageId: 5,
    },
    message: { kind: 'C-ECHO-RQ', messageId: 5, affectedSopClassUid: VERIFICATION },
  },
  {
    file: 'command-c-echo-rsp.hex',
    set: {
      commandField: 0x8030,
      commandDataSetType: 0x0101,
      affectedSopClassUid: VERIFICATION,
      messageIdBeingRespondedTo: 5,
      status: 0,
    },
    message: {
      kind: 'C-ECHO-RSP',
      messageIdBeingRespondedTo: 5,
      status: 0,
      affectedSopClassUid: VERIFICATION,
    },
  },
  {
    file: 'command-c-store-rq.hex',
    set: {
      commandField: 0x0001,
      commandDataSetType: 0x0000,
      affectedSopClassUid: CT,
      messageId: 7,
      priority: 2,
      affectedSopInstanceUid: '1.2.3.4',
      moveOriginatorApplicationEntityTitle: 'STORESCU',
      moveOriginatorMessageId: 3,
    },
    message: {
      kind: 'C-STORE-RQ',
      messageId: 7,
      affectedSopClassUid: CT,
      affectedSopInstanceUid: '1.2.3.4',
      priority: 2,
      moveOriginatorApplicationEntityTitle: 'STORESCU',
      moveOriginatorMessageId: 3,
    },
  },
  {
    file: 'command-c-store-rsp.hex',
    set: {
      commandField: 0x8001,
      commandDataSetType: 0x0101,
      affectedSopClassUid: CT,
      messageIdBeingRespondedTo: 7,
      status: 0xb000,
      offendingElement: [0x00100010, 0x00100020],
      errorComment: 'Coercion',
      affectedSopInstanceUid: '1.2.3.4',
    },
    message: {
      kind: 'C-STORE-RSP',
      messageIdBeingRespondedTo: 7,
      status: 0xb000,
      affectedSopClassUid: CT,
      affectedSopInstanceUid: '1.2.3.4',
      offendingElement: [0x00100010, 0x00100020],
      errorComment: 'Coercion',
    },
  },
  {
    file: 'command-c-find-rq.hex',
    set: {
      commandField: 0x0020,
      commandDataSetType: 0x0001,
      affectedSopClassUid: FIND,
      messageId: 9,
      priority: 1,
    },
    message: { kind: 'C-FIND-RQ', messageId: 9, affectedSopClassUid: FIND, priority: 1 },
  },
  {
    file: 'command-c-find-rsp.hex',
    set: {
      commandField: 0x8020,
      commandDataSetType: 0x0001,
      affectedSopClassUid: FIND,
      messageIdBeingRespondedTo: 9,
      status: 0xff00,
    },
    message: {
      kind: 'C-FIND-RSP',
      messageIdBeingRespondedTo: 9,
      status: 0xff00,
      affectedSopClassUid: FIND,
      hasDataSet: true,
    },
  },
  {
    file: 'command-c-find-rsp-refused.hex',
    set: {
      commandField: 0x8020,
      commandDataSetType: 0x0101,
      affectedSopClassUid: FIND,
      messageIdBeingRespondedTo: 9,
      status: 0xa700,
      errorComment: 'Disk full',
    },
    message: {
      kind: 'C-FIND-RSP',
      messageIdBeingRespondedTo: 9,
      status: 0xa700,
      affectedSopClassUid: FIND,
      errorComment: 'Disk full',
      hasDataSet: false,
    },
  },
  {
    file: 'command-c-get-rq.hex',
    set: {
      commandField: 0x0010,
      commandDataSetType: 0x0001,
      affectedSopClassUid: GET,
      messageId: 11,
      priority: 0,
    },
    message: { kind: 'C-GET-RQ', messageId: 11, affectedSopClassUid: GET, priority: 0 },
  },
  {
    file: 'command-c-get-rsp.hex',
    set: {
      commandField: 0x8010,
      commandDataSetType: 0x0101,
      affectedSopClassUid: GET,
      messageIdBeingRespondedTo: 11,
      status: 0xff00,
      numberOfRemainingSuboperations: 3,
      numberOfCompletedSuboperations: 1,
      numberOfFailedSuboperations: 0,
      numberOfWarningSuboperations: 0,
    },
    message: {
      kind: 'C-GET-RSP',
      messageIdBeingRespondedTo: 11,
      status: 0xff00,
      affectedSopClassUid: GET,
      numberOfRemainingSuboperations: 3,
      numberOfCompletedSuboperations: 1,
      numberOfFailedSuboperations: 0,
      numberOfWarningSuboperations: 0,
      hasDataSet: false,
    },
  },
  {
    file: 'command-c-move-rq.hex',
    set: {
      commandField: 0x0021,
      commandDataSetType: 0x0001,
      affectedSopClassUid: MOVE,
      messageId: 13,
      moveDestination: 'DEST1',
      priority: 0,
    },
    message: {
      kind: 'C-MOVE-RQ',
      messageId: 13,
      affectedSopClassUid: MOVE,
      priority: 0,
      moveDestination: 'DEST1',
    },
  },
  {
    file: 'command-c-move-rsp.hex',
    set: {
      commandField: 0x8021,
      commandDataSetType: 0x0001,
      affectedSopClassUid: MOVE,
      messageIdBeingRespondedTo: 13,
      status: 0xb000,
      numberOfCompletedSuboperations: 2,
      numberOfFailedSuboperations: 1,
      numberOfWarningSuboperations: 0,
    },
    message: {
      kind: 'C-MOVE-RSP',
      messageIdBeingRespondedTo: 13,
      status: 0xb000,
      affectedSopClassUid: MOVE,
      numberOfCompletedSuboperations: 2,
      numberOfFailedSuboperations: 1,
      numberOfWarningSuboperations: 0,
      hasDataSet: true,
    },
  },
  {
    file: 'command-c-cancel-rq.hex',
    set: { commandField: 0x0fff, commandDataSetType: 0x0101, messageIdBeingRespondedTo: 13 },
    message: { kind: 'C-CANCEL-RQ', messageIdBeingRespondedTo: 13 },
  },
  {
    file: 'command-n-event-report-rq.hex',
    set: {
      commandField: 0x0100,
      commandDataSetType: 0x0001,
      affectedSopClassUid: COMMITMENT,
      messageId: 21,
      affectedSopInstanceUid: COMMITMENT_INSTANCE,
      eventTypeId: 1,
    },
    message: {
      kind: 'N-EVENT-REPORT-RQ',
      messageId: 21,
      affectedSopClassUid: COMMITMENT,
      affectedSopInstanceUid: COMMITMENT_INSTANCE,
      eventTypeId: 1,
      hasDataSet: true,
    },
  },
  {
    file: 'command-n-event-report-rsp.hex',
    set: {
      commandField: 0x8100,
      commandDataSetType: 0x0101,
      affectedSopClassUid: COMMITMENT,
      messageIdBeingRespondedTo: 21,
      status: 0,
      affectedSopInstanceUid: COMMITMENT_INSTANCE,
      eventTypeId: 1,
    },
    message: {
      kind: 'N-EVENT-REPORT-RSP',
      messageIdBeingRespondedTo: 21,
      status: 0,
      affectedSopClassUid: COMMITMENT,
      affectedSopInstanceUid: COMMITMENT_INSTANCE,
      eventTypeId: 1,
      hasDataSet: false,
    },
  },
  {
    file: 'command-n-get-rq.hex',
    set: {
      commandField: 0x0110,
      commandDataSetType: 0x0101,
      requestedSopClassUid: PRINTER,
      messageId: 23,
      requestedSopInstanceUid: PRINTER_INSTANCE,
      attributeIdentifierList: [0x21100010, 0x21100020],
    },
    message: {
      kind: 'N-GET-RQ',
      messageId: 23,
      requestedSopClassUid: PRINTER,
      requestedSopInstanceUid: PRINTER_INSTANCE,
      attributeIdentifierList: [0x21100010, 0x21100020],
    },
  },
  {
    file: 'command-n-get-rsp.hex',
    set: {
      commandField: 0x8110,
      commandDataSetType: 0x0001,
      affectedSopClassUid: PRINTER,
      messageIdBeingRespondedTo: 23,
      status: 0,
      affectedSopInstanceUid: PRINTER_INSTANCE,
    },
    message: {
      kind: 'N-GET-RSP',
      messageIdBeingRespondedTo: 23,
      status: 0,
      affectedSopClassUid: PRINTER,
      affectedSopInstanceUid: PRINTER_INSTANCE,
      hasDataSet: true,
    },
  },
  {
    file: 'command-n-set-rq.hex',
    set: {
      commandField: 0x0120,
      commandDataSetType: 0x0001,
      requestedSopClassUid: MPPS,
      messageId: 25,
      requestedSopInstanceUid: '1.2.3.4',
    },
    message: {
      kind: 'N-SET-RQ',
      messageId: 25,
      requestedSopClassUid: MPPS,
      requestedSopInstanceUid: '1.2.3.4',
    },
  },
  {
    file: 'command-n-set-rsp.hex',
    set: {
      commandField: 0x8120,
      commandDataSetType: 0x0101,
      affectedSopClassUid: MPPS,
      messageIdBeingRespondedTo: 25,
      status: 0x0110,
      errorComment: 'Processing failed',
      errorId: 0xa710,
      affectedSopInstanceUid: '1.2.3.4',
    },
    message: {
      kind: 'N-SET-RSP',
      messageIdBeingRespondedTo: 25,
      status: 0x0110,
      affectedSopClassUid: MPPS,
      affectedSopInstanceUid: '1.2.3.4',
      errorComment: 'Processing failed',
      errorId: 0xa710,
      hasDataSet: false,
    },
  },
  {
    file: 'command-n-action-rq.hex',
    set: {
      commandField: 0x0130,
      commandDataSetType: 0x0001,
      requestedSopClassUid: COMMITMENT,
      messageId: 27,
      requestedSopInstanceUid: COMMITMENT_INSTANCE,
      actionTypeId: 1,
    },
    message: {
      kind: 'N-ACTION-RQ',
      messageId: 27,
      requestedSopClassUid: COMMITMENT,
      requestedSopInstanceUid: COMMITMENT_INSTANCE,
      actionTypeId: 1,
      hasDataSet: true,
    },
  },
  {
    file: 'command-n-action-rsp.hex',
    set: {
      commandField: 0x8130,
      commandDataSetType: 0x0101,
      affectedSopClassUid: COMMITMENT,
      messageIdBeingRespondedTo: 27,
      status: 0,
      affectedSopInstanceUid: COMMITMENT_INSTANCE,
      actionTypeId: 1,
    },
    message: {
      kind: 'N-ACTION-RSP',
      messageIdBeingRespondedTo: 27,
      status: 0,
      affectedSopClassUid: COMMITMENT,
      affectedSopInstanceUid: COMMITMENT_INSTANCE,
      actionTypeId: 1,
      hasDataSet: false,
    },
  },
  {
    file: 'command-n-create-rq.hex',
    set: {
      commandField: 0x0140,
      commandDataSetType: 0x0001,
      affectedSopClassUid: MPPS,
      messageId: 29,
      affectedSopInstanceUid: '1.2.3.4',
    },
    message: {
      kind: 'N-CREATE-RQ',
      messageId: 29,
      affectedSopClassUid: MPPS,
      affectedSopInstanceUid: '1.2.3.4',
      hasDataSet: true,
    },
  },
  {
    file: 'command-n-create-rsp.hex',
    set: {
      commandField: 0x8140,
      commandDataSetType: 0x0101,
      affectedSopClassUid: MPPS,
      messageIdBeingRespondedTo: 29,
      status: 0,
      affectedSopInstanceUid: '1.2.3.4',
    },
    message: {
      kind: 'N-CREATE-RSP',
      messageIdBeingRespondedTo: 29,
      status: 0,
      affectedSopClassUid: MPPS,
      affectedSopInstanceUid: '1.2.3.4',
      hasDataSet: false,
    },
  },
  {
    file: 'command-n-delete-rq.hex',
    set: {
      commandField: 0x0150,
      commandDataSetType: 0x0101,
      requestedSopClassUid: FILM_SESSION,
      messageId: 31,
      requestedSopInstanceUid: '1.2.3.4',
    },
    message: {
      kind: 'N-DELETE-RQ',
      messageId: 31,
      requestedSopClassUid: FILM_SESSION,
      requestedSopInstanceUid: '1.2.3.4',
    },
  },
  {
    file: 'command-n-delete-rsp.hex',
    set: {
      commandField: 0x8150,
      commandDataSetType: 0x0101,
      affectedSopClassUid: FILM_SESSION,
      messageIdBeingRespondedTo: 31,
      status: 0x0112,
      affectedSopInstanceUid: '1.2.3.4',
    },
    message: {
      kind: 'N-DELETE-RSP',
      messageIdBeingRespondedTo: 31,
      status: 0x0112,
      affectedSopClassUid: FILM_SESSION,
      affectedSopInstanceUid: '1.2.3.4',
    },
  },
  {
    file: 'command-other-elements.hex',
    set: {
      commandField: 0x0030,
      commandDataSetType: 0x0101,
      affectedSopClassUid: VERIFICATION,
      messageId: 5,
      otherElements: [
        { tag: 0x0850, value: fromHex('0300') },
        { tag: 0x7777, value: fromHex('61626364') },
      ],
    },
    message: { kind: 'C-ECHO-RQ', messageId: 5, affectedSopClassUid: VERIFICATION },
  },
];

describe('hand-written golden command sets (PS3.7 Tables 9.3-x, 10.3-x)', () => {
  it('cover every command field of PS3.7 Table E.1-1', () => {
    const fields = new Set(GOLDEN.map((golden) => golden.set.commandField));
    expect(fields.size).toBe(23);
  });

  describe.each(GOLDEN)('$file', ({ file, set, message }) => {
    const bytes = fixture(file);

    it('decodes to the expected command set', () => {
      expect(decodeCommandSet(bytes)).toEqual(set);
    });

    it('encodes the expected command set to the exact bytes', () => {
      expect(toHex(encodeCommandSet(set))).toBe(toHex(bytes));
    });

    it('parses to the expected typed message', () => {
      expect(parseCommand(decodeCommandSet(bytes))).toEqual(message);
    });

    it('round-trips the typed message through toCommandSet, encode and decode', () => {
      expect(parseCommand(decodeCommandSet(encodeCommandSet(toCommandSet(message))))).toEqual(
        message,
      );
    });

    it('decodes the same from a view with a byte offset', () => {
      const padded = new Uint8Array(bytes.length + 7);
      padded.set(bytes, 5);
      expect(decodeCommandSet(padded.subarray(5, 5 + bytes.length))).toEqual(set);
    });
  });
});

interface Captured {
  readonly file: string;
  readonly message: DimseMessage;
}

/** Command sets captured from DCMTK 3.6.7 tools (see each file's header for how). */
const CAPTURED: readonly Captured[] = [
  {
    file: 'command-dcmtk-c-echo-rq.hex',
    message: { kind: 'C-ECHO-RQ', messageId: 1, affectedSopClassUid: VERIFICATION },
  },
  {
    file: 'command-dcmtk-c-echo-rsp.hex',
    message: {
      kind: 'C-ECHO-RSP',
      messageIdBeingRespondedTo: 7,
      status: 0,
      affectedSopClassUid: VERIFICATION,
    },
  },
  {
    file: 'command-dcmtk-c-store-rq.hex',
    message: {
      kind: 'C-STORE-RQ',
      messageId: 1,
      affectedSopClassUid: SC,
      affectedSopInstanceUid: '1.2.826.0.1.3680043.8.498.1.1',
      priority: 0,
    },
  },
  {
    file: 'command-dcmtk-c-store-rq-move.hex',
    message: {
      kind: 'C-STORE-RQ',
      messageId: 1,
      affectedSopClassUid: SC,
      affectedSopInstanceUid: '1.2.826.0.1.3680043.8.498.1.1',
      priority: 0,
      moveOriginatorApplicationEntityTitle: 'MOVESCU',
      moveOriginatorMessageId: 1,
    },
  },
  {
    file: 'command-dcmtk-c-store-rsp.hex',
    message: {
      kind: 'C-STORE-RSP',
      messageIdBeingRespondedTo: 9,
      status: 0,
      affectedSopClassUid: SC,
      affectedSopInstanceUid: '1.2.826.0.1.3680043.8.498.1.77',
    },
  },
  {
    file: 'command-dcmtk-c-find-rq.hex',
    message: { kind: 'C-FIND-RQ', messageId: 1, affectedSopClassUid: FIND, priority: 0 },
  },
  {
    file: 'command-dcmtk-c-find-rsp-pending.hex',
    message: {
      kind: 'C-FIND-RSP',
      messageIdBeingRespondedTo: 3,
      status: 0xff00,
      affectedSopClassUid: FIND,
      hasDataSet: true,
    },
  },
  {
    file: 'command-dcmtk-c-find-rsp-success.hex',
    message: {
      kind: 'C-FIND-RSP',
      messageIdBeingRespondedTo: 3,
      status: 0,
      affectedSopClassUid: FIND,
      hasDataSet: false,
    },
  },
  {
    file: 'command-dcmtk-c-move-rq.hex',
    message: {
      kind: 'C-MOVE-RQ',
      messageId: 1,
      affectedSopClassUid: MOVE,
      priority: 0,
      moveDestination: 'DESTAE',
    },
  },
  {
    file: 'command-dcmtk-c-move-rsp.hex',
    message: {
      kind: 'C-MOVE-RSP',
      messageIdBeingRespondedTo: 4,
      status: 0xa801,
      affectedSopClassUid: MOVE,
      numberOfCompletedSuboperations: 0,
      numberOfFailedSuboperations: 0,
      numberOfWarningSuboperations: 0,
      hasDataSet: false,
    },
  },
  {
    file: 'command-dcmtk-c-get-rq.hex',
    message: { kind: 'C-GET-RQ', messageId: 1, affectedSopClassUid: GET, priority: 0 },
  },
  {
    file: 'command-dcmtk-c-cancel-rq.hex',
    message: { kind: 'C-CANCEL-RQ', messageIdBeingRespondedTo: 1 },
  },
];

describe('command sets captured from DCMTK', () => {
  describe.each(CAPTURED)('$file', ({ file, message }) => {
    const bytes = fixture(file);

    it('parses to the expected typed message', () => {
      expect(parseCommand(decodeCommandSet(bytes))).toEqual(message);
    });

    it('is re-encoded byte for byte, as DCMTK wrote it', () => {
      expect(toHex(encodeCommandSet(decodeCommandSet(bytes)))).toBe(toHex(bytes));
    });

    it('is what toCommandSet builds for the same message', () => {
      expect(toHex(encodeCommandSet(toCommandSet(message)))).toBe(toHex(bytes));
    });
  });
});
