/**
 * `dicomnet serve` under the hostile shapes of issue 13: the CLI's SCP runs in its own process
 * (packages/cli/dist/bin.js, as users start it); its resident set size is read from /proc when
 * idle, and after each shape beside that shape's peak (VmHWM, reset before each shape through
 * /proc/<pid>/clear_refs). Each shape is fed from a raw socket as fast as the server takes it,
 * and after each a fresh association must still answer C-ECHO.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssociationProposal } from '@dicomnet/pdu';
import { buildAssociateRq, encodePdu, PduReader } from '@dicomnet/pdu';
import type { Benchmark, BenchmarkOptions, BenchmarkResult, Cell } from '../benchmark.js';
import { freePort } from '../dimse/dcmtk.js';
import { MIB, now, secondsSince } from '../measure.js';

/** The CLI's built entry point: bench/dist/run.js → packages/cli/dist/bin.js. */
const BIN = fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
const VERIFICATION = '1.2.840.10008.1.1';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
/** What `dicomnet serve` accepts as P-DATA-TF length by default (its maxPduLength). */
const PDU_BODY = 16_384;

const proposal = (callingAeTitle: string): AssociationProposal => ({
  callingAeTitle,
  calledAeTitle: 'DICOMNET',
  contexts: [
    { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] }, // 1
    { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }, // 3
    { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [IMPLICIT] }, // 5
    { abstractSyntax: VERIFICATION, transferSyntaxes: [EXPLICIT] }, // 7
  ],
});

interface Pdv {
  readonly context: number;
  readonly header: number; // message control header: bit 0 command, bit 1 last
  readonly fragment: Uint8Array;
}

/** A P-DATA-TF of `pdvs`, encoded by hand: odd lengths and all (PS3.8 9.3.5). */
function pData(pdvs: readonly Pdv[]): Buffer {
  let length = 0;
  for (const pdv of pdvs) length += 6 + pdv.fragment.byteLength;
  const bytes = Buffer.alloc(6 + length);
  bytes[0] = 0x04;
  bytes.writeUInt32BE(length, 2);
  let at = 6;
  for (const pdv of pdvs) {
    bytes.writeUInt32BE(pdv.fragment.byteLength + 2, at);
    bytes[at + 4] = pdv.context;
    bytes[at + 5] = pdv.header;
    bytes.set(pdv.fragment, at + 6);
    at += 6 + pdv.fragment.byteLength;
  }
  return bytes;
}

/** As many copies of `make(i)` as fit in one P-DATA-TF of serve's maximum length. */
function fullPdu(size: number, make: (index: number) => Pdv): Buffer {
  const count = Math.floor(PDU_BODY / (6 + size));
  return pData(Array.from({ length: count }, (_, index) => make(index)));
}

/** A command set (Implicit VR LE, PS3.7 §6.3.1) from (element, value) pairs of group 0000. */
function commandSet(elements: readonly [number, Buffer][]): Buffer {
  const body = Buffer.concat(
    elements.map(([element, value]) => {
      const header = Buffer.alloc(8);
      header.writeUInt16LE(0x0000, 0);
      header.writeUInt16LE(element, 2);
      header.writeUInt32LE(value.length, 4);
      return Buffer.concat([header, value]);
    }),
  );
  const length = Buffer.alloc(12);
  length.writeUInt32LE(0x00000000, 0);
  length.writeUInt32LE(4, 4);
  length.writeUInt32LE(body.length, 8);
  return Buffer.concat([length, body]);
}
const us = (value: number): Buffer => Buffer.from([value & 0xff, value >> 8]);
const ui = (uid: string): Buffer => Buffer.from(uid.length % 2 === 0 ? uid : `${uid}\0`, 'latin1');

function echoCommand(messageId: number): Buffer {
  return commandSet([
    [0x0002, ui(VERIFICATION)],
    [0x0100, us(0x0030)],
    [0x0110, us(messageId)],
    [0x0800, us(0x0101)],
  ]);
}

