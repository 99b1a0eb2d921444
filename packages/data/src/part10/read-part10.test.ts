import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asciiHex, concatBytes, fromHex, splits, tempDir, toHex } from '@dicomnet/test-utils';
import { fixture } from '../../test/contract/data-set-fixtures.js';
import { createDcmjsCodec } from '../data-set/dcmjs-codec.js';
import { inflateDataSet } from './deflate-data-set.js';
import { encodeFileMetaInformation } from './file-meta-information.js';
import { openPart10File, openPart10FileSync, readPart10, readPart10Header } from './read-part10.js';
import { readDataSetUids } from './read-data-set-uids.js';

// test/fixtures/part10-make-fixtures.sh; values from `dcmdump -M` of the files.
const FILES = [
  ['part10-explicit.dcm', '1.2.840.10008.1.2.1', 174],
  ['part10-implicit.dcm', '1.2.840.10008.1.2', 172],
  ['part10-big-endian.dcm', '1.2.840.10008.1.2.2', 174],
  ['part10-deflated.dcm', '1.2.840.10008.1.2.1.99', 176],
  ['part10-rle.dcm', '1.2.840.10008.1.2.5', 174],
] as const;
const SOP_INSTANCE_UID = '1.2.826.0.1.3680043.8.498.1.1';

let folder: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  folder = await tempDir('dicomnet-part10-');
  for (const [name] of FILES) await writeFile(path.join(folder.path, name), fixture(name));
  await writeFile(
    path.join(folder.path, 'part10-not-part10.bin'),
    fixture('part10-not-part10.bin'),
  );
});
afterAll(() => folder.remove());

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return concatBytes(...parts);
}

