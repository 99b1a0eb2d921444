import type { Duplex } from 'node:stream';
import type { PDataTf, Pdu } from '../codec/index.js';
import { decodePdu, PduReader } from '../codec/index.js';
import { DicomnetError } from '../errors.js';
import { publishPduReceived } from '../diagnostics.js';

export interface InboundPdusOptions {
  readonly maxPduLength: number;
  readonly maxAssociatePduLength: number;
  readonly associationId: string;
  /** Handles one decoded PDU; a returned promise holds further input until it settles. */
  readonly onPdu: (pdu: Pdu) => void | Promise<void>;
  /** Called once with the first unreadable PDU (Evt19); later input is discarded. */
  readonly onInvalid: (error: DicomnetError) => void;
  /**
   * Called with an exception that is not a protocol error (a bug in decoding, a handler that
   * throws); later input is discarded. Must not throw.
   */
  readonly onFailure: (where: 'decode' | 'state-machine', error: unknown) => void;
}

/**
 * The receive side of an association: socket bytes → PDUs, in order, one at a time. When a
 * handler returns a promise the socket is paused until it settles, so a slow consumer slows the
 * peer instead of buffering without bound.
 */
export class InboundPdus {
  readonly #options: InboundPdusOptions;
  readonly #reader: PduReader;
  readonly #queue: (Pdu | DicomnetError)[] = [];
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
    if (this.#broken) return;
    try {
      this.#decode(chunk);
    } catch (error) {
      this.#fail('decode', error);
      return;
    }
    this.#drain();
  }

  #decode(chunk: Uint8Array): void {
    try {
      for (const raw of this.#reader.push(chunk)) {
        publishPduReceived({
          associationId: this.#options.associationId,
          type: raw.type,
          length: raw.body.byteLength,
        });
        try {
          this.#queue.push(decodePdu(raw));
        } catch (error) {
          this.#queue.push(asDicomnetError(error));
          break;
        }
      }
    } catch (error) {
      this.#queue.push(asDicomnetError(error));
    }
  }

  #drain(): void {
    while (!this.#waiting && this.#queue.length > 0 && !this.#broken) {
      const item = this.#queue.shift() as Pdu | DicomnetError; // length checked above
      if (item instanceof Error) {
        this.#broken = true;
        this.#queue.length = 0;
        this.#options.onInvalid(item);
        return;
      }
      let pending: void | Promise<void>;
      try {
        pending = this.#options.onPdu(item);
      } catch (error) {
        this.#fail('state-machine', error);
        return;
      }
      if (pending !== undefined) this.#hold(pending);
    }
  }

  #fail(where: 'decode' | 'state-machine', error: unknown): void {
    this.#broken = true;
    this.#queue.length = 0;
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

function asDicomnetError(error: unknown): DicomnetError {
  if (DicomnetError.isInstance(error)) return error;
  throw error; // a bug, not bad input: contained by #push, which ends the association
}
