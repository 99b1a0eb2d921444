import type { Duplex } from 'node:stream';
import {
  encodePDataTfHeader,
  encodePdvHeader,
  InvalidPduFieldError,
  PDU_HEADER_LENGTH,
  PDV_HEADER_LENGTH,
} from '../codec/index.js';
import type { DicomnetError } from '../errors.js';
import { publishPduSent } from '../diagnostics.js';

/** Bytes, or chunks of bytes in order (a Node Readable is an AsyncIterable of Buffers). */
export type DataSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** One DIMSE message as the Upper Layer carries it (PS3.8 Annex E). */
export interface OutgoingMessage {
  /** The accepted presentation context the message travels on. */
  readonly presentationContextId: number;
  /** The encoded command set (PS3.7 §6.3.1). */
  readonly command: Uint8Array;
  /** The encoded data set, if the command announces one. */
  readonly dataSet?: DataSource;
}

/** PDU-length used when the peer announced no maximum (0): big enough to be fast, bounded. */
const FRAGMENT_CAP = 1 << 20;

/** Consecutive PDUs share one cork up to this many bytes: one writev per batch, not per PDU. */
const BATCH_BYTES = 64 * 1024;

/**
 * Bytes the socket may hold before we wait for 'drain'. Waiting at the socket's own 16 KiB mark
 * stalls after every 16 KiB PDU; this keeps memory bounded (budget + one PDU) without that.
 */
const WRITE_BUDGET = 256 * 1024;

interface MessageWriterOptions {
  readonly associationId: string;
  /** Checked before each PDU: an error stops the message (the state machine's Evt9). */
  readonly beforeWrite: () => DicomnetError | undefined;
}

/**
 * Cuts messages into P-DATA-TF PDUs of one PDV each and writes them as
 * `[PDU header, PDV header, fragment pieces…]` under cork, never concatenating the payload;
 * consecutive PDUs share a cork up to 64 KiB. A fragment may span several source chunks: its
 * pieces are written as they are. Waits for `drain` once 256 KiB are buffered, so a large data
 * set streams in bounded memory.
 */
export class MessageWriter {
  readonly #options: MessageWriterOptions;
  #socket: Duplex | undefined;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: MessageWriterOptions) {
    this.#options = options;
  }

  attach(socket: Duplex): void {
    this.#socket = socket;
  }

  /** Queues a message behind the ones already sending (no interleaving, PS3.8 Annex E.1). */
  send(message: OutgoingMessage, peerMaxPduLength: number): Promise<void> {
    const run = this.#queue.then(() => this.#write(message, peerMaxPduLength));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Settles when every queued message has been handed to the socket. */
  idle(): Promise<void> {
    return this.#queue;
  }

  async #write(message: OutgoingMessage, peerMaxPduLength: number): Promise<void> {
    const fragmentSize = maxFragment(peerMaxPduLength);
    await this.#writeStream(message.presentationContextId, true, message.command, fragmentSize);
    if (message.dataSet !== undefined) {
      await this.#writeStream(message.presentationContextId, false, message.dataSet, fragmentSize);
    }
  }

  async #writeStream(
    contextId: number,
    isCommand: boolean,
    source: DataSource,
    fragmentSize: number,
  ): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) throw new TypeError('message writer used before attach');
    let pieces: Uint8Array[] = [];
    let size = 0;
    // Bytes written under the current cork. PDUs are corked together up to BATCH_BYTES so that
    // 16 KiB PDUs leave in one writev per ~64 KiB, like a plain copy; the cork is never held
    // across an await of the source or of 'drain', so an A-ABORT is never stuck behind it.
    let batched = 0;
    const write = (isLast: boolean): void => {
      if (batched === 0) socket.cork();
      batched += this.#writePdu(socket, contextId, isCommand, isLast, pieces, size);
      pieces = [];
      size = 0;
    };
    const flush = async (): Promise<void> => {
      if (batched === 0) return;
      batched = 0;
      socket.uncork();
      if (socket.writableNeedDrain && socket.writableLength >= WRITE_BUDGET) await drained(socket);
    };
    try {
      for await (const chunk of chunksOf(source)) {
        let offset = 0;
        while (offset < chunk.byteLength) {
          // A full fragment is only sent once more bytes exist, so the last one is known as last.
          if (size === fragmentSize) {
            write(false);
            if (batched >= BATCH_BYTES) await flush();
          }
          const take = Math.min(fragmentSize - size, chunk.byteLength - offset);
          pieces.push(
            offset === 0 && take === chunk.byteLength
              ? chunk
              : chunk.subarray(offset, offset + take),
          );
          size += take;
          offset += take;
        }
        await flush();
      }
      write(true);
      await flush();
    } finally {
      if (batched !== 0) socket.uncork(); // an error between cork and flush
    }
  }

  /** Writes one PDU as `[PDU header, PDV header, pieces…]`; returns its bytes on the wire. */
  #writePdu(
    socket: Duplex,
    contextId: number,
    isCommand: boolean,
    isLast: boolean,
    pieces: readonly Uint8Array[],
    size: number,
  ): number {
    const refused = this.#options.beforeWrite();
    if (refused !== undefined) throw refused;
    if (size % 2 !== 0) {
      // PS3.8 Annex E.1: fragments hold an even number of bytes; odd data means a broken encoder.
      throw new InvalidPduFieldError(
        `a ${isCommand ? 'command' : 'data set'} fragment of odd length ${size}`,
      );
    }
    const pduLength = PDV_HEADER_LENGTH + size;
    socket.write(encodePDataTfHeader(pduLength));
    socket.write(encodePdvHeader(size, contextId, isCommand, isLast));
    for (const piece of pieces) socket.write(piece);
    publishPduSent({ associationId: this.#options.associationId, type: 0x04, length: pduLength });
    return PDU_HEADER_LENGTH + pduLength;
  }
}

/** Largest even fragment that fits a PDU-length of `peerMaxPduLength` with one PDV (PS3.8 D.1). */
export function maxFragment(peerMaxPduLength: number): number {
  const limit = peerMaxPduLength === 0 ? FRAGMENT_CAP : Math.min(peerMaxPduLength, FRAGMENT_CAP);
  const fragment = (limit - PDV_HEADER_LENGTH) & ~1;
  if (fragment < 2) {
    throw new InvalidPduFieldError(
      `the peer's maximum PDU length ${peerMaxPduLength} leaves no room for data`,
    );
  }
  return fragment;
}

/** The source as chunks, without wrapping bytes in a generator (a hot path for small messages). */
function chunksOf(source: DataSource): Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  return source instanceof Uint8Array ? [source] : source;
}

/** Waits for room in the socket's buffer; if it closes instead, the next write reports why. */
function drained(socket: Duplex): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
