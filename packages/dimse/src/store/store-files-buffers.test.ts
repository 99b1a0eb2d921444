import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { requestAssociation } from '@dicomnet/pdu';
import { tempDir } from '@dicomnet/test-utils';
import { createDcmjsCodec, createElementCodec, writePart10File } from '@dicomnet/data';
import { attachClient } from '../client/attach-client.js';
import type { DimseClient } from '../client/dimse-client.js';
import { createServer, type DimseServer } from '../server/dimse-server.js';
import type { InstanceFile } from './instance-file.js';
import { openInstanceFiles, storeFiles } from './store-files.js';

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Part 10 files whose pixel data hold `bytes[i]` bytes of the value i + 1. */
async function makeFiles(dir: string, sizes: readonly number[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const codec = createDcmjsCodec();
  const paths: string[] = [];
  for (const [index, bytes] of sizes.entries()) {
    const uid = `1.2.3.9.${index + 1}`;
    const dataSet = codec.encode(
      {
        '00080016': { vr: 'UI', Value: [SECONDARY_CAPTURE] },
        '00080018': { vr: 'UI', Value: [uid] },
        '7FE00010': { vr: 'OW', InlineBinary: new Uint8Array(bytes).fill(index + 1) },
      },
      EXPLICIT,
    );
    const file = path.join(dir, `f${index + 1}.dcm`);
    const meta = {
      mediaStorageSopClassUid: SECONDARY_CAPTURE,
      mediaStorageSopInstanceUid: uid,
      transferSyntaxUid: EXPLICIT,
    };
    await writePart10File(file, meta, [dataSet]);
    paths.push(file);
  }
  return paths;
}

/**
 * Two connected Duplex streams. What the client side writes reaches the server side at once, as
 * a copy, so the server can answer before the client's write is done; the write's callback is
 * held for `holdMs`, like a socket whose kernel buffer is full, and then the chunks it was given
 * are compared with the copies: a difference means they were overwritten while still queued.
 */
function slowClientLink(holdMs: number): {
  readonly client: Duplex;
  readonly server: Duplex;
  readonly overwritten: () => number;
} {
  let overwritten = 0;
  const written = (chunks: readonly Buffer[], callback: () => void): void => {
    const copies = chunks.map((chunk) => Buffer.from(chunk));
    for (const copy of copies) server.push(copy);
    setTimeout(() => {
      chunks.forEach((chunk, index) => {
        if (!chunk.equals(copies[index] as Buffer)) overwritten++;
      });
      callback();
    }, holdMs);
  };
  const client: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      written([chunk], callback);
    },
    writev(chunks, callback) {
      written(
        chunks.map((entry) => entry.chunk as Buffer),
        callback,
      );
    },
    final(callback) {
      server.push(null);
      callback();
    },
  });
  const server: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      client.push(chunk);
      callback();
    },
    final(callback) {
      client.push(null);
      callback();
    },
  });
  return { client, server, overwritten: () => overwritten };
}

/** Our client on `link`'s client end, `server` on its other end, asking for `window` in flight. */
async function clientOver(
  link: ReturnType<typeof slowClientLink>,
  server: DimseServer,
  window: number,
): Promise<DimseClient> {
  server.handle(link.server);
  const association = await requestAssociation({
    callingAeTitle: 'SCU',
    calledAeTitle: 'SCP',
    contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
    ...(window > 1 && {
      asynchronousOperationsWindow: { maxOperationsInvoked: window, maxOperationsPerformed: 1 },
    }),
    transport: () => Promise.resolve(link.client),
  });
  return attachClient(association, {}, createElementCodec(), {});
}

describe('storeFiles with reused read buffers', () => {
  it.each([1, 8])(
    'reuses a buffer only once the transport is done with the request that used it (window %i)',
    async (window) => {
      const dir = await tempDir();
      cleanups.push(() => dir.remove());
      // Data sets from tiny to past a buffer (64 KiB): those over it are read into arrays of
      // their own, then a 300 KB one streams, then small ones again.
      const sizes = [100, 17_000, 64 * 1024 - 200, 64 * 1024 - 128, 64 * 1024, 2000, 300_000];
      const paths = await makeFiles(dir.path, [...sizes, ...sizes.slice(0, 6), 500, 700, 900]);
      const opened = await openInstanceFiles(paths, { sync: true, keepBytes: 0 });
      const files = opened.filter((entry): entry is InstanceFile => !('error' in entry));
      expect(files).toHaveLength(paths.length);
      expect(files.every((file) => !file.loaded && file.readDataSetSync !== undefined)).toBe(true);
      expect(files.some((file) => file.size < 64 * 1024 - 1)).toBe(true);
      expect(files.some((file) => file.size >= 64 * 1024)).toBe(true);

      const received = new Map<string, Buffer>();
      const server = createServer({
        contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
        maxOperationsPerformed: window,
        handlers: {
          async store(request) {
            const chunks: Uint8Array[] = [];
            for await (const chunk of request.dataSet) chunks.push(chunk);
            received.set(request.sopInstanceUid, Buffer.concat(chunks));
            return 0;
          },
        },
      });
      cleanups.push(() => server.close());
      const link = slowClientLink(25);
      const client = await clientOver(link, server, window);
      expect(client.negotiated.asynchronousOperationsWindow.maxOperationsInvoked).toBe(window);
      const statuses: number[] = [];
      for await (const outcome of storeFiles(client, files)) {
        statuses.push(outcome.result?.status ?? -1);
      }
      await client.release();
      expect(statuses).toEqual(files.map(() => 0));
      expect(link.overwritten()).toBe(0);
      for (const file of files) {
        const bytes = await readFile(file.path);
        const sent = received.get(file.sopInstanceUid);
        expect(sent?.equals(bytes.subarray(bytes.byteLength - file.size)), file.path).toBe(true);
      }
    },
  );

  it('gives a buffer back when its file changed since it was opened, and goes on', async () => {
    const dir = await tempDir();
    cleanups.push(() => dir.remove());
    const paths = await makeFiles(dir.path, [1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400]);
    const opened = await openInstanceFiles(paths, { sync: true, keepBytes: 0 });
    const files = opened.filter((entry): entry is InstanceFile => !('error' in entry));
    // Two files change between opening and sending: one shrinks, one grows.
    await truncate(paths[2] as string, 500);
    await writeFile(paths[5] as string, Buffer.alloc(10), { flag: 'a' });
    const received: string[] = [];
    const server = createServer({
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      handlers: {
        async store(request) {
          for await (const _chunk of request.dataSet);
          received.push(request.sopInstanceUid);
          return 0;
        },
      },
    });
    cleanups.push(() => server.close());
    const link = slowClientLink(5);
    const client = await clientOver(link, server, 1);
    const outcomes: string[] = [];
    for await (const outcome of storeFiles(client, files)) {
      outcomes.push(
        outcome.error === undefined
          ? String(outcome.result.status)
          : String((outcome.error as { code?: string }).code),
      );
    }
    await client.release();
    expect(outcomes).toEqual([
      '0',
      '0',
      'DICOMNET_PART10_FILE_CHANGED',
      '0',
      '0',
      'DICOMNET_PART10_FILE_CHANGED',
      '0',
      '0',
    ]);
    expect(received).toHaveLength(6);
    expect(link.overwritten()).toBe(0);
  });
});
