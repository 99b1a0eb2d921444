/**
 * Entry point of the floor receiver (dist/floor-receiver.js PORT DIR [sync]): the least a Node process
 * does to receive C-STOREs into files, as a reference line for `repository-ingest`, the way the
 * pdu benchmarks compare with a plain socket. It checks nothing a peer sends and is no product
 * code: it accepts every presentation context with the first transfer syntax proposed, answers
 * C-ECHO, writes each instance as a Part 10 file under a temporary name and renames it (atomic,
 * as ours; never synced, as storescp; with `sync`, one `fdatasync` of the file before the rename,
 * the one flush per instance that any durable receiver pays, as Orthanc does), answers Success,
 * and releases. Written for speed only:
 * one parse per PDU, no copies but the command set's, one `writev` per file.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, renameSync, writevSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import path from 'node:path';

const [portText, dirArgument, syncArgument] = process.argv.slice(2);
const sync = syncArgument === 'sync';
if (portText === undefined || dirArgument === undefined) throw new Error('usage: PORT DIR');
const dir = dirArgument;
mkdirSync(dir, { recursive: true });

const IMPLEMENTATION_UID = '1.2.826.0.1.3680043.9.7433.9.1';
const VERIFICATION = '1.2.840.10008.1.1';
const C_ECHO_RQ = 0x0030;
const C_STORE_RQ = 0x0001;
const NO_DATA_SET = 0x0101;
let fileCount = 0;

/** An item or sub-item of an A-ASSOCIATE PDU (PS3.8 9.3.2). */
function item(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header[0] = type;
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function pdu(type: number, body: Buffer): Buffer {
  const header = Buffer.alloc(6);
  header[0] = type;
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

/** A UID padded to even length with NUL (PS3.5 9.1). */
function uid(text: string): Buffer {
  return Buffer.from(text.length % 2 === 0 ? text : `${text}\0`, 'latin1');
}

/** An Implicit VR Little Endian element, as command sets are (PS3.7 6.3.1). */
function implicit(tag: number, value: Buffer): Buffer {
  const out = Buffer.alloc(8 + value.length);
  out.writeUInt16LE(tag >>> 16, 0);
  out.writeUInt16LE(tag & 0xffff, 2);
  out.writeUInt32LE(value.length, 4);
  value.copy(out, 8);
  return out;
}

function us(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value);
  return out;
}

/** A command set with its group length, in one P-DATA-TF PDU on `context` (PS3.8 9.3.5). */
function commandPdu(context: number, elements: Buffer[]): Buffer {
  const body = Buffer.concat(elements);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(body.length);
  const command = Buffer.concat([implicit(0x0000_0000, groupLength), body]);
  const pdv = Buffer.alloc(6);
  pdv.writeUInt32BE(command.length + 2);
  pdv[4] = context;
  pdv[5] = 0x03; // command, last fragment
  return pdu(0x04, Buffer.concat([pdv, command]));
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

/** The fields of a received command set this receiver needs. */
interface Command {
  readonly field: number;
  readonly messageId: number;
  readonly sopClass: string;
  readonly sopInstance: string;
  readonly hasDataSet: boolean;
}

function readCommand(bytes: Buffer): Command {
  let field = 0;
  let messageId = 0;
  let sopClass = '';
  let sopInstance = '';
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
    else if (tag === 0x0000_1000)
      sopInstance = bytes.toString('latin1', start, at).replace(/\0$/, '');
  }
  return { field, messageId, sopClass, sopInstance, hasDataSet: dataSetType !== NO_DATA_SET };
}

/** A-ASSOCIATE-AC for an A-ASSOCIATE-RQ `body`: every context accepted (PS3.8 9.3.3). */
function accept(body: Buffer, syntaxes: Map<number, string>): Buffer {
  const items = [item(0x10, Buffer.from('1.2.840.10008.3.1.1.1', 'latin1'))];
  for (let at = 68; at + 4 <= body.length;) {
    const type = body[at];
    const length = body.readUInt16BE(at + 2);
    const content = body.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    if (type !== 0x20) continue;
    const id = content[0] ?? 0;
    let first: string | undefined;
    for (let sub = 4; sub + 4 <= content.length;) {
      const subLength = content.readUInt16BE(sub + 2);
      if (content[sub] === 0x40 && first === undefined) {
        first = content.toString('latin1', sub + 4, sub + 4 + subLength).replace(/\0$/, '');
      }
      sub += 4 + subLength;
    }
    if (first === undefined) continue;
    syntaxes.set(id, first);
    const syntax = item(0x40, Buffer.from(first, 'latin1'));
    items.push(item(0x21, Buffer.concat([Buffer.from([id, 0, 0, 0]), syntax])));
  }
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(16_384);
  const implementation = item(0x52, Buffer.from(IMPLEMENTATION_UID, 'latin1'));
  items.push(item(0x50, Buffer.concat([item(0x51, maxLength), implementation])));
  return pdu(0x02, Buffer.concat([body.subarray(0, 68), ...items]));
}

/** One association: PDUs parsed as they complete, each instance written when its data ends. */
function serve(socket: Socket): void {
  socket.setNoDelay(true);
  const syntaxes = new Map<number, string>();
  let pending: Buffer | undefined;
  let commandParts: Buffer[] = [];
  let command: Command | undefined;
  let data: Buffer[] = [];

  const store = (context: number, done: Command): void => {
    const syntax = syntaxes.get(context) ?? '1.2.840.10008.1.2';
    const file = path.join(dir, `${done.sopInstance}.dcm`);
    const temporary = `${file}.${++fileCount}.part`;
    const fd = openSync(temporary, 'wx');
    writevSync(fd, [fileHeader(done.sopClass, done.sopInstance, syntax), ...data]);
    if (sync) fdatasyncSync(fd);
    closeSync(fd);
    renameSync(temporary, file);
    data = [];
    socket.write(
      commandPdu(context, [
        implicit(0x0000_0002, uid(done.sopClass)),
        implicit(0x0000_0100, us(0x8001)),
        implicit(0x0000_0120, us(done.messageId)),
        implicit(0x0000_0800, us(NO_DATA_SET)),
        implicit(0x0000_0900, us(0x0000)),
        implicit(0x0000_1000, uid(done.sopInstance)),
      ]),
    );
  };

  const onPData = (body: Buffer): void => {
    for (let at = 0; at + 6 <= body.length;) {
      const length = body.readUInt32BE(at);
      const context = body[at + 4] ?? 0;
      const header = body[at + 5] ?? 0;
      const value = body.subarray(at + 6, at + 4 + length);
      at += 4 + length;
      if ((header & 0x01) === 0) {
        data.push(value);
        if ((header & 0x02) !== 0 && command !== undefined) store(context, command);
        continue;
      }
      commandParts.push(value);
      if ((header & 0x02) === 0) continue;
      command = readCommand(Buffer.concat(commandParts));
      commandParts = [];
      if (command.field === C_ECHO_RQ) {
        socket.write(
          commandPdu(context, [
            implicit(0x0000_0002, uid(VERIFICATION)),
            implicit(0x0000_0100, us(0x8030)),
            implicit(0x0000_0120, us(command.messageId)),
            implicit(0x0000_0800, us(NO_DATA_SET)),
            implicit(0x0000_0900, us(0x0000)),
          ]),
        );
      } else if (command.field !== C_STORE_RQ || !command.hasDataSet) {
        socket.destroy(); // nothing else is asked of this receiver
      }
    }
  };

  socket.on('data', (chunk: Buffer) => {
    let bytes = pending === undefined ? chunk : Buffer.concat([pending, chunk]);
    pending = undefined;
    while (bytes.length >= 6) {
      const end = 6 + bytes.readUInt32BE(2);
      if (bytes.length < end) break;
      const type = bytes[0];
      const body = bytes.subarray(6, end);
      bytes = bytes.subarray(end);
      if (type === 0x01) socket.write(accept(body, syntaxes));
      else if (type === 0x04) onPData(body);
      else if (type === 0x05) socket.end(pdu(0x06, Buffer.alloc(4)));
      else socket.destroy();
    }
    if (bytes.length > 0) pending = bytes;
  });
  socket.on('error', () => socket.destroy());
}

createServer(serve).listen(Number(portText), '127.0.0.1');
