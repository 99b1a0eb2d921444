// An Inventory Creation SCP on 127.0.0.1 over a real FileRepository, and raw DIMSE clients that
// steer it and collect the N-EVENT-REPORTs it sends: the harness of test/interop/scp-*.test.ts.
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import { TransferSyntax } from '@dicomnet/data';
import type { DimseClient, DimseHandlers, DimseServer, EventReportRequest } from '@dicomnet/dimse';
import { connect, createServer } from '@dicomnet/dimse';
import type { FileRepository } from '@dicomnet/repository';
import type { InventorySink } from '../../src/inventory-sink.js';
import type { ProducedInstance } from '../../src/inventory-sink.js';
import type {
  InventoryCreationScp,
  InventoryCreationScpOptions,
} from '../../src/scp/inventory-creation-scp.js';
import { createInventoryCreationScp } from '../../src/scp/inventory-creation-scp.js';
import { repositorySink } from '../../src/sink/repository-sink.js';
import { repositorySource } from '../../src/source/repository-source.js';
import { Tag } from '../../src/tags.js';
import { INVENTORY_CREATION_SOP_CLASS, STORAGE_MANAGEMENT_SOP_INSTANCE } from '../../src/uids.js';

export const SCP_AE = 'INVSCP';
export const SCU_AE = 'INVSCU';
export const STORAGE_COMMITMENT = '1.2.840.10008.1.20.1';
const SYNTAXES = [TransferSyntax.ExplicitVrLittleEndian, TransferSyntax.ImplicitVrLittleEndian];

/** A new UID below `root` at each call, unique to this process. */
export function uidSequence(root: string): () => string {
  let next = 0;
  return () => `${root}.${process.pid}.${++next}`;
}

