import { fromHex, toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { InvalidCommandFieldError } from './command-errors.js';
import type { CommandSet } from './command-set.js';
import { encodeCommandSet } from './encode-command-set.js';

const ECHO: CommandSet = {
  commandField: 0x0030,
  commandDataSetType: 0x0101,
  affectedSopClassUid: '1.2.840.10008.1.1',
  messageId: 5,
};

function fieldOf(set: CommandSet): string {
  try {
    encodeCommandSet(set);
  } catch (error) {
    if (error instanceof InvalidCommandFieldError) return error.field;
    throw error;
  }
  throw new Error('encoded without error');
}

describe('encodeCommandSet', () => {
  it('pads AE and LO with a space and UI with a NUL', () => {
    const bytes = encodeCommandSet({
      commandField: 0x8021,
      commandDataSetType: 0x0101,
      messageIdBeingRespondedTo: 1,
      moveDestination: 'ABC',
      status: 0xa801,
      errorComment: 'x',
      affectedSopInstanceUid: '1.2.3',
    });
    expect(toHex(bytes)).toBe(
      toHex(
        fromHex(`
          0000 0000 04000000 4c000000
          0000 0001 02000000 2180
          0000 2001 02000000 0100
          0000 0006 04000000 41424320        # "ABC "
          0000 0008 02000000 0101
          0000 0009 02000000 01a8
          0000 0209 02000000 7820            # "x "
          0000 0010 06000000 312e322e3300    # "1.2.3" NUL
        `),
      ),
    );
  });

  it('merges unsorted raw elements into tag order', () => {
    const bytes = encodeCommandSet({
      ...ECHO,
      otherElements: [
        { tag: 0x7777, value: fromHex('6162') },
        { tag: 0x0001, value: fromHex('00000000') },
      ],
    });
    expect(toHex(bytes)).toBe(
      toHex(
        fromHex(`
          0000 0000 04000000 4e000000
          0000 0100 04000000 00000000        # (0000,0001) retired, raw
          0000 0200 12000000 312e322e3834302e31303030382e312e3100
          0000 0001 02000000 3000
          0000 1001 02000000 0500
          0000 0008 02000000 0101
          0000 7777 02000000 6162
        `),
      ),
    );
  });

  const bad: readonly (readonly [string, CommandSet, string])[] = [
    ['a US over 65535', { ...ECHO, messageId: 0x10000 }, 'messageId'],
    ['a negative US', { ...ECHO, messageId: -1 }, 'messageId'],
    ['a fractional US', { ...ECHO, messageId: 1.5 }, 'messageId'],
    [
      'a UID of 65 characters',
      { ...ECHO, affectedSopClassUid: `1.${'2'.repeat(63)}` },
      'affectedSopClassUid',
    ],
    ['a UID with a letter', { ...ECHO, affectedSopClassUid: '1.2.x' }, 'affectedSopClassUid'],
    [
      'an AE title of 17 characters',
      { ...ECHO, moveDestination: 'A'.repeat(17) },
      'moveDestination',
    ],
    ['an AE title with a backslash', { ...ECHO, moveDestination: 'A\\B' }, 'moveDestination'],
    ['an Error Comment with a non-ASCII letter', { ...ECHO, errorComment: 'café' }, 'errorComment'],
    ['an Error Comment with a newline', { ...ECHO, errorComment: 'a\nb' }, 'errorComment'],
    [
      'an Error Comment of 65 characters',
      { ...ECHO, errorComment: 'e'.repeat(65) },
      'errorComment',
    ],
    ['a tag over 32 bits', { ...ECHO, offendingElement: [0x1_0000_0000] }, 'offendingElement'],
    [
      'a raw element outside group 0000',
      { ...ECHO, otherElements: [{ tag: 0x00080016, value: new Uint8Array(2) }] },
      'otherElements[0]',
    ],
    [
      'a raw element that has a field',
      { ...ECHO, otherElements: [{ tag: 0x0110, value: new Uint8Array(2) }] },
      'otherElements[0]',
    ],
    [
      'a raw group length',
      { ...ECHO, otherElements: [{ tag: 0x0000, value: new Uint8Array(4) }] },
      'otherElements[0]',
    ],
    [
      'a raw element of odd length',
      { ...ECHO, otherElements: [{ tag: 0x0850, value: new Uint8Array(3) }] },
      'otherElements[0]',
    ],
    [
      'a raw tag twice',
      {
        ...ECHO,
        otherElements: [
          { tag: 0x0850, value: new Uint8Array(2) },
          { tag: 0x0850, value: new Uint8Array(2) },
        ],
      },
      'otherElements',
    ],
  ];
  it.each(bad)('refuses %s', (_name, set, field) => {
    expect(fieldOf(set)).toBe(field);
  });

  it('refuses a command set without Command Field', () => {
    // A JavaScript caller can leave out a required field.
    const set = { commandDataSetType: 0x0101 } as unknown as CommandSet;
    expect(fieldOf(set)).toBe('commandField');
  });
});
