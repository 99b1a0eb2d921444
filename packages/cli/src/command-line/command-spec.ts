import type { CommandIo } from '../command-io.js';

/** Turns an option or argument's text into its value; throws {@link InvalidValueError}. */
export type ValueParser = (text: string) => unknown;

/** A value the user gave that its parser refused; the message says what is expected. */
export class InvalidValueError extends Error {
  override readonly name = 'InvalidValueError';
}

/** One `--option` of a command. */
export interface OptionSpec {
  /**
   * The long flag as help shows it: `--json` (a switch), `--repeat <n>` (takes a value),
   * `--no-fsync` (a switch that sets `fsync` to false; `fsync` is then true by default).
   */
  readonly flags: string;
  /** A one-letter alias, `k` for `-k` (as DCMTK's `-k key=value`). */
  readonly short?: string;
  readonly description: string;
  /** The value when the option is absent (for a value option; switches default to false). */
  readonly default?: unknown;
  readonly parse?: ValueParser;
  /** May be given several times; the value is the array of the parsed values, in order. */
  readonly repeatable?: boolean;
  readonly required?: boolean;
}

/** One positional argument; only the last may be variadic (`<paths...>`). */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly variadic?: boolean;
  readonly parse?: ValueParser;
}

/**
 * A subcommand: its definition, cheap to build, and `run`, which imports the implementation only
 * when the command runs (start-up stays that of the command line alone).
 */
export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: readonly OptionSpec[];
  /**
   * Runs the command. `args` are the parsed positional values in order (a variadic one as an
   * array); `options` maps each option's camelCase name to its value.
   */
  run(
    io: CommandIo,
    args: readonly unknown[],
    options: Readonly<Record<string, unknown>>,
  ): Promise<void>;
}

/** The parts of an option's flags: `--tls-ca <file>` → flag `tls-ca`, key `tlsCa`, value `file`. */
export interface OptionName {
  /** The flag as typed, without its dashes: `tls-ca`, `no-fsync`. */
  readonly flag: string;
  /** The key in the options record: `tlsCa`, `fsync`. */
  readonly key: string;
  readonly valueName: string | undefined;
  /** A `--no-…` switch: its key is true unless the switch is given. */
  readonly negated: boolean;
}

/** Splits an option's flags into its names. */
export function optionName(spec: OptionSpec): OptionName {
  const match = /^--([a-z0-9-]+)(?: <([^>]+)>)?$/.exec(spec.flags);
  if (match === null) throw new Error(`bad option flags ${spec.flags}`);
  const flag = match[1] ?? '';
  const negated = flag.startsWith('no-') && match[2] === undefined;
  const name = negated ? flag.slice(3) : flag;
  return {
    flag,
    key: name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
    valueName: match[2],
    negated,
  };
}
