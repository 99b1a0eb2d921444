import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { decodePDataTf } from '../codec/index.js';
import type { PDataTf } from '../codec/index.js';
import { InvalidStateError } from '../association-errors.js';
import { MessageWriter } from './message-writer.js';

/**
 * A transport that records what reaches it, one entry per `_write`/`_writev` call (one system
 * call on a socket), and can hold its callbacks to play a peer that does not read.
 */
class RecordingTransport extends Duplex {
  readonly calls: Uint8Array[][] = [];
  holding = false;
  readonly #held: (() => void)[] = [];

  constructor() {
    super({ read() {} });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.#record([chunk], callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: () => void): void {
    this.#record(
      chunks.map((entry) => entry.chunk),
      callback,
    );
  }

  release(): void {
    this.holding = false;
    for (const callback of this.#held.splice(0)) callback();
  }

  get bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.calls.flat()));
  }

  #record(chunks: Uint8Array[], callback: () => void): void {
    this.calls.push(chunks);
    if (this.holding) this.#held.push(callback);
    else callback();
  }
}

function writerOn(transport: Duplex, beforeWrite = (): InvalidStateError | undefined => undefined) {
  const writer = new MessageWriter({ associationId: 'test', beforeWrite });
  writer.attach(transport);
  return writer;
}

function even(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let index = 0; index < length; index++) out[index] = (index + seed) & 0xff;
  return out;
}

/** The P-DATA-TF PDUs of a byte stream (whole PDUs only). */
function pdusOf(stream: Uint8Array): PDataTf[] {
  const pdus: PDataTf[] = [];
  let at = 0;
  while (at + 6 <= stream.byteLength) {
    const length = Buffer.from(stream.buffer, stream.byteOffset + at, 6).readUInt32BE(2);
    if (at + 6 + length > stream.byteLength) break;
    expect(stream[at]).toBe(0x04);
    pdus.push(decodePDataTf(stream.subarray(at + 6, at + 6 + length)));
    at += 6 + length;
  }
  return pdus;
}

/** A TCP connection on 127.0.0.1: our `client` end, the server's `peer` end, both connected. */
async function tcpPair(): Promise<{ server: Server; client: Socket; peer: Socket }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect(address.port, '127.0.0.1');
  await once(client, 'connect');
  const [peer] = await accepted;
  return { server, client, peer };
}