function storeCommand(messageId: number, instanceUid: string): Buffer {
  return commandSet([
    [0x0002, ui(SECONDARY_CAPTURE)],
    [0x0100, us(0x0001)],
    [0x0110, us(messageId)],
    [0x0700, us(0)],
    [0x0800, us(0x0000)],
    [0x1000, ui(instanceUid)],
  ]);
}

/** The data set's start: SOP Class UID and SOP Instance UID, Explicit VR LE. */
function uidElements(instanceUid: string): Buffer {
  const element = (tag: number, uid: string): Buffer => {
    const value = ui(uid);
    const header = Buffer.alloc(8);
    header.writeUInt16LE(0x0008, 0);
    header.writeUInt16LE(tag, 2);
    header.write('UI', 4, 'latin1');
    header.writeUInt16LE(value.length, 6);
    return Buffer.concat([header, value]);
  };
  return Buffer.concat([element(0x0016, SECONDARY_CAPTURE), element(0x0018, instanceUid)]);
}

/** A raw connection to the server that reads PDUs back. */
class RawClient {
  readonly socket: Socket;
  readonly #reader = new PduReader({ maxPduLength: 1 << 24, maxAssociatePduLength: 1 << 20 });
  readonly types: number[] = [];
  closed = false;
  readonly #closedPromise: Promise<void>;
  #onPdu: (() => void) | undefined;

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('error', () => {});
    this.socket.on('data', (chunk: Buffer) => {
      try {
        for (const pdu of this.#reader.push(chunk)) this.types.push(pdu.type);
      } catch {
        this.socket.destroy();
      }
      this.#onPdu?.();
    });
    this.#closedPromise = new Promise((resolve) =>
      this.socket.once('close', () => {
        this.closed = true;
        this.#onPdu?.();
        resolve();
      }),
    );
  }

  /** Waits for the first PDU of a type in `types`, or the close; resolves with it (0 = closed). */
  waitFor(types: readonly number[], ms: number): Promise<number> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(-1), ms);
      const check = (): void => {
        const found = this.types.find((type) => types.includes(type));
        if (found !== undefined) finish(found);
        else if (this.closed) finish(0);
      };
      const finish = (value: number): void => {
        clearTimeout(timer);
        this.#onPdu = undefined;
        resolve(value);
      };
      this.#onPdu = check;
      check();
    });
  }

  /**
   * Writes `bytes`, waiting for the socket to drain; false once the server hung up or stopped
   * reading for `stallMs`.
   */
  async write(bytes: Uint8Array, stallMs = 30_000): Promise<boolean> {
    if (this.closed || this.socket.destroyed) return false;
    if (this.socket.write(bytes)) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      new Promise<boolean>((resolve) => this.socket.once('drain', () => resolve(true))),
      this.#closedPromise.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), stallMs))),
    ]);
    clearTimeout(timer);
    return drained && !this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** The shapes: what is sent after a valid A-ASSOCIATE-RQ, at most `bytes` of it. */
interface Shape {
  readonly id: string;
  readonly label: string;
  readonly callingAeTitle?: string;
  /** The PDUs to send after the association is accepted, repeating the last until `bytes`. */
  readonly opening: readonly Buffer[];
  readonly repeat: Buffer | undefined;
  readonly bytes: number;
  /** Never read what the server answers (its answers pile up on its side, if anywhere). */
  readonly unread?: boolean;
}

