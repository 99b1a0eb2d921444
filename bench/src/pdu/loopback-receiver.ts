/**
 * The receiving end of the loopback benchmark: a plain TCP server that counts bytes, or a
 * dicomnet Acceptor that counts data-set PDV fragment bytes in `onPData`. Runs in this process
 * or, through loopback-receiver-process.ts, in a child process of its own.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PDataTf } from '@dicomnet/pdu';
import { Acceptor } from '@dicomnet/pdu';
import { EXPLICIT_VR_LITTLE_ENDIAN, SECONDARY_CAPTURE_STORAGE } from './c-store-command.js';

/** What the receiver runs: a plain socket server, or an acceptor with a maximum PDU-length. */
export type ReceiverConfig =
  { readonly kind: 'plain' } | { readonly kind: 'dicomnet'; readonly maxPduLength: number };

/** What one round cost the receiver. */
export interface ReceiverRound {
  /** Bytes counted (the armed amount). */
  readonly bytes: number;
  /** CPU time of the receiving process (user + system) from arming to the last byte, in µs. */
  readonly cpuMicros: number;
}

/** Memory of the receiving process. */
export interface ReceiverMemory {
  /** RSS once listening, before any data, in bytes. */
  readonly idleRssBytes: number;
  /** Peak RSS over the process's life (`resourceUsage().maxRSS`), in bytes. */
  readonly peakRssBytes: number;
}

/** A running receiver, wherever it runs. */
export interface Receiver {
  /** The TCP port on 127.0.0.1. */
  readonly port: number;
  /**
   * Starts counting towards `bytes`. Resolves once counting is armed (send only then); `done`
   * settles when they have all arrived.
   */
  arm(bytes: number): Promise<{ readonly done: Promise<ReceiverRound> }>;
  /** Stops listening and reports the process's memory. */
  close(): Promise<ReceiverMemory>;
}

/** Counts arriving bytes against the armed amount; one round at a time. */
class ByteCounter {
  #expected = 0;
  #received = 0;
  #cpuAtArm: NodeJS.CpuUsage = process.cpuUsage();
  #resolve: ((round: ReceiverRound) => void) | undefined;

  arm(bytes: number): Promise<ReceiverRound> {
    this.#expected = bytes;
    this.#received = 0;
    this.#cpuAtArm = process.cpuUsage();
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  add(bytes: number): void {
    this.#received += bytes;
    const resolve = this.#resolve;
    if (resolve === undefined || this.#received < this.#expected) return;
    this.#resolve = undefined;
    const cpu = process.cpuUsage(this.#cpuAtArm);
    resolve({ bytes: this.#received, cpuMicros: cpu.user + cpu.system });
  }
}

/** Starts a receiver in this process, listening on a free port of 127.0.0.1. */
export async function startReceiver(config: ReceiverConfig): Promise<Receiver> {
  const counter = new ByteCounter();
  const close =
    config.kind === 'plain' ? await listenPlain(counter) : await listenDicomnet(counter, config);
  const idleRssBytes = process.memoryUsage().rss;
  return {
    port: close.port,
    arm: (bytes) => Promise.resolve({ done: counter.arm(bytes) }),
    close: async () => {
      await close.stop();
      return { idleRssBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
    },
  };
}

interface Listening {
  readonly port: number;
  stop(): Promise<void>;
}

async function listenPlain(counter: ByteCounter): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => counter.add(chunk.byteLength));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port, // a listening TCP server has an AddressInfo
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function listenDicomnet(
  counter: ByteCounter,
  config: { readonly maxPduLength: number },
): Promise<Listening> {
  const onPData = (pdu: PDataTf): void => {
    for (const pdv of pdu.pdvs) if (!pdv.isCommand) counter.add(pdv.fragment.byteLength);
  };
  const acceptor = new Acceptor({
    policy: {
      calledAeTitles: ['BENCH_SCP'],
      contexts: [
        {
          abstractSyntax: SECONDARY_CAPTURE_STORAGE,
          transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN],
        },
      ],
      maxPduLength: config.maxPduLength,
    },
    onAssociation: (association) => association.setHandlers({ onPData }),
  });
  const address = await acceptor.listen({ port: 0, host: '127.0.0.1' });
  return {
    port: address.port,
    stop: async () => {
      await acceptor.abortAll();
      await acceptor.close();
    },
  };
}
