import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { concatBytes, fromHex, tempDir } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { DicomnetError } from '../dicomnet-error.js';
import { readPart10, readPart10Header } from '../part10/read-part10.js';
import { readAttributes, readAttributesSync } from './read-attributes.js';
import { readElementBatches, readElements, readElementsSync } from './read-elements.js';
import { readPart10Attributes, readPart10AttributesSync } from './read-part10-attributes.js';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURES)));
const fixturePath = (name: string): string => new URL(name, FIXTURES).pathname;

const SYNTAXES = [
  ['data-set-all-vrs-implicit.bin', '1.2.840.10008.1.2'],
  ['data-set-all-vrs-implicit-explicit-lengths.bin', '1.2.840.10008.1.2'],
  ['data-set-all-vrs-explicit.bin', '1.2.840.10008.1.2.1'],
  ['data-set-all-vrs-explicit-lengths.bin', '1.2.840.10008.1.2.1'],
  ['data-set-all-vrs-big-endian.bin', '1.2.840.10008.1.2.2'],
  ['data-set-all-vrs-deflated.bin', '1.2.840.10008.1.2.1.99'],
] as const;

// What data-set-all-vrs.dump says, written by hand.
const TAGS = [
  '00080008',
  '00080090',
  '00081110',
  '00081115',
  '00100010', // absent at the top level (only inside an item)
  '00101001',
  '00104000',
  '00180050',
  '00181310',
  '00186020',
  '00189087',
  '00189219',
  '00280009',
  '00281201',
  '00400A160'.slice(0, 8),
  '00640009',
  '00700022',
];
const EXPECTED = {
  '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY', 'OTHER'] },
  '00080090': {
    vr: 'PN',
    Value: [{ Alphabetic: 'Müller^Jörg', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' }],
  },
  '00081110': {
    vr: 'SQ',
    Value: [
      {
        '00081111': {
          vr: 'SQ',
          Value: [{ '00081150': { vr: 'UI', Value: ['1.2.840.10008.3.1.2.3.3'] } }],
        },
        '00081150': { vr: 'UI', Value: ['1.2.840.10008.3.1.2.3.1'] },
        '00081155': { vr: 'UI', Value: ['1.2.826.0.1.3680043.8.498.78'] },
        '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Ölkers^Änne' }] },
      },
      {},
    ],
  },
  '00081115': { vr: 'SQ' },
  // "Doe^John\\Roe^Jane": three values, the second empty.
  '00101001': { vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }, {}, { Alphabetic: 'Roe^Jane' }] },
  '00104000': { vr: 'LT', Value: ['Line one\\Line two'] },
  '00180050': { vr: 'DS', Value: ['2.50'] },
  '00181310': { vr: 'US', Value: [0, 64, 64, 0] },
  '00186020': { vr: 'SL', Value: [-5] },
  '00189087': { vr: 'FD', Value: [1000.5] },
  '00189219': { vr: 'SS', Value: [-3] },
  '00280009': { vr: 'AT', Value: ['00181063', '00181065'] },
  '00281201': { vr: 'OW', InlineBinary: fromHex('0201 0403') },
  '00400A16': undefined,
  '00640009': { vr: 'OF', InlineBinary: fromHex('0000C03F 000000C0') },
  '00700022': { vr: 'FL', Value: [1.5, 2.25] },
};
delete (EXPECTED as Record<string, unknown>)['00400A16'];

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.byteLength; start += size)
    yield bytes.subarray(start, start + size);
}

