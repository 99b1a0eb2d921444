import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '@dicomnet/test-utils';
import { connect } from '../client/connect.js';
import { createDcmjsCodec } from '@dicomnet/data';
import { readPart10Header, writePart10File } from '@dicomnet/data';
import { createServer } from '../server/dimse-server.js';
import type { DimseServer } from '../server/dimse-server.js';
import type { InstanceFile } from './instance-file.js';
import { openInstanceFiles, storeFiles } from './store-files.js';
import { storeToDirectory } from './store-to-directory.js';

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function makeFiles(
  dir: string,
  count: number,
  bytes: number,
  root = '1.2.3.4',
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const codec = createDcmjsCodec();
  const paths: string[] = [];
  for (let index = 1; index <= count; index++) {
    const uid = `${root}.${index}`;
    const dataSet = codec.encode(
      {
        '00080016': { vr: 'UI', Value: [SECONDARY_CAPTURE] },
        '00080018': { vr: 'UI', Value: [uid] },
        '7FE00010': { vr: 'OW', InlineBinary: new Uint8Array(bytes).fill(index) },
      },
      EXPLICIT,
    );
    const file = path.join(dir, `f${index}.dcm`);
    await writePart10File(
      file,
      {
        mediaStorageSopClassUid: SECONDARY_CAPTURE,
        mediaStorageSopInstanceUid: uid,
        transferSyntaxUid: EXPLICIT,
      },
      [dataSet],
    );
    paths.push(file);
  }
  return paths;
}

