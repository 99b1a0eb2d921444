import { readdirSync, readFileSync } from 'node:fs';
import { DicomnetError } from '@dicomnet/pdu';
import { fromHex } from '@dicomnet/test-utils';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeCommandSet } from './decode-command-set.js';
import type { DimseKind, DimseMessage } from './dimse-message.js';
import { encodeCommandSet } from './encode-command-set.js';
import { encodeMessageCommand } from './encode-message.js';
import { MESSAGE_SPECS } from './message-specs.js';
import { parseCommand } from './parse-command.js';
import { toCommandSet } from './to-command-set.js';

// encodeMessageCommand is the send path's encoder; encodeCommandSet(toCommandSet(…)) is the
// general one. Every case here asks both and wants the same bytes, or the same error.

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);

/** What an encoder made of a message: its bytes, or the error it threw. */
type Outcome =
  | { readonly bytes: number[] }
  | { readonly error: string; readonly code: unknown; readonly message: string };

function outcome(encode: () => Uint8Array): Outcome {
  try {
    return { bytes: [...encode()] };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return {
      error: error.constructor.name,
      code: (error as { code?: unknown }).code,
      message: error.message,
    };
  }
}

function expectSameOutcome(message: DimseMessage): Outcome {
  const general = outcome(() => encodeCommandSet(toCommandSet(message)));
  expect(outcome(() => encodeMessageCommand(message))).toEqual(general);
  return general;
}

/** Every command fixture that parses to a message (the file name and the message). */
function fixtureMessages(): { file: string; message: DimseMessage }[] {
  const found: { file: string; message: DimseMessage }[] = [];
  for (const file of readdirSync(FIXTURES).filter((name) => name.startsWith('command-'))) {
    const bytes = fromHex(readFileSync(new URL(file, FIXTURES), 'utf8'));
    try {
      found.push({ file, message: parseCommand(decodeCommandSet(bytes)) });
    } catch (error) {
      if (!DicomnetError.isInstance(error)) throw error; // a fixture of a malformed command
    }
  }
  return found;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('encodeMessageCommand against encodeCommandSet(toCommandSet(…))', () => {
  const messages = fixtureMessages();

  it('has fixtures of every request and response kind but C-CANCEL to compare', () => {
    const kinds = new Set(messages.map(({ message }) => message.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(Object.keys(MESSAGE_SPECS).length);
  });

  it.each(messages)('gives the same bytes for $file', ({ message }) => {
    expect(expectSameOutcome(message)).toHaveProperty('bytes');
  });

  it('writes its pad bytes itself: the same bytes from memory full of 0xFF', () => {
    // Its buffer comes from Node's pool, which holds whatever was there before.
    vi.spyOn(Buffer, 'allocUnsafe').mockImplementation((size: number) => Buffer.alloc(size, 0xff));
    for (const { message } of messages) expectSameOutcome(message);
    const bytes = encodeMessageCommand({
      kind: 'C-ECHO-RQ',
      messageId: 1,
      affectedSopClassUid: '1.2.3',
    });
    // (0000,0002) follows the group length (12 bytes): header 8, '1.2.3' and its pad byte.
    expect([...bytes.subarray(20, 26)]).toEqual([...Buffer.from('1.2.3\0', 'latin1')]);
  });

  it('gives the same bytes or the same error for arbitrary fields of every kind', () => {
    const kinds = Object.keys(MESSAGE_SPECS) as DimseKind[];
    // Valid values, and values each rule refuses: wrong types, out of range, too long, bad text.
    const anyValue = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }),
      fc.constantFrom(-1, 0x10000, 1.5, Number.NaN, 0, 1, 2),
      fc.stringMatching(/^[0-9.]{0,66}$/),
      fc.stringMatching(/^[\x20-\x7e]{0,70}$/),
      fc.constantFrom('', 'AE TITLE', 'bad\\slash', 'é', '1.2.840.10008.1.1'),
      fc.array(fc.integer({ min: -1, max: 0x1_0000_0000 }), { maxLength: 3 }),
      fc.constant(undefined),
      fc.boolean(),
    );
    const fieldNames = [
      ...new Set(Object.values(MESSAGE_SPECS).flatMap((spec) => spec.fieldNames)),
    ];
    const fields = fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 8 });
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fields, fc.boolean(), (kind, values, hasDataSet) => {
        const spec = MESSAGE_SPECS[kind];
        // Start from a valid message of the kind (every mandatory field), then overwrite.
        const base: Record<string, unknown> = { kind, hasDataSet };
        for (const name of spec.fieldNames) {
          if (spec.fields[name] === 'M') base[name] = name.endsWith('Uid') ? '1.2.3' : 1;
        }
        expectSameOutcome({ ...base, ...values } as unknown as DimseMessage); // any shape on purpose
      }),
      { numRuns: 3_000, interruptAfterTimeLimit: 4_000 },
    );
  });

  it('refuses an unknown kind as toCommandSet does', () => {
    expectSameOutcome({ kind: 'C-NOTHING-RQ' } as unknown as DimseMessage); // a JavaScript caller
  });
});
