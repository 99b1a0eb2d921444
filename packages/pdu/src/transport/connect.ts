import net from 'node:net';
import type tls from 'node:tls';
import { ConnectError, ConnectTimeoutError } from '../association-errors.js';
import { nodeTls } from './node-tls.js';

/** Where and how to open the transport connection of a requestor (PS3.8 §9.1.2). */
export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Milliseconds to wait for the TCP (and TLS) handshake. Default 10,000. */
  readonly connectTimeout?: number;
  /**
   * TLS options (PS3.15 Annex B secure transport); omit for plain TCP. `servername` defaults
   * to `host` when it is a name.
   */
  readonly tls?: tls.ConnectionOptions;
  readonly signal?: AbortSignal;
}

/** Default of {@link ConnectOptions.connectTimeout}. */
export const DEFAULT_CONNECT_TIMEOUT = 10_000;

/**
 * Opens a TCP or TLS connection with Nagle's algorithm off (every DIMSE exchange is small and
 * latency bound; see PEERS.md on DCMTK's delayed ACKs).
 * @throws {@link ConnectError} (`DICOMNET_CONNECT_FAILED`) with the socket error as `cause`.
 * @throws {@link ConnectTimeoutError} (`DICOMNET_CONNECT_TIMEOUT`).
 * @throws The signal's reason if it aborts first.
 */
export function connectTransport(options: ConnectOptions): Promise<net.Socket> {
  const { host, port, signal } = options;
  const timeoutMs = options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
  return new Promise<net.Socket>((resolve, reject) => {
    signal?.throwIfAborted();
    const secure = options.tls !== undefined;
    const socket: net.Socket = secure
      ? nodeTls().connect({
          servername: net.isIP(host) === 0 ? host : undefined,
          ...options.tls,
          host,
          port,
        })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => fail(new ConnectTimeoutError(host, port, timeoutMs)), timeoutMs);
    const onAbort = (): void => fail(signal?.reason);
    const onError = (error: Error): void => fail(new ConnectError(host, port, { cause: error }));
    const cleanUp = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
    };
    function fail(error: unknown): void {
      cleanUp();
      socket.destroy();
      reject(error);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      cleanUp();
      resolve(socket);
    });
  });
}