describe('openInstanceFiles and storeFiles', () => {
  it('sends files in order, small ones read ahead and large ones streamed, and reports each outcome', async () => {
    const dir = await tempDir();
    cleanups.push(() => dir.remove());
    const small = await makeFiles(dir.path, 4, 1000);
    const [large] = await makeFiles(path.join(dir.path, 'large'), 1, 6 * 1024 * 1024, '1.2.3.5');
    const notDicom = path.join(dir.path, 'note.txt');
    await writeFile(notDicom, 'hello');
    const opened = await openInstanceFiles(
      [...small, notDicom, large as string, path.join(dir.path, 'missing')],
      {
        concurrency: 3,
      },
    );
    expect(
      opened.map((entry) =>
        'error' in entry ? ((entry.error as { code?: string }).code ?? 'error') : 'ok',
      ),
    ).toEqual(['ok', 'ok', 'ok', 'ok', 'DICOMNET_PART10_NOT_PART10', 'ok', 'ENOENT']);
    const received = new Map<string, Buffer>();
    const server: DimseServer = createServer({
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT, IMPLICIT] }],
      handlers: {
        async store(request) {
          const chunks: Uint8Array[] = [];
          for await (const chunk of request.dataSet) chunks.push(chunk);
          received.set(request.sopInstanceUid, Buffer.concat(chunks));
          return request.sopInstanceUid === '1.2.3.4.3' ? { status: 0xa700 } : 0;
        },
      },
    });
    cleanups.push(async () => {
      await server.abortAll();
      await server.close();
    });
    const { port } = await server.listen({ port: 0 });
    const client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'SCU',
      calledAeTitle: 'SCP',
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
    });
    const files = opened.filter((entry): entry is InstanceFile => !('error' in entry));
    const progress: number[] = [];
    const outcomes = [];
    for await (const outcome of storeFiles(client, files, {
      readAheadBytes: 1024 * 1024,
      onProgress: (_file, bytes) => progress.push(bytes),
    })) {
      outcomes.push(outcome);
    }
    await client.release();
    expect(
      outcomes.map((outcome) => [
        outcome.file.sopInstanceUid,
        outcome.result?.status ?? (outcome.error as { status?: number }).status,
      ]),
    ).toEqual([
      ['1.2.3.4.1', 0],
      ['1.2.3.4.2', 0],
      ['1.2.3.4.3', 0xa700],
      ['1.2.3.4.4', 0],
      ['1.2.3.5.1', 0],
    ]);
    for (const file of files) {
      const bytes = received.get(file.sopInstanceUid) as Buffer;
      expect(bytes.byteLength).toBe(file.size);
    }
    expect(Math.max(...progress)).toBe(files.at(-1)?.size);
  });

  it('keeps as many stores in flight as the negotiated window, and yields them in order', async () => {
    const dir = await tempDir();
    cleanups.push(() => dir.remove());
    const opened = await openInstanceFiles(await makeFiles(dir.path, 12, 500));
    const files = opened.filter((entry): entry is InstanceFile => !('error' in entry));
    let active = 0;
    let widest = 0;
    const server: DimseServer = createServer({
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      maxOperationsPerformed: 4,
      handlers: {
        async store(request) {
          active++;
          widest = Math.max(widest, active);
          for await (const _chunk of request.dataSet);
          // Hold each answer a little, so that later requests arrive while it is open.
          await new Promise((resolve) => setTimeout(resolve, 5));
          active--;
          return request.sopInstanceUid.endsWith('.7') ? { status: 0xa700 } : 0;
        },
      },
    });
    cleanups.push(async () => {
      await server.abortAll();
      await server.close();
    });
    const { port } = await server.listen({ port: 0 });
    const client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'SCU',
      calledAeTitle: 'SCP',
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      // PS3.7 D.3.3.3: we ask to invoke 8; the SCP grants the 4 it performs.
      asynchronousOperationsWindow: { maxOperationsInvoked: 8, maxOperationsPerformed: 1 },
    });
    expect(client.negotiated.asynchronousOperationsWindow.maxOperationsInvoked).toBe(4);
    const order: string[] = [];
    for await (const outcome of storeFiles(client, files)) {
      order.push(`${outcome.file.sopInstanceUid}:${outcome.result?.status ?? 'failed'}`);
    }
    await client.release();
    expect(order).toEqual(
      files.map(
        (file) => `${file.sopInstanceUid}:${file.sopInstanceUid.endsWith('.7') ? 'failed' : 0}`,
      ),
    );
    expect(widest).toBeGreaterThan(1);
    expect(widest).toBeLessThanOrEqual(4);
  });

  it('stores every instance byte for byte with 8 C-STOREs in flight (window 8, our SCP)', async () => {
    const dir = await tempDir();
    cleanups.push(() => dir.remove());
    // Kept in memory, read again when sent (past keepBytes), and streamed (over 256 KiB).
    const small = await makeFiles(path.join(dir.path, 'send'), 40, 1500);
    const large = await makeFiles(path.join(dir.path, 'large'), 2, 400 * 1024, '1.2.3.6');
    const opened = await openInstanceFiles([...small, ...large], { keepBytes: 20 * 1024 });
    const files = opened.filter((entry): entry is InstanceFile => !('error' in entry));
    expect(new Set(files.map((file) => file.loaded))).toEqual(new Set([true, false]));
    const storage = path.join(dir.path, 'storage');
    await mkdir(storage);
    let active = 0;
    let widest = 0;
    const write = storeToDirectory(storage, { fsync: false });
    const server: DimseServer = createServer({
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      maxOperationsPerformed: 8,
      handlers: {
        async store(request) {
          widest = Math.max(widest, ++active);
          try {
            return await write(request);
          } finally {
            active--;
          }
        },
      },
    });
    cleanups.push(async () => {
      await server.abortAll();
      await server.close();
    });
    const { port } = await server.listen({ port: 0 });
    const client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'SCU',
      calledAeTitle: 'SCP',
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      asynchronousOperationsWindow: { maxOperationsInvoked: 8, maxOperationsPerformed: 1 },
    });
    expect(client.negotiated.asynchronousOperationsWindow.maxOperationsInvoked).toBe(8);
    for await (const outcome of storeFiles(client, files)) {
      expect(outcome.result?.status, outcome.error?.message).toBe(0);
    }
    await client.release();
    expect(widest).toBeGreaterThan(1);
    expect(widest).toBeLessThanOrEqual(8);
    expect((await readdir(storage)).length).toBe(files.length);
    for (const file of files) {
      // The data set as the source file holds it, after our own File Meta Information.
      const sent = await readFile(file.path);
      const stored = await readFile(path.join(storage, `${file.sopInstanceUid}.dcm`));
      const header = readPart10Header(stored);
      expect(header.meta.transferSyntaxUid).toBe(file.transferSyntaxUid);
      const source = sent.subarray(sent.byteLength - file.size);
      expect(stored.subarray(header.dataSetOffset).equals(source), file.path).toBe(true);
    }
  });

  it('converts files to the transfer syntax asked for', async () => {
    const dir = await tempDir();
    cleanups.push(() => dir.remove());
    const [file] = await makeFiles(dir.path, 1, 100);
    const syntaxes: string[] = [];
    const server = createServer({
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [IMPLICIT] }],
      handlers: {
        async store(request) {
          for await (const _chunk of request.dataSet);
          syntaxes.push(request.transferSyntaxUid);
        },
      },
    });
    cleanups.push(async () => {
      await server.abortAll();
      await server.close();
    });
    const { port } = await server.listen({ port: 0 });
    const client = await connect({
      host: '127.0.0.1',
      port,
      callingAeTitle: 'SCU',
      calledAeTitle: 'SCP',
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [IMPLICIT] }],
    });
    const [opened] = await openInstanceFiles([file as string]);
    const outcomes = [];
    for await (const outcome of storeFiles(client, [opened as InstanceFile], {
      transferSyntaxUid: IMPLICIT,
    })) {
      outcomes.push(outcome);
    }
    await client.release();
    expect(outcomes[0]?.result?.status).toBe(0);
    expect(syntaxes).toEqual([IMPLICIT]);
  });
});
