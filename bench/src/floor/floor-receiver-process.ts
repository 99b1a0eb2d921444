/**
 * Entry point of the floor receiver (dist/floor-receiver.js PORT DIR [sync]): the least a Node
 * process does to receive C-STOREs into files, a reference line for `dimse-store`, `dimse-echo`
 * and `repository-ingest`, the way the pdu benchmarks compare with a plain socket. It checks
 * nothing a peer sends and is no product code: it accepts every presentation context with the
 * first transfer syntax proposed, grants the asynchronous operations window asked for (PS3.7
 * D.3.3.3; it answers each request as its last byte arrives, so any window is kept), answers
 * C-ECHO, writes each instance atomically (floor-bytes.ts `writeInstance`; with `sync`, one
 * `fdatasync` each), answers Success, and releases.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import {
  applicationContext,
  commandPdu,
  forEachItem,
  forEachPdv,
  forEachSubItem,
  implicit,
  item,
  NO_DATA_SET,
  patchedCommandPdu,
  pdu,
  messageReader,
  readPdus,
  storeResponse,
  uid,
  userInformation,
  us,
  writeInstance,
} from './floor-bytes.js';

const [portText, dirArgument, syncArgument] = process.argv.slice(2);
const how = syncArgument === 'sync' ? 'rename-fdatasync' : 'rename';
if (portText === undefined || dirArgument === undefined) throw new Error('usage: PORT DIR [sync]');
const dir = dirArgument;
mkdirSync(dir, { recursive: true });

const VERIFICATION = '1.2.840.10008.1.1';
const C_ECHO_RQ = 0x0030;
const C_STORE_RQ = 0x0001;

/** The Success C-ECHO-RSP, its context and Message ID Being Responded To patched per answer. */
const ECHO_RESPONSE = commandPdu(0, [
  implicit(0x0000_0002, uid(VERIFICATION)),
  implicit(0x0000_0100, us(0x8030)),
  implicit(0x0000_0120, us(0)),
  implicit(0x0000_0800, us(NO_DATA_SET)),
  implicit(0x0000_0900, us(0x0000)),
]);

/** A-ASSOCIATE-AC for an A-ASSOCIATE-RQ `body`: every context accepted (PS3.8 9.3.3). */
function accept(body: Buffer, syntaxes: Map<number, string>): Buffer {
  const items: Buffer[] = [];
  const granted: Buffer[] = [];
  forEachItem(body, (type, content) => {
    if (type === 0x50) {
      forEachSubItem(content, 0, (subType, value) => {
        if (subType === 0x53) granted.push(item(0x53, value));
      });
      return;
    }
    if (type !== 0x20) return;
    const id = content[0] ?? 0;
    let first: string | undefined;
    forEachSubItem(content, 4, (subType, value) => {
      if (subType === 0x40) first ??= value.toString('latin1').replace(/\0$/, '');
    });
    if (first === undefined) return;
    syntaxes.set(id, first);
    const syntax = item(0x40, Buffer.from(first, 'latin1'));
    items.push(item(0x21, Buffer.concat([Buffer.from([id, 0, 0, 0]), syntax])));
  });
  // The fixed fields echo the request's: called and calling AE titles as asked.
  const fixed = body.subarray(0, 68);
  return pdu(
    0x02,
    Buffer.concat([fixed, applicationContext(), ...items, userInformation(granted)]),
  );
}

/** One association: PDUs parsed as they complete, each instance written when its data ends. */
function serve(socket: Socket): void {
  socket.setNoDelay(true);
  const syntaxes = new Map<number, string>();
  const onPdv = messageReader(
    (context, command) => {
      if (command.field === C_ECHO_RQ) {
        socket.write(patchedCommandPdu(ECHO_RESPONSE, context, 0x0000_0120, command.messageId));
      } else if (command.field !== C_STORE_RQ || !command.hasDataSet) {
        socket.destroy(); // nothing else is asked of this receiver
      }
    },
    (context, command, data) => {
      writeInstance(dir, command, syntaxes.get(context) ?? '1.2.840.10008.1.2', data, how);
      socket.write(storeResponse(context, command));
    },
  );

  readPdus(socket, (type, body) => {
    if (type === 0x01) socket.write(accept(body, syntaxes));
    else if (type === 0x04) forEachPdv(body, onPdv);
    else if (type === 0x05) socket.end(pdu(0x06, Buffer.alloc(4)));
    else socket.destroy();
  });
  socket.on('error', () => socket.destroy());
}

createServer(serve).listen(Number(portText), '127.0.0.1');
