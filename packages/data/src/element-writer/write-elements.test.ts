import { inflateRawSync } from 'node:zlib';
import { fromHex, tempDir, toHex } from '@dicomnet/test-utils';
import { describe, expect, it } from 'vitest';
import { ALL_VRS, fixture, SYNTAXES } from '../../test/contract/data-set-fixtures.js';
import { EXTRA } from '../../test/fixtures/element-writer-extra.js';
import type { DataSet } from '../data-set/data-set.js';
import { DataSetEncodeError } from '../data-set/errors.js';
import type { ElementToken, ValueToken } from '../element-stream/element-token.js';
import { readPart10 } from '../part10/read-part10.js';
import { TransferSyntax } from '../transfer-syntax/transfer-syntax.js';
import { dataSetTokens, writeElements } from './write-elements.js';
import { writePart10FileFromElements } from './write-part10-elements.js';
import type { ElementWriterInput, ElementWriterOptions } from './writer-input.js';

async function collect(
  input: Iterable<ElementWriterInput> | AsyncIterable<ElementWriterInput>,
  options: ElementWriterOptions,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeElements(input, options)) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
const written = async (
  input: Iterable<ElementWriterInput>,
  options: ElementWriterOptions,
): Promise<string> => toHex(await collect(input, options));
const writeError = async (
  input: Iterable<ElementWriterInput>,
  options: ElementWriterOptions = { transferSyntaxUid: SYNTAXES.explicit },
): Promise<DataSetEncodeError> => {
  const error: unknown = await collect(input, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DataSetEncodeError);
  return error as DataSetEncodeError;
};

const value = (tag: number, vr: string, hex: string): ValueToken => {
  const bytes = fromHex(hex);
  return { kind: 'element', tag, vr, length: bytes.byteLength, value: bytes };
};
const SEQ = (length?: number): ElementToken => ({
  kind: 'sequence',
  tag: 0x00081110,
  vr: 'SQ',
  length,
});
const ITEM = (length?: number): ElementToken => ({ kind: 'item', index: 0, length });
const ITEM_END: ElementToken = { kind: 'item-end' };
const SEQ_END: ElementToken = { kind: 'sequence-end' };
const ACCESSION = value(0x00080050, 'SH', '4142'); // "AB"
const UID = value(0x00081150, 'UI', '312e3200'); // "1.2\0"

describe('writeElements: DCMTK golden bytes (test/fixtures/*-make-fixtures.sh)', () => {
  it.each([
    ['implicit', SYNTAXES.implicit, 'undefined', 'data-set-all-vrs-implicit.bin'],
    ['explicit', SYNTAXES.explicit, 'undefined', 'data-set-all-vrs-explicit.bin'],
    ['big endian', SYNTAXES.bigEndian, 'undefined', 'data-set-all-vrs-big-endian.bin'],
    ['explicit', SYNTAXES.explicit, 'defined', 'data-set-all-vrs-explicit-lengths.bin'],
    ['implicit', SYNTAXES.implicit, 'defined', 'data-set-all-vrs-implicit-explicit-lengths.bin'],
  ] as const)('%s, %s lengths: the bytes of dump2dcm', async (_name, syntax, lengths, file) => {
    const bytes = await collect(dataSetTokens(ALL_VRS), { transferSyntaxUid: syntax, lengths });
    expect(toHex(bytes)).toBe(toHex(fixture(file)));
  });

  it.each([
    [SYNTAXES.implicit, 'implicit'],
    [SYNTAXES.explicit, 'explicit'],
    [SYNTAXES.bigEndian, 'big-endian'],
  ] as const)(
    '%s: element-writer-extra.dump as dump2dcm wrote it, both lengths',
    async (syntax, name) => {
      const undefinedLengths = await collect(dataSetTokens(EXTRA), { transferSyntaxUid: syntax });
      expect(toHex(undefinedLengths)).toBe(toHex(fixture(`element-writer-extra-${name}.bin`)));
      const defined = await collect(dataSetTokens(EXTRA, true), { transferSyntaxUid: syntax });
      expect(toHex(defined)).toBe(toHex(fixture(`element-writer-extra-${name}-lengths.bin`)));
    },
  );

  it('gives model content computed lengths when the tokens ask (definedLength)', async () => {
    const bytes = await collect(dataSetTokens(ALL_VRS, true), {
      transferSyntaxUid: SYNTAXES.explicit,
    });
    expect(toHex(bytes)).toBe(toHex(fixture('data-set-all-vrs-explicit-lengths.bin')));
  });

  it('deflates to raw DEFLATE of the Explicit VR Little Endian bytes, even length (PS3.5 A.5)', async () => {
    const bytes = await collect(dataSetTokens(ALL_VRS), {
      transferSyntaxUid: SYNTAXES.deflated,
      lengths: 'undefined',
    });
    expect(bytes.byteLength % 2).toBe(0);
    expect(toHex(inflateRawSync(bytes))).toBe(toHex(fixture('data-set-all-vrs-explicit.bin')));
  });
});

