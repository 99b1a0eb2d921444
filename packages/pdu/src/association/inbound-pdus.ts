import type { Duplex } from 'node:stream';
import type { PDataTf, Pdu, RawPdu } from '../codec/index.js';
import { decodePdu, PduReader } from '../codec/index.js';
import { DicomnetError } from '../errors.js';
import { PendingPdusLimitError } from '../association-errors.js';
import { publishPduReceived } from '../diagnostics.js';

/**
 * What one pending PDU costs beyond its body: the `{ type, body }` record, the body's
 * Uint8Array view and the queue slot (measured on Node 20: about 140 bytes, so with headroom).
 */
export const PENDING_PDU_OVERHEAD = 256;

/** Bytes of a received chunk read at a time: the size of a TCP read in Node. */
const READ_SLICE = 64 * 1024;

export interface InboundPdusOptions {
  readonly maxPduLength: number;
  readonly maxAssociatePduLength: number;
  readonly associationId: string;
  /** Most PDUs read but not yet handled while a handler holds input. */
  readonly maxPendingPdus: number;
  /** Most bytes those PDUs may cost: bodies plus {@link PENDING_PDU_OVERHEAD} each. */
  readonly maxPendingBytes: number;
  /** Handles one decoded PDU; a returned promise holds further input until it settles. */
  readonly onPdu: (pdu: Pdu) => void | Promise<void>;
  /** Called once with the first unreadable PDU (Evt19); later input is discarded. */
  readonly onInvalid: (error: DicomnetError) => void;
  /**
   * Called with an exception that is not a protocol error (a bug in decoding, a handler that
   * throws); later input is discarded. Must not throw.
   */
  readonly onFailure: (where: 'decode' | 'state-machine', error: unknown) => void;
  /** Called once when the pending PDUs pass a limit; later input is discarded. */
  readonly onLimit: (error: PendingPdusLimitError) => void;
}

/**
 * The receive side of an association: socket bytes → PDUs, in order, one at a time. When a
 * handler returns a promise the socket is paused until it settles, so a slow consumer slows the
 * peer instead of buffering without bound. What was already read stays queued undecoded, within
 * `maxPendingPdus` and `maxPendingBytes`: a chunk of thousands of tiny PDUs (or a transport that
 * ignores `pause()`) ends the association instead of growing memory.
 */
export class InboundPdus {
  readonly #options: InboundPdusOptions;
  readonly #reader: PduReader;
  readonly #queue: (RawPdu | DicomnetError)[] = [];
  #pendingBytes = 0;
  #socket: Duplex | undefined;
  #waiting = false;
  #broken = false;
  #consumer: ((pdu: PDataTf) => void | Promise<void>) | undefined;
  #consumerSet = false;
  #held: { pdu: PDataTf; release: () => void }[] = [];
  #transportError: Error | undefined;

