import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';
import type { AssociateAc, AssociateRj, AssociateRq } from '../codec/index.js';
import { RejectReason, RejectResult, RejectSource } from '../codec/index.js';
import type { AcceptorPolicy } from '../negotiation/acceptor-policy.js';
import { decideAssociation } from '../negotiation/acceptor-policy.js';
import { publishAcceptorError } from '../diagnostics.js';
import { Association, containFailure } from './association.js';
import { nodeTls } from '../transport/node-tls.js';
import type { AssociationLimits } from './association-limits.js';

/** How an acceptor runs: its policy, what to do with each association, and its limits. */
export interface AcceptorOptions extends AssociationLimits {
  /** How A-ASSOCIATE-RQs are answered; see {@link decideAssociation}. */
  readonly policy: AcceptorPolicy;
  /**
   * Called with each established association. Install its handlers here, synchronously:
   * P-DATA that arrives earlier is held until then.
   */
  readonly onAssociation: (association: Association) => void;
  /**
   * Called when a connection ends without becoming an association (rejected, aborted, timed
   * out, closed) — for logs. Never called for associations that were established.
   */
  readonly onFailure?: (error: Error) => void;
  /**
   * Most associations open at once; more are rejected transient, local-limit-exceeded (2/3/2,
   * PS3.8 Table 9-21). Default 64.
   */
  readonly maxAssociations?: number;
}

/** Where to listen: TCP, or TLS when `tls` is given (PS3.15 Annex B). */
export interface ListenOptions {
  /** 0 picks a free port; read it from the returned address. */
  readonly port: number;
  /** Default `'127.0.0.1'`: listening on every interface must be asked for. */
  readonly host?: string;
  readonly tls?: tls.TlsOptions;
}

/** Default of {@link AcceptorOptions.maxAssociations}. */
export const DEFAULT_MAX_ASSOCIATIONS = 64;

/**
 * Accepts associations on any number of transports: call {@link Acceptor.handle} with a
 * connected Duplex, or {@link Acceptor.listen} to serve TCP or TLS.
 */
export class Acceptor {
  readonly #options: AcceptorOptions;
  readonly #open = new Set<Association>();
  readonly #servers: net.Server[] = [];

  constructor(options: AcceptorOptions) {
    this.#options = options;
  }

  /** Associations (and connections awaiting their A-ASSOCIATE-RQ) currently open. */
  get size(): number {
    return this.#open.size;
  }

  /** Serves one connected transport (PS3.8 §9.1.2: Evt5, then ARTIM until the RQ arrives). */
  handle(socket: Duplex): Association {
    const options = this.#options;
    const max = options.maxAssociations ?? DEFAULT_MAX_ASSOCIATIONS;
    const overloaded = this.#open.size >= max;
    const association = new Association('acceptor', options.policy.maxPduLength ?? 16384, options);
    this.#open.add(association);
    void association.closed.then(() => this.#open.delete(association));
    const decide = async (request: AssociateRq): Promise<AssociateAc | AssociateRj> => {
      if (overloaded) {
        return {
          type: 'A-ASSOCIATE-RJ',
          result: RejectResult.Transient,
          source: RejectSource.ServiceProviderPresentation,
          reason: RejectReason.LocalLimitExceeded,
        };
      }
      return (await decideAssociation(request, options.policy)).pdu;
    };
    // Neither callback may throw into the process: a throw ends this association only.
    association.accept(socket, decide).then(
      () => {
        try {
          options.onAssociation(association);
        } catch (error) {
          association[containFailure]('on-association', error);
        }
      },
      (error: Error) => {
        try {
          options.onFailure?.(error);
        } catch (failure) {
          association[containFailure]('on-failure', failure);
        }
      },
    );
    return association;
  }

  /** Starts listening; resolves with the bound address. May be called for several ports. */
  listen(listenOptions: ListenOptions): Promise<AddressInfo> {
    const onConnection = (socket: net.Socket): void => {
      socket.setNoDelay(true);
      this.handle(socket);
    };
    const server =
      listenOptions.tls === undefined
        ? net.createServer(onConnection)
        : nodeTls().createServer(listenOptions.tls, onConnection);
    this.#servers.push(server);
    return new Promise<AddressInfo>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenOptions.port, listenOptions.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        // A listening server's own errors (accept failing with EMFILE under a flood of
        // connections) belong to no association: without a listener they would end the process.
        server.on('error', (error) => publishAcceptorError({ error }));
        resolve(server.address() as AddressInfo); // a listening TCP server has an AddressInfo
      });
    });
  }

  /**
   * Stops accepting connections, then waits until every open association has ended (released
   * by its peer, or by the layer above). Call {@link Acceptor.abortAll} first to end them now.
   */
  async close(): Promise<void> {
    await Promise.all(
      this.#servers
        .splice(0)
        .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
    await Promise.all([...this.#open].map((association) => association.closed));
  }

  /** Aborts every open association (A-ABORT) and waits until their connections have closed. */
  async abortAll(): Promise<void> {
    await Promise.all([...this.#open].map((association) => association.abort()));
  }
}
