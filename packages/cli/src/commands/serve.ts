import type { CommandSpec } from '../command-line/command-spec.js';
import { InvalidValueError } from '../command-line/command-spec.js';
import { loadServe } from '../command-actions.js';
import { UsageError } from '../command-line/usage-error.js';
import { aeTitle, operationsWindow, port, positiveInteger } from './common-options.js';
import { acceptUserOption } from './identity-options.js';
import type { AcceptedUser } from './identity-options.js';
import { tlsOptions } from './tls-options.js';
import type { TlsCommandOptions } from './tls-options.js';

/** A `--peer AET=HOST:PORT`: where a C-MOVE destination AE listens. */
export interface PeerAddress {
  readonly aeTitle: string;
  readonly host: string;
  readonly port: number;
}

/** What `serve` does with what it receives. */
export type DuplicateChoice = 'replace' | 'keep' | 'reject';

/**
 * The options of `dicomnet serve`. `port`, `host` and `aet` are absent when not given, so that a
 * `--config` file can supply them; the action applies the defaults.
 */
export interface ServeOptions extends TlsCommandOptions {
  readonly port?: number;
  readonly host?: string;
  readonly aet?: string;
  /** The repository root (`--storage`). */
  readonly storage?: string;
  /** The flat folder of `<SOP Instance UID>.dcm` files (`--folder`). */
  readonly folder?: string;
  readonly config?: string;
  readonly peer?: readonly PeerAddress[];
  readonly minFreeSpace?: number;
  readonly duplicate?: DuplicateChoice;
  readonly maxAssociations: number;
  readonly window: number;
  readonly fsync: boolean;
  readonly json: boolean;
  readonly acceptUser?: readonly AcceptedUser[];
  /** With --storage: serve Inventory Creation (PS3.4 KK, the default); false with `--no-inventory-creation`. */
  readonly inventoryCreation?: boolean;
  readonly maxInventories?: number;
  readonly maxRecordsPerInstance?: number;
  /** Days produced inventories are announced as kept (Expiration DateTime, 0008,0416). */
  readonly inventoryRetention?: number;
}

/** Parses `AET=HOST:PORT`. */
export function peerAddress(value: string): PeerAddress {
  const match = /^([^=]+)=(.+):(\d+)$/.exec(value);
  if (match === null) throw new InvalidValueError('AET=HOST:PORT');
  return { aeTitle: aeTitle(match[1] ?? ''), host: match[2] ?? '', port: port(match[3] ?? '') };
}

/** Parses a byte count: a whole number, optionally with a K, M, G or T suffix (powers of 1024). */
export function byteCount(value: string): number {
  const match = /^(\d+)\s*([KMGT]?)i?B?$/i.exec(value.trim());
  if (match === null) throw new InvalidValueError('a number of bytes, such as 500M or 2G');
  const power = ' KMGT'.indexOf((match[2] ?? '').toUpperCase() || ' ');
  return Number(match[1]) * 1024 ** power;
}

function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

function duplicateChoice(value: string): DuplicateChoice {
  if (value === 'replace' || value === 'keep' || value === 'reject') return value;
  throw new InvalidValueError('replace, keep or reject');
}

/**
 * `dicomnet serve`: a Verification and Storage SCP. With `--storage` it runs on a repository (a
 * folder tree and an SQLite index, `@dicomnet/repository`); with `--folder` it writes every
 * instance into a folder, atomically, as `<SOP Instance UID>.dcm` with a Part 10 header (PS3.10).
 */
