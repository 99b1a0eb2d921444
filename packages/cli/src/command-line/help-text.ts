import type { CommandSpec, OptionSpec } from './command-spec.js';

/** What the program's help says about it. */
export interface ProgramInfo {
  readonly name: string;
  readonly description: string;
  /** Printed after every help text (the exit codes). */
  readonly epilogue: string;
}

const WIDTH = 100;

function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.min(36, Math.max(...rows.map(([term]) => term.length)) + 2);
  return rows
    .map(([term, text]) => {
      const padded =
        term.length + 2 > width ? `${term}\n${' '.repeat(width + 2)}` : term.padEnd(width);
      return `  ${padded}${wrap(text, width + 2)}`;
    })
    .join('\n');
}

function optionText(spec: OptionSpec): string {
  const suffix =
    spec.default === undefined || typeof spec.default === 'boolean'
      ? ''
      : ` (default: ${JSON.stringify(spec.default)})`;
  return `${spec.description}${spec.repeatable === true ? ' (repeatable)' : ''}${suffix}`;
}

function argumentsUsage(command: CommandSpec): string {
  return command.arguments
    .map((spec) => `<${spec.name}${spec.variadic === true ? '...' : ''}>`)
    .join(' ');
}

/** The help of the whole program: usage, description, options and the list of commands. */
export function programHelp(program: ProgramInfo, commands: readonly CommandSpec[]): string {
  return `Usage: ${program.name} [options] [command]

${program.description}

Options:
${table([
  ['-V, --version', 'output the version number'],
  ['-h, --help', 'display help for command'],
])}

Commands:
${table([
  ...commands.map((command): [string, string] => [
    `${command.name} [options] ${argumentsUsage(command)}`.trimEnd(),
    command.description,
  ]),
  ['help [command]', 'display help for command'],
])}
${program.epilogue}
`;
}

/** The help of one command: usage, description, arguments and options. */
export function commandHelp(program: ProgramInfo, command: CommandSpec): string {
  const args =
    command.arguments.length === 0
      ? ''
      : `\nArguments:\n${table(command.arguments.map((spec) => [spec.name, spec.description]))}\n`;
  return (
    `Usage: ${program.name} ${command.name} [options] ${argumentsUsage(command)}`.trimEnd() +
    `

${wrap(command.description, 0)}
${args}
Options:
${table([
  ...command.options.map((spec): [string, string] => [
    spec.short === undefined ? spec.flags : `-${spec.short}, ${spec.flags}`,
    optionText(spec),
  ]),
  ['-h, --help', 'display help for command'],
])}
${program.epilogue}
`
  );
}
