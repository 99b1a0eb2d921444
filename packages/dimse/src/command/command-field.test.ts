import { describe, expect, it } from 'vitest';
import { InvalidCommandFieldError } from './command-errors.js';
import {
  CommandField,
  commandFieldName,
  isCommandField,
  isRequest,
  responseFieldFor,
} from './command-field.js';

describe('Command Field helpers (PS3.7 Table E.1-1)', () => {
  it('tells requests from responses by bit 15', () => {
    expect(isRequest(0x0001)).toBe(true);
    expect(isRequest(0x0fff)).toBe(true);
    expect(isRequest(0x8001)).toBe(false);
    expect(isRequest(0x0040)).toBe(true); // unknown, but a request for an unrecognized operation
  });

  it('maps every confirmed request to its response', () => {
    expect(responseFieldFor(CommandField.CEchoRq)).toBe(0x8030);
    expect(responseFieldFor(CommandField.NDeleteRq)).toBe(0x8150);
    expect(responseFieldFor(CommandField.CMoveRq)).toBe(0x8021);
  });

  it.each([0x0fff, 0x8001, 0x0040])('has no response for 0x%s', (field) => {
    expect(() => responseFieldFor(field)).toThrow(InvalidCommandFieldError);
  });

  it('names known and unknown values', () => {
    expect(commandFieldName(0x8130)).toBe('N-ACTION-RSP');
    expect(commandFieldName(0x0fff)).toBe('C-CANCEL-RQ');
    expect(commandFieldName(0x1234)).toBe('unknown command 0x1234');
    expect(isCommandField(0x0150)).toBe(true);
    expect(isCommandField(0x8fff)).toBe(false);
  });
});
