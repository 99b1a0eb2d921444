import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { duplexPair, tempDir } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPart10Header } from '@dicomnet/data';
import { createServer } from '../server/dimse-server.js';
import type { DimseServer } from '../server/dimse-server.js';
import {
  commandOf,
  EXPLICIT,
  IMPLICIT,
  proposal,
  SECONDARY_CAPTURE,
  storeRq,
  VERIFICATION,
  WirePeer,
} from '../../test/helpers/wire-peer.js';
import { storeToDirectory } from './store-to-directory.js';

const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';

/** One Explicit VR Little Endian element with a 2-byte length (PS3.5 §7.1.2). */
function element(group: number, elementNumber: number, vr: string, text: string): Buffer {
  const value = Buffer.from(text.length % 2 === 0 ? text : `${text}\0`, 'latin1');
  const header = Buffer.alloc(8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.write(vr, 4, 'latin1');
  header.writeUInt16LE(value.length, 6);
  return Buffer.concat([header, value]);
}

/** A small data set: Image Type, SOP Class UID, SOP Instance UID, Patient's Name. */
function dataSet(sopClassUid: string | undefined, sopInstanceUid: string | undefined): Buffer {
  return Buffer.concat([
    element(0x0008, 0x0008, 'CS', 'ORIGINAL\\PRIMARY'),
    ...(sopClassUid === undefined ? [] : [element(0x0008, 0x0016, 'UI', sopClassUid)]),
    ...(sopInstanceUid === undefined ? [] : [element(0x0008, 0x0018, 'UI', sopInstanceUid)]),
    element(0x0010, 0x0010, 'PN', 'Doe^Jane'),
  ]);
}

/** Sends one C-STORE with `bytes` cut into `size`-byte fragments; returns its status. */
async function storeOn(
  server: DimseServer,
  instanceUid: string,
  bytes: Buffer,
  size: number,
): Promise<number> {
  const [ours, theirs] = duplexPair();
  server.handle(ours);
  const peer = new WirePeer(theirs);
  expect((await peer.associate(proposal())).type).toBe('A-ASSOCIATE-AC');
  peer.sendPdvs([
    {
      presentationContextId: 3,
      isCommand: true,
      isLast: true,
      fragment: storeRq(1, instanceUid),
    },
  ]);
  for (let at = 0; at < bytes.length; at += size) {
    const end = Math.min(bytes.length, at + size);
    peer.sendPdvs([
      {
        presentationContextId: 3,
        isCommand: false,
        isLast: end === bytes.length,
        fragment: bytes.subarray(at, end),
      },
    ]);
  }
  const answer = await peer.next();
  peer.destroy();
  if (answer.type !== 'P-DATA-TF') throw new Error(`expected a C-STORE-RSP, got ${answer.type}`);
  return commandOf(answer.pdvs)?.status ?? -1;
}

describe('storeToDirectory checks the data set against the command (PS3.4 B.2.3)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let server: DimseServer;

  beforeAll(async () => {
    dir = await tempDir();
    server = createServer({
      contexts: [
        { abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT] },
        { abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] },
      ],
      handlers: { store: storeToDirectory(dir.path, { fsync: false }) },
    });
  });
  afterAll(async () => {
    await server.abortAll();
    await server.close();
    await dir.remove();
  });

  const store = (uid: string, bytes: Buffer, size: number): Promise<number> =>
    storeOn(server, uid, bytes, size);

  it.each([2, 10, 1000])('stores a matching instance sent in %i-byte fragments', async (size) => {
    const uid = `1.2.3.${size}`;
    expect(await store(uid, dataSet(SECONDARY_CAPTURE, uid), size)).toBe(0x0000);
    const bytes = await readFile(path.join(dir.path, `${uid}.dcm`));
    const header = readPart10Header(bytes);
    expect(header.meta.mediaStorageSopInstanceUid).toBe(uid);
    expect(bytes.subarray(header.dataSetOffset).equals(dataSet(SECONDARY_CAPTURE, uid))).toBe(true);
  });

  it.each([
    ['another SOP Instance UID', dataSet(SECONDARY_CAPTURE, '1.2.3.999'), 0xa900],
    ['another SOP Class UID', dataSet(CT_IMAGE, '1.2.3.77'), 0xa900],
    ['no SOP Instance UID', dataSet(SECONDARY_CAPTURE, undefined), 0xc000],
    ['no UIDs at all', dataSet(undefined, undefined), 0xc000],
  ])('refuses a data set with %s and writes nothing', async (_name, bytes, status) => {
    const before = await readdir(dir.path);
    expect(await store('1.2.3.77', bytes, 6)).toBe(status);
    expect(await readdir(dir.path)).toEqual(before); // no instance, no temporary file
  });

  /** An OB element of `length` bytes before the UIDs (tag (0008,0001), Explicit VR, 4-byte length). */
  function bulkyStart(length: number, uid: string): Buffer {
    const header = Buffer.alloc(12);
    header.writeUInt16LE(0x0008, 0);
    header.writeUInt16LE(0x0001, 2);
    header.write('OB', 4, 'latin1');
    header.writeUInt32LE(length, 8);
    return Buffer.concat([
      header,
      Buffer.alloc(length),
      dataSet(SECONDARY_CAPTURE, uid).subarray(24),
    ]);
  }

  it('finds UIDs behind 200 KB of other elements, sent in 4,000-byte fragments', async () => {
    expect(await store('1.2.3.200', bulkyStart(200_000, '1.2.3.200'), 4000)).toBe(0x0000);
  });

  it('gives up past 1 MiB without the UIDs: 0xC000, nothing written', async () => {
    const before = await readdir(dir.path);
    expect(await store('1.2.3.201', bulkyStart(2_000_000, '1.2.3.201'), 16_000)).toBe(0xc000);
    expect(await readdir(dir.path)).toEqual(before);
  });
});