describe('readAttributesSync and readAttributes', () => {
  it.each(SYNTAXES)('read what dump2dcm wrote in %s', async (name, transferSyntaxUid) => {
    const bytes = fixture(name);
    expect(readAttributesSync(bytes, TAGS, { transferSyntaxUid })).toEqual(EXPECTED);
    expect(await readAttributes(chunked(bytes, 7), TAGS, { transferSyntaxUid })).toEqual(EXPECTED);
    expect(await readAttributes(bytes, TAGS, { transferSyntaxUid })).toEqual(EXPECTED);
  });

  it('accepts tags as numbers and decodes text in the Specific Character Set', () => {
    const bytes = fixture('data-set-latin1-explicit.bin');
    const options = { transferSyntaxUid: '1.2.840.10008.1.2.1' };
    expect(readAttributesSync(bytes, [0x00100010, 0x00100020], options)).toEqual({
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Müller^Jörg' }] },
      '00100020': { vr: 'LO', Value: ['PIDé1'] },
    });
    expect(() => readAttributesSync(bytes, ['0010001'], options)).toThrow(TypeError);
  });

  it('decodes the text of an item in its own Specific Character Set (PS3.5 7.5)', () => {
    const bytes = fromHex(`
      08000500 4353 0A00 49534F5F495220313030     # ISO_IR 100
      08001011 5351 0000 FFFFFFFF FEFF00E0 FFFFFFFF
      08000500 4353 0A00 49534F5F495220313932     # ISO_IR 192 in the item
      10001000 504E 0200 C3BC                     # ü in UTF-8
      FEFF0DE0 00000000 FEFFDDE0 00000000
      10001000 504E 0200 FC20                     # ü in Latin-1`);
    expect(
      readAttributesSync(bytes, ['00081110', '00100010'], {
        transferSyntaxUid: '1.2.840.10008.1.2.1',
      }),
    ).toEqual({
      '00081110': {
        vr: 'SQ',
        Value: [
          {
            '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
            '00100010': { vr: 'PN', Value: [{ Alphabetic: 'ü' }] },
          },
        ],
      },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'ü' }] },
    });
  });

  it('decodes an explicit UN of a known tag with its dictionary VR, Little Endian (PS3.5 6.2.2)', () => {
    const bytes = fromHex(`
      0010 0010 554E 0000 00000004 412B4220    # (0010,0010) UN "A+B ", Big Endian syntax
      0028 0010 554E 0000 00000002 0002        # (0028,0010) UN: US 512 in Little Endian
      0029 1010 554E 0000 00000002 0102        # private: stays UN`);
    expect(
      readAttributesSync(bytes, ['00100010', '00280010', '00291010'], {
        transferSyntaxUid: '1.2.840.10008.1.2.2',
      }),
    ).toEqual({
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'A+B' }] },
      '00280010': { vr: 'US', Value: [512] },
      '00291010': { vr: 'UN', InlineBinary: fromHex('0102') },
    });
  });

  it('refuses a requested value longer than maxValueBytes rather than leave it out', () => {
    const bytes = fixture('data-set-all-vrs-explicit.bin');
    const options = { transferSyntaxUid: '1.2.840.10008.1.2.1', maxValueBytes: 16 };
    expect(() => readAttributesSync(bytes, ['00080090'], options)).toThrow(
      expect.objectContaining({ code: 'DICOMNET_DATASET_UNSUPPORTED', feature: 'value-too-large' }),
    );
    expect(() => readAttributesSync(bytes, ['00081110'], options)).toThrow(/\(0008,1150\)/);
    // Values not asked for may be as long as they are.
    expect(readAttributesSync(bytes, ['00100020'], options)).toEqual({
      '00100020': { vr: 'LO', Value: ['PID0001'] },
    });
  });

  it('stops after the largest requested tag and releases the source', async () => {
    const bytes = fixture('data-set-all-vrs-explicit.bin');
    let pulled = 0;
    let released = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let start = 0; start < bytes.byteLength; start += 16) {
          pulled++;
          yield bytes.subarray(start, start + 16);
        }
      } finally {
        released = true;
      }
    }
    const found = await readAttributes(source(), ['00080018'], {
      transferSyntaxUid: '1.2.840.10008.1.2.1',
    });
    expect(found).toEqual({
      '00080018': { vr: 'UI', Value: ['1.2.826.0.1.3680043.8.498.77'] },
    });
    expect(released).toBe(true);
    expect(pulled).toBeLessThan(12);
  });

  it('rejects with the reason when the signal aborts, and releases the source', async () => {
    let released = false;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => {}), // never answers
        return: () => {
          released = true;
          return Promise.resolve({ done: true, value: undefined });
        },
      }),
    };
    const controller = new AbortController();
    const reading = readAttributes(source, ['00100010'], {
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      signal: controller.signal,
    });
    controller.abort(new Error('enough'));
    await expect(reading).rejects.toThrow('enough');
    expect(released).toBe(true);
    await expect(
      readAttributes(new Uint8Array(0), ['00100010'], {
        transferSyntaxUid: '1.2.840.10008.1.2',
        signal: AbortSignal.abort(new Error('before')),
      }),
    ).rejects.toThrow('before');
  });
});

