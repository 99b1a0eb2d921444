import { describe, expect, it } from 'vitest';
import type { CommandSpec } from './command-spec.js';
import { InvalidValueError } from './command-spec.js';
import { parseCommandLine } from './parse-command-line.js';
import { UsageError } from './usage-error.js';

function count(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new InvalidValueError('not a count');
  return value;
}

const copy: CommandSpec = {
  name: 'copy',
  description: 'copies',
  arguments: [
    { name: 'port', description: 'a port', parse: count },
    { name: 'paths', description: 'paths', variadic: true },
  ],
  options: [
    { flags: '--times <n>', description: 'times', default: 1, parse: count },
    { flags: '--tag <text>', description: 'tags', repeatable: true },
    { flags: '--no-sync', description: 'no sync' },
    { flags: '--json', description: 'json' },
    { flags: '--out <dir>', description: 'out' },
  ],
  run: async () => {},
};
const serve: CommandSpec = {
  name: 'serve',
  description: 'serves',
  arguments: [],
  options: [{ flags: '--storage <dir>', description: 'where', required: true }],
  run: async () => {},
};
const commands = [copy, serve];

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv, commands);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('gives parsed arguments, defaults, repeated and negated options', () => {
    const line = parseCommandLine(
      ['copy', '7', 'a', 'b', '--tag', 'x', '--tag=y', '--no-sync', '--times', '3'],
      commands,
    );
    expect(line).toMatchObject({
      kind: 'run',
      args: [7, ['a', 'b']],
      options: { times: 3, tag: ['x', 'y'], sync: false, json: false },
    });
    const defaults = parseCommandLine(['copy', '1', 'a'], commands);
    expect(defaults).toMatchObject({ options: { times: 1, sync: true, json: false } });
    expect(defaults.kind === 'run' && 'out' in defaults.options).toBe(false);
  });

  it('answers help and version', () => {
    expect(parseCommandLine(['--help'], commands)).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-V'], commands)).toEqual({ kind: 'version' });
    expect(parseCommandLine(['copy', '1', '-h'], commands)).toEqual({
      kind: 'help',
      command: copy,
    });
    expect(parseCommandLine(['help', 'serve'], commands)).toEqual({ kind: 'help', command: serve });
    // After `--` a -h is an argument.
    expect(parseCommandLine(['copy', '1', '--', '-h'], commands)).toMatchObject({
      kind: 'run',
      args: [1, ['-h']],
    });
  });

  it('refuses what is wrong, naming the command whose help applies', () => {
    expect(usageError([]).message).toBe('no command given');
    expect(usageError(['frobnicate']).message).toContain("unknown command 'frobnicate'");
    expect(usageError(['copy', '1', 'a', '--frob'])).toMatchObject({ command: 'copy' });
    expect(usageError(['copy'])).toMatchObject({ message: "missing required argument 'port'" });
    expect(usageError(['copy', '0', 'a']).message).toContain('not a count');
    expect(usageError(['copy', '1', 'a', '--times', 'x']).message).toContain("'--times <n>'");
    expect(usageError(['copy', '1', 'a', '--times']).command).toBe('copy');
    expect(usageError(['serve']).message).toContain("'--storage <dir>'");
    expect(usageError(['serve', 'extra']).message).toContain('too many arguments');
  });
});
