/**
 * Entry point of the floor C-GET SCU (dist/floor-get.js PORT CALLED DIR STUDY SERIES [plain]):
 * the least a Node process does to retrieve a series with C-GET into files, a reference line for
 * `dimse-get`, as the floor receiver is for `dimse-store`. It checks nothing the peer sends and
 * is no product code. It proposes Study Root GET and Secondary Capture (as SCP, PS3.7 D.3.3.4),
 * both in Explicit VR Little Endian, and sends a SERIES-level C-GET-RQ (PS3.4 C.4.3) twice: the
 * first one's sub-operations are only answered, untimed, to warm up; the second one's instances
 * are each written atomically (floor-bytes.ts `writeInstance`, no fsync; with `plain`, straight
 * under its name as getscu does) and answered Success. At the final C-GET-RSP it releases and
 * prints one JSON line: the seconds from the second request to its final response, the process
 * CPU µs over them, the status and the instances written. Association set-up is not timed.
 */
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  associateRequest,
  commandPdu,
  implicit,
  item,
  pDataPdu,
  pdu,
  proposedContext,
  messageReader,
  runScuAssociation,
  storeResponse,
  uid,
  us,
  userInformation,
  writeInstance,
} from './floor-bytes.js';

const [portText, called, dir, study, series, plain] = process.argv.slice(2);
const how = plain === 'plain' ? 'plain' : 'rename';
if (
  portText === undefined ||
  called === undefined ||
  dir === undefined ||
  study === undefined ||
  series === undefined
) {
  throw new Error('usage: PORT CALLED DIR STUDY SERIES [plain]');
}
mkdirSync(dir, { recursive: true });

const STUDY_ROOT_GET = '1.2.840.10008.5.1.4.1.2.2.3';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';
const C_STORE_RQ = 0x0001;
const C_GET_RSP = 0x8010;
const PENDING = 0xff00;
const GET_CONTEXT = 1;
const STORE_CONTEXT = 3;

/** SCP/SCU Role Selection for `abstractSyntax`: SCP role only (PS3.7 D.3.3.4). */
function scpRole(abstractSyntax: string): Buffer {
  const name = Buffer.from(abstractSyntax, 'latin1');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(name.length);
  return item(0x54, Buffer.concat([length, name, Buffer.from([0, 1])]));
}

/** An Explicit VR Little Endian element with a short (16-bit) length. */
function explicit(group: number, element: number, vr: string, value: Buffer): Buffer {
  const out = Buffer.alloc(8 + value.length);
  out.writeUInt16LE(group, 0);
  out.writeUInt16LE(element, 2);
  out.write(vr, 4, 'latin1');
  out.writeUInt16LE(value.length, 6);
  value.copy(out, 8);
  return out;
}

/** The C-GET-RQ and its identifier: the series at SERIES level. */
function getRequest(messageId: number): Buffer[] {
  const command = commandPdu(GET_CONTEXT, [
    implicit(0x0000_0002, uid(STUDY_ROOT_GET)),
    implicit(0x0000_0100, us(0x0010)),
    implicit(0x0000_0110, us(messageId)),
    implicit(0x0000_0700, us(0)),
    implicit(0x0000_0800, us(0x0000)),
  ]);
  const identifier = Buffer.concat([
    explicit(0x0008, 0x0052, 'CS', Buffer.from('SERIES', 'latin1')),
    explicit(0x0020, 0x000d, 'UI', uid(study ?? '')),
    explicit(0x0020, 0x000e, 'UI', uid(series ?? '')),
  ]);
  return [command, pDataPdu(GET_CONTEXT, 0x02, identifier)];
}

const socket = connect(Number(portText), '127.0.0.1');
socket.setNoDelay(true);
/** The first C-GET only answers its sub-operations, untimed: it warms the JIT up. */
let warming = true;
let written = 0;
let started = 0;
let cpuAtStart: NodeJS.CpuUsage | undefined;
let result: { seconds: number; cpuMicros: number; status: number; written: number } | undefined;

const onPdv = messageReader(
  (_context, command) => {
    if (command.field !== C_GET_RSP || command.status === PENDING) return;
    if (warming) {
      warming = false;
      cpuAtStart = process.cpuUsage();
      started = performance.now();
      for (const bytes of getRequest(2)) socket.write(bytes);
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    result = { seconds, cpuMicros: cpu.user + cpu.system, status: command.status, written };
    socket.write(pdu(0x05, Buffer.alloc(4)));
  },
  (context, command, data) => {
    if (command.field !== C_STORE_RQ) return;
    if (!warming) {
      writeInstance(dir, command, EXPLICIT, data, how);
      written++;
    }
    socket.write(storeResponse(context, command));
  },
);

runScuAssociation(
  socket,
  () => {
    for (const bytes of getRequest(1)) socket.write(bytes);
  },
  onPdv,
  () => result,
);

socket.write(
  associateRequest(called, 'FLOOR', [
    proposedContext(GET_CONTEXT, STUDY_ROOT_GET, EXPLICIT),
    proposedContext(STORE_CONTEXT, SECONDARY_CAPTURE, EXPLICIT),
    userInformation([scpRole(SECONDARY_CAPTURE)]),
  ]),
);