describe('readElements', () => {
  it('closes a file stream it stops reading early', async () => {
    const stream = createReadStream(fixturePath('data-set-all-vrs-explicit.bin'), {
      highWaterMark: 64,
    });
    const tags: number[] = [];
    for await (const token of readElements(stream, {
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      stopAfter: 0x00080018,
    })) {
      if (token.kind === 'element') tags.push(token.tag);
    }
    expect(tags).toEqual([0x00080005, 0x00080008, 0x00080016, 0x00080018]);
    expect(stream.destroyed).toBe(true);
  });

  it('inflates a Deflated data set as it goes and stops without inflating the rest', async () => {
    // A data set of (0008,0018), then 256 KiB of incompressible OB, then (0010,0010).
    const big = randomBytes(256 * 1024);
    const plain = concatBytes(
      fromHex('08001800 5549 0400 312E3200'),
      fromHex('09001010 4F42 0000 00000400'),
      big,
      fromHex('10001000 504E 0400 412B4220'),
    );
    const deflated = new Uint8Array(deflateRawSync(plain));
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let start = 0; start < deflated.byteLength; start += 1024) {
        pulled++;
        yield deflated.subarray(start, start + 1024);
      }
    }
    const kinds: number[] = [];
    for await (const token of readElements(source(), {
      transferSyntaxUid: '1.2.840.10008.1.2.1.99',
      stopAfter: 0x00080018,
    })) {
      if (token.kind === 'element') kinds.push(token.tag);
    }
    expect(kinds).toEqual([0x00080018]);
    expect(pulled).toBeLessThan(100); // of 257
    const all = [...readElementsSync(deflated, { transferSyntaxUid: '1.2.840.10008.1.2.1.99' })];
    expect(all.map((token) => token.kind === 'element' && token.tag)).toEqual([
      0x00080018, 0x00091010, 0x00100010,
    ]);
  });

  it('finds attributes before and after a long value of a Deflated data set held in memory', () => {
    const plain = concatBytes(
      fromHex('08001800 5549 0400 312E3200'),
      fromHex('09001010 4F42 0000 00000300'),
      randomBytes(192 * 1024),
      fromHex('10001000 504E 0400 412B4220'),
    );
    const deflated = new Uint8Array(deflateRawSync(plain));
    const options = { transferSyntaxUid: '1.2.840.10008.1.2.1.99' };
    expect(readAttributesSync(deflated, ['00080018'], options)).toEqual({
      '00080018': { vr: 'UI', Value: ['1.2'] },
    });
    expect(readAttributesSync(deflated, ['00080018', '00100010'], options)).toEqual({
      '00080018': { vr: 'UI', Value: ['1.2'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'A+B' }] },
    });
  });

  it.each(SYNTAXES)(
    'readElementBatches yields the tokens of readElements, one array per chunk (%s)',
    async (name, transferSyntaxUid) => {
      const bytes = fixture(name);
      const chunks: Uint8Array[] = [];
      for (let start = 0; start < bytes.byteLength; start += 100)
        chunks.push(bytes.subarray(start, start + 100));
      const one: unknown[] = [];
      for await (const token of readElements(chunks, { transferSyntaxUid })) one.push(token);
      const batches: (readonly unknown[])[] = [];
      for await (const batch of readElementBatches(chunks, { transferSyntaxUid }))
        batches.push(batch);
      expect(batches.flat()).toEqual(one);
      expect(batches.every((batch) => batch.length > 0)).toBe(true);
      // One array per chunk: a chunk of 100 bytes holds several tokens.
      expect(batches.length).toBeLessThan(one.length);
    },
  );

  it('readElementBatches rejects with the reason when the signal aborts, and releases the source', async () => {
    let released = false;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => {}), // never answers
        return: () => {
          released = true;
          return Promise.resolve({ done: true, value: undefined });
        },
      }),
    };
    const controller = new AbortController();
    const batches = readElementBatches(source, {
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      signal: controller.signal,
    });
    const next = batches.next();
    controller.abort(new Error('enough'));
    await expect(next).rejects.toThrow('enough');
    expect(released).toBe(true);
  });

  it('refuses a Deflated data set past maxInflatedBytes, and one that is not DEFLATE', async () => {
    const deflated = new Uint8Array(deflateRawSync(new Uint8Array(1 << 20)));
    const options = { transferSyntaxUid: '1.2.840.10008.1.2.1.99', maxInflatedBytes: 1000 };
    expect(() => [...readElementsSync(deflated, options)]).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_INFLATE_TOO_LARGE' }),
    );
    await expect(readAttributes(deflated, ['00100010'], options)).rejects.toMatchObject({
      code: 'DICOMNET_PART10_INFLATE_TOO_LARGE',
    });
    const garbage = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    expect(() => [...readElementsSync(garbage, options)]).toThrow(DicomnetError);
    await expect(readAttributes(garbage, ['00100010'], options)).rejects.toBeInstanceOf(
      DicomnetError,
    );
  });
});

