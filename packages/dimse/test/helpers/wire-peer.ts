import type { Duplex } from 'node:stream';
import type { AssociationProposal, Pdu, Pdv } from '@dicomnet/pdu';
import { buildAssociateRq, decodePdu, encodePdu, PduReader } from '@dicomnet/pdu';
import { decodeCommandSet, encodeCommandSet, toCommandSet } from '../../src/command/index.js';
import type { CommandSet } from '../../src/command/index.js';

/*
 * A hostile peer that writes bytes of its own choosing on a transport and reads what comes back
 * as PDUs: no state machine, no rules, so it can send what a well-behaved implementation never
 * would (endless PDVs, interleaved messages, lying lengths).
 */

export const VERIFICATION = '1.2.840.10008.1.1';
export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
export const IMPLICIT = '1.2.840.10008.1.2';
export const EXPLICIT = '1.2.840.10008.1.2.1';

/** What the peer saw: a PDU, or the end of the connection. */
export type WireEvent = Pdu | { readonly type: 'closed' };

/** One side of a connection, driven byte by byte. */
export class WirePeer {
  readonly #socket: Duplex;
  readonly #reader = new PduReader({ maxPduLength: 1 << 24, maxAssociatePduLength: 1 << 20 });
  readonly #events: WireEvent[] = [];
  readonly #waiting: ((event: WireEvent) => void)[] = [];
  #closed = false;

  constructor(socket: Duplex) {
    this.#socket = socket;
    socket.on('data', (chunk: Uint8Array) => {
      try {
        for (const raw of this.#reader.push(chunk)) this.#emit(decodePdu(raw));
      } catch {
        socket.destroy(); // our side sent something we cannot read: treat as a close
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#closed = true;
      this.#emit({ type: 'closed' });
    });
  }

  /** Whether the connection has closed. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Writes raw bytes; false when the connection is gone. */
  write(bytes: Uint8Array): boolean {
    if (this.#socket.destroyed || !this.#socket.writable) return false;
    this.#socket.write(bytes);
    return true;
  }

  /** Sends one P-DATA-TF holding `pdvs`, unchecked: see {@link encodePDataTfUnchecked}. */
  sendPdvs(pdvs: readonly Pdv[]): boolean {
    return this.write(encodePDataTfUnchecked(pdvs));
  }

  /** Sends an A-ASSOCIATE-RQ and returns the answer (AC, RJ, an abort or the close). */
  async associate(proposal: AssociationProposal, ms = 5_000): Promise<WireEvent> {
    this.write(encodePdu(buildAssociateRq(proposal)));
    return this.next(ms);
  }

  /** The next PDU from our side, or the close; rejects after `ms` so a test never hangs. */
  next(ms = 5_000): Promise<WireEvent> {
    const ready = this.#events.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.#closed) return Promise.resolve({ type: 'closed' });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(onEvent), 1);
        reject(new Error(`nothing from the server within ${ms} ms`));
      }, ms);
      timer.unref();
      const onEvent = (event: WireEvent): void => {
        clearTimeout(timer);
        resolve(event);
      };
      this.#waiting.push(onEvent);
    });
  }

  /** Reads until an A-ABORT or the close (within `ms`); returns what ended it. */
  async untilEnd(ms = 5_000): Promise<WireEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const event = await this.next(Math.max(1, deadline - Date.now()));
      if (event.type === 'A-ABORT' || event.type === 'closed') return event;
    }
  }

  /** Sends a C-ECHO-RQ on `contextId` and returns the status of its answer. */
  async echo(messageId: number, contextId = 1, ms = 5_000): Promise<number> {
    this.sendPdvs([
      {
        presentationContextId: contextId,
        isCommand: true,
        isLast: true,
        fragment: echoRq(messageId),
      },
    ]);
    const deadline = Date.now() + ms;
    for (;;) {
      const event = await this.next(Math.max(1, deadline - Date.now()));
      if (event.type !== 'P-DATA-TF') throw new Error(`expected a C-ECHO-RSP, got ${event.type}`);
      const command = commandOf(event.pdvs);
      if (command !== undefined && command.messageIdBeingRespondedTo === messageId) {
        return command.status ?? -1;
      }
    }
  }

  /** Closes the transport from our side. */
  destroy(): void {
    this.#socket.destroy();
  }

  #emit(event: WireEvent): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter(event);
    else this.#events.push(event);
  }
}

/** The command set of a C-ECHO-RQ (PS3.7 Table 9.3-12). */
/**
 * A P-DATA-TF holding `pdvs`, encoded without any check (odd lengths, any context ID), as a
 * hostile peer would (PS3.8 9.3.5: item length, context ID, control header, fragment).
 */
export function encodePDataTfUnchecked(pdvs: readonly Pdv[]): Uint8Array {
  let length = 0;
  for (const pdv of pdvs) length += 6 + pdv.fragment.byteLength;
  const bytes = new Uint8Array(6 + length);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x04;
  view.setUint32(2, length);
  let at = 6;
  for (const pdv of pdvs) {
    view.setUint32(at, pdv.fragment.byteLength + 2);
    bytes[at + 4] = pdv.presentationContextId;
    bytes[at + 5] = (pdv.isCommand ? 1 : 0) | (pdv.isLast ? 2 : 0);
    bytes.set(pdv.fragment, at + 6);
    at += 6 + pdv.fragment.byteLength;
  }
  return bytes;
}

export function echoRq(messageId: number, sopClassUid = VERIFICATION): Uint8Array {
  return encodeCommandSet(
    toCommandSet({ kind: 'C-ECHO-RQ', messageId, affectedSopClassUid: sopClassUid }),
  );
}

/** The command set of a C-STORE-RQ with a data set to follow (PS3.7 Table 9.3-1). */
export function storeRq(
  messageId: number,
  sopInstanceUid: string,
  sopClassUid = SECONDARY_CAPTURE,
): Uint8Array {
  return encodeCommandSet(
    toCommandSet({
      kind: 'C-STORE-RQ',
      messageId,
      affectedSopClassUid: sopClassUid,
      affectedSopInstanceUid: sopInstanceUid,
      priority: 0,
    }),
  );
}

/** The command of a P-DATA-TF that holds one whole command set in its PDVs, if any. */
export function commandOf(pdvs: readonly Pdv[]): CommandSet | undefined {
  const pieces = pdvs.filter((pdv) => pdv.isCommand).map((pdv) => pdv.fragment);
  if (pieces.length === 0 || pdvs.find((pdv) => pdv.isCommand && pdv.isLast) === undefined) {
    return undefined;
  }
  return decodeCommandSet(Buffer.concat(pieces));
}

/** A proposal of Verification (context 1) and Secondary Capture (context 3). */
export function proposal(callingAeTitle = 'HOSTILE'): AssociationProposal {
  return {
    callingAeTitle,
    calledAeTitle: 'DICOMNET',
    contexts: [
      { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
      { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
    ],
  };
}