// Expected bytes below are written by hand from PS3.5 7.1.2 (Explicit VR), 7.1.3 (Implicit VR),
// 7.5 (items and delimiters) and A.4 (fragments).
describe('writeElements: sequences and items', () => {
  const tokens = [ACCESSION, SEQ(), ITEM(), UID, ITEM_END, SEQ_END];

  it('writes undefined lengths with delimiters (PS3.5 7.5.2)', async () => {
    expect(await written(tokens, { transferSyntaxUid: SYNTAXES.explicit })).toBe(
      toHex(
        fromHex(`
          08005000 5348 0200 4142
          08001011 5351 0000 ffffffff
          feff00e0 ffffffff
          08005011 5549 0400 312e3200
          feff0de0 00000000
          feffdde0 00000000`),
      ),
    );
  });

  it('computes defined lengths when the tokens carry one or lengths is "defined" (PS3.5 7.5.1)', async () => {
    const expected = toHex(
      fromHex(`
        08005000 5348 0200 4142
        08001011 5351 0000 14000000
        feff00e0 0c000000
        08005011 5549 0400 312e3200`),
    );
    // The numbers given are only a request: the lengths are computed.
    const asked = [ACCESSION, SEQ(999), ITEM(1), UID, ITEM_END, SEQ_END];
    expect(await written(asked, { transferSyntaxUid: SYNTAXES.explicit })).toBe(expected);
    expect(
      await written(tokens, { transferSyntaxUid: SYNTAXES.explicit, lengths: 'defined' }),
    ).toBe(expected);
    expect(
      await written(asked, { transferSyntaxUid: SYNTAXES.explicit, lengths: 'undefined' }),
    ).toBe(await written(tokens, { transferSyntaxUid: SYNTAXES.explicit }));
  });

  it('writes Implicit VR and Big Endian headers', async () => {
    expect(await written(tokens, { transferSyntaxUid: SYNTAXES.implicit })).toBe(
      toHex(
        fromHex(`
          08005000 02000000 4142
          08001011 ffffffff
          feff00e0 ffffffff
          08005011 04000000 312e3200
          feff0de0 00000000
          feffdde0 00000000`),
      ),
    );
    expect(await written(tokens, { transferSyntaxUid: SYNTAXES.bigEndian })).toBe(
      toHex(
        fromHex(`
          00080050 5348 0002 4142
          00081110 5351 0000 ffffffff
          fffee000 ffffffff
          00081150 5549 0004 312e3200
          fffee00d 00000000
          fffee0dd 00000000`),
      ),
    );
  });

  it('writes the items of a UN sequence in Implicit VR Little Endian (PS3.5 6.2.2)', async () => {
    const un: ElementToken = { kind: 'sequence', tag: 0x00091002, vr: 'UN', length: undefined };
    const inner = value(0x00091003, 'US', '0100'); // Little Endian, as inside UN it always is
    expect(
      await written([un, ITEM(), inner, ITEM_END, SEQ_END], {
        transferSyntaxUid: SYNTAXES.bigEndian,
      }),
    ).toBe(
      toHex(
        fromHex(`
          00091002 554e 0000 ffffffff
          feff00e0 ffffffff
          09000310 02000000 0100
          feff0de0 00000000
          feffdde0 00000000`),
      ),
    );
  });

  it('writes a model item inside a token sequence, with its computed length when asked', async () => {
    const item: DataSet = { '00081150': { vr: 'UI', Value: ['1.2'] } };
    expect(
      await written([SEQ(), { kind: 'model-item', dataSet: item, definedLength: true }, SEQ_END], {
        transferSyntaxUid: SYNTAXES.explicit,
      }),
    ).toBe(
      toHex(
        fromHex(`
          08001011 5351 0000 ffffffff
          feff00e0 0c000000
          08005011 5549 0400 312e3200
          feffdde0 00000000`),
      ),
    );
  });

  it('writes encapsulated pixel data as fragments and a sequence delimiter (PS3.5 A.4)', async () => {
    const pixels: ElementToken[] = [
      { kind: 'encapsulated', tag: 0x7fe00010, vr: 'OB' },
      { kind: 'fragment', index: 0, length: 0, value: new Uint8Array(0) },
      { kind: 'fragment', index: 1, length: 3, value: fromHex('010203') },
      SEQ_END,
    ];
    expect(await written(pixels, { transferSyntaxUid: TransferSyntax.JpegBaseline })).toBe(
      toHex(
        fromHex(`
          e07f1000 4f42 0000 ffffffff
          feff00e0 00000000
          feff00e0 04000000 01020300
          feffdde0 00000000`),
      ),
    );
    const error = await writeError(pixels);
    expect(error.code).toBe('DICOMNET_DATASET_UNSUPPORTED');
    expect(error.feature).toBe('encapsulated-pixel-data');
  });
});