describe('readPart10Attributes and readPart10AttributesSync', () => {
  const INDEX = ['00080018', '00100010', '0020000D', '00280010', '7FE00010'];
  const EXPECTED_INDEX = {
    '00080018': { vr: 'UI', Value: ['1.2.826.0.1.3680043.8.498.1.1'] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Test^Small' }] },
    '0020000D': { vr: 'UI', Value: ['1.2.826.0.1.3680043.8.498.2.1'] },
    '00280010': { vr: 'US', Value: [4] },
  };

  it.each([
    'part10-explicit.dcm',
    'part10-implicit.dcm',
    'part10-big-endian.dcm',
    'part10-deflated.dcm',
    'part10-rle.dcm',
  ])('read the header and the requested attributes of %s', async (name) => {
    const tags = INDEX.slice(0, 4);
    const header = readPart10Header(fixture(name));
    for (const chunkBytes of [64 * 1024, 64, 200]) {
      const found = await readPart10Attributes(fixturePath(name), tags, { chunkBytes });
      expect(found.meta).toEqual(header.meta);
      expect(found.dataSetOffset).toBe(header.dataSetOffset);
      expect(found.attributes).toEqual(EXPECTED_INDEX);
      const sync = readPart10AttributesSync(fixturePath(name), tags, { chunkBytes });
      expect(sync.attributes).toEqual(EXPECTED_INDEX);
      expect(sync.meta).toEqual(header.meta);
    }
  });

  it('returns nothing that a later synchronous read overwrites', () => {
    const first = readPart10AttributesSync(fixturePath('part10-explicit.dcm'), INDEX);
    const pixels = Buffer.from(first.attributes['7FE00010']?.InlineBinary ?? []).toString('hex');
    const version = Buffer.from(first.meta.fileMetaInformationVersion).toString('hex');
    readPart10AttributesSync(fixturePath('element-reader-rle.dcm'), ['7FE00010', '00100010']);
    expect(Buffer.from(first.attributes['7FE00010']?.InlineBinary ?? []).toString('hex')).toBe(
      pixels,
    );
    expect(Buffer.from(first.meta.fileMetaInformationVersion).toString('hex')).toBe(version);
    expect(first.attributes).toEqual(
      readPart10AttributesSync(fixturePath('part10-explicit.dcm'), INDEX).attributes,
    );
  });

  it('reads the data set of readPart10 from a stream, and closes the stream', async () => {
    const stream = createReadStream(fixturePath('part10-explicit.dcm'), { highWaterMark: 100 });
    const file = await readPart10(stream);
    const attributes = await readAttributes(file.dataSet, ['0020000D', '00080018'], {
      transferSyntaxUid: file.meta.transferSyntaxUid,
    });
    expect(attributes).toEqual({
      '00080018': EXPECTED_INDEX['00080018'],
      '0020000D': EXPECTED_INDEX['0020000D'],
    });
    expect(stream.destroyed).toBe(true);
  });

  it('reads the file only as far as the requested tags', async () => {
    const name = fixturePath('part10-explicit.dcm');
    const found = await readPart10Attributes(name, ['00100010'], { chunkBytes: 64 });
    const size = fixture('part10-explicit.dcm').byteLength;
    expect(found.bytesRead).toBeLessThan(size - 64);
    expect(readPart10AttributesSync(name, ['00100010'], { chunkBytes: 64 }).bytesRead).toBe(
      found.bytesRead,
    );
    const pixels = await readPart10Attributes(name, INDEX, { chunkBytes: 64 });
    expect(pixels.bytesRead).toBe(size);
    expect(pixels.attributes['7FE00010']?.InlineBinary?.byteLength).toBe(32);
  });

  it('inflates a Deflated file only as far as the requested tags, whatever its length', async () => {
    const header = fixture('part10-deflated.dcm').subarray(
      0,
      readPart10Header(fixture('part10-deflated.dcm')).dataSetOffset,
    );
    const plain = concatBytes(
      fromHex('08001800 5549 0400 312E3200'),
      fromHex('09001010 4F42 0000 00000200'),
      randomBytes(128 * 1024),
      fromHex('10001000 504E 0400 412B4220'),
    );
    const file = path.join((await tempDir('element-reader-')).path, 'deflated.dcm');
    await writeFile(file, concatBytes(header, new Uint8Array(deflateRawSync(plain))));
    const first = readPart10AttributesSync(file, ['00080018']);
    expect(first.attributes).toEqual({ '00080018': { vr: 'UI', Value: ['1.2'] } });
    expect(first.bytesRead).toBeLessThanOrEqual(64 * 1024);
    const last = { '00100010': { vr: 'PN', Value: [{ Alphabetic: 'A+B' }] } };
    expect(readPart10AttributesSync(file, ['00100010']).attributes).toEqual(last);
    expect((await readPart10Attributes(file, ['00100010'])).attributes).toEqual(last);
  });

  it('rejects with the reason of an aborted signal', async () => {
    const signal = AbortSignal.abort(new Error('stop'));
    for (const name of ['part10-explicit.dcm', 'part10-deflated.dcm'])
      await expect(readPart10Attributes(fixturePath(name), INDEX, { signal })).rejects.toThrow(
        'stop',
      );
  });

  it('refuses a file that is not Part 10, and a missing file, as they are', async () => {
    await expect(
      readPart10Attributes(fixturePath('part10-not-part10.bin'), ['00100010']),
    ).rejects.toMatchObject({ code: 'DICOMNET_PART10_NOT_PART10' });
    expect(() => readPart10AttributesSync(fixturePath('part10-not-part10.bin'), [])).toThrow(
      expect.objectContaining({ code: 'DICOMNET_PART10_NOT_PART10' }),
    );
    await expect(readPart10Attributes(fixturePath('absent.dcm'), [])).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
