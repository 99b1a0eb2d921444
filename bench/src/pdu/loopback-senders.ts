/**
 * The sending end of the loopback benchmark: a plain socket writing 64 KiB chunks, or a dicomnet
 * requestor sending the same bytes as the data sets of C-STORE-RQ messages.
 */
import { once } from 'node:events';
import net from 'node:net';
import type { Association } from '@dicomnet/pdu';
import { requestAssociation } from '@dicomnet/pdu';
import {
  cStoreCommand,
  EXPLICIT_VR_LITTLE_ENDIAN,
  SECONDARY_CAPTURE_STORAGE,
} from './c-store-command.js';
import { SOCKET_CHUNK } from './p-data-stream.js';

/** A connected sender; connecting and association set-up happen before the clock starts. */
export interface Sender {
  /** Hands `bytes` to the socket, waiting for `drain` as needed. */
  send(bytes: number): Promise<void>;
  /** Ends the connection (A-RELEASE for dicomnet). */
  close(): Promise<void>;
}

/** One 64 KiB chunk, handed over again and again: what a file read stream would give. */
const CHUNK = new Uint8Array(SOCKET_CHUNK).fill(0x5a);

/** `bytes` as views of {@link CHUNK}, `size` bytes each (the last one shorter if need be). */
function* chunks(bytes: number, size = SOCKET_CHUNK): Generator<Uint8Array> {
  const chunk = CHUNK.subarray(0, size);
  for (let left = bytes; left > 0; left -= size) {
    yield left >= size ? chunk : chunk.subarray(0, left);
  }
}

/**
 * A plain TCP connection to `port` on 127.0.0.1, Nagle off like dicomnet's, writing
 * `writeBytes` (at most 64 KiB) per `write` and waiting for `drain` whenever it returns false.
 */
export async function connectPlain(port: number, writeBytes: number): Promise<Sender> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  return {
    async send(bytes) {
      for (const chunk of chunks(bytes, writeBytes)) {
        if (!socket.write(chunk)) await once(socket, 'drain');
      }
    },
    async close() {
      const closed = once(socket, 'close');
      socket.end();
      await closed;
    },
  };
}

/** How the dicomnet sender cuts its bytes. */
export interface DicomnetSenderOptions {
  /** Maximum PDU-length announced by both sides (the acceptor's decides what we send). */
  readonly maxPduLength: number;
  /** Data-set bytes per message; the bytes to send must be a multiple of it. */
  readonly messageBytes: number;
}

/** A dicomnet association (requestor) with the benchmark's receiver as acceptor. */
export async function associateDicomnet(
  port: number,
  options: DicomnetSenderOptions,
): Promise<Sender> {
  const association: Association = await requestAssociation({
    callingAeTitle: 'BENCH_SCU',
    calledAeTitle: 'BENCH_SCP',
    contexts: [
      { abstractSyntax: SECONDARY_CAPTURE_STORAGE, transferSyntaxes: [EXPLICIT_VR_LITTLE_ENDIAN] },
    ],
    maxPduLength: options.maxPduLength,
    transport: { host: '127.0.0.1', port },
  });
  const context = association.negotiated.contexts[0];
  if (context === undefined || context.result !== 0) {
    await association.abort();
    throw new TypeError('the receiver did not accept the benchmark context');
  }
  let messageId = 1;
  return {
    async send(bytes) {
      for (let sent = 0; sent < bytes; sent += options.messageBytes) {
        const id = messageId++;
        await association.sendMessage({
          presentationContextId: context.id,
          command: cStoreCommand(id & 0xffff, `2.25.${id}`),
          dataSet: chunks(Math.min(options.messageBytes, bytes - sent)),
        });
      }
    },
    close: () => association.release(),
  };
}