describe('writeElements: values of tokens', () => {
  it('swaps binary values read in the other byte order (PS3.5 7.3)', async () => {
    const tokens = [
      value(0x00280009, 'AT', '18006310'),
      value(0x00280010, 'US', '0002'),
      value(0x00281201, 'OW', '01020304'),
      value(0x00420011, 'OB', '01020304'),
    ];
    expect(
      await written(tokens, { transferSyntaxUid: SYNTAXES.bigEndian, inputLittleEndian: true }),
    ).toBe(
      toHex(
        fromHex(`
          00280009 4154 0004 00181063
          00280010 5553 0002 0200
          00281201 4f57 0000 00000004 02010403
          00420011 4f42 0000 00000004 01020304`),
      ),
    );
  });

  it('leaves out group lengths unless asked to keep them (PS3.5 7.2)', async () => {
    const tokens = [value(0x00080000, 'UL', '0a000000'), ACCESSION];
    const accession = '08005000 02000000 4142';
    expect(await written(tokens, { transferSyntaxUid: SYNTAXES.implicit })).toBe(
      toHex(fromHex(accession)),
    );
    expect(
      await written(tokens, { transferSyntaxUid: SYNTAXES.implicit, groupLengths: 'keep' }),
    ).toBe(toHex(fromHex(`08000000 04000000 0a000000 ${accession}`)));
  });

  it('pads an odd raw value with the VR padding byte (PS3.5 7.1.1)', async () => {
    expect(
      await written([value(0x00080050, 'SH', '414243'), value(0x00080018, 'UI', '31')].reverse(), {
        transferSyntaxUid: SYNTAXES.implicit,
      }),
    ).toBe(toHex(fromHex('08001800 02000000 3100 08005000 04000000 41424320')));
  });

  it('keeps a large value as the very bytes given (no copy) and gathers small ones into chunks', async () => {
    const big = new Uint8Array(64 * 1024);
    const small = Array.from({ length: 2000 }, (_, index) =>
      value(0x00091000 + index, 'LO', '41424344'),
    );
    const chunks: Uint8Array[] = [];
    for await (const chunk of writeElements(
      [...small, { kind: 'element', tag: 0x7fe00010, vr: 'OB', length: big.length, value: big }],
      { transferSyntaxUid: SYNTAXES.explicit, chunkBytes: 4096 },
    ))
      chunks.push(chunk);
    expect(chunks).toContain(big);
    // Then the partly filled chunk (ending with the large value's header), then the value.
    expect(chunks.at(-1)).toBe(big);
    const gathered = chunks.slice(0, -2);
    expect(gathered.length).toBe(5); // 2000 x 12 bytes in 4096-byte chunks
    // A header is never split, so a chunk may end up to 11 bytes short.
    for (const chunk of gathered) expect(chunk.byteLength).toBeGreaterThan(4096 - 12);
    expect(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(
      2000 * 12 + 12 + big.length,
    );
  });

  it('accepts non-ASCII model text only under ISO_IR 192, declared by a model or a raw token', async () => {
    const name = { vr: 'PN', Value: [{ Alphabetic: 'Müller' }] };
    const noCharset = await writeError([{ kind: 'model-element', tag: 0x00100010, element: name }]);
    expect(noCharset.code).toBe('DICOMNET_DATASET_UNSUPPORTED');
    expect(noCharset.feature).toBe('character-set');
    const raw = value(0x00080005, 'CS', '49534f5f495220313932'); // "ISO_IR 192"
    const bytes = await collect(
      [raw, SEQ(), { kind: 'model-item', dataSet: { '00100010': name } }, SEQ_END],
      { transferSyntaxUid: SYNTAXES.explicit },
    );
    expect(Buffer.from(bytes).includes(Buffer.from('Müller', 'utf8'))).toBe(true);
  });
});

describe('writeElements: refusals', () => {
  it('refuses tags that do not ascend within a data set (PS3.5 7.1), with the path', async () => {
    const error = await writeError([SEQ(), ITEM(), UID, value(0x00081150, 'UI', '3100'), ITEM_END]);
    expect(error.code).toBe('DICOMNET_DATASET_INVALID_VALUE');
    expect(error.path).toBe('(0008,1110)[0](0008,1150)');
    expect(error.message).toContain('ascend');
    // Each item is a data set of its own: the same tag in two items is fine.
    await expect(
      collect([SEQ(), ITEM(), UID, ITEM_END, ITEM(), UID, ITEM_END, SEQ_END], {
        transferSyntaxUid: SYNTAXES.explicit,
      }),
    ).resolves.toBeDefined();
    expect((await writeError([UID, ACCESSION])).path).toBe('(0008,0050)');
  });

  it('refuses tokens that do not nest', async () => {
    for (const tokens of [
      [ITEM()],
      [ITEM_END],
      [SEQ_END],
      [SEQ(), UID],
      [SEQ()],
      [SEQ(), ITEM()],
      [{ kind: 'fragment', index: 0, length: 0, value: new Uint8Array(0) }],
      [value(0xfffee000, 'UN', '')],
      [{ kind: 'element', tag: 0x00100010, vr: 'PN', length: 4, value: undefined }],
      [value(0x00100010, 'XX', '')],
    ] as ElementToken[][]) {
      expect((await writeError(tokens)).code).toBe('DICOMNET_DATASET_INVALID_VALUE');
    }
  });

  it('validates model elements with the path of the bad value', async () => {
    const error = await writeError([
      SEQ(),
      { kind: 'model-item', dataSet: {} },
      { kind: 'model-item', dataSet: { '00280010': { vr: 'US', Value: [70000] } } },
      SEQ_END,
    ]);
    expect(error.code).toBe('DICOMNET_DATASET_INVALID_VALUE');
    expect(error.path).toBe('(0008,1110)[1](0028,0010)');
    const badKey = await writeError(dataSetTokens({ '0010001': { vr: 'LO' } }));
    expect(badKey.code).toBe('DICOMNET_DATASET_INVALID_VALUE');
    expect(badKey.message).toContain('"0010001"');
  });

  it('refuses short-length VRs longer than 65535 bytes in Explicit VR (PS3.5 7.1.2)', async () => {
    const long = new Uint8Array(70000).fill(0x41);
    const token: ElementToken = {
      kind: 'element',
      tag: 0x00104000,
      vr: 'LT',
      length: long.length,
      value: long,
    };
    expect((await writeError([token])).path).toBe('(0010,4000)');
    const implicit = await collect([token], { transferSyntaxUid: SYNTAXES.implicit });
    expect(implicit.byteLength).toBe(8 + long.length);
  });

  it('fails past maxBufferedBytes for computed lengths, and streams them with undefined lengths', async () => {
    const item = (index: number): ElementWriterInput[] => [
      { kind: 'item', index, length: 1 },
      value(0x00081150, 'UI', '31'.repeat(100)),
      ITEM_END,
    ];
    const tokens = [SEQ(1), ...Array.from({ length: 100 }, (_, index) => item(index)).flat()];
    tokens.push(SEQ_END);
    const error = await writeError(tokens, {
      transferSyntaxUid: SYNTAXES.explicit,
      maxBufferedBytes: 5000,
    });
    expect(error.code).toBe('DICOMNET_DATASET_UNSUPPORTED');
    expect(error.feature).toBe('defined-length-buffer');
    const streamed = await collect(tokens, {
      transferSyntaxUid: SYNTAXES.explicit,
      maxBufferedBytes: 5000,
      lengths: 'undefined',
    });
    expect(streamed.byteLength).toBe(12 + 100 * (8 + 108 + 8) + 8);
  });

  it('refuses sequences nested deeper than maxDepth', async () => {
    const error = await writeError([SEQ(), ITEM(), SEQ()], {
      transferSyntaxUid: SYNTAXES.explicit,
      maxDepth: 1,
    });
    expect(error.message).toContain('deeper');
  });
});

describe('writeElements: streaming', () => {
  it('reads input only as its output is read, and ends the input when the reader stops', async () => {
    let pulled = 0;
    let ended = false;
    async function* input(): AsyncGenerator<ElementWriterInput> {
      try {
        for (let index = 0; index < 100_000; index++) {
          pulled++;
          yield value(0x00090000 + index + 0x10, 'LO', '41424344');
        }
      } finally {
        ended = true;
      }
    }
    const output = writeElements(input(), {
      transferSyntaxUid: SYNTAXES.explicit,
      chunkBytes: 1200,
    });
    const first = await output.next();
    expect(first.value?.byteLength).toBe(1200);
    expect(pulled).toBeLessThanOrEqual(101); // 12 bytes an element: 100 fill a chunk
    await output.return(undefined);
    expect(ended).toBe(true);
  });

  it.each([SYNTAXES.explicit, SYNTAXES.deflated])(
    'stops with signal.reason once aborted (%s)',
    async (syntax) => {
      const controller = new AbortController();
      const output = writeElements(
        Array.from({ length: 100_000 }, (_, index) => value(0x00090010 + index, 'LO', '4142')),
        { transferSyntaxUid: syntax, chunkBytes: 1024, signal: controller.signal },
      );
      await output.next();
      const reason = new Error('stop');
      controller.abort(reason);
      await expect(
        (async () => {
          for (;;) if ((await output.next()).done === true) return 'ended';
        })(),
      ).rejects.toBe(reason);
    },
  );
});

describe('writePart10FileFromElements', () => {
  it('writes the File Meta Information, then the data set in its transfer syntax', async () => {
    const dir = await tempDir();
    try {
      const path = `${dir.path}/all-vrs.dcm`;
      const meta = {
        mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7',
        mediaStorageSopInstanceUid: '1.2.826.0.1.3680043.8.498.77',
        transferSyntaxUid: SYNTAXES.bigEndian,
      };
      const result = await writePart10FileFromElements(path, meta, dataSetTokens(ALL_VRS), {
        lengths: 'undefined',
        fsync: false,
      });
      const file = await readPart10(path);
      const chunks: Uint8Array[] = [];
      for await (const chunk of file.dataSet) chunks.push(chunk);
      expect(file.meta.transferSyntaxUid).toBe(SYNTAXES.bigEndian);
      expect(toHex(Buffer.concat(chunks))).toBe(toHex(fixture('data-set-all-vrs-big-endian.bin')));
      expect(result.bytes).toBe(
        file.dataSetOffset + fixture('data-set-all-vrs-big-endian.bin').length,
      );
    } finally {
      await dir.remove();
    }
  });
});
