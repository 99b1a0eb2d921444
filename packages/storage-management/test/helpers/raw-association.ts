// A requester written on bare TCP and hand-built PDUs (PS3.8 9.3): it sends command sets the
// dimse client would refuse to send (a malformed SOP Instance UID, a Message ID already in use),
// so the SCP's answers to them can be checked end to end.
import { connect, type Socket } from 'node:net';
import type { CommandSet } from '@dicomnet/dimse';
import { decodeCommandSet } from '@dicomnet/dimse';

const APPLICATION_CONTEXT = '1.2.840.10008.3.1.1.1'; // PS3.7 A.2.1
const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1141';

function item(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function uidItem(type: number, uid: string): Buffer {
  return item(type, Buffer.from(uid, 'ascii'));
}

function pdu(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function aeTitle(title: string): Buffer {
  return Buffer.from(title.padEnd(16, ' '), 'ascii');
}

/** A-ASSOCIATE-RQ proposing `abstractSyntax` on context 1 with Implicit VR LE, window 4/1. */
function associateRq(calling: string, called: string, abstractSyntax: string): Buffer {
  const fixed = Buffer.alloc(4);
  fixed.writeUInt16BE(1, 0); // protocol version 1
  const context = item(
    0x20,
    Buffer.concat([
      Buffer.from([1, 0, 0, 0]),
      uidItem(0x30, abstractSyntax),
      uidItem(0x40, IMPLICIT_VR_LITTLE_ENDIAN),
    ]),
  );
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(16_384, 0);
  const window = Buffer.alloc(4);
  window.writeUInt16BE(4, 0); // invoked
  window.writeUInt16BE(1, 2); // performed
  const userInformation = item(
    0x50,
    Buffer.concat([
      item(0x51, maxLength),
      uidItem(0x52, IMPLEMENTATION_CLASS_UID),
      item(0x53, window),
    ]),
  );
  return pdu(
    0x01,
    Buffer.concat([
      fixed,
      aeTitle(called),
      aeTitle(calling),
      Buffer.alloc(32),
      uidItem(0x10, APPLICATION_CONTEXT),
      context,
      userInformation,
    ]),
  );
}

/** One element of an Implicit VR Little Endian data set: a string padded, or a US. */
export type RawElement = readonly [group: number, element: number, value: string | number];

/**
 * Encodes elements in Implicit VR Little Endian (PS3.5 7.1.3) without any check, so a value
 * may break the rules the dimse encoder enforces; strings are padded to even length with NUL.
 */
export function encodeElements(elements: readonly RawElement[]): Buffer {
  return Buffer.concat(
    elements.map(([group, element, value]) => {
      let bytes: Buffer;
      if (typeof value === 'number') {
        bytes = Buffer.alloc(2);
        bytes.writeUInt16LE(value, 0);
      } else {
        bytes = Buffer.from(value.length % 2 === 0 ? value : `${value}\0`, 'latin1');
      }
      const header = Buffer.alloc(8);
      header.writeUInt16LE(group, 0);
      header.writeUInt16LE(element, 2);
      header.writeUInt32LE(bytes.length, 4);
      return Buffer.concat([header, bytes]);
    }),
  );
}

/** A command set (group 0000) with its Command Group Length first (PS3.7 E.1). */
export function encodeCommand(elements: readonly RawElement[]): Buffer {
  const body = encodeElements(elements);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.length, 0);
  return Buffer.concat([Buffer.from([0, 0, 0, 0, 4, 0, 0, 0]), length, body]);
}

/** One PDV in one P-DATA-TF on context 1, last fragment; a command or a data set (PS3.8 E.2). */
function pdvPdu(bytes: Uint8Array, isCommand: boolean): Buffer {
  const pdv = Buffer.alloc(6);
  pdv.writeUInt32BE(bytes.length + 2, 0);
  pdv.writeUInt8(1, 4); // presentation context ID
  pdv.writeUInt8(isCommand ? 0x03 : 0x02, 5);
  return pdu(0x04, Buffer.concat([pdv, Buffer.from(bytes)]));
}

/** A raw association: send command sets, read the command sets that come back. */
export class RawAssociation {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  readonly #pdus: { type: number; body: Buffer }[] = [];
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 6) {
        const length = this.#buffer.readUInt32BE(2);
        if (this.#buffer.length < 6 + length) break;
        this.#pdus.push({
          type: this.#buffer.readUInt8(0),
          body: this.#buffer.subarray(6, 6 + length),
        });
        this.#buffer = this.#buffer.subarray(6 + length);
      }
      this.#wake?.();
    });
    socket.on('error', () => this.#wake?.());
  }

  /** Connects and negotiates; rejects unless the A-ASSOCIATE-AC accepts context 1. */
  static async open(
    port: number,
    calling: string,
    called: string,
    abstractSyntax: string,
  ): Promise<RawAssociation> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const association = new RawAssociation(socket);
    socket.write(associateRq(calling, called, abstractSyntax));
    const answer = await association.#next();
    if (answer.type !== 0x02) throw new Error(`association not accepted (PDU type ${answer.type})`);
    return association;
  }

  async #next(ms = 5_000): Promise<{ type: number; body: Buffer }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const first = this.#pdus.shift();
      if (first !== undefined) return first;
      const left = deadline - Date.now();
      if (left <= 0 || this.#socket.destroyed) throw new Error(`no PDU within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Sends one command set, and its data set when given. */
  send(command: Uint8Array, dataSet?: Uint8Array): void {
    this.#socket.write(pdvPdu(command, true));
    if (dataSet !== undefined) this.#socket.write(pdvPdu(dataSet, false));
  }

  /** The next command set received (one PDV per P-DATA-TF, as our SCP sends short commands). */
  async receive(ms?: number): Promise<CommandSet> {
    const next = await this.#next(ms);
    if (next.type !== 0x04) throw new Error(`expected P-DATA-TF, got PDU type ${next.type}`);
    const length = next.body.readUInt32BE(0);
    return decodeCommandSet(next.body.subarray(6, 4 + length));
  }

  close(): void {
    this.#socket.destroy();
  }
}