export const serveCommand: CommandSpec = {
  name: 'serve',
  description:
    'a DICOM archive: receive instances (C-STORE) into a repository or a folder and answer C-ECHO; with --storage also Query/Retrieve and Inventory Creation (inventories of the repository on request); until interrupted',
  arguments: [],
  options: [
    {
      flags: '--storage <dir>',
      description:
        'repository root (files and an SQLite index; created if missing): received instances are stored and indexed there',
    },
    {
      flags: '--folder <dir>',
      description:
        'instead of a repository: write received instances into this folder as <SOP Instance UID>.dcm (created if missing)',
    },
    {
      flags: '--config <file>',
      description:
        'JSON settings: aeTitle, port, host, storage, fsync, minFreeSpace, duplicate, peers, inventoryCreation, maxInventories, maxRecordsPerInstance, inventoryRetention (options given here win)',
    },
    {
      flags: '--port <n>',
      description: 'TCP port to listen on (0 picks a free one; default 11112)',
      parse: port,
    },
    { flags: '--host <address>', description: 'address to listen on (default 127.0.0.1)' },
    {
      flags: '--aet <title>',
      description: 'our AE title; other called AE titles are rejected (default DICOMNET)',
      parse: aeTitle,
    },
    {
      flags: '--peer <aet=host:port>',
      description:
        'where the AE titled AET listens: a C-MOVE destination, or an Inventory Creation requester to report to',
      parse: peerAddress,
      repeatable: true,
    },
    {
      flags: '--min-free-space <bytes>',
      description:
        'with --storage: refuse C-STOREs (0xA700 Out of Resources) while the disk has less free space (e.g. 2G)',
      parse: byteCount,
    },
    {
      flags: '--duplicate <policy>',
      description:
        'with --storage: an instance already stored is replaced (default), kept, or rejected (0xC000)',
      parse: duplicateChoice,
    },
    {
      flags: '--max-associations <n>',
      description: 'associations served at once',
      default: 16,
      parse: positiveInteger,
    },
    {
      flags: '--window <n>',
      description:
        'C-STOREs one peer may have in flight at once, when it asks for an asynchronous operations window (PS3.7 D.3.3.3)',
      default: 1,
      parse: operationsWindow,
    },
    {
      flags: '--no-fsync',
      description:
        'do not wait for each file to reach the disk before answering (faster; an OS crash may lose what was acknowledged)',
    },
    {
      flags: '--no-inventory-creation',
      description:
        'with --storage: do not serve Inventory Creation (PS3.4 KK), which inventories the repository on request',
    },
    {
      flags: '--max-inventories <n>',
      description:
        'with --storage: inventories in production or paused at once; more requests are refused (0213H, default 4)',
      parse: positiveInteger,
    },
    {
      flags: '--max-records-per-instance <n>',
      description:
        'with --storage: records per Inventory instance before an inventory splits into a tree (default 10000)',
      parse: positiveInteger,
    },
    {
      flags: '--inventory-retention <days>',
      description:
        'with --storage: how long produced inventories are announced as kept (Expiration DateTime)',
      parse: positiveInteger,
    },
    { flags: '--json', description: 'log one JSON object per line' },
    ...tlsOptions('scp'),
    acceptUserOption(),
  ],
  async run(io, _args, options) {
    if (
      options.storage === undefined &&
      options.folder === undefined &&
      options.config === undefined
    )
      throw new UsageError(
        'serve needs --storage <dir>, --folder <dir> or --config <file>',
        'serve',
      );
    if (options.storage !== undefined && options.folder !== undefined)
      throw new UsageError('--storage and --folder exclude each other', 'serve');
    if (options.folder !== undefined) {
      // A flat folder has no index to query and no duplicate policy: these would do nothing.
      const unused = [
        'peer',
        'minFreeSpace',
        'duplicate',
        'config',
        'maxInventories',
        'maxRecordsPerInstance',
        'inventoryRetention',
      ].filter((key) => options[key] !== undefined);
      if (unused.length > 0)
        throw new UsageError(`--folder takes no ${unused.map(flagOf).join(', ')}`, 'serve');
    }
    const { runServe } = await loadServe();
    // The cast is safe: the options' parsers and defaults above produce exactly these types.
    await runServe(io, options as unknown as ServeOptions);
  },
};
