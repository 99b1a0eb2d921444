import type {
  AssociationLimits,
  AsynchronousOperationsWindow,
  ConnectOptions as TransportOptions,
  ProposedContext,
  SopClassExtendedNegotiation,
  UserIdentityRequest,
} from '@dicomnet/pdu';
import { requestAssociation } from '@dicomnet/pdu';
import type { DimseLimits } from '../association/dimse-limits.js';
import type { DataSetCodec } from '@dicomnet/data';
import { createElementCodec } from '@dicomnet/data';
import type { DimseHandlers } from '../services/handlers.js';
import { attachClient } from './attach-client.js';
import type { DimseClient } from './dimse-client.js';

/** How to reach the peer, what to propose, and how to answer requests it sends back. */
export interface ConnectOptions
  extends DimseLimits, AssociationLimits, Omit<TransportOptions, 'signal'> {
  /** Our AE title, 1–16 characters. */
  readonly callingAeTitle: string;
  /** The peer's AE title, 1–16 characters. */
  readonly calledAeTitle: string;
  /** Presentation contexts to propose, at most 128 (PS3.8 §9.3.2.2). */
  readonly contexts: readonly ProposedContext[];
  /** Largest P-DATA-TF PDU we accept; default 16384 (PS3.8 D.1). */
  readonly maxPduLength?: number;
  readonly asynchronousOperationsWindow?: AsynchronousOperationsWindow;
  readonly extendedNegotiations?: readonly SopClassExtendedNegotiation[];
  readonly userIdentity?: UserIdentityRequest;
  /**
   * Requests the peer may send us on this association: N-EVENT-REPORT when it is the SCP of a
   * SOP class we use (propose that context with `roles`), C-STORE for C-GET.
   */
  readonly handlers?: DimseHandlers;
  /** Encodes and decodes N-service data sets and identifiers; default `createElementCodec()`. */
  readonly codec?: DataSetCodec;
  /** Cancels connecting and negotiating. */
  readonly signal?: AbortSignal;
}

/**
 * Opens an association with a remote AE and returns a client for its services (PS3.7, PS3.8).
 * @throws `DICOMNET_ASSOCIATION_REJECTED` (with result, source, reason), `DICOMNET_CONNECT_FAILED`,
 *   `DICOMNET_CONNECT_TIMEOUT`, `DICOMNET_ASSOCIATION_ABORTED`, or the signal's reason.
 */
export async function connect(options: ConnectOptions): Promise<DimseClient> {
  const { host, port, connectTimeout, tls } = options;
  const association = await requestAssociation({
    ...options,
    transport: {
      host,
      port,
      ...(connectTimeout !== undefined && { connectTimeout }),
      ...(tls !== undefined && { tls }),
    },
  });
  return attachClient(
    association,
    options.handlers ?? {},
    options.codec ?? createElementCodec(),
    options,
  );
}