/** An SCP served on a free port. */
export interface ServedScp {
  readonly scp: InventoryCreationScp;
  readonly server: DimseServer;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts an SCP over `repository` (source and, unless given, sink), its store in `dir`. The
 * server also accepts Storage Commitment, whose N-ACTIONs reach the same handler (0118H).
 */
export async function serveScp(
  repository: FileRepository,
  dir: string,
  options: Partial<InventoryCreationScpOptions> = {},
): Promise<ServedScp> {
  const scp = await createInventoryCreationScp({
    aeTitle: SCP_AE,
    source: repositorySource(repository),
    sink: repositorySink(repository),
    storePath: path.join(dir, 'inventory-transactions.sqlite'),
    ...options,
  });
  const server = createServer({
    contexts: [...scp.contexts, { abstractSyntax: STORAGE_COMMITMENT, transferSyntaxes: SYNTAXES }],
    handlers: scp.handlers,
    maxOperationsPerformed: 4,
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    scp,
    server,
    port,
    close: async () => {
      await server.abortAll();
      await server.close();
      await scp.close();
    },
  };
}

/** One N-EVENT-REPORT as a requester received it. */
export interface ReceivedEvent {
  readonly eventTypeId: number;
  readonly sopInstanceUid: string;
  readonly information: DataSet;
  readonly transactionUid: string | undefined;
  readonly status: string | undefined;
  /** Which association carried it: the calling AE title of that association. */
  readonly callingAeTitle: string;
}

/** Collects events; waits for them with a bound. */
export class EventLog {
  readonly events: ReceivedEvent[] = [];
  readonly #waiters: (() => void)[] = [];

  /** A handler recording each event and answering `answer` (Success by default). */
  handler(
    answer: (event: ReceivedEvent) => number = () => 0x0000,
  ): NonNullable<DimseHandlers['eventReport']> {
    return (request: EventReportRequest) => {
      const information = request.eventInformation ?? {};
      const text = (tag: string): string | undefined => {
        const value = information[tag]?.Value?.[0];
        return typeof value === 'string' ? value : undefined;
      };
      const event: ReceivedEvent = {
        eventTypeId: request.eventTypeId,
        sopInstanceUid: request.sopInstanceUid,
        information,
        transactionUid: text(Tag.TransactionUID),
        status: text(Tag.TransactionStatus),
        callingAeTitle: request.association.callingAeTitle,
      };
      this.events.push(event);
      for (const wake of this.#waiters.splice(0)) wake();
      return answer(event);
    };
  }

  /** Events of one transaction. */
  of(transactionUid: string): ReceivedEvent[] {
    return this.events.filter((event) => event.transactionUid === transactionUid);
  }

  /** Resolves with the first event `predicate` accepts; rejects after `ms`. */
  async waitFor(predicate: (event: ReceivedEvent) => boolean, ms = 10_000): Promise<ReceivedEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.find(predicate);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The terminal event (11 or 13) of a transaction. */
  terminal(transactionUid: string, ms?: number): Promise<ReceivedEvent> {
    return this.waitFor(
      (event) =>
        event.transactionUid === transactionUid &&
        (event.eventTypeId === 11 || event.eventTypeId === 13),
      ms,
    );
  }
}

/** A requester's association to the SCP, its events going to `log`. */
export function openRequester(
  port: number,
  log: EventLog,
  options: {
    readonly callingAeTitle?: string;
    readonly contexts?: 'commitment-too';
    /** A username sent as User Identity (PS3.7 D.3.3.7, type 1). */
    readonly username?: string;
  } = {},
): Promise<DimseClient> {
  return connect({
    host: '127.0.0.1',
    port,
    callingAeTitle: options.callingAeTitle ?? SCU_AE,
    calledAeTitle: SCP_AE,
    contexts: [
      { abstractSyntax: INVENTORY_CREATION_SOP_CLASS, transferSyntaxes: SYNTAXES },
      ...(options.contexts === 'commitment-too'
        ? [{ abstractSyntax: STORAGE_COMMITMENT, transferSyntaxes: SYNTAXES }]
        : []),
    ],
    asynchronousOperationsWindow: { maxOperationsInvoked: 4, maxOperationsPerformed: 1 },
    ...(options.username !== undefined && {
      userIdentity: {
        identityType: 1,
        positiveResponseRequested: false,
        primaryField: new TextEncoder().encode(options.username),
        secondaryField: new Uint8Array(0),
      },
    }),
    handlers: { eventReport: log.handler() },
    signal: AbortSignal.timeout(10_000),
  });
}

/** Sends an Inventory Creation N-ACTION to the well-known instance. */
export function action(
  client: DimseClient,
  actionTypeId: number,
  actionInformation: DataSet,
  target: { readonly sopClassUid?: string; readonly sopInstanceUid?: string } = {},
) {
  return client.action(
    {
      sopClassUid: target.sopClassUid ?? INVENTORY_CREATION_SOP_CLASS,
      sopInstanceUid: target.sopInstanceUid ?? STORAGE_MANAGEMENT_SOP_INSTANCE,
      actionTypeId,
      actionInformation,
    },
    { signal: AbortSignal.timeout(10_000) },
  );
}

const uid = (value: string) => ({ vr: 'UI', Value: [value] });
const cs = (value: string) => ({ vr: 'CS', Value: [value] });

/** Action Information of an Initiate (PS3.4 Table KK.2-1). */
export function initiateInformation(
  transactionUid: string,
  options: { readonly level?: string; readonly scope?: DataSet; readonly interval?: number } = {},
): DataSet {
  return {
    [Tag.TransactionUID]: uid(transactionUid),
    [Tag.ScopeOfInventorySequence]: {
      vr: 'SQ',
      Value: options.scope === undefined ? [] : [options.scope],
    },
    [Tag.InventoryLevel]: cs(options.level ?? 'STUDY'),
    ...(options.interval !== undefined && {
      [Tag.RequestedStatusInterval]: { vr: 'US', Value: [options.interval] },
    }),
  };
}

/** Action Information naming only a transaction (Request Status, Pause, Resume). */
export function transactionInformation(transactionUid: string): DataSet {
  return { [Tag.TransactionUID]: uid(transactionUid) };
}

/** Action Information of a Cancel. */
export function cancelInformation(transactionUid: string, retain: string): DataSet {
  return { [Tag.TransactionUID]: uid(transactionUid), [Tag.RetainInstances]: cs(retain) };
}

/**
 * A sink that holds each store until the test opens the gate: production is stopped at a known
 * point (a leaf waiting to be written) so that Pause, Cancel and restarts land mid-production.
 * The instances still go to the real `inner` sink.
 */
export class GatedSink implements InventorySink {
  readonly #inner: InventorySink;
  #open = false;
  #waiting: (() => void)[] = [];
  #arrived: (() => void)[] = [];
  stored = 0;
  readonly storedUids: string[] = [];
  readonly removed: string[] = [];

  constructor(inner: InventorySink) {
    this.#inner = inner;
  }

  /** Lets every store through from now on. */
  open(): void {
    this.#open = true;
    for (const go of this.#waiting.splice(0)) go();
  }

  /** Holds every store from now on. */
  close(): void {
    this.#open = false;
  }

  /** Lets the store held at the gate through (the gate stays closed). */
  releaseOne(): void {
    this.#waiting.shift()?.();
  }

  /** Resolves once a store is held at the gate. */
  held(ms = 10_000): Promise<void> {
    if (this.#waiting.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no store reached the gate in ${ms} ms`)),
        ms,
      );
      this.#arrived.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async store(instance: ProducedInstance, signal?: AbortSignal): Promise<void> {
    if (!this.#open) {
      await new Promise<void>((resolve, reject) => {
        const go = (): void => resolve();
        this.#waiting.push(go);
        for (const arrived of this.#arrived.splice(0)) arrived();
        signal?.addEventListener(
          'abort',
          () => {
            // A store given up (pause, cancel, shutdown) no longer waits at the gate.
            const index = this.#waiting.indexOf(go);
            if (index >= 0) this.#waiting.splice(index, 1);
            reject(signal.reason as Error);
          },
          { once: true },
        );
      });
    }
    await this.#inner.store(instance, signal);
    this.stored++;
    this.storedUids.push(instance.sopInstanceUid);
  }

  async remove(sopInstanceUid: string): Promise<void> {
    this.removed.push(sopInstanceUid);
    await this.#inner.remove(sopInstanceUid);
  }
}

/** A sink whose `failAt`-th store (from 1) throws: a production failing in the middle. */
export class FaultySink implements InventorySink {
  readonly #inner: InventorySink;
  readonly #failAt: number;
  #count = 0;

  constructor(inner: InventorySink, failAt: number) {
    this.#inner = inner;
    this.#failAt = failAt;
  }

  async store(instance: ProducedInstance, signal?: AbortSignal): Promise<void> {
    if (++this.#count === this.#failAt) throw new Error('disk full');
    await this.#inner.store(instance, signal);
  }

  remove(sopInstanceUid: string): Promise<void> {
    return this.#inner.remove(sopInstanceUid);
  }
}
