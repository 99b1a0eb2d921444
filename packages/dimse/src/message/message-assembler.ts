import type { PDataTf } from '@dicomnet/pdu';
import { DimseProtocolError, MessageTooLargeError, TooManyFragmentsError } from '../errors.js';
import type { DataSink } from './data-sink.js';
import { FRAGMENT_OVERHEAD_BYTES } from './fragment-cost.js';

/** What the assembler asks of its owner. */
export interface MessageAssemblerOptions {
  /**
   * Most a command set may cost while it is collected: its bytes plus
   * {@link FRAGMENT_OVERHEAD_BYTES} per non-empty fragment.
   */
  readonly maxCommandLength: number;
  /** Most PDVs one message (command and data set together) may be split into. */
  readonly maxPdvFragments: number;
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
      /** Bytes plus overhead of the pieces held. */
      cost: number;
    }
  | { readonly kind: 'data'; readonly contextId: number; readonly sink: DataSink };

/** What an assembler holds of a command set being received (for limits and tests). */
export interface AssemblerRetained {
  /** Fragments held. */
  readonly fragments: number;
  /** Their bytes plus {@link FRAGMENT_OVERHEAD_BYTES} each. */
  readonly cost: number;
}

/**
 * Turns PDVs back into messages (PS3.8 Annex E, PS3.7 §6.3): command fragments are joined (they
 * are small and bounded), data-set fragments are handed to the message's sink as they arrive.
 * One message at a time: PS3.8 Annex E.1 forbids interleaving fragments of two messages.
 */
export class MessageAssembler {
  readonly #options: MessageAssemblerOptions;
  #phase: Phase = { kind: 'idle' };
  /** PDVs of the current message so far. */
  #fragments = 0;

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
   * @throws {@link TooManyFragmentsError} for a message split into more than `maxPdvFragments`.
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

  /** What is held of a command set in progress; data-set fragments are held by the sinks. */
  get retained(): AssemblerRetained {
    const phase = this.#phase;
    return phase.kind === 'command'
      ? { fragments: phase.pieces.length, cost: phase.cost }
      : { fragments: 0, cost: 0 };
  }

  /** The association ended: a message in progress will never complete. */
  fail(error: Error): void {
    if (this.#phase.kind === 'data') this.#phase.sink.fail(error);
    this.#phase = { kind: 'idle' };
    this.#fragments = 0;
  }

  #take(
    contextId: number,
    isCommand: boolean,
    isLast: boolean,
    fragment: Uint8Array,
  ): void | Promise<void> {
    const phase = this.#phase;
    if (phase.kind !== 'idle' && ++this.#fragments > this.#options.maxPdvFragments) {
      throw new TooManyFragmentsError(this.#options.maxPdvFragments);
    }
    switch (phase.kind) {
      case 'idle':
        if (!isCommand)
          throw new DimseProtocolError(
            `data set fragment on context ${contextId} before any command`,
          );
        this.#phase = { kind: 'command', contextId, pieces: [], cost: 0 };
        this.#fragments = 0;
        return this.#take(contextId, isCommand, isLast, fragment);
      case 'command': {
        if (!isCommand || contextId !== phase.contextId) {
          throw new DimseProtocolError(
            'command set interrupted by another fragment (PS3.8 Annex E.1)',
          );
        }
        if (fragment.byteLength > 0) {
          // An empty fragment adds nothing to keep; it still counts against maxPdvFragments.
          phase.cost += fragment.byteLength + FRAGMENT_OVERHEAD_BYTES;
          if (phase.cost > this.#options.maxCommandLength) {
            throw new MessageTooLargeError('command', this.#options.maxCommandLength);
          }
          phase.pieces.push(fragment);
        }
        if (!isLast) return undefined;
        const command =
          phase.pieces.length === 1 && phase.pieces[0]
            ? phase.pieces[0]
            : Buffer.concat(phase.pieces);
        this.#phase = { kind: 'idle' }; // before onCommand: a throw there leaves nothing held
        const sink = this.#options.onCommand(contextId, command);
        if (sink !== undefined) this.#phase = { kind: 'data', contextId, sink };
        else this.#fragments = 0;
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
          this.#fragments = 0;
          return written === undefined ? phase.sink.end() : written.then(() => phase.sink.end());
        }
        return written;
      }
    }
  }
}
