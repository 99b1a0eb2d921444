import type { Duplex } from 'node:stream';
import { encodePdu } from '../codec/index.js';
import { buildAssociateRq } from '../negotiation/association-request.js';
import type { AssociationProposal } from '../negotiation/association-request.js';
import type { ConnectOptions } from '../transport/connect.js';
import { connectTransport } from '../transport/connect.js';
import { Association } from './association.js';
import type { AssociationLimits } from './association-limits.js';

/** Everything a requestor needs: whom to call, what to propose, limits, and the transport. */
export interface RequestAssociationOptions extends AssociationProposal, AssociationLimits {
  /**
   * The transport: host and port (with optional TLS) to connect to, or a function that returns
   * any connected Duplex (a socket made elsewhere, an in-memory pair in tests).
   */
  readonly transport: Omit<ConnectOptions, 'signal'> | (() => Promise<Duplex>);
  /** Aborts connection and negotiation; after establishment it has no effect. */
  readonly signal?: AbortSignal;
}

/**
 * Opens an association as requestor (PS3.8 §7.1): connects, sends the A-ASSOCIATE-RQ and waits
 * for the answer.
 * @returns The established association; read what was agreed from `association.negotiated`.
 * @throws {@link AssociationRejectedError} (`DICOMNET_ASSOCIATION_REJECTED`) with the
 *   A-ASSOCIATE-RJ result, source and reason.
 * @throws {@link InvalidPduFieldError} (`DICOMNET_PDU_INVALID_FIELD`) before connecting, when a
 *   value of the proposal cannot be encoded (an AE title that is not a valid AE value, a bad UID).
 * @throws `DICOMNET_CONNECT_FAILED`, `DICOMNET_CONNECT_TIMEOUT`, `DICOMNET_ASSOCIATION_ABORTED`,
 *   `DICOMNET_ASSOCIATION_TIMEOUT`, `DICOMNET_TRANSPORT_CLOSED`, or the signal's reason.
 */
export async function requestAssociation(options: RequestAssociationOptions): Promise<Association> {
  const { signal } = options;
  signal?.throwIfAborted();
  const rq = buildAssociateRq(options);
  // Refuse a request that cannot be encoded (an invalid AE title or UID of ours) before any
  // connection is made, as the caller's error rather than an abort.
  encodePdu(rq);
  const association = new Association('requestor', rq.userInformation.maxPduLength ?? 0, options);
  const transport = options.transport;
  const connect =
    typeof transport === 'function'
      ? transport
      : () => connectTransport(signal === undefined ? transport : { ...transport, signal });
  const onAbort = (): void => void association.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await association.request(rq, connect);
    return association;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
