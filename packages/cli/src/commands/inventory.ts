// `dicomnet inventory SUBCOMMAND …`: one command for everything about inventories (PS3.4 KK,
// PS3.3 A.88). Each subcommand is a row of INVENTORY_SUBCOMMANDS: its usage, its operand count
// and its run; options are declared once for the command, and each subcommand reads its own.
import type { CommandIo } from '../command-io.js';
import {
  InvalidValueError,
  type CommandSpec,
  type OptionSpec,
} from '../command-line/command-spec.js';
import { UsageError } from '../command-line/usage-error.js';
import { loadInventoryDiff, loadInventoryShow } from '../command-actions.js';
import { INVENTORY_REQUEST_OPTIONS, INVENTORY_REQUEST_SUBCOMMANDS } from './inventory-request.js';

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

/** A peer holding inventories: `--peer AET@HOST:PORT`. */
export interface InventoryPeer {
  readonly calledAeTitle: string;
  readonly host: string;
  readonly port: number;
}

/**
 * Where `show` and `diff` find an inventory on a peer: `--peer`, `--root`, and the options of the
 * inventory command that say how to reach it, when the command has them.
 */
export interface InventoryPeerOptions {
  readonly peer?: InventoryPeer;
  readonly root?: string;
  readonly aet?: string;
  readonly via?: 'get' | 'move';
  readonly listen?: number;
  readonly timeout?: number;
}

/** The options of `inventory show`. */
export interface InventoryShowOptions extends InventoryPeerOptions {
  readonly json: boolean;
  readonly summary: boolean;
}

/** The options of `inventory diff`. */
export interface InventoryDiffOptions extends InventoryPeerOptions {
  readonly json: boolean;
  readonly summary: boolean;
  readonly storage?: string;
  /** A live archive enumerated with C-FIND (`--find HOST:PORT`, with `--called`). */
  readonly find?: FindAddress;
  readonly called?: string;
}

/** `--find HOST:PORT`: an archive to enumerate with C-FIND. */
export interface FindAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses `--find HOST:PORT`. */
export function findAddress(text: string): FindAddress {
  const match = /^(.+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65535)
    throw new InvalidValueError('HOST:PORT, e.g. pacs.example.org:11112');
  return { host: match[1] as string, port };
}

/** Parses `--peer AET@HOST:PORT`. */
export function inventoryPeer(text: string): InventoryPeer {
  const match = /^([^@]{1,16})@(.+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65535)
    throw new InvalidValueError('AET@HOST:PORT, e.g. ARCHIVE@pacs.example.org:11112');
  return { calledAeTitle: (match[1] as string).trim(), host: match[2] as string, port };
}

/**
 * Checks the ways `show` and `diff` name an inventory: exactly one of `sources` (operands,
 * --storage, --peer) and, with --peer, --root (and --listen for --via move).
 */
function checkSources(
  options: InventoryPeerOptions,
  sources: readonly unknown[],
  expected: string,
): void {
  if (sources.filter((source) => source !== undefined).length !== 1)
    throw new UsageError(`inventory ${expected}`, 'inventory');
  if (options.peer === undefined) return;
  if (options.root === undefined)
    throw new UsageError('--peer needs --root <uid>, the root of the inventory', 'inventory');
  if (options.via === 'move' && options.listen === undefined)
    throw new UsageError(
      '--via move needs --listen <port>, where the peer sends the instances',
      'inventory',
    );
}

/** `inventory show FILE|DIR`. */
const show: InventorySubcommand = {
  name: 'show',
  usage: 'FILE|DIR (or --peer --root)',
  description:
    'print an inventory: its records (a table, or JSON lines with --json), then level, completion, content date/time, transaction, totals and the tree of instances',
  operands: { min: 0, max: 1 },
  async run(io, [target], options) {
    // The cast is safe: the option parsers of inventoryCommand produce exactly these types.
    const parsed = options as unknown as InventoryShowOptions;
    checkSources(
      parsed,
      [target, parsed.peer],
      'show takes FILE|DIR, or --peer AET@HOST:PORT --root UID',
    );
    const { runInventoryShow } = await loadInventoryShow();
    await runInventoryShow(io, target, parsed);
  },
};

/** `inventory diff A B`, `inventory diff A --storage DIR`, `inventory diff A --find HOST:PORT`. */
const diff: InventorySubcommand = {
  name: 'diff',
  usage: 'A [B]',
  description:
    'the studies, series and instances added, removed or changed from inventory A to inventory B (files or folders), to the repository --storage DIR as it is now, to the tree --root on --peer, or to the live archive --find HOST:PORT --called AET (C-FIND); exit 0 when equal, 1 when they differ',
  operands: { min: 1, max: 2 },
  async run(io, operands, options) {
    const parsed = options as unknown as InventoryDiffOptions;
    checkSources(
      parsed,
      [operands[1], parsed.storage, parsed.peer, parsed.find],
      'diff compares A with B, with --storage DIR, or with --peer AET@HOST:PORT --root UID, or with --find HOST:PORT --called AET',
    );
    if (parsed.find !== undefined && parsed.called === undefined)
      throw new UsageError("--find needs --called <title>, the archive's AE title", 'inventory');
    const { runInventoryDiff } = await loadInventoryDiff();
    await runInventoryDiff(io, operands, parsed);
  },
};

/** Every subcommand, in the order help lists them. Add new ones here. */
export const INVENTORY_SUBCOMMANDS: readonly InventorySubcommand[] = [
  show,
  diff,
  ...INVENTORY_REQUEST_SUBCOMMANDS,
];

/** The options of every subcommand (a subcommand ignores those it does not use). */
const OPTIONS: readonly OptionSpec[] = [
  { flags: '--json', description: 'JSON lines for scripts instead of a table' },
  { flags: '--summary', description: 'show, diff: print the summary only, not every record' },
  {
    flags: '--storage <dir>',
    description: 'diff: compare A with this repository (as `dicomnet serve --storage`)',
  },
  {
    flags: '--peer <aet@host:port>',
    description:
      'show, diff: read the inventory --root from this peer, retrieved with Inventory GET (or MOVE with --via move)',
    parse: inventoryPeer,
  },
  { flags: '--root <uid>', description: 'show, diff: SOP Instance UID of the root on --peer' },
  {
    flags: '--find <host:port>',
    description:
      "diff: compare A with this live archive, enumerated with Study Root C-FIND down to A's level (with --called, --aet, --timeout)",
    parse: findAddress,
  },
  ...INVENTORY_REQUEST_OPTIONS,
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