describe('MessageWriter', () => {
  it('sends a small message as one PDU with two PDVs in one write', async () => {
    const transport = new RecordingTransport();
    const writer = writerOn(transport);
    await writer.send(
      { presentationContextId: 1, command: even(80, 1), dataSet: even(300, 2) },
      16384,
    );
    await new Promise(setImmediate);
    expect(transport.calls).toHaveLength(1);
    expect(transport.calls[0]).toHaveLength(1);
    const [pdu] = pdusOf(transport.bytes);
    expect(pdu?.pdvs.map((pdv) => [pdv.isCommand, pdv.isLast, pdv.fragment.byteLength])).toEqual([
      [true, true, 80],
      [false, true, 300],
    ]);
  });

  it('lets messages sent in one turn share one writev, in order', async () => {
    const transport = new RecordingTransport();
    const writer = writerOn(transport);
    const sent: Promise<void>[] = [];
    for (let index = 0; index < 20; index++) {
      sent.push(
        writer.send(
          { presentationContextId: 3, command: even(40, index), dataSet: even(100, index) },
          0,
        ),
      );
    }
    await Promise.all(sent);
    await new Promise(setImmediate);
    expect(transport.calls).toHaveLength(1);
    const pdus = pdusOf(transport.bytes);
    expect(pdus).toHaveLength(20);
    pdus.forEach((pdu, index) => {
      expect(pdu.pdvs[0]?.fragment).toEqual(even(40, index));
      expect(pdu.pdvs[1]?.fragment).toEqual(even(100, index));
    });
  });

  it('keeps order when a streamed message follows messages still under the cork', async () => {
    const transport = new RecordingTransport();
    const writer = writerOn(transport);
    async function* stream(): AsyncGenerator<Uint8Array> {
      yield even(1000, 7);
      yield even(1000, 8);
    }
    const sent = [
      writer.send({ presentationContextId: 1, command: even(20, 1), dataSet: even(20, 2) }, 1006),
      writer.send({ presentationContextId: 1, command: even(20, 3), dataSet: stream() }, 1006),
      writer.send({ presentationContextId: 1, command: even(20, 4) }, 1006),
    ];
    await Promise.all(sent);
    await new Promise(setImmediate);
    const pdvs = pdusOf(transport.bytes).flatMap((pdu) => pdu.pdvs);
    expect(pdvs.map((pdv) => [pdv.isCommand, pdv.fragment[0]])).toEqual([
      [true, 1],
      [false, 2],
      [true, 3],
      [false, 7],
      [false, 8],
      [true, 4],
    ]);
  });

  it('holds no batch past 64 KiB: a long burst leaves in several writes', async () => {
    const transport = new RecordingTransport();
    const writer = writerOn(transport);
    const sent: Promise<void>[] = [];
    for (let index = 0; index < 40; index++) {
      sent.push(
        writer.send({ presentationContextId: 1, command: even(100, 0), dataSet: even(4000, 0) }, 0),
      );
    }
    await Promise.all(sent);
    await new Promise(setImmediate);
    expect(transport.calls.length).toBeGreaterThanOrEqual(3);
    for (const call of transport.calls) {
      const size = call.reduce((sum, chunk) => sum + chunk.byteLength, 0);
      expect(size).toBeLessThanOrEqual(64 * 1024 + 4112);
    }
    expect(pdusOf(transport.bytes)).toHaveLength(40);
  });

  it('pauses a producer of small messages while the transport does not drain', async () => {
    const transport = new RecordingTransport();
    transport.holding = true;
    const writer = writerOn(transport);
    let sent = 0;
    let blocked = false;
    const message = { presentationContextId: 1, command: even(100, 0), dataSet: even(8000, 0) };
    // Bounded: the budget is 256 KiB, so the producer must be stopped within ~40 messages.
    while (sent < 200) {
      const pending = writer.send(message, 0);
      const settled = await Promise.race([
        pending.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 50)),
      ]);
      if (!settled) {
        blocked = true;
        expect(transport.writableLength).toBeLessThanOrEqual(256 * 1024 + 64 * 1024 + 8200);
        transport.release();
        await pending;
        break;
      }
      sent++;
    }
    expect(blocked).toBe(true);
    expect(sent).toBeLessThan(60);
    await writer.idle();
  });

  it('fragments for a peer with a small maximum PDU length', async () => {
    const transport = new RecordingTransport();
    const writer = writerOn(transport);
    const command = even(90, 1);
    const dataSet = even(1000, 2);
    await writer.send({ presentationContextId: 7, command, dataSet }, 64);
    await new Promise(setImmediate);
    const pdus = pdusOf(transport.bytes);
    const fragments = (isCommand: boolean): Uint8Array =>
      new Uint8Array(
        Buffer.concat(
          pdus.flatMap((pdu) =>
            pdu.pdvs.filter((pdv) => pdv.isCommand === isCommand).map((pdv) => pdv.fragment),
          ),
        ),
      );
    for (const pdu of pdus) {
      expect(
        pdu.pdvs.reduce((sum, pdv) => sum + 6 + pdv.fragment.byteLength, 0),
      ).toBeLessThanOrEqual(64);
    }
    expect(fragments(true)).toEqual(command);
    expect(fragments(false)).toEqual(dataSet);
    expect(pdus.flatMap((pdu) => pdu.pdvs).filter((pdv) => pdv.isLast)).toHaveLength(2);
  });

  it('writes nothing and rejects when the state machine refuses the first PDU', async () => {
    const transport = new RecordingTransport();
    const refusal = new InvalidStateError('Sta13', 'send P-DATA');
    const writer = writerOn(transport, () => refusal);
    await expect(writer.send({ presentationContextId: 1, command: even(10, 0) }, 0)).rejects.toBe(
      refusal,
    );
    await new Promise(setImmediate);
    expect(transport.calls).toHaveLength(0);
  });

  it('delivers a thousand small messages over TCP in order', async () => {
    const { server, client, peer } = await tcpPair();
    const received: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => received.push(chunk));
    const writer = writerOn(client);
    const count = 1000;
    for (let index = 0; index < count; index++) {
      const tag = Uint8Array.of(index & 0xff, index >> 8);
      await writer.send(
        { presentationContextId: 1, command: tag, dataSet: even(200, index) },
        16384,
      );
    }
    const total = count * (12 + 2 + 6 + 200);
    for (let waited = 0; Buffer.concat(received).byteLength < total && waited < 100; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    client.destroy();
    peer.destroy();
    server.close();
    const pdus = pdusOf(new Uint8Array(Buffer.concat(received)));
    expect(pdus).toHaveLength(count);
    pdus.forEach((pdu, index) => {
      expect(Array.from(pdu.pdvs[0]?.fragment ?? [])).toEqual([index & 0xff, index >> 8]);
      expect(pdu.pdvs[1]?.fragment).toEqual(even(200, index));
    });
  });

  describe('onWritten', () => {
    /** Counts the calls of a message's `onWritten` and keeps the last error it was given. */
    function counter(): {
      readonly onWritten: (error?: Error | null) => void;
      readonly calls: () => number;
      readonly error: () => Error | null | undefined;
    } {
      let calls = 0;
      let last: Error | null | undefined;
      return {
        onWritten: (error) => {
          calls++;
          last = error;
        },
        calls: () => calls,
        error: () => last,
      };
    }

    async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size);
    }

    it('comes after the write callback of a message held in memory, once', async () => {
      for (const dataSetBytes of [0, 100, 20_000, 60_000]) {
        const transport = new RecordingTransport();
        transport.holding = true;
        const writer = writerOn(transport);
        const { onWritten, calls, error } = counter();
        const dataSet = dataSetBytes === 0 ? undefined : even(dataSetBytes, 3);
        await writer.send(
          { presentationContextId: 1, command: even(80, 0), dataSet, onWritten },
          16384,
        );
        await new Promise(setImmediate);
        expect(transport.calls.length).toBeGreaterThan(0);
        expect(calls()).toBe(0);
        transport.release();
        await new Promise(setImmediate);
        expect([calls(), error() ?? null]).toEqual([1, null]);
      }
    });

    it('comes after the write callback of the last PDU of a streamed data set', async () => {
      const transport = new RecordingTransport();
      transport.holding = true;
      const writer = writerOn(transport);
      const { onWritten, calls, error } = counter();
      const dataSet = even(200_000, 5);
      const sent = writer.send(
        {
          presentationContextId: 1,
          command: even(80, 0),
          dataSet: chunked(dataSet, 30_000),
          onWritten,
        },
        16384,
      );
      await sent;
      await new Promise(setImmediate);
      expect(calls()).toBe(0);
      transport.release();
      await new Promise(setImmediate);
      expect([calls(), error() ?? null]).toEqual([1, null]);
      const pdus = pdusOf(transport.bytes);
      const received = Buffer.concat(
        pdus.flatMap((pdu) => pdu.pdvs.filter((pdv) => !pdv.isCommand).map((pdv) => pdv.fragment)),
      );
      expect(received.equals(dataSet)).toBe(true);
    });

    it('comes at once for a refused message, which writes nothing', async () => {
      const transport = new RecordingTransport();
      const refusal = new InvalidStateError('Sta13', 'send P-DATA');
      const writer = writerOn(transport, () => refusal);
      const small = counter();
      const streamed = counter();
      await expect(
        writer.send(
          { presentationContextId: 1, command: even(10, 0), onWritten: small.onWritten },
          0,
        ),
      ).rejects.toBe(refusal);
      await expect(
        writer.send(
          {
            presentationContextId: 1,
            command: even(10, 0),
            dataSet: chunked(even(100_000, 1), 10_000),
            onWritten: streamed.onWritten,
          },
          0,
        ),
      ).rejects.toBe(refusal);
      expect([small.calls(), streamed.calls()]).toEqual([1, 1]);
      expect([small.error(), streamed.error()]).toEqual([refusal, refusal]);
      expect(transport.calls).toHaveLength(0);
    });

    it('waits for the PDUs already written when the source fails part-way', async () => {
      const transport = new RecordingTransport();
      transport.holding = true;
      const writer = writerOn(transport);
      const { onWritten, calls, error } = counter();
      const failure = new Error('disk gone');
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield even(100_000, 2);
        throw failure;
      }
      await expect(
        writer.send(
          { presentationContextId: 1, command: even(80, 0), dataSet: failing(), onWritten },
          16384,
        ),
      ).rejects.toBe(failure);
      expect(transport.calls.length).toBeGreaterThan(0);
      expect(calls()).toBe(0);
      transport.release();
      await new Promise(setImmediate);
      expect([calls(), error()]).toEqual([1, failure]);
    });

    it('comes once when the socket is destroyed with the message still queued in it', async () => {
      const { server, client, peer } = await tcpPair();
      peer.pause(); // reads nothing: the kernel's buffers fill and the socket holds the rest
      const writer = writerOn(client);
      const { onWritten, calls, error } = counter();
      const sent = writer.send(
        {
          presentationContextId: 1,
          command: even(80, 0),
          dataSet: chunked(even(64 * 1024 * 1024, 1), 1024 * 1024),
          onWritten,
        },
        16384,
      );
      for (let waited = 0; client.writableLength === 0 && waited < 100; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(client.writableLength).toBeGreaterThan(0);
      expect(calls()).toBe(0);
      client.destroy();
      await sent.catch(() => {});
      for (let waited = 0; calls() === 0 && waited < 100; waited++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(calls()).toBe(1);
      expect(error()).toBeInstanceOf(Error); // the rest never reached the kernel
      peer.destroy();
      server.close();
    });
  });
});
