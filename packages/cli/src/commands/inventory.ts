// `dicomnet inventory SUBCOMMAND …`: one command for everything about inventories (PS3.4 KK,
// PS3.3 A.88). Each subcommand is a row of INVENTORY_SUBCOMMANDS: its usage, its operand count
// and its run; options are declared once for the command, and each subcommand reads its own.
import type { CommandIo } from '../command-io.js';
import type { CommandSpec, OptionSpec } from '../command-line/command-spec.js';
import { UsageError } from '../command-line/usage-error.js';
import { loadInventoryDiff, loadInventoryShow } from '../command-actions.js';

/** One `dicomnet inventory` subcommand. */
export interface InventorySubcommand {
  readonly name: string;
  /** Its operands as help shows them: `FILE|DIR`. */
  readonly usage: string;
  readonly description: string;
  /** How many operands it takes. */
  readonly operands: { readonly min: number; readonly max: number };
  run(
    io: CommandIo,
    operands: readonly string[],
    options: Readonly<Record<string, unknown>>,
  ): Promise<void>;
}

/** The options of `inventory show`. */
export interface InventoryShowOptions {
  readonly json: boolean;
  readonly summary: boolean;
}

/** The options of `inventory diff`. */
export interface InventoryDiffOptions {
  readonly json: boolean;
  readonly summary: boolean;
  readonly storage?: string;
}

/** `inventory show FILE|DIR`. */
const show: InventorySubcommand = {
  name: 'show',
  usage: 'FILE|DIR',
  description:
    'print an inventory: its records (a table, or JSON lines with --json), then level, completion, content date/time, transaction, totals and the tree of instances',
  operands: { min: 1, max: 1 },
  async run(io, [target], options) {
    const { runInventoryShow } = await loadInventoryShow();
    // The cast is safe: the option parsers of inventoryCommand produce exactly these types.
    await runInventoryShow(io, target as string, options as unknown as InventoryShowOptions);
  },
};

/** `inventory diff A B`, `inventory diff A --storage DIR`. */
const diff: InventorySubcommand = {
  name: 'diff',
  usage: 'A [B]',
  description:
    'the studies, series and instances added, removed or changed from inventory A to inventory B (files or folders), or to the repository --storage DIR as it is now; exit 0 when equal, 1 when they differ',
  operands: { min: 1, max: 2 },
  async run(io, operands, options) {
    const { runInventoryDiff } = await loadInventoryDiff();
    await runInventoryDiff(io, operands, options as unknown as InventoryDiffOptions);
  },
};

/** Every subcommand, in the order help lists them. Add new ones here. */
export const INVENTORY_SUBCOMMANDS: readonly InventorySubcommand[] = [show, diff];

/** The options of every subcommand (a subcommand ignores those it does not use). */
const OPTIONS: readonly OptionSpec[] = [
  { flags: '--json', description: 'JSON lines for scripts instead of a table' },
  { flags: '--summary', description: 'show, diff: print the summary only, not every record' },
  {
    flags: '--storage <dir>',
    description: 'diff: compare A with this repository (as `dicomnet serve --storage`)',
  },
];

/** `dicomnet inventory`. */
export const inventoryCommand: CommandSpec = {
  name: 'inventory',
  description: `inventories of an archive (PS3.3 A.88): ${INVENTORY_SUBCOMMANDS.map(
    (sub) => `${sub.name} ${sub.usage}`,
  ).join(', ')}`,
  arguments: [
    {
      name: 'subcommand',
      description: `then its operands: ${INVENTORY_SUBCOMMANDS.map(
        (sub) => `\n      ${sub.name} ${sub.usage}: ${sub.description}`,
      ).join('')}`,
      variadic: true,
    },
  ],
  options: OPTIONS,
  async run(io, [words], options) {
    const [name, ...operands] = words as string[];
    const subcommand = INVENTORY_SUBCOMMANDS.find((candidate) => candidate.name === name);
    if (subcommand === undefined)
      throw new UsageError(
        `unknown inventory subcommand '${name ?? ''}' (${INVENTORY_SUBCOMMANDS.map((sub) => sub.name).join(', ')})`,
        'inventory',
      );
    const { min, max } = subcommand.operands;
    if (operands.length < min || operands.length > max)
      throw new UsageError(
        `inventory ${subcommand.name} takes ${subcommand.usage}, got ${operands.length} operand(s)`,
        'inventory',
      );
    await subcommand.run(io, operands, options);
  },
};
