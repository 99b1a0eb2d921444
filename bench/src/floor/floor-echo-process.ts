/**
 * Entry point of the floor C-ECHO SCU (dist/floor-echo.js PORT COUNT): the least a Node process
 * does to send C-ECHO requests one after the other on one association, a reference line for
 * `dimse-echo`, as the floor receiver is for our SCP. It checks nothing the peer sends and is no
 * product code. It proposes Verification in Implicit VR Little Endian, sends 2 × COUNT + 1
 * C-ECHO-RQs each once the response before has arrived (the first COUNT + 1 untimed, to warm
 * up), releases, and prints one JSON line: the seconds of the last COUNT round trips and the
 * process CPU µs over them. Association set-up and release are not timed.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  associateRequest,
  commandPdu,
  implicit,
  NO_DATA_SET,
  patchedCommandPdu,
  pdu,
  proposedContext,
  runScuAssociation,
  uid,
  us,
  userInformation,
} from './floor-bytes.js';

const [portText, countText] = process.argv.slice(2);
const count = Number(countText);
// Message IDs are 1 … 2 × COUNT + 1, all distinct (PS3.7 9.1.1.1: an unsigned 16-bit value).
if (portText === undefined || !(count > 0 && 2 * count < 0xffff)) {
  throw new Error('usage: PORT COUNT');
}

const VERIFICATION = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const CONTEXT = 1;

const ECHO_REQUEST = commandPdu(CONTEXT, [
  implicit(0x0000_0002, uid(VERIFICATION)),
  implicit(0x0000_0100, us(0x0030)),
  implicit(0x0000_0110, us(0)),
  implicit(0x0000_0800, us(NO_DATA_SET)),
]);

function echoRequest(messageId: number): Buffer {
  return patchedCommandPdu(ECHO_REQUEST, CONTEXT, 0x0000_0110, messageId);
}

const socket = connect(Number(portText), '127.0.0.1');
socket.setNoDelay(true);
let sent = 0;
let started = 0;
let cpuAtStart: NodeJS.CpuUsage | undefined;
let result: { seconds: number; cpuMicros: number } | undefined;

/**
 * Each response (one PDV, the whole command: the floor reads no more of it) sends the next. The
 * first COUNT + 1 warm the JIT up, untimed, as the benchmark's warm-up pass does for our SCU.
 */
const onResponse = (): void => {
  if (sent === count + 1) {
    cpuAtStart = process.cpuUsage();
    started = performance.now();
  }
  if (sent <= 2 * count) {
    socket.write(echoRequest(++sent));
    return;
  }
  const cpu = process.cpuUsage(cpuAtStart);
  result = { seconds: (performance.now() - started) / 1000, cpuMicros: cpu.user + cpu.system };
  socket.write(pdu(0x05, Buffer.alloc(4)));
};

runScuAssociation(
  socket,
  () => socket.write(echoRequest(++sent)),
  onResponse,
  () => result,
);

socket.write(
  associateRequest('ANY-SCP', 'FLOOR', [
    proposedContext(CONTEXT, VERIFICATION, IMPLICIT),
    userInformation(),
  ]),
);