describe('storeToDirectory without fsync, small and streamed files', () => {
  it('writes a small data set whole and a 100 KB one as it arrives, reporting each size', async () => {
    const dir = await tempDir();
    const stored: { path: string; bytes: number }[] = [];
    const server = createServer({
      contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
      handlers: {
        store: storeToDirectory(dir.path, {
          fsync: false,
          onStored: ({ path: file, bytes }) => stored.push({ path: file, bytes }),
        }),
      },
    });
    try {
      for (const [uid, padding] of [
        ['1.2.5.1', 0],
        ['1.2.5.2', 50_000],
      ] as const) {
        const bytes = Buffer.concat([
          dataSet(SECONDARY_CAPTURE, uid),
          element(0x0010, 0x4000, 'LT', 'x'.repeat(padding)),
          element(0x0010, 0x4001, 'LT', 'y'.repeat(padding)),
        ]);
        expect(await storeOn(server, uid, bytes, 16_000)).toBe(0x0000);
        const file = await readFile(path.join(dir.path, `${uid}.dcm`));
        expect(file.subarray(readPart10Header(file).dataSetOffset).equals(bytes)).toBe(true);
        expect(stored.at(-1)).toEqual({
          path: path.join(dir.path, `${uid}.dcm`),
          bytes: file.length,
        });
      }
      expect((await readdir(dir.path)).sort()).toEqual(['1.2.5.1.dcm', '1.2.5.2.dcm']);
    } finally {
      await server.abortAll();
      await server.close();
      await dir.remove();
    }
  });
});

describe('storeToDirectory with fsync, concurrent associations (group commit)', () => {
  for (const blockingSmallFiles of [true, false]) {
    it(`stores every instance of 12 concurrent associations (blockingSmallFiles ${blockingSmallFiles})`, async () => {
      const dir = await tempDir();
      const server = createServer({
        contexts: [{ abstractSyntax: SECONDARY_CAPTURE, transferSyntaxes: [EXPLICIT] }],
        handlers: { store: storeToDirectory(dir.path, { blockingSmallFiles }) },
      });
      try {
        // Small ones fit the writer's buffer; every fourth is 100 KB, streamed through a handle.
        const sent = Array.from({ length: 12 }, (_, index) => {
          const uid = `1.2.4.${index + 1}`;
          const padding = index % 4 === 3 ? 100_000 : 0;
          const bytes = Buffer.concat([
            dataSet(SECONDARY_CAPTURE, uid),
            element(0x0010, 0x4000, 'LT', 'x'.repeat(Math.min(padding, 60_000))),
            ...(padding > 60_000 ? [element(0x0010, 0x4001, 'LT', 'y'.repeat(40_000))] : []),
          ]);
          return { uid, bytes };
        });
        const statuses = await Promise.all(
          sent.map(({ uid, bytes }) => storeOn(server, uid, bytes, 16_000)),
        );
        expect(statuses).toEqual(sent.map(() => 0x0000));
        expect((await readdir(dir.path)).sort()).toEqual(
          sent.map(({ uid }) => `${uid}.dcm`).sort(),
        );
        for (const { uid, bytes } of sent) {
          const file = await readFile(path.join(dir.path, `${uid}.dcm`));
          expect(file.subarray(readPart10Header(file).dataSetOffset).equals(bytes)).toBe(true);
        }
      } finally {
        await server.abortAll();
        await server.close();
        await dir.remove();
      }
    });
  }
});
