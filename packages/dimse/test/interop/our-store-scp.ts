// Our Storage SCP as the interop tests run it: createServer + storeToDirectory on 127.0.0.1:0,
// counting what it saw, so a test can wait for associations to end and handlers to settle.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdir } from 'node:fs/promises';
import { DIAGNOSTICS_CHANNELS } from '@dicomnet/pdu';
import type {
  DicomnetError,
  NegotiatedAssociation,
  PduTrafficMessage,
  SupportedContext,
} from '@dicomnet/pdu';
import { createServer, isStorageSopClass, storeToDirectory } from '../../src/index.js';
import type { DimseHandlers, DimseServer, StoreRequest, StatusReply } from '../../src/index.js';
import { ALL_TEST_SYNTAXES, EXPLICIT, IMPLICIT, VERIFICATION } from './uids.js';

/** A C-STORE handler, as storeToDirectory returns one. */
export type StoreHandler = (request: StoreRequest) => Promise<StatusReply>;

/** Options of {@link startOurStoreScp}. */
export interface OurStoreScpOptions {
  /** Called AE titles we answer to; default `['DICOMNET']`. */
  readonly aeTitles?: readonly string[];
  readonly maxPduLength?: number;
  /** Wraps the storeToDirectory handler (to watch or interfere with the data set). */
  readonly wrapStore?: (inner: StoreHandler) => StoreHandler;
  /** More supported contexts (storage commitment…) and handlers. */
  readonly extraContexts?: readonly SupportedContext[];
  readonly extraHandlers?: DimseHandlers;
}

/** A running SCP of ours and what it has seen so far. */
export interface OurStoreScp {
  readonly server: DimseServer;
  readonly port: number;
  readonly aeTitle: string;
  readonly dir: string;
  /** C-ECHO requests answered. */
  readonly echoes: number;
  /** Associations established, with how each ended (`null` while open). */
  readonly associations: {
    negotiated: NegotiatedAssociation;
    error: DicomnetError | null | undefined;
  }[];
  /** Connections that never became associations (rejections…). */
  readonly failures: Error[];
  /** Resolves once `count` associations have ended; rejects after `timeoutMs` (default 15 s). */
  associationsEnded(count: number, timeoutMs?: number): Promise<void>;
  /** Aborts what is open and stops listening. */
  close(): Promise<void>;
}

/** Starts our Storage SCP writing into `dir` (created if missing). */
export async function startOurStoreScp(
  dir: string,
  options: OurStoreScpOptions = {},
): Promise<OurStoreScp> {
  await mkdir(dir, { recursive: true });
  const aeTitles = options.aeTitles ?? ['DICOMNET'];
  const inner = storeToDirectory(dir);
  const store = options.wrapStore ? options.wrapStore(inner) : inner;
  const associations: OurStoreScp['associations'] = [];
  const failures: Error[] = [];
  const waiters: (() => void)[] = [];
  let echoes = 0;
  const endedCount = (): number => associations.filter((a) => a.error !== null).length;
  const server = createServer({
    aeTitles,
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT, IMPLICIT] },
      { abstractSyntax: isStorageSopClass, transferSyntaxes: ALL_TEST_SYNTAXES },
      ...(options.extraContexts ?? []),
    ],
    handlers: {
      echo: () => {
        echoes++;
      },
      store,
      ...options.extraHandlers,
    },
    ...(options.maxPduLength !== undefined && { maxPduLength: options.maxPduLength }),
    onAssociation: (client) => {
      associations.push({ negotiated: client.negotiated, error: null });
    },
    onAssociationEnd: (negotiated, error) => {
      const entry = associations.find((a) => a.negotiated === negotiated);
      if (entry) entry.error = error;
      for (const wake of waiters.splice(0)) wake();
    },
    onFailure: (error) => {
      failures.push(error);
    },
  });
  const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    server,
    port,
    aeTitle: aeTitles[0] ?? 'DICOMNET',
    dir,
    get echoes() {
      return echoes;
    },
    associations,
    failures,
    async associationsEnded(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (endedCount() < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`${endedCount()} of ${count} associations ended in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      await server.abortAll();
      await server.close();
    },
  };
}

/**
 * Records the PDU-length of every P-DATA-TF received (`received`) or sent (`sent`) in this
 * process until `stop()` (the pdu package's diagnostics channels).
 */
export function recordPDataLengths(): { received: number[]; sent: number[]; stop(): void } {
  const received: number[] = [];
  const sent: number[] = [];
  const onReceived = (message: unknown): void => {
    const traffic = message as PduTrafficMessage; // what the pdu package publishes there
    if (traffic.type === 0x04) received.push(traffic.length);
  };
  const onSent = (message: unknown): void => {
    const traffic = message as PduTrafficMessage; // idem
    if (traffic.type === 0x04) sent.push(traffic.length);
  };
  subscribe(DIAGNOSTICS_CHANNELS.pduReceived, onReceived);
  subscribe(DIAGNOSTICS_CHANNELS.pduSent, onSent);
  return {
    received,
    sent,
    stop() {
      unsubscribe(DIAGNOSTICS_CHANNELS.pduReceived, onReceived);
      unsubscribe(DIAGNOSTICS_CHANNELS.pduSent, onSent);
    },
  };
}