describe('openPart10File', () => {
  it.each(FILES)(
    'reads the meta header of DCMTK file %s',
    async (name, transferSyntaxUid, groupLength) => {
      const file = await openPart10File(path.join(folder.path, name));
      expect(file.meta).toEqual({
        fileMetaInformationVersion: Uint8Array.of(0, 1),
        mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7',
        mediaStorageSopInstanceUid: SOP_INSTANCE_UID,
        transferSyntaxUid,
        implementationClassUid: '1.2.276.0.7230010.3.0.3.6.7',
        implementationVersionName: 'OFFIS_DCMTK_367',
        otherElements: [],
      });
      expect(file.dataSetOffset).toBe(132 + 12 + groupLength);
      expect(file.size).toBe(fixture(name).byteLength);
      const dataSet = await collect(file.dataSetStream({ highWaterMark: 7 }));
      expect(toHex(dataSet)).toBe(toHex(fixture(name).subarray(file.dataSetOffset)));
      const plain = transferSyntaxUid.endsWith('.99')
        ? await collect(inflateDataSet([dataSet]))
        : dataSet;
      expect(readDataSetUids(dataSet, transferSyntaxUid)).toEqual({
        sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
        sopInstanceUid: SOP_INSTANCE_UID,
        complete: true,
      });
      if (!transferSyntaxUid.endsWith('.5')) {
        const decoded = createDcmjsCodec().decode(
          plain,
          transferSyntaxUid.endsWith('.99') ? '1.2.840.10008.1.2.1' : transferSyntaxUid,
        );
        expect(decoded['00080018']).toEqual({ vr: 'UI', Value: [SOP_INSTANCE_UID] });
        // Native 16-bit pixel data, 4 × 4: words 0x0000, 0x0001… as Little Endian bytes in every syntax.
        expect(decoded['7FE00010']?.InlineBinary?.subarray(0, 4)).toEqual(
          Uint8Array.of(0, 0, 1, 0),
        );
      }
    },
  );

  it('refuses a data set without preamble and DICM', async () => {
    await expect(
      openPart10File(path.join(folder.path, 'part10-not-part10.bin')),
    ).rejects.toMatchObject({ code: 'DICOMNET_PART10_NOT_PART10' });
  });

  it('serves a small file whole from the first read when asked', async () => {
    const name = path.join(folder.path, 'part10-explicit.dcm');
    const whole = await openPart10File(name, { wholeFileBytes: 256 * 1024 });
    expect(toHex(whole.dataSet ?? new Uint8Array(0))).toBe(
      toHex(fixture('part10-explicit.dcm').subarray(whole.dataSetOffset)),
    );
    // Not asked, or larger than asked: the header only.
    expect((await openPart10File(name)).dataSet).toBeUndefined();
    expect((await openPart10File(name, { wholeFileBytes: 300 })).dataSet).toBeUndefined();
  });

  it('hands back each whole file in memory of its own, header values copied out of it', async () => {
    const name = path.join(folder.path, 'part10-explicit.dcm');
    const opened = [
      await openPart10File(name, { wholeFileBytes: 256 * 1024 }),
      await openPart10File(name, { wholeFileBytes: 256 * 1024 }),
      openPart10FileSync(name, { wholeFileBytes: 256 * 1024 }),
      openPart10FileSync(name, { wholeFileBytes: 256 * 1024 }),
    ];
    const buffers = opened.map((file) => file.dataSet?.buffer);
    expect(new Set(buffers).size).toBe(4);
    for (const file of opened) {
      expect(file.dataSet?.byteLength).toBe(file.size - file.dataSetOffset);
      expect(file.meta.fileMetaInformationVersion.buffer).not.toBe(file.dataSet?.buffer);
    }
    // Writing into one data set changes no other, nor any header value.
    opened[0]?.dataSet?.fill(0);
    expect(toHex(opened[1]?.dataSet ?? new Uint8Array(0))).toBe(
      toHex(fixture('part10-explicit.dcm').subarray(opened[1]?.dataSetOffset)),
    );
    expect(opened[0]?.meta).toEqual(opened[2]?.meta);
  });

  it('streams a file larger than the first read, and reads a header longer than it', async () => {
    const source = fixture('part10-explicit.dcm');
    // A 40 KiB Source Presentation Address (0002,0026, UR): the header outgrows the 16 KiB read.
    const privateInfo = new Uint8Array(40 * 1024).fill(0x41);
    const meta = readPart10Header(source).meta;
    const header = encodeFileMetaInformation({
      mediaStorageSopClassUid: meta.mediaStorageSopClassUid,
      mediaStorageSopInstanceUid: meta.mediaStorageSopInstanceUid,
      transferSyntaxUid: meta.transferSyntaxUid,
      otherElements: [{ tag: 0x00020026, vr: 'UR', value: privateInfo }],
    });
    const dataSet = new Uint8Array(300 * 1024).map((_, index) => index % 251);
    const name = path.join(folder.path, 'long-header.dcm');
    await writeFile(name, concatBytes(header, dataSet));
    const file = await openPart10File(name, { wholeFileBytes: 16 * 1024 });
    expect(file.dataSetOffset).toBe(header.byteLength);
    expect(file.dataSet).toBeUndefined();
    expect(file.meta.otherElements.at(-1)?.value.byteLength).toBe(privateInfo.byteLength);
    expect(toHex(await collect(file.dataSetStream()))).toBe(toHex(dataSet));
    // Larger than wholeFileBytes: the data set is streamed, not handed back.
    const large = await openPart10File(name, { wholeFileBytes: 256 * 1024 });
    expect(large.dataSet).toBeUndefined();
    expect(large.size).toBe(header.byteLength + dataSet.byteLength);
  });

  it('refuses a file cut inside its header as malformed', async () => {
    const name = path.join(folder.path, 'cut.dcm');
    await writeFile(name, fixture('part10-explicit.dcm').subarray(0, 200));
    await expect(openPart10File(name, { wholeFileBytes: 256 * 1024 })).rejects.toMatchObject({
      code: 'DICOMNET_PART10_MALFORMED',
    });
  });

  it('opens with blocking calls to the same result (openPart10FileSync)', async () => {
    const source = fixture('part10-explicit.dcm');
    const longHeader = encodeFileMetaInformation({
      ...readPart10Header(source).meta,
      otherElements: [{ tag: 0x00020026, vr: 'UR', value: new Uint8Array(20_000).fill(0x42) }],
    });
    const long = path.join(folder.path, 'long-header-sync.dcm');
    await writeFile(
      long,
      concatBytes(longHeader, source.subarray(readPart10Header(source).dataSetOffset)),
    );
    const names = [...FILES.map(([name]) => path.join(folder.path, name)), long];
    for (const name of names) {
      for (const wholeFileBytes of [0, 300, 256 * 1024]) {
        const { dataSetStream: _async, ...expected } = await openPart10File(name, {
          wholeFileBytes,
        });
        const { dataSetStream, ...actual } = openPart10FileSync(name, { wholeFileBytes });
        expect(actual, `${name} ${wholeFileBytes}`).toEqual(expected);
        expect(toHex(await collect(dataSetStream()))).toBe(
          toHex((await readFile(name)).subarray(actual.dataSetOffset)),
        );
      }
    }
    const cut = path.join(folder.path, 'cut-sync.dcm');
    await writeFile(cut, source.subarray(0, 200));
    expect(() => openPart10FileSync(cut)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_MALFORMED' }),
    );
    expect(() => openPart10FileSync(path.join(folder.path, 'part10-not-part10.bin'))).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_NOT_PART10' }),
    );
  });

  it('honours an aborted signal', async () => {
    const reason = new Error('stop');
    await expect(
      openPart10File(path.join(folder.path, FILES[0][0]), { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });
});

describe('readPart10', () => {
  it('reads the header from a stream cut anywhere and hands back the rest', async () => {
    const file = fixture('part10-explicit.dcm');
    for (const chunks of splits(file.subarray(0, 400))) {
      const result = await readPart10(Readable.from([...chunks, file.subarray(400)]));
      expect(result.meta.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
      expect(result.dataSetOffset).toBe(318);
      expect(toHex(await collect(result.dataSet))).toBe(toHex(file.subarray(318)));
    }
  });

  it('reads a path', async () => {
    const result = await readPart10(path.join(folder.path, 'part10-big-endian.dcm'));
    expect(result.meta.transferSyntaxUid).toBe('1.2.840.10008.1.2.2');
    expect(toHex(await collect(result.dataSet))).toBe(
      toHex(fixture('part10-big-endian.dcm').subarray(318)),
    );
  });

  it('releases the source on return()', async () => {
    const source = Readable.from([fixture('part10-explicit.dcm')]);
    const result = await readPart10(source);
    await result.dataSet.return();
    expect(source.destroyed).toBe(true);
  });

  it('refuses a declared meta group over the limit before buffering it', async () => {
    const header = fromHex(`${'00'.repeat(128)} 4449434D  02000000 554C 0400 00000100`); // group length 65536
    await expect(readPart10([header])).rejects.toMatchObject({
      code: 'DICOMNET_PART10_META_TOO_LARGE',
    });
    await expect(readPart10([header], { maxMetaBytes: 1 << 20 })).rejects.toMatchObject({
      code: 'DICOMNET_PART10_MALFORMED',
    });
  });

  it('refuses a stream that ends inside the header', async () => {
    await expect(
      readPart10([fixture('part10-explicit.dcm').subarray(0, 200)]),
    ).rejects.toMatchObject({ code: 'DICOMNET_PART10_MALFORMED' });
    await expect(
      readPart10([fixture('part10-explicit.dcm').subarray(0, 100)]),
    ).rejects.toMatchObject({ code: 'DICOMNET_PART10_NOT_PART10' });
  });
});

describe('readPart10Header', () => {
  it('reads a meta group without a group length up to the first other tag', () => {
    const bytes = fromHex(`
      ${'00'.repeat(128)} 4449434D
      02000200 5549 0400 ${asciiHex('1.2', 4, 0)}
      02000300 5549 0400 ${asciiHex('1.3', 4, 0)}
      02001000 5549 1200 ${asciiHex('1.2.840.10008.1.2', 18, 0)}
      08001800 5549 0400 ${asciiHex('1.3', 4, 0)}   # the data set`);
    const header = readPart10Header(bytes);
    expect(header.dataSetOffset).toBe(bytes.byteLength - 12);
    expect(header.meta).toMatchObject({
      mediaStorageSopClassUid: '1.2',
      transferSyntaxUid: '1.2.840.10008.1.2',
      implementationClassUid: '',
    });
  });

  it.each([
    [
      'an element that overruns the group length',
      `02000000 554C 0400 0A000000  02000200 5549 0400 ${asciiHex('1.2', 4, 0)}`,
    ],
    [
      'a missing Transfer Syntax UID',
      `02000000 554C 0400 0C000000  02000200 5549 0400 ${asciiHex('1.2', 4, 0)}`,
    ],
    ['an unknown VR', '02000000 554C 0400 0C000000  02000200 5A5A 0400 31322E32'],
    ['an undefined length', '02000100 4F42 0000 FFFFFFFF'],
  ])('refuses %s', (_label, hex) => {
    expect(() => readPart10Header(fromHex(`${'00'.repeat(128)} 4449434D ${hex}`))).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_MALFORMED' }),
    );
  });

  it('refuses bytes that are not a Part 10 file', () => {
    expect(() => readPart10Header(fixture('part10-not-part10.bin'))).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_NOT_PART10' }),
    );
    expect(() => readPart10Header(new Uint8Array(10))).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_NOT_PART10' }),
    );
  });
});
