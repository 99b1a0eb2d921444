import type { OptionSpec } from '../command-line/command-spec.js';
import { InvalidValueError } from '../command-line/command-spec.js';

/** Options every networking command shares, with their defaults. */
export interface NetworkOptions {
  readonly aet: string;
  readonly called: string;
  readonly timeout: number;
  readonly json: boolean;
}

/** Parses a positive integer option value or argument. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new InvalidValueError('not a positive integer');
  return number;
}

/** Parses an asynchronous operations window (PS3.7 D.3.3.3.1): 1–65535 operations. */
export function operationsWindow(value: string): number {
  const number = Number(value);
  // PS3.7 D.3.3.3.1: the window is an unsigned 16-bit count; 0 would mean unlimited.
  if (!Number.isInteger(number) || number < 1 || number > 65535)
    throw new InvalidValueError('a whole number from 1 to 65535');
  return number;
}

/** Parses a TCP port (1–65535; 0 where allowed is handled by the caller). */
export function port(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number) || number < 0 || number > 65535)
    throw new InvalidValueError('not a TCP port');
  return number;
}

/** Parses an AE title: 1–16 characters of the default repertoire, no backslash (PS3.5 Table 6.2-1 AE). */
export function aeTitle(value: string): string {
  const trimmed = value.trim();
  if (
    trimmed.length === 0 ||
    trimmed.length > 16 ||
    !/^[\x20-\x7e]+$/.test(trimmed) ||
    trimmed.includes('\\')
  ) {
    throw new InvalidValueError('an AE title has 1 to 16 printable characters, no backslash');
  }
  return trimmed;
}

/** The options of commands that call a peer. */
export function networkOptions(): OptionSpec[] {
  return [
    {
      flags: '--aet <title>',
      description: 'our (calling) AE title',
      default: 'DICOMNET',
      parse: aeTitle,
    },
    {
      flags: '--called <title>',
      description: "the peer's (called) AE title",
      default: 'ANY-SCP',
      parse: aeTitle,
    },
    {
      flags: '--timeout <seconds>',
      description: 'connect, association and response timeout',
      default: 30,
      parse: positiveInteger,
    },
    { flags: '--json', description: 'print one JSON document for scripts instead of lines' },
  ];
}
