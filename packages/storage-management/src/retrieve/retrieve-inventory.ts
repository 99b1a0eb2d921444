// Fetches the whole tree of an inventory from a peer through Inventory GET or Inventory MOVE
// (PS3.4 JJ.3.2, JJ.3.3), keeps its instances as files in a folder, and reads its records back
// with readInventoryTree: records come out as they are read, whatever the size of the tree.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import {
  connect,
  createServer,
  storeToDirectory,
  type ConnectOptions,
  type DimseClient,
  type DimseServer,
  type RetrieveResult,
  type SuboperationProgress,
} from '@dicomnet/dimse';
import { InventoryNotFoundError } from '../read/errors.js';
import type { InventoryReference } from '../read/inventory-records.js';
import { readInventory } from '../read/read-inventory.js';
import { readInventoryTree, type InventoryTreeItem } from '../read/read-inventory-tree.js';
import { Tag } from '../tags.js';
import {
  INVENTORY_GET_SOP_CLASS,
  INVENTORY_MOVE_SOP_CLASS,
  INVENTORY_STORAGE_SOP_CLASS,
} from '../uids.js';

/** Where a C-MOVE sends the instances: a storage SCP we run while the retrieve lasts. */
export interface MoveDestinationOptions {
  /** The AE title the peer knows us by as a move destination (PS3.4 C.4.2.1.5). */
  readonly aeTitle: string;
  /** The port to listen on (the one the peer's configuration gives for `aeTitle`). */
  readonly port: number;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
}

/** What {@link retrieveInventory} reports as it goes. */
export type RetrieveInventoryProgress =
  | {
      readonly phase: 'retrieve';
      /** Round of requests: 1 for the root, then one per level of references found. */
      readonly round: number;
      /** Inventory instances asked for in this round. */
      readonly requested: number;
      /** The peer's sub-operation counts so far (PS3.4 C.4.2.1.6). */
      readonly suboperations?: SuboperationProgress;
    }
  | {
      readonly phase: 'read';
      /** Inventory instances retrieved in all. */
      readonly instances: number;
    };

/** Options of {@link retrieveInventory}. */
export interface RetrieveInventoryOptions {
  readonly host: string;
  readonly port: number;
  readonly callingAeTitle: string;
  readonly calledAeTitle: string;
  /** SOP Instance UID of the root of the tree (the Referenced SOP Instance UID of event 11). */
  readonly root: string;
  /** Inventory GET (C-GET on this association) or Inventory MOVE (to `destination`). */
  readonly via: 'get' | 'move';
  /** Required with `via: 'move'`. */
  readonly destination?: MoveDestinationOptions;
  /**
   * A folder to keep the instances in (created if missing; kept afterwards). Default: a new
   * temporary folder, removed once the records have been read or the reading stops.
   */
  readonly dir?: string;
  /** TLS, timeouts and other connection settings of @dicomnet/dimse's `connect`. */
  readonly connection?: Omit<
    ConnectOptions,
    'host' | 'port' | 'callingAeTitle' | 'calledAeTitle' | 'contexts' | 'handlers' | 'signal'
  >;
  /** Aborts: the association is aborted, the iterator rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RetrieveInventoryProgress) => void;
}

/** Transfer syntaxes we take Inventory instances in: Deflated first (PS3.3 C.38.1.1.5 suggests it for size). */
const STORAGE_SYNTAXES = [
  '1.2.840.10008.1.2.1.99',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.2',
];
const QUERY_SYNTAXES = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];

/**
 * Retrieves the tree of the inventory rooted at `root` and yields its items as
 * {@link readInventoryTree} does. First the root is retrieved; the references its header holds
 * (the Incorporated Inventory Instance Sequence describes the whole tree, PS3.3 C.38.2.3), and
 * any its descendants add, are retrieved in further rounds on the same association, each one
 * request for a list of SOP Instance UIDs: PS3.4 JJ.3.2 (Inventory MOVE; Inventory GET by the
 * same rules, JJ.3.3 UNCONFIRMED) takes SOP Instance UID (0008,0018) as the unique key, a list
 * of UIDs allowed, and no Query/Retrieve Level (0008,0052). Then the records are read.
 * @throws As `connect` and `DimseClient.get`/`move` (`RetrieveStatusError` for a failure
 *   status); {@link InventoryNotFoundError} when an instance of the tree did not arrive; as
 *   {@link readInventoryTree}; the `signal`'s reason.
 */
