// `dicomnet inventory request|status|cancel|pause|resume HOST PORT`: the Inventory Creation SCU
// (PS3.4 KK.2.2.2, Table KK.2-1) from the terminal. Rows for engineer E's dispatcher
// (commands/inventory.ts), with the options only these subcommands read.
import type { OptionSpec } from '../command-line/command-spec.js';
import { InvalidValueError } from '../command-line/command-spec.js';
import { UsageError } from '../command-line/usage-error.js';
import { loadInventoryRequest } from '../command-actions.js';
import { aeTitle, port, positiveInteger } from './common-options.js';
import type { InventorySubcommand } from './inventory.js';
import { queryKey } from './query-keys.js';
import type { QueryKey } from './query-keys.js';

/** Inventory Level (0008,0403): PS3.3 C.38.1. */
export type InventoryLevelChoice = 'STUDY' | 'SERIES' | 'INSTANCE';

/** What the request and steering subcommands read of the `inventory` options. */
export interface InventoryRequestOptions {
  readonly aet: string;
  readonly called?: string;
  readonly timeout: number;
  readonly json: boolean;
  readonly level: InventoryLevelChoice;
  readonly scope?: readonly QueryKey[];
  readonly purpose?: string;
  readonly interval?: number;
  readonly out?: string;
  readonly via: 'get' | 'move';
  readonly listen?: number;
  readonly transaction?: string;
  readonly retain: boolean;
}

/** A steering action on an existing transaction (PS3.4 Table KK.2-1, action types 12–15). */
export type SteeringAction = 'status' | 'cancel' | 'pause' | 'resume';

function level(value: string): InventoryLevelChoice {
  const upper = value.toUpperCase();
  if (upper === 'STUDY' || upper === 'SERIES' || upper === 'INSTANCE') return upper;
  throw new InvalidValueError('STUDY, SERIES or INSTANCE');
}

function via(value: string): 'get' | 'move' {
  if (value === 'get' || value === 'move') return value;
  throw new InvalidValueError('get or move');
}

function yesNo(value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'yes') return true;
  if (lower === 'no') return false;
  throw new InvalidValueError('yes or no');
}

function uid(value: string): string {
  // PS3.5 9.1: digits and dots, components without leading zeros, at most 64 characters.
  if (value.length > 64 || !/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(value))
    throw new InvalidValueError('a UID (digits and dots, at most 64 characters)');
  return value;
}

/** The options of the request and steering subcommands, added to the `inventory` command's. */
export const INVENTORY_REQUEST_OPTIONS: readonly OptionSpec[] = [
  {
    flags: '--aet <title>',
    description: 'request, steering: our (calling) AE title',
    default: 'DICOMNET',
    parse: aeTitle,
  },
  {
    flags: '--called <title>',
    description: "request, steering: the Inventory Creation SCP's AE title (required)",
    parse: aeTitle,
  },
  {
    flags: '--timeout <seconds>',
    description:
      'request, steering: connect, association and response timeout, and how long steering waits for its event',
    default: 30,
    parse: positiveInteger,
  },
  {
    flags: '--level <level>',
    description: 'request: Inventory Level STUDY, SERIES or INSTANCE',
    default: 'STUDY',
    parse: level,
  },
  {
    flags: '--scope <key=value>',
    description:
      'request: which studies: StudyDate=20240101-20241231 (range), StudyInstanceUID=1.2\\1.3 (UID list), AccessionNumber= (empty), PatientName=SMITH* (wild card), ModalitiesInStudy=CT (single value)',
    parse: queryKey,
    repeatable: true,
  },
  { flags: '--purpose <text>', description: 'request: Inventory Purpose (0008,0401)' },
  {
    flags: '--interval <seconds>',
    description: 'request: ask for an Inventory Status event every so many seconds (0008,0414)',
    parse: positiveInteger,
  },
  {
    flags: '--out <dir>',
    description:
      'request: keep the retrieved Inventory instances in this folder (default: a temporary one, removed)',
  },
  {
    flags: '--via <get|move>',
    description:
      'request: retrieve the tree with Inventory GET (default) or Inventory MOVE to --aet at --listen',
    default: 'get',
    parse: via,
  },
  {
    flags: '--listen <port>',
    description:
      "request: accept the SCP's reports on later associations at this port (the SCP must know --aet there), and the instances of --via move",
    parse: port,
  },
  {
    flags: '--transaction <uid>',
    description: 'steering: the Transaction UID (0008,1195) of the inventory (required)',
    parse: uid,
  },
  {
    flags: '--retain <yes|no>',
    description: 'cancel: keep what was produced (Retain Instances, default no)',
    default: false,
    parse: yesNo,
  },
];

function needCalled(options: InventoryRequestOptions, name: string): void {
  if (options.called === undefined)
    throw new UsageError(`inventory ${name} needs --called <title>`, 'inventory');
}

function peerPort(text: string | undefined): number {
  try {
    const value = port(text ?? '');
    if (value === 0) throw new InvalidValueError('not a TCP port');
    return value;
  } catch (error) {
    if (!(error instanceof InvalidValueError)) throw error;
    throw new UsageError(`inventory: '${text ?? ''}' is not a TCP port`, 'inventory');
  }
}

/** `inventory request HOST PORT`. */
const request: InventorySubcommand = {
  name: 'request',
  usage: 'HOST PORT',
  description:
    'ask the Inventory Creation SCP at HOST PORT (--called) for an inventory (--level, --scope, --purpose), follow its progress, then retrieve its tree (--via, --out) and summarize it; Ctrl-C cancels it at the SCP, a second Ctrl-C exits',
  operands: { min: 2, max: 2 },
  async run(io, [host, text], options) {
    // The cast is safe: the option parsers of the inventory command produce exactly these types.
    const parsed = options as unknown as InventoryRequestOptions;
    needCalled(parsed, 'request');
    if (parsed.via === 'move' && parsed.listen === undefined)
      throw new UsageError('inventory request --via move needs --listen <port>', 'inventory');
    const { runInventoryRequest } = await loadInventoryRequest();
    await runInventoryRequest(io, host as string, peerPort(text), parsed);
  },
};

function steering(name: SteeringAction, description: string): InventorySubcommand {
  return {
    name,
    usage: 'HOST PORT',
    description,
    operands: { min: 2, max: 2 },
    async run(io, [host, text], options) {
      const parsed = options as unknown as InventoryRequestOptions; // as in `request`
      needCalled(parsed, name);
      if (parsed.transaction === undefined)
        throw new UsageError(`inventory ${name} needs --transaction <uid>`, 'inventory');
      const { runInventorySteer } = await loadInventoryRequest();
      await runInventorySteer(io, name, host as string, peerPort(text), parsed);
    },
  };
}

/** The request and steering subcommands, in the order help lists them. */
export const INVENTORY_REQUEST_SUBCOMMANDS: readonly InventorySubcommand[] = [
  request,
  steering('status', 'print the Inventory Status event of --transaction (Request Status)'),
  steering(
    'pause',
    'pause the production of --transaction and print the resulting Inventory Status event',
  ),
  steering(
    'resume',
    'resume the paused production of --transaction and print the resulting Inventory Status event',
  ),
  steering(
    'cancel',
    'cancel the production of --transaction (--retain yes keeps what was produced) and print its terminal event',
  ),
];
