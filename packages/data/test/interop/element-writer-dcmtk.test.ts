// The element writer against DCMTK 3.6.7: golden bytes from `dump2dcm` (the equivalent dump text,
// every native syntax, both of DCMTK's length encodings), and `dcmconv` rewriting what we write
// byte for byte, and `dcmdump` parsing it.
import { readFile, writeFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { generateInstances, runTool, tempDir, toHex } from '@dicomnet/test-utils';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dataSetTokens,
  describeTransferSyntax,
  readElements,
  readPart10,
  writeElements,
  writePart10FileFromElements,
} from '../../src/index.js';
import type { ElementWriterInput, ElementWriterOptions } from '../../src/index.js';
import { arbitraryDataSet } from '../contract/data-set-arbitrary.js';
import { ALL_VRS, SYNTAXES } from '../contract/data-set-fixtures.js';
import { EXTRA } from '../fixtures/element-writer-extra.js';

const TOOL = { timeoutMs: 20_000 } as const;
const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

const NATIVE = [
  ['Implicit VR LE', '+ti', '-ti', SYNTAXES.implicit],
  ['Explicit VR LE', '+te', '-te', SYNTAXES.explicit],
  ['Explicit VR BE', '+tb', '-tb', SYNTAXES.bigEndian],
] as const;
const LENGTHS = [
  ['undefined', '-e'],
  ['defined', '+e'],
] as const;

let dir: Awaited<ReturnType<typeof tempDir>>;
let runs = 0;
beforeAll(async () => {
  dir = await tempDir('dicomnet-element-writer-');
});
afterAll(async () => {
  await dir.remove();
});

async function write(
  input: Iterable<ElementWriterInput>,
  options: ElementWriterOptions,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of writeElements(input, options)) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Runs a DCMTK tool that writes `out`; returns its bytes. */
async function dcmtk(command: string, args: string[], out: string): Promise<Uint8Array> {
  const result = await runTool(command, [...args, out], TOOL);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return new Uint8Array(await readFile(out));
}

describe.each([
  ['data-set-all-vrs.dump', ALL_VRS],
  ['element-writer-extra.dump', EXTRA],
] as const)('dump2dcm %s', (dump, model) => {
  describe.each(NATIVE)('%s', (_name, writeOption, _readOption, syntax) => {
    it.each(LENGTHS)("%s lengths: our bytes are dump2dcm's", async (lengths, lengthOption) => {
      const out = `${dir.path}/${dump}${writeOption}${lengthOption}.bin`;
      const expected = await dcmtk(
        'dump2dcm',
        ['-F', writeOption, lengthOption, fixturePath(dump)],
        out,
      );
      const ours = await write(dataSetTokens(model), { transferSyntaxUid: syntax, lengths });
      expect(toHex(ours)).toBe(toHex(expected));
    });
  });

  it('Deflated: inflates to the bytes of dump2dcm +td (PS3.5 A.5)', async () => {
    const out = `${dir.path}/${dump}+td.bin`;
    const expected = await dcmtk('dump2dcm', ['-F', '+td', '-e', fixturePath(dump)], out);
    const ours = await write(dataSetTokens(model), {
      transferSyntaxUid: SYNTAXES.deflated,
      lengths: 'undefined',
    });
    expect(ours.byteLength % 2).toBe(0);
    expect(toHex(inflateRawSync(ours))).toBe(toHex(inflateRawSync(expected)));
  });
});

describe('dcmconv rewrites what we write byte for byte', () => {
  it('arbitrary data sets, every native syntax, both length encodings', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryDataSet,
        fc.constantFrom(...NATIVE),
        fc.constantFrom(...LENGTHS),
        async (dataSet, [, writeOption, readOption, syntax], [lengths, lengthOption]) => {
          const n = runs++;
          const ours = await write(dataSetTokens(dataSet), { transferSyntaxUid: syntax, lengths });
          const input = `${dir.path}/arbitrary-${n}.bin`;
          await writeFile(input, ours);
          const rewritten = await dcmtk(
            'dcmconv',
            ['-f', readOption, '-F', writeOption, lengthOption, input],
            `${dir.path}/arbitrary-${n}-dcmconv.bin`,
          );
          expect(toHex(ours)).toBe(toHex(rewritten));
        },
      ),
      { numRuns: 40, interruptAfterTimeLimit: 20_000 },
    );
  }, 60_000);
});

