import type { PDataTf } from '@dicomnet/pdu';
import { DimseProtocolError, MessageTooLargeError } from '../errors.js';
import type { DataSink } from './data-sink.js';

/** What the assembler asks of its owner. */
export interface MessageAssemblerOptions {
  /** Most bytes a command set may have. */
  readonly maxCommandLength: number;
  /**
   * A whole command set has arrived on `presentationContextId`. Return where its data set goes,
   * or `undefined` when the command announces none (the message is then complete).
   */
  readonly onCommand: (presentationContextId: number, command: Uint8Array) => DataSink | undefined;
}

type Phase =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'command';
      readonly contextId: number;
      readonly pieces: Uint8Array[];
      length: number;
    }
  | { readonly kind: 'data'; readonly contextId: number; readonly sink: DataSink };

/**
 * Turns PDVs back into messages (PS3.8 Annex E, PS3.7 §6.3): command fragments are joined (they
 * are small and bounded), data-set fragments are handed to the message's sink as they arrive.
 * One message at a time: PS3.8 Annex E.1 forbids interleaving fragments of two messages.
 */
export class MessageAssembler {
  readonly #options: MessageAssemblerOptions;
  #phase: Phase = { kind: 'idle' };

  constructor(options: MessageAssemblerOptions) {
    this.#options = options;
  }

  /** Whether a message is partly received. */
  get busy(): boolean {
    return this.#phase.kind !== 'idle';
  }

  /**
   * Takes the PDVs of one P-DATA-TF. Returns a promise when a sink pushes back.
   * @throws {@link DimseProtocolError} for a PDV sequence the rules forbid.
   * @throws {@link MessageTooLargeError} for a command set over the limit.
   */
  push(pdu: PDataTf): void | Promise<void> {
    const pdvs = pdu.pdvs;
    for (let index = 0; index < pdvs.length; index++) {
      const pdv = pdvs[index];
      if (pdv === undefined) break;
      const pending = this.#take(
        pdv.presentationContextId,
        pdv.isCommand,
        pdv.isLast,
        pdv.fragment,
      );
      if (pending !== undefined) {
        // Backpressure: the rest of this PDU continues once the sink has room.
        const rest: PDataTf = { type: 'P-DATA-TF', pdvs: pdvs.slice(index + 1) };
        return pending.then(() => (rest.pdvs.length > 0 ? this.push(rest) : undefined));
      }
    }
    return undefined;
  }

  /** The association ended: a message in progress will never complete. */
  fail(error: Error): void {
    if (this.#phase.kind === 'data') this.#phase.sink.fail(error);
    this.#phase = { kind: 'idle' };
  }

  #take(
    contextId: number,
    isCommand: boolean,
    isLast: boolean,
    fragment: Uint8Array,
  ): void | Promise<void> {
    const phase = this.#phase;
    switch (phase.kind) {
      case 'idle':
        if (!isCommand)
          throw new DimseProtocolError(
            `data set fragment on context ${contextId} before any command`,
          );
        this.#phase = { kind: 'command', contextId, pieces: [], length: 0 };
        return this.#take(contextId, isCommand, isLast, fragment);
      case 'command': {
        if (!isCommand || contextId !== phase.contextId) {
          throw new DimseProtocolError(
            'command set interrupted by another fragment (PS3.8 Annex E.1)',
          );
        }
        phase.length += fragment.byteLength;
        if (phase.length > this.#options.maxCommandLength) {
          throw new MessageTooLargeError('command', this.#options.maxCommandLength);
        }
        phase.pieces.push(fragment);
        if (!isLast) return undefined;
        const command =
          phase.pieces.length === 1 && phase.pieces[0]
            ? phase.pieces[0]
            : Buffer.concat(phase.pieces);
        const sink = this.#options.onCommand(contextId, command);
        this.#phase = sink === undefined ? { kind: 'idle' } : { kind: 'data', contextId, sink };
        return undefined;
      }
      case 'data': {
        if (isCommand)
          throw new DimseProtocolError('a command fragment arrived before the data set ended');
        if (contextId !== phase.contextId) {
          throw new DimseProtocolError(
            `data set fragment on context ${contextId}, expected ${phase.contextId}`,
          );
        }
        const written = phase.sink.write(fragment);
        if (isLast) {
          this.#phase = { kind: 'idle' };
          return written === undefined ? phase.sink.end() : written.then(() => phase.sink.end());
        }
        return written;
      }
    }
  }
}
