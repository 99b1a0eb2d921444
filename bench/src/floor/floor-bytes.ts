/**
 * The bytes the floor processes (floor-receiver-process.ts, floor-get-process.ts) read and write:
 * PDUs, A-ASSOCIATE items, command sets, Part 10 headers. Reference code for the benchmarks, not
 * product code: written for speed and brevity, it checks nothing a peer sends.
 */
import { closeSync, fdatasyncSync, openSync, renameSync, writevSync } from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';

export const IMPLEMENTATION_UID = '1.2.826.0.1.3680043.9.7433.9.1';
export const NO_DATA_SET = 0x0101;

/** An item or sub-item of an A-ASSOCIATE PDU (PS3.8 9.3.2). */
export function item(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header[0] = type;
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

export function pdu(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(6);
  header[0] = type;
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

/** A UID padded to even length with NUL (PS3.5 9.1). */
export function uid(text: string): Buffer {
  return Buffer.from(text.length % 2 === 0 ? text : `${text}\0`, 'latin1');
}

/** An Implicit VR Little Endian element, as command sets are (PS3.7 6.3.1). */
export function implicit(tag: number, value: Buffer): Buffer {
  const out = Buffer.alloc(8 + value.length);
  out.writeUInt16LE(tag >>> 16, 0);
  out.writeUInt16LE(tag & 0xffff, 2);
  out.writeUInt32LE(value.length, 4);
  value.copy(out, 8);
  return out;
}

export function us(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value);
  return out;
}

/** One PDV of `value` on `context` in one P-DATA-TF PDU; `header` its control byte (PS3.8 9.3.5). */
export function pDataPdu(context: number, header: number, value: Buffer): Buffer {
  const pdv = Buffer.alloc(6);
  pdv.writeUInt32BE(value.length + 2);
  pdv[4] = context;
  pdv[5] = header;
  return pdu(0x04, Buffer.concat([pdv, value]));
}

/** A command set with its group length, in one P-DATA-TF PDU on `context`. */
export function commandPdu(context: number, elements: Buffer[]): Buffer {
  const body = Buffer.concat(elements);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(body.length);
  return pDataPdu(context, 0x03, Buffer.concat([implicit(0x0000_0000, groupLength), body]));
}

/**
 * A copy of `template`, a command PDU of one PDV (`commandPdu`), sent on `context` with the
 * 16-bit value of command element `tag` set to `value`: one allocation, for a message sent often.
 */
export function patchedCommandPdu(
  template: Buffer,
  context: number,
  tag: number,
  value: number,
): Buffer {
  const out = Buffer.from(template);
  out[10] = context;
  // After the PDU header (6), the PDV header (6) and each element before `tag`.
  for (let at = 12; at + 8 <= out.length; at += 8 + out.readUInt32LE(at + 4)) {
    if (((out.readUInt16LE(at) << 16) | out.readUInt16LE(at + 2)) >>> 0 === tag) {
      out.writeUInt16LE(value, at + 8);
      return out;
    }
  }
  throw new RangeError(`no element ${tag.toString(16)} in the template`);
}

/** A-ASSOCIATE-RQ: the 68 fixed bytes, the application context, then `items` (PS3.8 9.3.2). */
export function associateRequest(called: string, calling: string, items: Buffer[]): Buffer {
  const fixed = Buffer.alloc(68, 0x20);
  fixed.writeUInt16BE(1, 0); // protocol version
  fixed.writeUInt16BE(0, 2);
  fixed.write(called.padEnd(16), 4, 'latin1');
  fixed.write(calling.padEnd(16), 20, 'latin1');
  fixed.fill(0, 36, 68);
  return pdu(0x01, Buffer.concat([fixed, applicationContext(), ...items]));
}

/** The DICOM Application Context Name item (PS3.7 A.2.1). */
export function applicationContext(): Buffer {
  return item(0x10, Buffer.from('1.2.840.10008.3.1.1.1', 'latin1'));
}

/** A presentation context proposing `abstractSyntax` in one `transferSyntax` (PS3.8 9.3.2.2). */
export function proposedContext(
  id: number,
  abstractSyntax: string,
  transferSyntax: string,
): Buffer {
  return item(
    0x20,
    Buffer.concat([
      Buffer.from([id, 0, 0, 0]),
      item(0x30, Buffer.from(abstractSyntax, 'latin1')),
      item(0x40, Buffer.from(transferSyntax, 'latin1')),
    ]),
  );
}

/** The User Information item: maximum PDU length 16 KiB, our implementation UID, `more`. */
export function userInformation(more: Buffer[] = []): Buffer {
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(16_384);
  const implementation = item(0x52, Buffer.from(IMPLEMENTATION_UID, 'latin1'));
  return item(0x50, Buffer.concat([item(0x51, maxLength), implementation, ...more]));
}

/** Calls `onItem` for each item of an A-ASSOCIATE PDU body, after its 68 fixed bytes. */
export function forEachItem(body: Buffer, onItem: (type: number, content: Buffer) => void): void {
  for (let at = 68; at + 4 <= body.length;) {
    const length = body.readUInt16BE(at + 2);
    onItem(body[at] ?? 0, body.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
}

/** Calls `onItem` for each sub-item of a presentation context or User Information item. */
export function forEachSubItem(
  content: Buffer,
  from: number,
  onSubItem: (type: number, value: Buffer) => void,
): void {
  for (let at = from; at + 4 <= content.length;) {
    const length = content.readUInt16BE(at + 2);
    onSubItem(content[at] ?? 0, content.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
}

/** The fields of a received command set that the floor processes need. */
export interface Command {
  readonly field: number;
  readonly messageId: number;
  readonly sopClass: string;
  readonly sopInstance: string;
  readonly status: number;
  readonly hasDataSet: boolean;
}

export function readCommand(bytes: Buffer): Command {
  let field = 0;
  let messageId = 0;
  let sopClass = '';
  let sopInstance = '';
  let status = 0;
  let dataSetType = NO_DATA_SET;
  for (let at = 0; at + 8 <= bytes.length;) {
    const tag = ((bytes.readUInt16LE(at) << 16) | bytes.readUInt16LE(at + 2)) >>> 0;
    const length = bytes.readUInt32LE(at + 4);
    const start = at + 8;
    at = start + length;
    if (tag === 0x0000_0002) sopClass = bytes.toString('latin1', start, at).replace(/\0$/, '');
    else if (tag === 0x0000_0100) field = bytes.readUInt16LE(start);
    else if (tag === 0x0000_0110) messageId = bytes.readUInt16LE(start);
    else if (tag === 0x0000_0800) dataSetType = bytes.readUInt16LE(start);
    else if (tag === 0x0000_0900) status = bytes.readUInt16LE(start);
    else if (tag === 0x0000_1000)
      sopInstance = bytes.toString('latin1', start, at).replace(/\0$/, '');
  }
  return {
    field,
    messageId,
    sopClass,
    sopInstance,
    status,
    hasDataSet: dataSetType !== NO_DATA_SET,
  };
}

/** The Success C-STORE-RSP to `request` (PS3.7 9.3.1.2). */
export function storeResponse(context: number, request: Command): Buffer {
  return commandPdu(context, [
    implicit(0x0000_0002, uid(request.sopClass)),
    implicit(0x0000_0100, us(0x8001)),
    implicit(0x0000_0120, us(request.messageId)),
    implicit(0x0000_0800, us(NO_DATA_SET)),
    implicit(0x0000_0900, us(0x0000)),
    implicit(0x0000_1000, uid(request.sopInstance)),
  ]);
}

/** An Explicit VR Little Endian UI element of the File Meta Information (PS3.10 7.1). */
function metaUid(element: number, text: string): Buffer {
  const value = uid(text);
  const out = Buffer.alloc(8 + value.length);
  out.writeUInt16LE(0x0002, 0);
  out.writeUInt16LE(element, 2);
  out.write('UI', 4, 'latin1');
  out.writeUInt16LE(value.length, 6);
  value.copy(out, 8);
  return out;
}

/** Preamble, prefix and File Meta Information of one instance. */
function fileHeader(sopClass: string, sopInstance: string, syntax: string): Buffer {
  const version = Buffer.from([0x02, 0x00, 0x01, 0x00, 0x4f, 0x42, 0, 0, 2, 0, 0, 0, 0x00, 0x01]);
  const rest = Buffer.concat([
    version,
    metaUid(0x0002, sopClass),
    metaUid(0x0003, sopInstance),
    metaUid(0x0010, syntax),
    metaUid(0x0012, IMPLEMENTATION_UID),
  ]);
  const head = Buffer.alloc(132 + 12);
  head.write('DICM', 128, 'latin1');
  head.writeUInt16LE(0x0002, 132);
  head.write('UL', 136, 'latin1');
  head.writeUInt16LE(4, 138);
  head.writeUInt32LE(rest.length, 140);
  return Buffer.concat([head, rest]);
}

let fileCount = 0;

/** How the floor writes a file: atomically (and with one `fdatasync`), or plainly as DCMTK does. */
export type FloorWrite = 'rename' | 'rename-fdatasync' | 'plain';

/**
 * Writes one received instance as `<dir>/<SOP Instance UID>.dcm` with one `writev`: under a
 * temporary name renamed into place (atomic, as ours are; with `rename-fdatasync`, one
 * `fdatasync` before the rename, the one flush per instance that any durable receiver pays), or
 * straight under its name (`plain`: open, write, close, as storescp and getscu do).
 */
export function writeInstance(
  dir: string,
  request: Command,
  syntax: string,
  data: readonly Buffer[],
  how: FloorWrite,
): void {
  const file = path.join(dir, `${request.sopInstance}.dcm`);
  const temporary = how === 'plain' ? file : `${file}.${++fileCount}.part`;
  const fd = openSync(temporary, how === 'plain' ? 'w' : 'wx');
  writevSync(fd, [fileHeader(request.sopClass, request.sopInstance, syntax), ...data]);
  if (how === 'rename-fdatasync') fdatasyncSync(fd);
  closeSync(fd);
  if (how !== 'plain') renameSync(temporary, file);
}

/**
 * Splits what `socket` receives into PDUs, each passed to `onPdu` as its type and a view of its
 * body (valid until `onPdu` returns, or longer: no buffer is reused).
 */
export function readPdus(socket: Socket, onPdu: (type: number, body: Buffer) => void): void {
  let pending: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    let bytes = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    pending = undefined;
    while (bytes.length >= 6) {
      const end = 6 + bytes.readUInt32BE(2);
      if (bytes.length < end) break;
      const type = bytes[0] ?? 0;
      const body = bytes.subarray(6, end);
      bytes = bytes.subarray(end);
      onPdu(type, body);
    }
    if (bytes.length > 0) pending = bytes;
  });
}

/**
 * A floor SCU's association on `socket` once its A-ASSOCIATE-RQ is written: at the A-ASSOCIATE-AC
 * (every context accepted, or it throws) `onAccepted`; each PDV to `onPdv`; at the A-RELEASE-RP
 * the socket ends and `result()` is printed as one JSON line, what the benchmark reads.
 */
export function runScuAssociation(
  socket: Socket,
  onAccepted: () => void,
  onPdv: (context: number, header: number, value: Buffer) => void,
  result: () => unknown,
): void {
  readPdus(socket, (type, body) => {
    if (type === 0x02) {
      forEachItem(body, (itemType, content) => {
        if (itemType === 0x21 && content[2] !== 0) {
          throw new Error(`presentation context ${content[0]} rejected (${content[2]})`);
        }
      });
      onAccepted();
    } else if (type === 0x04) {
      forEachPdv(body, onPdv);
    } else if (type === 0x06) {
      socket.end();
      process.stdout.write(`${JSON.stringify(result())}\n`);
    } else {
      throw new Error(`unexpected PDU type ${type}`);
    }
  });
}

/**
 * An `onPdv` for {@link forEachPdv} that joins PDVs into messages (PS3.8 E.2): `onCommand` at
 * the end of each command set, `onDataSet` with its command and chunks at the end of a data set.
 */
export function messageReader(
  onCommand: (context: number, command: Command) => void,
  onDataSet: (context: number, command: Command, data: Buffer[]) => void,
): (context: number, header: number, value: Buffer) => void {
  let commandParts: Buffer[] = [];
  let command: Command | undefined;
  let data: Buffer[] = [];
  return (context, header, value) => {
    if ((header & 0x01) === 0) {
      data.push(value);
      if ((header & 0x02) !== 0 && command !== undefined) {
        onDataSet(context, command, data);
        data = [];
      }
      return;
    }
    commandParts.push(value);
    if ((header & 0x02) === 0) return;
    command = readCommand(commandParts.length === 1 ? value : Buffer.concat(commandParts));
    commandParts = [];
    onCommand(context, command);
  };
}

/** Calls `onPdv` for each PDV of a P-DATA-TF body: its context, control byte and value. */
export function forEachPdv(
  body: Buffer,
  onPdv: (context: number, header: number, value: Buffer) => void,
): void {
  for (let at = 0; at + 6 <= body.length;) {
    const length = body.readUInt32BE(at);
    onPdv(body[at + 4] ?? 0, body[at + 5] ?? 0, body.subarray(at + 6, at + 4 + length));
    at += 4 + length;
  }
}
