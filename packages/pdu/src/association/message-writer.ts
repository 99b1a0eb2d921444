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
import { frameMessage, framedChunks, framedCopy, framedSize } from './frame-message.js';

/** Bytes, or chunks of bytes in order (a Node Readable is an AsyncIterable of Buffers). */
export type DataSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** One DIMSE message as the Upper Layer carries it (PS3.8 Annex E). */
export interface OutgoingMessage {
  /** The accepted presentation context the message travels on. */
  readonly presentationContextId: number;
  /** The encoded command set (PS3.7 §6.3.1). */
  readonly command: Uint8Array;
  /** The encoded data set, if the command announces one. */
  readonly dataSet?: DataSource | undefined;
  /**
   * Called once, when the message's last byte has been handed to the transport (the `write`
   * callback of its last chunk: on a socket, the kernel has the bytes), or when it never will be
   * (the message failed, the transport was destroyed): then with the error. From then on nothing
   * holds a view of `command` or `dataSet`: their memory may be reused. A peer may answer before
   * this, as soon as it has read the command.
   */
  readonly onWritten?: WrittenCallback | undefined;
}

/** See {@link OutgoingMessage.onWritten}: no error when every byte was written. */
export type WrittenCallback = (error?: Error | null) => void;

/** PDU-length used when the peer announced no maximum (0): big enough to be fast, bounded. */
const FRAGMENT_CAP = 1 << 20;

/** Consecutive PDUs share one cork up to this many bytes: one writev per batch, not per PDU. */
const BATCH_BYTES = 64 * 1024;

/**
 * Bytes the socket may hold before we wait for 'drain'. Waiting at the socket's own 16 KiB mark
 * stalls after every 16 KiB PDU; this keeps memory bounded (budget + one PDU) without that.
 */
const WRITE_BUDGET = 256 * 1024;

/** A message held in memory up to this size is copied into one buffer: one chunk to write. */
const COPY_BYTES = 8 * 1024;

const SENT: Promise<void> = Promise.resolve();

interface MessageWriterOptions {
  readonly associationId: string;
  /** Checked before each PDU: an error stops the message (the state machine's Evt9). */
  readonly beforeWrite: () => DicomnetError | undefined;
}

/**
 * Cuts messages into P-DATA-TF PDUs and writes them, one message after the other.
 *
 * - A message held in memory (command and data set `Uint8Array`s, 64 KiB at most) is framed and
 *   written at once, without awaiting anything: one PDU with two PDVs when it fits the peer's
 *   maximum PDU length (see {@link frameMessage}), copied into one buffer up to 8 KiB.
 * - Such messages written in the same turn of the event loop share a cork, released on
 *   `process.nextTick` or once 64 KiB are held: a burst of C-FIND responses leaves in one
 *   `writev`, and no message waits longer than the current turn.
 * - Any other data set streams as PDUs of one PDV each, written as `[PDU and PDV header,
 *   fragment pieces…]` under cork, never concatenating the payload; consecutive PDUs share a cork
 *   up to 64 KiB. A fragment may span several source chunks: its pieces are written as they are.
 * - Once 256 KiB are buffered in the socket the next message waits for `drain`, so producers
 *   pause and a large data set streams in bounded memory.
 */
export class MessageWriter {
  readonly #options: MessageWriterOptions;
  #socket: Duplex | undefined;
  #queue: Promise<void> = SENT;
  /** Messages queued behind {@link #queue} (streaming, or waiting for 'drain'). */
  #queued = 0;
  /** Bytes written under the cork of this turn; 0 when that cork is not held. */
  #corked = 0;
  #uncorkScheduled = false;

  constructor(options: MessageWriterOptions) {
    this.#options = options;
  }

  attach(socket: Duplex): void {
    this.#socket = socket;
  }