function shapes(quick: boolean): Shape[] {
  const emptyPdvs = fullPdu(0, () => ({ context: 1, header: 0x01, fragment: Buffer.alloc(0) }));
  const oneBytePdvs = fullPdu(1, () => ({ context: 1, header: 0x01, fragment: Buffer.of(0) }));
  const contexts = [1, 3, 5, 7];
  const openMessages = fullPdu(8, (index) => ({
    context: contexts[index % contexts.length] ?? 1,
    header: 0x01,
    fragment: echoCommand(1).subarray(0, 8),
  }));
  const echoes = fullPdu(echoCommand(1).length, (index) => ({
    context: 1,
    header: 0x03,
    fragment: echoCommand((index % 60_000) + 1),
  }));
  const uid = '1.2.826.0.1.3680043.8.498.1313';
  const data = pData([{ context: 3, header: 0x00, fragment: Buffer.alloc(PDU_BODY - 6) }]);
  return [
    {
      id: 'empty-pdvs',
      label: '5,000,000 empty PDVs, never the last',
      opening: [],
      repeat: emptyPdvs,
      bytes: quick ? 3_000_000 : 5_000_000 * 6,
    },
    {
      id: 'one-byte-pdvs',
      label: '1-byte PDVs, never the last',
      opening: [],
      repeat: oneBytePdvs,
      bytes: quick ? 3_000_000 : 35_000_000,
    },
    {
      id: 'open-messages',
      label: 'open messages on 4 contexts, interleaved',
      opening: [],
      repeat: openMessages,
      bytes: quick ? 3_000_000 : 30_000_000,
    },
    {
      id: 'unread-answers',
      label: 'C-ECHO requests, answers never read',
      opening: [],
      repeat: echoes,
      bytes: quick ? 3_000_000 : 30_000_000,
      unread: true,
    },
    {
      id: 'endless-data-set',
      label: 'a C-STORE data set that never ends',
      opening: [
        pData([{ context: 3, header: 0x03, fragment: storeCommand(1, uid) }]),
        pData([{ context: 3, header: 0x00, fragment: uidElements(uid) }]),
      ],
      repeat: data,
      bytes: quick ? 64 * MIB : 5 * 1024 * MIB,
    },
    {
      id: 'bad-calling-ae',
      label: 'A-ASSOCIATE-RQ, calling AE with byte C3H',
      callingAeTitle: 'BAD\u00c3AE',
      opening: [],
      repeat: undefined,
      bytes: 0,
    },
  ];
}

/** The RQ of a shape: a bad calling AE is put in by hand (our encoder rightly refuses it). */
function associateRq(shape: Shape): Buffer {
  const good = Buffer.from(encodePdu(buildAssociateRq(proposal('HOSTILE'))));
  if (shape.callingAeTitle === undefined) return good;
  // Calling AE Title: bytes 26–41 of the A-ASSOCIATE-RQ (PS3.8 Table 9-11).
  const bad = Buffer.from(good);
  Buffer.from(shape.callingAeTitle.padEnd(16, ' '), 'latin1').copy(bad, 26);
  return bad;
}

const PDU_NAMES: Readonly<Record<number, string>> = {
  0: 'closed',
  [-1]: 'still open',
  2: 'A-ASSOCIATE-AC',
  3: 'A-ASSOCIATE-RJ',
  7: 'A-ABORT',
};

async function feed(port: number, shape: Shape): Promise<{ sent: number; ended: string }> {
  const client = new RawClient(port);
  await new Promise((resolve) => client.socket.once('connect', resolve));
  await client.write(associateRq(shape));
  const answer = await client.waitFor([2, 3, 7], 10_000);
  if (answer !== 2) {
    client.close();
    return { sent: 0, ended: PDU_NAMES[answer] ?? String(answer) };
  }
  client.types.length = 0;
  if (shape.unread === true) client.socket.pause();
  let sent = 0;
  let stalled = false;
  for (const pdu of shape.opening) if (await client.write(pdu)) sent += pdu.length;
  const repeat = shape.repeat;
  if (repeat !== undefined) {
    // Stop at the cap, at an A-ABORT, or once the server has stopped reading for 3 s.
    while (sent < shape.bytes && !client.types.includes(7)) {
      if (!(await client.write(repeat, 3_000))) {
        stalled = !client.closed;
        break;
      }
      sent += repeat.length;
    }
  }
  if (stalled) {
    client.close();
    return { sent, ended: 'stopped reading' };
  }
  // Past the cap the server may never answer (the shape was within its limits): wait briefly.
  const ended = await client.waitFor([7], sent >= shape.bytes ? 2_000 : 30_000);
  client.close();
  return { sent, ended: PDU_NAMES[ended] ?? String(ended) };
}