export async function* retrieveInventory(
  options: RetrieveInventoryOptions,
): AsyncGenerator<InventoryTreeItem, void, undefined> {
  options.signal?.throwIfAborted();
  if (options.via === 'move' && options.destination === undefined)
    throw new TypeError('retrieveInventory: via "move" needs a destination');
  const dir =
    options.dir === undefined
      ? await mkdtemp(path.join(tmpdir(), 'dicomnet-inventory-'))
      : (await mkdir(options.dir, { recursive: true }), options.dir);
  const fileOf = (uid: string): string => path.join(dir, `${uid}.dcm`);
  try {
    const received = await fetchTree(options, dir);
    options.onProgress?.({ phase: 'read', instances: received.size });
    yield* readInventoryTree(options.root, (uid) => (received.has(uid) ? fileOf(uid) : undefined), {
      ...(options.signal && { signal: options.signal }),
    });
  } finally {
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

/** Retrieves the root, then the instances its tree references, round by round. */
async function fetchTree(
  options: RetrieveInventoryOptions,
  dir: string,
): Promise<ReadonlySet<string>> {
  const fileOf = (uid: string): string => path.join(dir, `${uid}.dcm`);
  // What arrived in this run: a file left in `dir` by an earlier one does not count.
  const received = new Set<string>();
  const store = storeToDirectory(dir, {
    fsync: false,
    onStored: ({ request }) => received.add(request.sopInstanceUid),
  });
  const server = options.via === 'move' ? await listenForMove(options, store) : undefined;
  try {
    const client = await connect({
      ...options.connection,
      host: options.host,
      port: options.port,
      callingAeTitle: options.callingAeTitle,
      calledAeTitle: options.calledAeTitle,
      contexts:
        options.via === 'get'
          ? [
              { abstractSyntax: INVENTORY_GET_SOP_CLASS, transferSyntaxes: QUERY_SYNTAXES },
              // PS3.4 C.4.3.1: the C-GET SCU takes the C-STORE sub-operations as SCP. One context
              // per transfer syntax, so each instance can come as it is stored (an acceptor
              // picks one syntax per context, PS3.8 9.3.3.2).
              ...STORAGE_SYNTAXES.map((syntax) => ({
                abstractSyntax: INVENTORY_STORAGE_SOP_CLASS,
                transferSyntaxes: [syntax],
                roles: { scu: false, scp: true },
              })),
            ]
          : [{ abstractSyntax: INVENTORY_MOVE_SOP_CLASS, transferSyntaxes: QUERY_SYNTAXES }],
      handlers: { store },
      ...(options.signal && { signal: options.signal }),
    });
    const onAbort = (): void => void client.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const seen = new Set<string>([options.root]);
      let wanted = [options.root];
      let round = 0;
      while (wanted.length > 0) {
        round += 1;
        await retrieveRound(client, options, wanted, round);
        const next: string[] = [];
        for (const uid of wanted) {
          if (!received.has(uid))
            throw new InventoryNotFoundError(uid, `not received from ${options.calledAeTitle}`);
          for (const child of await referencesOf(fileOf(uid), options.signal)) {
            if (seen.has(child)) continue;
            seen.add(child);
            next.push(child);
          }
        }
        wanted = next;
      }
      await client.release().catch(() => client.abort());
      return received;
    } catch (error) {
      void client.abort();
      options.signal?.throwIfAborted();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    await server?.close();
  }
}

/** One C-GET or C-MOVE for a list of Inventory instances. */
async function retrieveRound(
  client: DimseClient,
  options: RetrieveInventoryOptions,
  uids: readonly string[],
  round: number,
): Promise<RetrieveResult> {
  // PS3.4 JJ.3.2: SOP Instance UID is the unique key, one UID or a list; no Query/Retrieve Level.
  const identifier: DataSet = { [Tag.SOPInstanceUID]: { vr: 'UI', Value: [...uids] } };
  options.onProgress?.({ phase: 'retrieve', round, requested: uids.length });
  const operation =
    options.via === 'get'
      ? client.get({ sopClassUid: INVENTORY_GET_SOP_CLASS, identifier })
      : client.move({
          sopClassUid: INVENTORY_MOVE_SOP_CLASS,
          identifier,
          destination: (options.destination as MoveDestinationOptions).aeTitle,
        });
  for (;;) {
    const next = await operation.next();
    if (next.done === true) return next.value;
    options.onProgress?.({
      phase: 'retrieve',
      round,
      requested: uids.length,
      suboperations: next.value,
    });
  }
}

/** Every SOP Instance UID the header of an instance references, at any depth. */
async function referencesOf(file: string, signal: AbortSignal | undefined): Promise<string[]> {
  const out: string[] = [];
  const walk = (references: readonly InventoryReference[]): void => {
    for (const reference of references) {
      out.push(reference.sopInstanceUid);
      walk(reference.incorporated);
    }
  };
  for await (const item of readInventory(file, { ...(signal && { signal }) })) {
    if (item.kind !== 'header') continue;
    walk(item.header.incorporated);
    break;
  }
  return out;
}

/** The storage SCP the C-MOVE sends to, for the time of the retrieve. */
async function listenForMove(
  options: RetrieveInventoryOptions,
  store: ReturnType<typeof storeToDirectory>,
): Promise<DimseServer> {
  const destination = options.destination as MoveDestinationOptions;
  const server = createServer({
    aeTitles: [destination.aeTitle],
    contexts: [{ abstractSyntax: INVENTORY_STORAGE_SOP_CLASS, transferSyntaxes: STORAGE_SYNTAXES }],
    handlers: { store },
  });
  await server.listen({ port: destination.port, host: destination.host ?? '127.0.0.1' });
  return server;
}
