import { readFileSync } from 'node:fs';
import { DicomnetError } from '@dicomnet/pdu';
import { fromHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { CommandSetError } from './command-errors.js';
import { decodeCommandSet } from './decode-command-set.js';

/** A C-ECHO-RQ body after the group length (hand-written, PS3.7 Table 9.3-12). */
const ECHO_BODY = `
  0000 0200 12000000 312e322e3834302e31303030382e312e3100  # (0000,0002) "1.2.840.10008.1.1"
  0000 0001 02000000 3000                                  # (0000,0100) C-ECHO-RQ
  0000 1001 02000000 0500                                  # (0000,0110) Message ID 5
  0000 0008 02000000 0101                                  # (0000,0800) no data set`;
const ECHO = `0000 0000 04000000 38000000 ${ECHO_BODY}`;

function errorOf(hex: string): CommandSetError {
  try {
    decodeCommandSet(fromHex(hex));
  } catch (error) {
    if (error instanceof CommandSetError) return error;
    throw error;
  }
  throw new Error('decoded without error');
}

describe('decodeCommandSet', () => {
  it('accepts a command set without Command Group Length (DCMTK and pynetdicom never read it)', () => {
    expect(decodeCommandSet(fromHex(ECHO_BODY))).toEqual({
      commandField: 0x0030,
      commandDataSetType: 0x0101,
      affectedSopClassUid: '1.2.840.10008.1.1',
      messageId: 5,
    });
  });

  it('strips space padding from a UID and trims an AE title on both sides', () => {
    const set = decodeCommandSet(
      fromHex(`
        0000 0200 08000000 312e322e332e3420      # "1.2.3.4 " (space instead of NUL)
        0000 0001 02000000 2100
        0000 1001 02000000 0100
        0000 0006 08000000 2020444553542020      # "  DEST  "
        0000 0007 02000000 0000
        0000 0008 02000000 0100`),
    );
    expect(set.affectedSopClassUid).toBe('1.2.3.4');
    expect(set.moveDestination).toBe('DEST');
  });

  it('reads an empty AT list and a multi-valued one', () => {
    const set = decodeCommandSet(
      fromHex(`
        0000 0001 02000000 1001
        0000 0008 02000000 0101
        0000 0510 00000000                       # (0000,1005) empty
      `),
    );
    expect(set.attributeIdentifierList).toEqual([]);
  });

  const cases: readonly (readonly [string, string, number])[] = [
    ['a truncated element header', `${ECHO_BODY}\n 0000 00`, 56],
    ['a tag outside group 0000', `0800 1600 02000000 0000 ${ECHO_BODY}`, 0],
    ['elements out of order', `0000 0001 02000000 3000  0000 0200 02000000 3100`, 10],
    ['a repeated element', `0000 0001 02000000 3000  0000 0001 02000000 3000`, 10],
    ['an odd value length', `0000 0001 03000000 300000`, 4],
    ['an undefined value length', `0000 0001 ffffffff`, 4],
    ['a value overrunning the buffer', `0000 0001 10000000 3000`, 4],
    ['a group length that does not match', `0000 0000 04000000 37000000 ${ECHO_BODY}`, 8],
    ['a zero group length', `0000 0000 04000000 00000000 ${ECHO_BODY}`, 8],
    ['a group length that is not 4 bytes', `0000 0000 02000000 3800 ${ECHO_BODY}`, 4],
    ['a US of 4 bytes', `0000 0001 04000000 30000000  0000 0008 02000000 0101`, 4],
    ['a US of 0 bytes', `0000 0001 02000000 3000  0000 1001 00000000  0000 0008 02000000 0101`, 14],
    [
      'an AT list that is not a multiple of 4',
      `0000 0001 02000000 3000  0000 0109 02000000 1000`,
      14,
    ],
    ['no Command Field', `0000 0008 02000000 0101`, 10],
    ['no Command Data Set Type', `0000 0001 02000000 3000`, 10],
  ];
  it.each(cases)('refuses %s with its offset', (_name, hex, offset) => {
    const error = errorOf(hex);
    expect(error.code).toBe('DICOMNET_DIMSE_BAD_COMMAND_SET');
    expect(error.offset).toBe(offset);
  });

  it('throws nothing but a CommandSetError for every truncation of every fixture', () => {
    const folder = new URL('../../test/fixtures/', import.meta.url);
    for (const name of [
      'command-c-store-rsp.hex',
      'command-n-get-rq.hex',
      'command-dcmtk-c-store-rq-move.hex',
    ]) {
      const bytes = fromHex(readFileSync(new URL(name, folder), 'utf8'));
      for (let cut = 0; cut < bytes.length; cut++) {
        expect(() => decodeCommandSet(bytes.subarray(0, cut))).toThrow(CommandSetError);
      }
    }
  });

  it('never reads outside its view', () => {
    const bytes = fromHex(`${ECHO}\n 0000 0009 02000000 0000`); // a Status after the group's end
    const view = bytes.subarray(0, bytes.length - 10);
    expect(decodeCommandSet(view).status).toBeUndefined();
    const error = errorOf(`0000 0000 04000000 40000000 ${ECHO_BODY}`);
    expect(DicomnetError.isInstance(error)).toBe(true);
  });
});

describe('decodeCommandSet on a Buffer', () => {
  it('copies raw element values instead of aliasing the input', () => {
    const bytes = Buffer.from(
      fromHex(`
        0000 0001 02000000 3000
        0000 0008 02000000 0101
        0000 5008 02000000 0300     # (0000,0850) retired
      `),
    );
    const set = decodeCommandSet(bytes);
    bytes.fill(0xee);
    expect(set.otherElements?.[0]?.value).toEqual(new Uint8Array([0x03, 0x00]));
  });
});
