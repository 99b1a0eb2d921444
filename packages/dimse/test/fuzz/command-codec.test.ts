import { DicomnetError } from '@dicomnet/pdu';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandSet, DimseMessage } from '../../src/command/index.js';
import {
  COMMAND_ELEMENTS,
  CommandField,
  decodeCommandSet,
  encodeCommandSet,
  parseCommand,
  toCommandSet,
} from '../../src/command/index.js';

/** Bounds every property: a fixed number of runs, and never more than a few seconds. */
const RUNS = { numRuns: 1_500, interruptAfterTimeLimit: 4_000 } as const;

const uint16 = fc.integer({ min: 0, max: 0xffff });
const tag = fc.integer({ min: 0, max: 0xffffffff });
const uid = fc.stringMatching(/^[0-9.]{0,64}$/);
// Decoding trims AE titles on both sides and strips trailing spaces from text, so generated values
// have no outer spaces (PS3.5 Table 6.2-1: they are not significant).
const aeTitle = fc.stringMatching(/^([A-Z0-9_]([A-Z0-9_ -]{0,14}[A-Z0-9_])?)?$/);
const errorComment = fc.stringMatching(
  /^([\x21-\x5b\x5d-\x7e]([\x20-\x5b\x5d-\x7e]{0,62}[\x21-\x5b\x5d-\x7e])?)?$/,
);
const knownField = fc.constantFrom(...Object.values(CommandField));

/** Group-0000 tags with no CommandSet field: the retired ones and a few unknown ones. */
const RAW_TAGS = [
  ...COMMAND_ELEMENTS.filter((element) => element.retired).map((element) => element.tag),
  0x0004,
  0x0904,
  0x7777,
  0xfffe,
];
const otherElements = fc.uniqueArray(
  fc.record({
    tag: fc.constantFrom(...RAW_TAGS),
    value: fc.uint8Array({ maxLength: 12 }).map((bytes) => bytes.subarray(0, bytes.length & ~1)),
  }),
  { selector: (element) => element.tag, minLength: 1, maxLength: 3 },
);

function commandSets(commandField: fc.Arbitrary<number>): fc.Arbitrary<CommandSet> {
  return fc.record(
    {
      commandField,
      commandDataSetType: fc.oneof(fc.constantFrom(0x0101, 0x0001, 0x0000, 0x0102), uint16),
      affectedSopClassUid: uid,
      requestedSopClassUid: uid,
      messageId: uint16,
      messageIdBeingRespondedTo: uint16,
      moveDestination: aeTitle,
      priority: fc.oneof(fc.constantFrom(0, 1, 2), uint16),
      status: fc.oneof(
        fc.constantFrom(0x0000, 0xff00, 0xfe00, 0xb000, 0xa700, 0x0110, 0x0107),
        uint16,
      ),
      offendingElement: fc.array(tag, { maxLength: 3 }),
      errorComment,
      errorId: uint16,
      affectedSopInstanceUid: uid,
      requestedSopInstanceUid: uid,
      eventTypeId: uint16,
      attributeIdentifierList: fc.array(tag, { maxLength: 3 }),
      actionTypeId: uint16,
      numberOfRemainingSuboperations: uint16,
      numberOfCompletedSuboperations: uint16,
      numberOfFailedSuboperations: uint16,
      numberOfWarningSuboperations: uint16,
      moveOriginatorApplicationEntityTitle: aeTitle,
      moveOriginatorMessageId: uint16,
      otherElements,
    },
    { requiredKeys: ['commandField', 'commandDataSetType'] },
  );
}

/** Runs `action`; anything thrown must be a DicomnetError (of any loaded copy). */
function onlyDicomnetErrors(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if (!DicomnetError.isInstance(error)) throw error;
  }
}

describe('command set codec properties', () => {
  it('round-trips any command set through encode and decode', () => {
    fc.assert(
      fc.property(commandSets(uint16), (set) => {
        const decoded = decodeCommandSet(encodeCommandSet(set));
        const expected = { ...set };
        if (expected.otherElements !== undefined) {
          expected.otherElements = [...expected.otherElements].sort((a, b) => a.tag - b.tag);
        }
        expect(decoded).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('decodes random bytes to a command set or a DicomnetError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
        onlyDicomnetErrors(() => parseCommand(decodeCommandSet(bytes)));
      }),
      RUNS,
    );
  });

  it('decodes mutated valid command sets to a message or a DicomnetError, nothing else', () => {
    const mutation = fc.record({
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
      cut: fc.nat(),
      kind: fc.constantFrom('flip', 'truncate', 'insert', 'delete'),
    });
    fc.assert(
      fc.property(
        commandSets(knownField),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (set, mutations) => {
          let bytes = encodeCommandSet(set);
          for (const { at, byte, cut, kind } of mutations) {
            const index = bytes.length === 0 ? 0 : at % bytes.length;
            if (kind === 'flip') bytes[index] = byte;
            else if (kind === 'truncate') bytes = bytes.subarray(0, cut % (bytes.length + 1));
            else if (kind === 'insert')
              bytes = Uint8Array.from([
                ...bytes.subarray(0, index),
                byte,
                ...bytes.subarray(index),
              ]);
            else
              bytes = Uint8Array.from([...bytes.subarray(0, index), ...bytes.subarray(index + 1)]);
          }
          onlyDicomnetErrors(() => parseCommand(decodeCommandSet(bytes)));
        },
      ),
      RUNS,
    );
  });
});

describe('typed message properties', () => {
  it('parses any command set to a message or a DicomnetError, nothing else', () => {
    fc.assert(
      fc.property(commandSets(fc.oneof(knownField, uint16)), (set) => {
        onlyDicomnetErrors(() => parseCommand(set));
      }),
      RUNS,
    );
  });

  it('re-parses every message it agrees to send to the same message', () => {
    fc.assert(
      fc.property(commandSets(knownField), (set) => {
        let message: DimseMessage;
        let sent: CommandSet;
        try {
          message = parseCommand(set);
          sent = toCommandSet(message);
        } catch (error) {
          if (DicomnetError.isInstance(error)) return; // refused on one side: nothing to compare
          throw error;
        }
        expect(parseCommand(decodeCommandSet(encodeCommandSet(sent)))).toEqual(message);
      }),
      RUNS,
    );
  });
});
