import type { Writable } from 'node:stream';
import { terminalSafe, terminalSafeJson } from './terminal-safe.js';

/** Where a command writes: people get lines on stdout, scripts get one JSON document. */
export interface Output {
  readonly json: boolean;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** A line for people; nothing in JSON mode. */
  line(text: string): void;
  /** A problem, always on stderr. */
  warn(text: string): void;
  /** The command's result: printed as JSON in JSON mode. */
  result(value: unknown): void;
}

/**
 * Creates the output of one command run. Every line and JSON document goes through
 * {@link terminalSafe} / {@link terminalSafeJson}: lines carry peer values (AE titles, error
 * comments) that must not reach a terminal as control characters.
 */
export function createOutput(json: boolean, stdout: Writable, stderr: Writable): Output {
  return {
    json,
    stdout,
    stderr,
    line: (text) => {
      if (!json) stdout.write(`${terminalSafe(text)}\n`);
    },
    warn: (text) => {
      stderr.write(`${terminalSafe(text)}\n`);
    },
    result: (value) => {
      if (json) stdout.write(`${terminalSafeJson(value, 2)}\n`);
    },
  };
}

/** Megabytes with one decimal, for people. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