/** Whether a fresh association gets its C-ECHO answered with Success. */
async function answersEcho(port: number): Promise<boolean> {
  const client = new RawClient(port);
  await new Promise((resolve) => client.socket.once('connect', resolve));
  await client.write(
    associateRq({ id: 'echo', label: '', opening: [], repeat: undefined, bytes: 0 }),
  );
  if ((await client.waitFor([2, 3, 7], 10_000)) !== 2) {
    client.close();
    return false;
  }
  client.types.length = 0;
  await client.write(pData([{ context: 1, header: 0x03, fragment: echoCommand(99) }]));
  const answered = (await client.waitFor([4], 10_000)) === 4;
  client.close();
  return answered;
}

/** VmRSS and VmHWM of a process, in bytes (Linux /proc). */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** Resets the peak (VmHWM) to the current RSS: `echo 5 > /proc/<pid>/clear_refs`. */
async function resetPeak(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

async function startServe(storage: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--folder', storage, '--port', String(port), '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('dicomnet serve did not listen in 15 s')),
      15_000,
    );
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`dicomnet serve exited (${code})`)));
  });
  child.stdout?.resume(); // keep reading its log so it never blocks on a full pipe
  return child;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number): number => bytes / 1_000_000;

async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const start = now();
  const storage = await mkdtemp(path.join(tmpdir(), 'dicomnet-bench-serve-'));
  const port = await freePort();
  const child = await startServe(storage, port);
  const pid = child.pid ?? 0;
  const rows: Record<string, Cell>[] = [];
  try {
    if (!(await answersEcho(port))) throw new Error('dicomnet serve does not answer C-ECHO');
    await sleep(1_000);
    const idle = await memoryOf(pid);
    rows.push({
      id: 'idle',
      shape: 'idle, after one C-ECHO',
      sentMb: 0,
      ended: '—',
      rssMb: mb(idle.rss),
      peakMb: mb(idle.peak),
      echo: 'yes',
    });
    for (const shape of shapes(options.quick)) {
      await resetPeak(pid);
      const { sent, ended } = await feed(port, shape);
      await sleep(500);
      const after = await memoryOf(pid);
      const alive = child.exitCode === null && (await answersEcho(port));
      rows.push({
        id: shape.id,
        shape: shape.label,
        sentMb: mb(sent),
        ended,
        rssMb: mb(after.rss),
        peakMb: mb(after.peak),
        echo: alive ? 'yes' : 'NO',
      });
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(undefined),
    );
    await rm(storage, { recursive: true, force: true });
  }
  return {
    name: 'serve-hostile',
    title: '`dicomnet serve` (default limits) under hostile peers: resident set size and C-ECHO',
    columns: [
      { key: 'shape', header: 'shape (after a valid association unless said)' },
      { key: 'sentMb', header: 'sent MB', digits: 1 },
      { key: 'ended', header: 'server answered' },
      { key: 'rssMb', header: 'RSS after MB', digits: 1 },
      { key: 'peakMb', header: 'peak RSS MB', digits: 1 },
      { key: 'echo', header: 'C-ECHO after' },
    ],
    rows,
    notes: [
      'RSS after: VmRSS 0.5 s after the shape ended; peak: VmHWM during the shape (reset before each).',
      'Sent MB: bytes written until the server ended the association (or the cap was reached).',
    ],
    seconds: secondsSince(start),
  };
}

export const serveHostileBenchmark: Benchmark = { name: 'serve-hostile', suite: 'serve', run };
