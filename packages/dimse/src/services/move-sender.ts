import type { ProposedContext } from '@dicomnet/pdu';
import type { ConnectOptions } from '../client/connect.js';
import { connect } from '../client/connect.js';
import type { DimseClient, StoreInstance } from '../client/dimse-client.js';
import { conversionTargets } from '../client/store-conversion.js';
import type { Priority } from '../command/index.js';
import type { DimseResult } from './results.js';

/** Where a C-MOVE destination AE is reached: its address and how to connect. */
export type MoveDestination = Omit<
  ConnectOptions,
  'callingAeTitle' | 'calledAeTitle' | 'contexts' | 'handlers' | 'signal'
>;

/** The C-MOVE destinations a server knows, by AE title: a table or a lookup. */
export type MoveDestinations =
  Readonly<Record<string, MoveDestination>> | ((aeTitle: string) => MoveDestination | undefined);

/** The address of `aeTitle` in `destinations`, if it is known. */
export function lookUpDestination(
  destinations: MoveDestinations | undefined,
  aeTitle: string,
): MoveDestination | undefined {
  if (destinations === undefined) return undefined;
  if (typeof destinations === 'function') return destinations(aeTitle);
  return Object.hasOwn(destinations, aeTitle) ? destinations[aeTitle] : undefined;
}

/**
 * Sends the C-STORE sub-operations of one C-MOVE to its destination, always on an association
 * other than the C-MOVE's (PS3.4 C.4.2). The SOP classes to move are known only as the instances
 * come, so the association proposes those seen so far, and is replaced by one that also
 * proposes a new (SOP class, transfer syntax) when an instance needs it.
 */
export class MoveSender {
  readonly #destination: MoveDestination;
  readonly #callingAeTitle: string;
  readonly #calledAeTitle: string;
  readonly #originator: { readonly aeTitle: string; readonly messageId: number };
  readonly #priority: Priority;
  /** The contexts proposed so far, one per (SOP class, transfer syntax). */
  readonly #proposed = new Map<string, ProposedContext>();
  #client: DimseClient | undefined;

  constructor(options: {
    readonly destination: MoveDestination;
    /** Our AE title: the one the C-MOVE requester called. */
    readonly callingAeTitle: string;
    /** The Move Destination AE title. */
    readonly calledAeTitle: string;
    /** Move Originator AE Title and Message ID for each C-STORE (PS3.7 §9.1.1.1.6). */
    readonly originator: { readonly aeTitle: string; readonly messageId: number };
    /** The C-MOVE's priority, which every sub-operation keeps (PS3.4 C.4.2.1.2). */
    readonly priority: Priority;
  }) {
    this.#priority = options.priority;
    this.#destination = options.destination;
    this.#callingAeTitle = options.callingAeTitle;
    this.#calledAeTitle = options.calledAeTitle;
    this.#originator = options.originator;
  }

  /**
   * Stores one instance at the destination.
   * @throws {@link DimseStatusError} for a failure status; {@link NoPresentationContextError}
   *   when the destination does not accept its SOP class in its transfer syntax; a connection
   *   error when the destination cannot be reached.
   */
  async store(instance: StoreInstance): Promise<DimseResult> {
    const client = await this.#clientFor(instance);
    return client.store(instance, { moveOriginator: this.#originator, priority: this.#priority });
  }

  /** Releases the association to the destination, if one is open. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.release().catch(() => client.abort());
  }

  async #clientFor(instance: StoreInstance): Promise<DimseClient> {
    const key = `${instance.sopClassUid} ${instance.transferSyntaxUid}`;
    if (this.#client !== undefined && this.#proposed.has(key)) return this.#client;
    this.#proposed.set(key, {
      abstractSyntax: instance.sopClassUid,
      transferSyntaxes: [instance.transferSyntaxUid],
    });
    // A second context in the syntaxes store() converts to, for a destination that refuses the
    // instance's own (an abstract syntax may be proposed in several contexts, PS3.8 9.3.2.2).
    const fallbacks = conversionTargets(instance.transferSyntaxUid);
    const fallbackKey = `${instance.sopClassUid} converted`;
    if (fallbacks.length > 0 && !this.#proposed.has(fallbackKey))
      this.#proposed.set(fallbackKey, {
        abstractSyntax: instance.sopClassUid,
        transferSyntaxes: fallbacks,
      });
    await this.close();
    // One context per pair: an acceptor picks one transfer syntax per context (PS3.8 9.3.3.2).
    this.#client = await connect({
      ...this.#destination,
      callingAeTitle: this.#callingAeTitle,
      calledAeTitle: this.#calledAeTitle,
      contexts: [...this.#proposed.values()],
    });
    return this.#client; // a context refused there makes store() throw NoPresentationContextError
  }
}
