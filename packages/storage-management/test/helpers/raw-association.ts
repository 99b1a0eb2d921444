// A raw DICOM requestor for the SCP's and the SCU's tests: Upper Layer PDUs written by hand
// (PS3.8 9.3) on a TCP socket, so it can send what our own dimse client refuses to: a malformed
// SOP Instance UID, a report on a context where it is not SCP, a command whose SOP class is not
// its context's, a Message ID still outstanding.
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import type { DataSet } from '@dicomnet/data';
import { createElementCodec } from '@dicomnet/data';
import type { CommandSet } from '@dicomnet/dimse';
import { decodeCommandSet, encodeCommandSet } from '@dicomnet/dimse';

const APPLICATION_CONTEXT = '1.2.840.10008.3.1.1.1'; // PS3.7 A.2.1
const EXPLICIT = '1.2.840.10008.1.2.1';

function ascii(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function item(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt8(type, 0);
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function pdu(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function aeTitle(title: string): Buffer {
  return ascii(title.padEnd(16, ' '));
}

/** What the raw requestor proposes: one context (ID 1) of `abstractSyntax`. */
export interface RawProposal {
  readonly calledAeTitle: string;
  /** Default `RAWSCP`. */
  readonly callingAeTitle?: string;
  readonly abstractSyntax: string;
  /** The context's one transfer syntax, of the data sets sent and received; default Explicit VR LE. */
  readonly transferSyntax?: string;
  /** SCP/SCU Role Selection to propose (PS3.7 D.3.3.4); absent = no sub-item (we are SCU). */
  readonly roles?: { readonly scu: boolean; readonly scp: boolean } | undefined;
  /** Asynchronous Operations Window (PS3.7 D.3.3.3) invoked/performed; absent = none. */
  readonly window?: number;
}

function associateRq(proposal: RawProposal): Buffer {
  const context = item(
    0x20,
    Buffer.concat([
      Buffer.from([1, 0, 0, 0]),
      item(0x30, ascii(proposal.abstractSyntax)),
      item(0x40, ascii(proposal.transferSyntax ?? EXPLICIT)),
    ]),
  );
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(16384);
  const user: Buffer[] = [item(0x51, maxLength), item(0x52, ascii('1.2.826.0.1.3680043.9.7.1'))];
  if (proposal.window !== undefined) {
    const window = Buffer.alloc(4);
    window.writeUInt16BE(proposal.window, 0);
    window.writeUInt16BE(proposal.window, 2);
    user.push(item(0x53, window));
  }
  if (proposal.roles !== undefined) {
    const uid = ascii(proposal.abstractSyntax);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(uid.length);
    user.push(
      item(
        0x54,
        Buffer.concat([
          length,
          uid,
          Buffer.from([proposal.roles.scu ? 1 : 0, proposal.roles.scp ? 1 : 0]),
        ]),
      ),
    );
  }
  const fixed = Buffer.concat([
    Buffer.from([0, 1, 0, 0]),
    aeTitle(proposal.calledAeTitle),
    aeTitle(proposal.callingAeTitle ?? 'RAWSCP'),
    Buffer.alloc(32),
  ]);
  return pdu(
    0x01,
    Buffer.concat([
      fixed,
      item(0x10, ascii(APPLICATION_CONTEXT)),
      context,
      item(0x50, Buffer.concat(user)),
    ]),
  );
}

function pDataTf(command: boolean, bytes: Uint8Array): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt32BE(bytes.length + 2, 0);
  header.writeUInt8(1, 4); // presentation context ID
  header.writeUInt8(command ? 0x03 : 0x02, 5); // last fragment, command or data (PS3.8 E.2)
  return pdu(0x04, Buffer.concat([header, bytes]));
}

/** A response as received: the command set's fields, and the data set decoded if one came. */
export type RawResponse = CommandSet & { readonly dataSet?: DataSet };

/** A raw requestor on one association. */
export class RawRequestor {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  #command: Buffer[] = [];
  #data: Buffer[] = [];
  /** A response whose data set is still arriving. */
  #open: CommandSet | undefined;
  readonly #responses: RawResponse[] = [];
  #waiting: (() => void) | undefined;
  #accepted: ((result: number) => void) | undefined;
  readonly #codec = createElementCodec();
  readonly #transferSyntax: string;

  private constructor(socket: Socket, transferSyntax: string) {
    this.#socket = socket;
    this.#transferSyntax = transferSyntax;
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('error', () => {});
  }

  /**
   * Connects and negotiates; resolves with the requestor once the presentation context result
   * is known (0 = acceptance), rejects after `ms`.
   */
  static async open(
    port: number,
    proposal: RawProposal,
    ms = 5_000,
  ): Promise<{ requestor: RawRequestor; result: number }> {
    const socket = connectTcp({ host: '127.0.0.1', port });
    const requestor = new RawRequestor(socket, proposal.transferSyntax ?? EXPLICIT);
    const result = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no A-ASSOCIATE-AC within ${ms} ms`)), ms);
      requestor.#accepted = (value) => {
        clearTimeout(timer);
        resolve(value);
      };
      socket.once('connect', () => socket.write(associateRq(proposal)));
      socket.once('close', () => reject(new Error('connection closed during negotiation')));
    });
    return { requestor, result };
  }

  #read(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 6) {
      const length = this.#buffer.readUInt32BE(2);
      if (this.#buffer.length < 6 + length) return;
      const type = this.#buffer.readUInt8(0);
      const body = this.#buffer.subarray(6, 6 + length);
      this.#buffer = this.#buffer.subarray(6 + length);
      if (type === 0x02) this.#accepted?.(contextResult(body));
      else if (type === 0x03) this.#accepted?.(-1);
      else if (type === 0x04) this.#pData(body);
    }
  }

  #pData(body: Buffer): void {
    for (let offset = 0; offset < body.length;) {
      const length = body.readUInt32BE(offset);
      const control = body.readUInt8(offset + 5);
      const fragment = body.subarray(offset + 6, offset + 4 + length);
      offset += 4 + length;
      const last = (control & 0x02) !== 0;
      if ((control & 0x01) === 0) {
        this.#data.push(fragment);
        if (!last || this.#open === undefined) continue;
        const dataSet = this.#codec.decode(Buffer.concat(this.#data), this.#transferSyntax);
        this.#deliver({ ...this.#open, dataSet });
        this.#open = undefined;
        this.#data = [];
        continue;
      }
      this.#command.push(fragment);
      if (!last) continue;
      const command = decodeCommandSet(Buffer.concat(this.#command));
      this.#command = [];
      if (command.commandDataSetType === 0x0101) this.#deliver(command);
      else this.#open = command;
    }
  }

  #deliver(response: RawResponse): void {
    this.#responses.push(response);
    this.#waiting?.();
  }

  /** Sends one request: the command set as given, then the data set in the context's syntax. */
  send(command: Omit<CommandSet, 'commandDataSetType'>, dataSet?: DataSet): void {
    const hasData = dataSet !== undefined;
    this.sendEncoded(
      encodeCommandSet({ ...command, commandDataSetType: hasData ? 0 : 0x0101 }),
      hasData ? this.#codec.encode(dataSet, this.#transferSyntax) : undefined,
    );
  }

  /** Sends a command set and data set as encoded (e.g. by {@link encodeCommand}), unchecked. */
  sendEncoded(command: Uint8Array, dataSet?: Uint8Array): void {
    this.#socket.write(pDataTf(true, command));
    if (dataSet !== undefined) this.#socket.write(pDataTf(false, dataSet));
  }

  /** The next response: its command set, with its data set if it had one; rejects after `ms`. */
  async next(ms = 5_000): Promise<RawResponse> {
    const deadline = Date.now() + ms;
    for (;;) {
      const response = this.#responses.shift();
      if (response !== undefined) return response;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Aborts (A-ABORT) and closes the connection. */
  close(): void {
    this.#socket.end(pdu(0x07, Buffer.alloc(4)));
    this.#socket.destroy();
  }
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

/** The result of presentation context 1 in an A-ASSOCIATE-AC body (PS3.8 §9.3.3.2). */
function contextResult(body: Buffer): number {
  for (let offset = 68; offset + 4 <= body.length;) {
    const type = body.readUInt8(offset);
    const length = body.readUInt16BE(offset + 2);
    if (type === 0x21) return body.readUInt8(offset + 6);
    offset += 4 + length;
  }
  return -1;
}
