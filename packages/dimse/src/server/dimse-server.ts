import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  AcceptorPolicy,
  AssociationLimits,
  DicomnetError,
  IdentityVerdict,
  ListenOptions,
  NegotiatedAssociation,
  SupportedContext,
  UserIdentityRequest,
} from '@dicomnet/pdu';
import { Acceptor } from '@dicomnet/pdu';
import type { DimseLimits } from '../association/dimse-limits.js';
import { attachClient } from '../client/attach-client.js';
import type { DimseClient } from '../client/dimse-client.js';
import type { DataSetCodec } from '@dicomnet/data';
import { createElementCodec } from '@dicomnet/data';
import { publishDimseError } from '../diagnostics.js';
import type { DimseHandlers } from '../services/handlers.js';
import type { MoveDestinations } from '../services/move-sender.js';

/** How a DIMSE server negotiates and what it serves. */
export interface ServerOptions extends DimseLimits, AssociationLimits {
  /** Called AE titles we answer to; any when absent. Others are rejected 1/1/7 (PS3.8 Table 9-21). */
  readonly aeTitles?: readonly string[];
  /** Calling AE titles we accept; any when absent. Others are rejected 1/1/3. */
  readonly callingAeTitles?: AcceptorPolicy['callingAeTitles'];
  /** The SOP classes we serve, each with the transfer syntaxes we take, most preferred first. */
  readonly contexts: readonly SupportedContext[];
  /** The services: one async function per DIMSE request kind. */
  readonly handlers: DimseHandlers;
  /** Largest P-DATA-TF PDU we accept; default 16384. */
  readonly maxPduLength?: number;
  /** Most associations at once; more are rejected transient 2/3/2. Default 64. */
  readonly maxAssociations?: number;
  /** Most requests a peer may have outstanding at once when it asks for more (PS3.7 D.3.3.3). Default 1. */
  readonly maxOperationsPerformed?: number;
  /**
   * Rejects 1/1/1 an A-ASSOCIATE-RQ without a User Identity sub-item (PS3.7 D.3.3.7.1), so an
   * anonymous peer never reaches a handler. Needs `authenticate`: without it every request is
   * rejected (see `AcceptorPolicy.requireUserIdentity`). Default false.
   */
  readonly requireUserIdentity?: boolean;
  /** Checks a user identity (PS3.7 D.3.3.7); `false` rejects the association 1/1/1. */
  readonly authenticate?: (
    identity: UserIdentityRequest,
  ) => IdentityVerdict | Promise<IdentityVerdict>;
  /** Encodes and decodes N-service data sets and identifiers; default `createElementCodec()`. */
  readonly codec?: DataSetCodec;
  /**
   * Where the C-MOVE destinations are, by AE title: a table or a lookup. A C-MOVE to an AE title
   * it does not give is refused 0xA801 Move destination unknown (PS3.4 C.4.2.1.5).
   */
  readonly moveDestinations?: MoveDestinations;
  /**
   * An association was established; the client sends requests back on it. If it throws, that
   * association is aborted (the error goes to the `dicomnet:dimse:error` channel); the server
   * goes on serving.
   */
  readonly onAssociation?: (client: DimseClient) => void;
  /**
   * An established association ended; `error` is undefined after a normal release, a
   * `DICOMNET_DIMSE_*` error when the DIMSE layer aborted it (a limit passed, a broken message
   * rule), else the Upper Layer's error.
   */
  readonly onAssociationEnd?: (
    association: NegotiatedAssociation,
    error: DicomnetError | undefined,
  ) => void;
  /** A connection ended without becoming an association (rejected, aborted, timed out). */
  readonly onFailure?: (error: Error) => void;
}

/** A DIMSE service provider: accepts associations and answers their requests with handlers. */
export interface DimseServer {
  /** Listens on TCP or TLS; resolves with the bound address (port 0 picks a free one). */
  listen(options: ListenOptions): Promise<AddressInfo>;
  /** Serves one already connected transport (any Duplex). */
  handle(socket: Duplex): void;
  /** Associations currently open. */
  readonly size: number;
  /** Stops listening and waits for open associations to end. */
  close(): Promise<void>;
  /** Aborts every open association. */
  abortAll(): Promise<void>;
}

/**
 * Creates a DIMSE server (SCP) that negotiates with `contexts` and answers requests with
 * `handlers` (PS3.7). Verification is answered without a handler when its context is listed.
 */
export function createServer(options: ServerOptions): DimseServer {
  const codec = options.codec ?? createElementCodec();
  const authenticate = options.authenticate;
  const acceptor = new Acceptor({
    ...options,
    policy: {
      contexts: options.contexts,
      ...(options.aeTitles !== undefined && { calledAeTitles: options.aeTitles }),
      ...(options.callingAeTitles !== undefined && { callingAeTitles: options.callingAeTitles }),
      ...(options.maxPduLength !== undefined && { maxPduLength: options.maxPduLength }),
      ...(options.maxOperationsPerformed !== undefined && {
        maxOperationsPerformed: options.maxOperationsPerformed,
        maxOperationsInvoked: options.maxOperationsPerformed,
      }),
      ...(options.requireUserIdentity !== undefined && {
        requireUserIdentity: options.requireUserIdentity,
      }),
      ...(authenticate !== undefined && {
        authenticate: (identity: UserIdentityRequest) => authenticate(identity),
      }),
    },
    onAssociation: (association) => {
      let client: DimseClient;
      try {
        client = attachClient(
          association,
          options.handlers,
          codec,
          options,
          options.moveDestinations,
        );
      } catch (error) {
        // Our own bug or bad options: end only this association, keep serving the others.
        publishDimseError({ associationId: association.id, error: asError(error) });
        void association.abort();
        return;
      }
      const negotiated = association.negotiated;
      void association.closed.then(() => {
        // Containment: a throwing user callback must not become an unhandled rejection.
        try {
          options.onAssociationEnd?.(negotiated, client.error);
        } catch (error) {
          publishDimseError({ associationId: association.id, error: asError(error) });
        }
      });
      try {
        options.onAssociation?.(client);
      } catch (error) {
        // The user's callback failed: end only this association, keep serving the others.
        publishDimseError({ associationId: association.id, error: asError(error) });
        void association.abort();
      }
    },
    ...(options.onFailure !== undefined && { onFailure: options.onFailure }),
  });
  return {
    listen: (listenOptions) => acceptor.listen(listenOptions),
    handle: (socket) => void acceptor.handle(socket),
    get size() {
      return acceptor.size;
    },
    close: () => acceptor.close(),
    abortAll: () => acceptor.abortAll(),
  };
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
