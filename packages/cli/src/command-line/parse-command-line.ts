import { parseArgs } from 'node:util';
import type { CommandSpec, OptionSpec } from './command-spec.js';
import { InvalidValueError, optionName } from './command-spec.js';
import { UsageError } from './usage-error.js';

/** What a command line asks for. */
export type CommandLine =
  | { readonly kind: 'help'; readonly command?: CommandSpec }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'run';
      readonly command: CommandSpec;
      readonly args: readonly unknown[];
      readonly options: Readonly<Record<string, unknown>>;
    };

const HELP_FLAGS: ReadonlySet<string> = new Set(['-h', '--help']);

function parseValue(spec: OptionSpec, text: string): unknown {
  try {
    return spec.parse === undefined ? text : spec.parse(text);
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    throw new UsageError(`option '${spec.flags}' argument '${text}' is invalid: ${error.message}`);
  }
}

function optionValues(
  command: CommandSpec,
  values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const spec of command.options) {
    const { flag, key, valueName, negated } = optionName(spec);
    const given = values[flag];
    if (valueName === undefined) {
      options[key] = negated ? given === undefined : given !== undefined || spec.default === true;
    } else if (given === undefined) {
      if (spec.required === true) {
        throw new UsageError(`required option '${spec.flags}' not specified`, command.name);
      }
      if (spec.default !== undefined) options[key] = spec.default;
    } else {
      const texts = (Array.isArray(given) ? given : [given]).map(String);
      const parsed = texts.map((text) => parseValue(spec, text));
      options[key] = spec.repeatable === true ? parsed : parsed.at(-1);
    }
  }
  return options;
}

function argumentValues(command: CommandSpec, positionals: readonly string[]): unknown[] {
  const specs = command.arguments;
  const variadic = specs.at(-1)?.variadic === true;
  if (positionals.length < specs.length) {
    const missing = specs[positionals.length]?.name ?? '';
    throw new UsageError(`missing required argument '${missing}'`, command.name);
  }
  if (!variadic && positionals.length > specs.length) {
    throw new UsageError(
      `too many arguments: expected ${specs.length}, got ${positionals.length}`,
      command.name,
    );
  }
  return specs.map((spec, index) => {
    const texts = spec.variadic === true ? positionals.slice(index) : [positionals[index] ?? ''];
    const parsed = texts.map((text) => {
      try {
        return spec.parse === undefined ? text : spec.parse(text);
      } catch (error) {
        if (!(error instanceof InvalidValueError)) throw error;
        throw new UsageError(
          `argument '${spec.name}' value '${text}' is invalid: ${error.message}`,
          command.name,
        );
      }
    });
    return spec.variadic === true ? parsed : parsed[0];
  });
}

/**
 * Reads `dicomnet [command] [options] [arguments]` with `node:util`'s parseArgs (strict: unknown
 * options are errors). `-h`/`--help` anywhere before `--` asks for help.
 * @throws {@link UsageError} for anything wrong with the command line.
 */
export function parseCommandLine(
  argv: readonly string[],
  commands: readonly CommandSpec[],
): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given');
  if (HELP_FLAGS.has(first)) return { kind: 'help' };
  if (first === '-V' || first === '--version') return { kind: 'version' };
  if (first === 'help') {
    if (rest[0] === undefined) return { kind: 'help' };
    const named = commands.find((candidate) => candidate.name === rest[0]);
    if (named === undefined) throw new UsageError(`unknown command '${rest[0]}'`);
    return { kind: 'help', command: named };
  }
  const command = commands.find((candidate) => candidate.name === first);
  if (command === undefined) {
    throw new UsageError(
      first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`,
    );
  }
  const end = rest.indexOf('--');
  if ((end === -1 ? rest : rest.slice(0, end)).some((arg) => HELP_FLAGS.has(arg))) {
    return { kind: 'help', command };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(
        command.options.map((spec) => {
          const { flag, valueName } = optionName(spec);
          const type = valueName === undefined ? ('boolean' as const) : ('string' as const);
          return [
            flag,
            {
              type,
              multiple: spec.repeatable === true,
              ...(spec.short !== undefined && { short: spec.short }),
            },
          ];
        }),
      ),
    });
  } catch (error) {
    // parseArgs throws TypeErrors coded ERR_PARSE_ARGS_*: unknown option, missing value…
    throw new UsageError((error as Error).message, command.name);
  }
  return {
    kind: 'run',
    command,
    args: argumentValues(command, parsed.positionals),
    options: optionValues(command, parsed.values),
  };
}