  /** Queues a message behind the ones already sending (no interleaving, PS3.8 Annex E.1). */
  send(message: OutgoingMessage, peerMaxPduLength: number): Promise<void> {
    const dataSet = message.dataSet;
    if (
      this.#queued === 0 &&
      (dataSet === undefined || dataSet instanceof Uint8Array) &&
      message.command.byteLength + (dataSet?.byteLength ?? 0) <= BATCH_BYTES
    ) {
      const socket = this.#socket;
      try {
        if (socket === undefined) throw new TypeError('message writer used before attach');
        this.#writeWhole(
          socket,
          message.presentationContextId,
          message.command,
          dataSet,
          peerMaxPduLength,
          message.onWritten,
        );
      } catch (error) {
        message.onWritten?.(asError(error)); // nothing of it was written
        return Promise.reject(error);
      }
      if (!overBudget(socket)) return SENT;
      this.#uncork();
      return this.#enqueue(() => drained(socket));
    }
    return this.#enqueue(() => this.#write(message, peerMaxPduLength));
  }

  /** Settles when every queued message has been handed to the socket. */
  idle(): Promise<void> {
    return this.#queue;
  }

  #enqueue(work: () => Promise<void>): Promise<void> {
    this.#queued++;
    const run = this.#queue.then(work);
    // Registered before the caller's own reaction: the count is down when the caller resumes.
    this.#queue = run.then(
      () => {
        this.#queued--;
      },
      () => {
        this.#queued--;
      },
    );
    return run;
  }

  /**
   * Frames a message held in memory and writes it under this turn's cork; `onWritten` goes to
   * the write of its last chunk. Throws only before anything is written.
   */
  #writeWhole(
    socket: Duplex,
    contextId: number,
    command: Uint8Array,
    dataSet: Uint8Array | undefined,
    peerMaxPduLength: number,
    onWritten: WrittenCallback | undefined,
  ): void {
    const pdus = frameMessage(contextId, command, dataSet, pduLimit(peerMaxPduLength));
    for (let index = 0; index < pdus.length; index++) {
      const refused = this.#options.beforeWrite();
      if (refused !== undefined) throw refused;
    }
    const size = framedSize(pdus);
    if (this.#corked === 0) {
      socket.cork();
      if (!this.#uncorkScheduled) {
        this.#uncorkScheduled = true;
        process.nextTick(this.#uncorkLater);
      }
    }
    if (size <= COPY_BYTES) socket.write(framedCopy(contextId, pdus), onWritten);
    else {
      const chunks = framedChunks(contextId, pdus);
      const last = chunks.length - 1;
      for (let index = 0; index < last; index++) socket.write(chunks[index]);
      socket.write(chunks[last], onWritten);
    }
    this.#corked += size;
    for (const pdu of pdus) {
      publishPduSent(this.#options.associationId, 0x04, pdu.pduLength);
    }
    if (this.#corked >= BATCH_BYTES) this.#uncork();
  }

  readonly #uncorkLater = (): void => {
    this.#uncorkScheduled = false;
    this.#uncork();
  };

  /** Releases this turn's cork, if held: what it holds goes out in one writev. */
  #uncork(): void {
    if (this.#corked === 0) return;
    this.#corked = 0;
    this.#socket?.uncork();
  }

  async #write(message: OutgoingMessage, peerMaxPduLength: number): Promise<void> {
    const { dataSet, onWritten } = message;
    const socket = this.#socket;
    const whole =
      dataSet === undefined || (dataSet instanceof Uint8Array && dataSet.byteLength <= BATCH_BYTES);
    try {
      if (socket === undefined) throw new TypeError('message writer used before attach');
      this.#uncork(); // what earlier messages left under this turn's cork goes first
      // A data set in memory goes with its command (only here because an earlier message was
      // still queued: now it is our turn); a stream follows it, and reports the message written.
      this.#writeWhole(
        socket,
        message.presentationContextId,
        message.command,
        whole ? dataSet : undefined,
        peerMaxPduLength,
        whole ? onWritten : undefined,
      );
    } catch (error) {
      onWritten?.(asError(error)); // nothing of it was written
      throw error;
    }
    this.#uncork();
    if (!whole) {
      const fragment = maxFragment(peerMaxPduLength);
      await this.#writeStream(socket, message.presentationContextId, dataSet, fragment, onWritten);
    } else if (overBudget(socket)) {
      await drained(socket);
    }
  }

  /**
   * Streams a data set as PDUs of one PDV each. `onWritten` is called once the write callbacks
   * of every PDU written have come, after the last PDU or after an error: the callbacks come in
   * order, but which PDU is the last is only known once the source has ended.
   */
  async #writeStream(
    socket: Duplex,
    contextId: number,
    source: DataSource,
    fragmentSize: number,
    onWritten: WrittenCallback | undefined,
  ): Promise<void> {
    let pieces: Uint8Array[] = [];
    let size = 0;
    // Bytes written under the current cork. PDUs are corked together up to BATCH_BYTES so that
    // 16 KiB PDUs leave in one writev per ~64 KiB, like a plain copy; the cork is never held
    // across an await of the source or of 'drain', so an A-ABORT is never stuck behind it.
    let batched = 0;
    let unwritten = 0;
    let isEnded = false;
    let failure: Error | null = null;
    const onPduWritten =
      onWritten &&
      ((error?: Error | null): void => {
        if (error) failure ??= error;
        if (--unwritten === 0 && isEnded) onWritten(failure);
      });
    const write = (isLast: boolean): void => {
      if (batched === 0) socket.cork();
      batched += this.#writePdu(socket, contextId, isLast, pieces, size, onPduWritten);
      if (onPduWritten !== undefined) unwritten++; // write callbacks never come synchronously
      pieces = [];
      size = 0;
    };
    const flush = async (): Promise<void> => {
      if (batched === 0) return;
      batched = 0;
      socket.uncork();
      if (overBudget(socket)) await drained(socket);
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
    } catch (error) {
      failure ??= asError(error);
      throw error;
    } finally {
      if (batched !== 0) socket.uncork(); // an error between cork and flush
      isEnded = true;
      if (unwritten === 0) onWritten?.(failure);
    }
  }

  /**
   * Writes one data-set PDU as `[PDU and PDV header, pieces…]`, `onWritten` given to the write of
   * its last chunk; returns its bytes on the wire. Throws only before anything is written.
   */
  #writePdu(
    socket: Duplex,
    contextId: number,
    isLast: boolean,
    pieces: readonly Uint8Array[],
    size: number,
    onWritten: WrittenCallback | undefined,
  ): number {
    const refused = this.#options.beforeWrite();
    if (refused !== undefined) throw refused;
    if (size % 2 !== 0) {
      // PS3.8 Annex E.1: fragments hold an even number of bytes; odd data means a broken encoder.
      throw new InvalidPduFieldError(`a data set fragment of odd length ${size}`);
    }
    const pduLength = PDV_HEADER_LENGTH + size;
    const header = new Uint8Array(PDU_HEADER_LENGTH + PDV_HEADER_LENGTH);
    header.set(encodePDataTfHeader(pduLength), 0);
    header.set(encodePdvHeader(size, contextId, false, isLast), PDU_HEADER_LENGTH);
    const last = pieces.length - 1;
    socket.write(header, last < 0 ? onWritten : undefined);
    for (let index = 0; index < last; index++) socket.write(pieces[index]);
    if (last >= 0) socket.write(pieces[last], onWritten);
    publishPduSent(this.#options.associationId, 0x04, pduLength);
    return PDU_HEADER_LENGTH + pduLength;
  }
}

/** Largest even fragment that fits a PDU-length of `peerMaxPduLength` with one PDV (PS3.8 D.1). */
export function maxFragment(peerMaxPduLength: number): number {
  const fragment = (pduLimit(peerMaxPduLength) - PDV_HEADER_LENGTH) & ~1;
  if (fragment < 2) {
    throw new InvalidPduFieldError(
      `the peer's maximum PDU length ${peerMaxPduLength} leaves no room for data`,
    );
  }
  return fragment;
}

/** The PDU-length a P-DATA-TF may have: the peer's maximum, ours when it set none. */
function pduLimit(peerMaxPduLength: number): number {
  return peerMaxPduLength === 0 ? FRAGMENT_CAP : Math.min(peerMaxPduLength, FRAGMENT_CAP);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The socket holds more than our budget and has asked for a pause. */
function overBudget(socket: Duplex): boolean {
  return socket.writableNeedDrain && socket.writableLength >= WRITE_BUDGET;
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