  constructor(options: InboundPdusOptions) {
    this.#options = options;
    this.#reader = new PduReader({
      maxPduLength: options.maxPduLength,
      maxAssociatePduLength: options.maxAssociatePduLength,
    });
  }

  /** The last error the transport reported, for the cause of an A-P-ABORT. */
  get transportError(): Error | undefined {
    return this.#transportError;
  }

  attach(socket: Duplex): void {
    this.#socket = socket;
    socket.on('data', (chunk: Uint8Array) => this.#push(chunk));
  }

  noteTransportError(error: Error): void {
    this.#transportError ??= error;
  }

  /** Sets who receives P-DATA; P-DATA that arrived before is handed over now, in order. */
  setConsumer(consumer: ((pdu: PDataTf) => void | Promise<void>) | undefined): void {
    this.#consumer = consumer;
    this.#consumerSet = true;
    const held = this.#held;
    this.#held = [];
    for (const { release } of held) release();
  }

  /** Hands a P-DATA-TF to the consumer; holds it (input paused) until there is one. */
  deliver(pdu: PDataTf): void | Promise<void> {
    if (this.#consumerSet) return this.#consumer?.(pdu);
    return new Promise<void>((resolve, reject) => {
      this.#held.push({
        pdu,
        release: () => {
          try {
            Promise.resolve(this.#consumer?.(pdu)).then(resolve, reject);
          } catch (error) {
            reject(error);
          }
        },
      });
    });
  }

  /** The socket's 'data' listener: nothing may throw out of it (it would reach the process). */
  #push(chunk: Uint8Array): void {
    // A chunk is read a slice at a time, each drained and checked against the pending limits
    // before the next: one huge chunk of tiny PDUs never turns into a huge list at once.
    try {
      if (chunk.byteLength <= READ_SLICE) {
        // The usual chunk, taken whole: a view of it would cost an object per read.
        this.#decode(chunk);
        this.#drain();
        return;
      }
      for (let offset = 0; offset < chunk.byteLength && !this.#broken; offset += READ_SLICE) {
        this.#decode(chunk.subarray(offset, offset + READ_SLICE));
        this.#drain();
      }
    } catch (error) {
      // #drain never throws (it contains its own failures): this is a bug in reading.
      this.#fail('decode', error);
    }
  }

  #decode(chunk: Uint8Array): void {
    try {
      for (const raw of this.#reader.push(chunk)) {
        publishPduReceived(this.#options.associationId, raw.type, raw.body.byteLength);
        this.#queue.push(raw);
        this.#pendingBytes += pendingCost(raw);
      }
    } catch (error) {
      this.#queue.push(asDicomnetError(error));
    }
  }

  #drain(): void {
    while (!this.#waiting && this.#queue.length > 0 && !this.#broken) {
      const item = this.#queue.shift() as RawPdu | DicomnetError; // length checked above
      if (item instanceof Error) {
        this.#invalid(item);
        return;
      }
      this.#pendingBytes -= pendingCost(item);
      let pdu: Pdu;
      try {
        pdu = decodePdu(item);
      } catch (error) {
        if (DicomnetError.isInstance(error)) this.#invalid(error);
        else this.#fail('decode', error);
        return;
      }
      let pending: void | Promise<void>;
      try {
        pending = this.#options.onPdu(pdu);
      } catch (error) {
        this.#fail('state-machine', error);
        return;
      }
      if (pending !== undefined) this.#hold(pending);
    }
    if (this.#waiting) this.#checkPending();
  }

  /** While input is held, what is queued must stay within the limits (issue 13 §2). */
  #checkPending(): void {
    const { maxPendingPdus, maxPendingBytes } = this.#options;
    const count = this.#queue.length;
    if (count <= maxPendingPdus && this.#pendingBytes <= maxPendingBytes) return;
    const error = new PendingPdusLimitError(
      count,
      this.#pendingBytes,
      maxPendingPdus,
      maxPendingBytes,
    );
    this.#discard();
    this.#options.onLimit(error);
  }

  #invalid(error: DicomnetError): void {
    this.#discard();
    this.#options.onInvalid(error);
  }

  #discard(): void {
    this.#broken = true;
    this.#queue.length = 0;
    this.#pendingBytes = 0;
  }

  #fail(where: 'decode' | 'state-machine', error: unknown): void {
    this.#discard();
    this.#options.onFailure(where, error);
  }

  #hold(pending: Promise<void>): void {
    this.#waiting = true;
    this.#socket?.pause();
    const resume = (): void => {
      this.#waiting = false;
      this.#socket?.resume();
      this.#drain();
    };
    // A failing consumer is the layer above's business (it aborts); input goes on either way.
    pending.then(resume, resume);
  }
}

function pendingCost(raw: RawPdu): number {
  return raw.body.byteLength + PENDING_PDU_OVERHEAD;
}

function asDicomnetError(error: unknown): DicomnetError {
  if (DicomnetError.isInstance(error)) return error;
  throw error; // a bug, not bad input: contained by #push, which ends the association
}