describe('dcmdump parses a long sequence we write', () => {
  it.each(LENGTHS)('10,000 items, %s lengths', async (lengths) => {
    function* tokens(): Generator<ElementWriterInput> {
      yield { kind: 'sequence', tag: 0x00081140, vr: 'SQ', length: undefined };
      for (let index = 0; index < 10_000; index++) {
        yield {
          kind: 'model-item',
          dataSet: { '00081155': { vr: 'UI', Value: [`1.2.3.${index}`] } },
        };
      }
      yield { kind: 'sequence-end' };
    }
    const path = `${dir.path}/long-${lengths}.bin`;
    await writeFile(path, await write(tokens(), { transferSyntaxUid: SYNTAXES.explicit, lengths }));
    const result = await runTool('dcmdump', ['-f', '-te', '+L', path], TOOL);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const items = result.stdout.split('\n').filter((line) => line.includes('(fffe,e000)'));
    expect(items).toHaveLength(10_000);
    expect(result.stdout).toContain('[1.2.3.9999]');
    expect(items[0]).toContain(lengths === 'defined' ? 'explicit length' : 'undefined length');
  });
});

describe('dciodvfy finds nothing new in a file we rewrote', () => {
  it.each(NATIVE)(
    'a DCMTK Secondary Capture instance rewritten in %s',
    async (name, _w, _r, syntax) => {
      const [instance] = await generateInstances(
        `${dir.path}/generated-${name.replace(/ /g, '')}`,
        {
          count: 1,
        },
      );
      if (instance === undefined) throw new Error('no instance generated');
      const file = await readPart10(instance.path);
      const out = `${dir.path}/rewritten-${name.replace(/ /g, '')}.dcm`;
      await writePart10FileFromElements(
        out,
        { ...file.meta, transferSyntaxUid: syntax },
        readElements(file.dataSet, { transferSyntaxUid: file.meta.transferSyntaxUid }),
        {
          inputLittleEndian: describeTransferSyntax(file.meta.transferSyntaxUid).littleEndian,
          fsync: false,
        },
      );
      const messages = async (path: string): Promise<string[]> => {
        const result = await runTool('dciodvfy', [path], TOOL);
        expect(result.timedOut).toBe(false);
        return `${result.stdout}${result.stderr}`
          .split('\n')
          .filter((line) => /^(Error|Warning)/.test(line))
          .sort();
      };
      const original = await messages(instance.path);
      expect(original.length).toBeGreaterThan(0); // dciodvfy did run and read the file
      expect(await messages(out)).toEqual(original);
      // And DCMTK reads the rewritten file in its new syntax.
      const dump = await runTool('dcmdump', ['+fo', out], TOOL);
      expect(dump.code).toBe(0);
      expect(dump.stdout).toContain(`(0002,0010) UI =`);
    },
  );
});

describe('encapsulated pixel data (PS3.5 A.4)', () => {
  it.each(['rle-lossless', 'jpeg-lossless-sv1'] as const)(
    'a DCMTK %s instance read and written again is the same bytes',
    async (transferSyntax) => {
      const [instance] = await generateInstances(`${dir.path}/encapsulated-${transferSyntax}`, {
        count: 1,
        transferSyntax,
      });
      if (instance === undefined) throw new Error('no instance generated');
      const bytes = new Uint8Array(await readFile(instance.path));
      const file = await readPart10(instance.path);
      const syntax = file.meta.transferSyntaxUid;
      const original = bytes.subarray(file.dataSetOffset);
      let fragments = 0;
      async function* counted(): AsyncGenerator<ElementWriterInput> {
        for await (const token of readElements(original, {
          transferSyntaxUid: syntax,
          fragments: true,
        })) {
          if (token.kind === 'fragment') fragments++;
          yield token;
        }
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of writeElements(counted(), { transferSyntaxUid: syntax }))
        chunks.push(chunk);
      expect(fragments).toBeGreaterThanOrEqual(2); // Basic Offset Table and a frame at least
      expect(toHex(Buffer.concat(chunks))).toBe(toHex(original));
    },
  );
});

describe('a Deflated Part 10 file we write', () => {
  it('is inflated by DCMTK to the data set dump2dcm writes', async () => {
    const path = `${dir.path}/all-vrs-deflated.dcm`;
    await writePart10FileFromElements(
      path,
      {
        mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.7',
        mediaStorageSopInstanceUid: '1.2.826.0.1.3680043.8.498.77',
        transferSyntaxUid: SYNTAXES.deflated,
      },
      dataSetTokens(ALL_VRS),
      { lengths: 'undefined', fsync: false },
    );
    const dump = await runTool('dcmdump', ['+fo', path], TOOL);
    expect(dump.stderr).toBe('');
    expect(dump.stdout).toContain('Deflated Explicit VR Little Endian');
    const rewritten = await dcmtk('dcmconv', ['+fo', '-F', '+te', '-e', path], `${path}.bin`);
    const expected = await dcmtk(
      'dump2dcm',
      ['-F', '+te', '-e', fixturePath('data-set-all-vrs.dump')],
      `${dir.path}/all-vrs-explicit.bin`,
    );
    expect(toHex(rewritten)).toBe(toHex(expected));
  });
});
