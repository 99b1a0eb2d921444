// The settings of `dicomnet serve`: its options, over what a `--config` JSON file says, over the
// defaults. The file lets a long-running archive keep its AE table and limits in one place.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DicomnetError } from '@dicomnet/pdu';
import { InvalidValueError } from '../command-line/command-spec.js';
import { aeTitle, port, positiveInteger } from '../commands/common-options.js';
import type { DuplicateChoice, PeerAddress, ServeOptions } from '../commands/serve.js';
import { byteCount, peerAddress } from '../commands/serve.js';

/**
 * The `--config` file is not valid JSON, or a setting in it is unknown or of the wrong kind. The
 * command exits with 2 (command line wrong). Code `DICOMNET_CLI_SERVE_CONFIG`.
 */
export class ServeConfigError extends DicomnetError {
  /**
   * @param file - The file as given.
   * @param reason - What is wrong in it.
   */
  constructor(
    readonly file: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super('DICOMNET_CLI_SERVE_CONFIG', `${file}: ${reason}`, options);
  }
}

/** Where `serve` keeps what it receives. */
export type ServeTarget =
  | { readonly kind: 'repository'; readonly root: string }
  | { readonly kind: 'folder'; readonly dir: string };

/** What `serve` runs with, every default applied. */
export interface ServeSettings {
  readonly aeTitle: string;
  readonly port: number;
  readonly host: string;
  readonly target: ServeTarget;
  readonly fsync: boolean;
  /** Free-space floor in bytes; 0 for none. */
  readonly minFreeBytes: number;
  readonly duplicate: DuplicateChoice | undefined;
  /** C-MOVE destinations and Inventory Creation requesters by AE title. */
  readonly peers: ReadonlyMap<string, PeerAddress>;
  /** Inventory Creation (PS3.4 KK) on a repository; undefined values take the SCP's defaults. */
  readonly inventory: InventorySettings;
}

/** How `serve --storage` runs Inventory Creation. */
export interface InventorySettings {
  readonly enabled: boolean;
  readonly maxConcurrent: number | undefined;
  readonly maxRecordsPerInstance: number | undefined;
  /** Days inventories are announced as kept (Expiration DateTime, 0008,0416). */
  readonly retentionDays: number | undefined;
}

/** The `--config` file's settings, each optional. */
interface ConfigFile {
  aeTitle?: string;
  port?: number;
  host?: string;
  storage?: string;
  fsync?: boolean;
  minFreeSpace?: number;
  duplicate?: DuplicateChoice;
  peers?: PeerAddress[];
  inventoryCreation?: boolean;
  maxInventories?: number;
  maxRecordsPerInstance?: number;
  inventoryRetention?: number;
}

const DEFAULT_PORT = 11112;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_AE_TITLE = 'DICOMNET';

/**
 * Merges the options, the `--config` file and the defaults.
 * @throws {@link ServeConfigError} for an unreadable or invalid file.
 */
export async function serveSettings(options: ServeOptions): Promise<ServeSettings> {
  const config = options.config === undefined ? {} : await readConfig(options.config);
  const storage = options.storage ?? (options.folder === undefined ? config.storage : undefined);
  let target: ServeTarget;
  if (options.folder !== undefined) target = { kind: 'folder', dir: options.folder };
  else if (storage !== undefined) target = { kind: 'repository', root: storage };
  else throw new ServeConfigError(options.config ?? '--config', 'no storage folder is given');
  const peers = new Map<string, PeerAddress>();
  for (const peer of [...(config.peers ?? []), ...(options.peer ?? [])]) {
    peers.set(peer.aeTitle, peer); // the command line's address of an AE wins
  }
  return {
    aeTitle: options.aet ?? config.aeTitle ?? DEFAULT_AE_TITLE,
    port: options.port ?? config.port ?? DEFAULT_PORT,
    host: options.host ?? config.host ?? DEFAULT_HOST,
    target,
    // --no-fsync, or `"fsync": false` in the file, turns it off.
    fsync: options.fsync && config.fsync !== false,
    minFreeBytes: options.minFreeSpace ?? config.minFreeSpace ?? 0,
    duplicate: options.duplicate ?? config.duplicate,
    peers,
    inventory: {
      // --no-inventory-creation, or `"inventoryCreation": false` in the file, turns it off.
      enabled: options.inventoryCreation !== false && config.inventoryCreation !== false,
      maxConcurrent: options.maxInventories ?? config.maxInventories,
      maxRecordsPerInstance: options.maxRecordsPerInstance ?? config.maxRecordsPerInstance,
      retentionDays: options.inventoryRetention ?? config.inventoryRetention,
    },
  };
}

async function readConfig(file: string): Promise<ConfigFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ServeConfigError(file, `cannot read it as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ServeConfigError(file, 'the settings must be one JSON object');
  const config: ConfigFile = {};
  for (const [key, value] of Object.entries(json)) {
    try {
      readSetting(config, key, value, path.dirname(file));
    } catch (error) {
      if (!(error instanceof InvalidValueError)) throw error;
      throw new ServeConfigError(file, `"${key}": ${error.message}`);
    }
  }
  return config;
}

/** Checks one setting and puts it in `config`; throws InvalidValueError. */
function readSetting(config: ConfigFile, key: string, value: unknown, base: string): void {
  switch (key) {
    case 'aeTitle':
      config.aeTitle = aeTitle(stringOf(value));
      return;
    case 'port':
      config.port = port(String(numberOf(value)));
      return;
    case 'host':
      config.host = stringOf(value);
      return;
    case 'storage':
      // Relative to the file, so that a config and its storage can move together.
      config.storage = path.resolve(base, stringOf(value));
      return;
    case 'fsync':
      if (typeof value !== 'boolean') throw new InvalidValueError('true or false');
      config.fsync = value;
      return;
    case 'minFreeSpace':
      config.minFreeSpace =
        typeof value === 'number' ? byteCount(String(value)) : byteCount(stringOf(value));
      return;
    case 'duplicate':
      if (value !== 'replace' && value !== 'keep' && value !== 'reject')
        throw new InvalidValueError('"replace", "keep" or "reject"');
      config.duplicate = value;
      return;
    case 'inventoryCreation':
      if (typeof value !== 'boolean') throw new InvalidValueError('true or false');
      config.inventoryCreation = value;
      return;
    case 'maxInventories':
    case 'maxRecordsPerInstance':
    case 'inventoryRetention':
      config[key] = positiveInteger(String(numberOf(value)));
      return;
    case 'peers':
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new InvalidValueError('an object of AE titles and "host:port" addresses');
      config.peers = Object.entries(value).map(([title, address]) =>
        peerAddress(`${title}=${stringOf(address)}`),
      );
      return;
    default:
      throw new InvalidValueError('not a setting of serve');
  }
}

function stringOf(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidValueError('a string');
  return value;
}

function numberOf(value: unknown): number {
  if (typeof value !== 'number') throw new InvalidValueError('a number');
  return value;
}
