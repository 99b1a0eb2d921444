// The association a transaction's N-ACTIONs travel on. It is opened on the first action and, by
// default, held open until the production ends, so the SCP can report on it (PS3.4 KK.2.2.2:
// results may come "over the same or different Associations").
import type { DataSet } from '@dicomnet/data';
import type { ConnectOptions, DimseClient, DimseHandlers, NResult } from '@dicomnet/dimse';
import { connect } from '@dicomnet/dimse';
import { INVENTORY_CREATION_SOP_CLASS, STORAGE_MANAGEMENT_SOP_INSTANCE } from '../uids.js';

/** Explicit VR Little Endian, then Implicit VR Little Endian (PS3.5 A.2, A.1). */
export const DEFAULT_TRANSFER_SYNTAXES: readonly string[] = [
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2',
];

/** Where the Inventory Creation SCP is, and how to talk to it. */
export interface InventoryPeer extends Omit<
  ConnectOptions,
  'contexts' | 'handlers' | 'callingAeTitle' | 'signal'
> {
  /** Transfer syntaxes to propose for Inventory Creation; default Explicit then Implicit VR LE. */
  readonly transferSyntaxes?: readonly string[];
}

/** What an action channel needs from its SCU. */
export interface ChannelSettings {
  readonly peer: InventoryPeer;
  readonly callingAeTitle: string;
  /** The SCU's event handler: the SCP may report on this association. */
  readonly handlers: DimseHandlers;
  /** Keep the association open between actions (until {@link ActionChannel.release}). */
  readonly hold: boolean;
}

/** Sends a transaction's N-ACTIONs, on one held association or one association per action. */
export class ActionChannel {
  readonly #settings: ChannelSettings;
  #client: Promise<DimseClient> | undefined;

  constructor(settings: ChannelSettings) {
    this.#settings = settings;
  }

  /** The SCP this channel talks to. */
  get peer(): InventoryPeer {
    return this.#settings.peer;
  }

  /** Our AE title on it. */
  get callingAeTitle(): string {
    return this.#settings.callingAeTitle;
  }

  /**
   * N-ACTION on the well-known Storage Management instance (PS3.4 KK.2.2.2).
   * @throws `DICOMNET_DIMSE_FAILURE_STATUS` for a Failure status; connection errors.
   */
  async send(actionTypeId: number, information: DataSet, signal?: AbortSignal): Promise<NResult> {
    const client = await this.#open(signal);
    try {
      return await client.action(
        {
          sopClassUid: INVENTORY_CREATION_SOP_CLASS,
          sopInstanceUid: STORAGE_MANAGEMENT_SOP_INSTANCE,
          actionTypeId,
          actionInformation: information,
        },
        signal === undefined ? {} : { signal },
      );
    } catch (error) {
      // Given up on (signal, timeout): a release would wait for the answer, so abort.
      if (signal?.aborted === true) await this.abort();
      throw error;
    } finally {
      if (!this.#settings.hold) await this.release();
    }
  }

  #open(signal: AbortSignal | undefined): Promise<DimseClient> {
    const held = this.#client;
    if (held !== undefined) return held;
    const { peer, callingAeTitle, handlers } = this.#settings;
    const { transferSyntaxes = DEFAULT_TRANSFER_SYNTAXES, ...transport } = peer;
    const opening = connect({
      ...transport,
      callingAeTitle,
      // We are the SCU (the default roles): the SCP may send N-EVENT-REPORT on this context.
      contexts: [{ abstractSyntax: INVENTORY_CREATION_SOP_CLASS, transferSyntaxes }],
      handlers,
      ...(signal !== undefined && { signal }),
    });
    this.#client = opening;
    opening.then(
      (client) => {
        // Released or aborted by either side: the next action opens a new association.
        const forget = (): void => {
          if (this.#client === opening) this.#client = undefined;
        };
        client.closed.then(forget, forget);
      },
      () => {
        if (this.#client === opening) this.#client = undefined;
      },
    );
    return opening;
  }

  /** Aborts the held association, if any (A-ABORT). Never rejects. */
  async abort(): Promise<void> {
    const opening = this.#client;
    this.#client = undefined;
    if (opening === undefined) return;
    try {
      await (await opening).abort();
    } catch {
      // Never opened: nothing to abort.
    }
  }

  /**
   * Releases the held association, aborting it when the release is not done within `ms` (an
   * answer still outstanding holds a release back). Never rejects.
   */
  async close(ms: number): Promise<void> {
    const opening = this.#client;
    if (opening === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    const outcome = await Promise.race([this.release(), late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      try {
        await (await opening).abort();
      } catch {
        // Never opened: nothing to abort.
      }
    }
  }

  /** Releases the held association, if any (A-RELEASE). Idempotent; never rejects. */
  async release(): Promise<void> {
    const opening = this.#client;
    this.#client = undefined;
    if (opening === undefined) return;
    try {
      const client = await opening;
      await client.release();
    } catch {
      // Already gone or never opened: nothing to release.
    }
  }
}
