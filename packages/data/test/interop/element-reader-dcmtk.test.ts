// The element reader against DCMTK 3.6.7: for each fixture dump2dcm wrote (element-reader-make-
// fixtures.sh, and the all-VR fixtures of data-set-make-fixtures.sh), `dcmdump` lists the
// elements, items and delimiters with their VRs, lengths and values; our tokens and decoded
// values must say the same. Pixel data is compared byte for byte with the files `dcmdump +W`
// writes (native pixels, and each fragment of encapsulated ones).
import { mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool, tempDir, toHex } from '@dicomnet/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeValue,
  readElementsSync,
  readPart10Header,
  textDecoding,
  type DataElement,
  type ElementToken,
} from '../../src/index.js';

const TOOL = { timeoutMs: 20_000 } as const;
const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

const FILES = [
  ['element-reader-implicit.bin', '1.2.840.10008.1.2'],
  ['element-reader-explicit.bin', '1.2.840.10008.1.2.1'],
  ['element-reader-big-endian.bin', '1.2.840.10008.1.2.2'],
  ['element-reader-deflated.dcm', 'part10'],
  ['element-reader-rle.dcm', 'part10'],
  ['element-reader-iso2022-ko.bin', '1.2.840.10008.1.2.1'],
  ['data-set-all-vrs-implicit.bin', '1.2.840.10008.1.2'],
  ['data-set-all-vrs-explicit-lengths.bin', '1.2.840.10008.1.2.1'],
  ['data-set-all-vrs-big-endian.bin', '1.2.840.10008.1.2.2'],
] as const;

/** One line of `dcmdump` output. */
interface DumpLine {
  readonly tag: number;
  readonly vr: string;
  /** The text between VR and `#`. */
  readonly value: string;
  /** undefined for `u/l`. */
  readonly length: number | undefined;
}

const LINE = /^\s*\(([0-9a-f]{4}),([0-9a-f]{4})\) (\w\w|\?\?) (.*?)\s*#\s*(u\/l|\d+),\s*\d+ .+$/;

function parseDump(text: string): DumpLine[] {
  const lines: DumpLine[] = [];
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const [, group = '', element = '', vr = '', value = '', length = ''] = match;
    lines.push({
      tag: Number.parseInt(group + element, 16),
      vr: vr === '??' ? 'UN' : vr, // dcmdump's VR for a tag it does not know, in Implicit VR
      value,
      length: length === 'u/l' ? undefined : Number(length),
    });
  }
  return lines;
}

/** What dcmdump shows for a token: the structure, without values. */
function shape(token: ElementToken): string {
  switch (token.kind) {
    case 'element':
      return `${token.tag.toString(16)} ${token.vr} ${token.length}`;
    case 'sequence':
      return `${token.tag.toString(16)} SQ ${token.length ?? 'u/l'}`;
    case 'encapsulated':
      return `${token.tag.toString(16)} ${token.vr} u/l`;
    case 'item':
      return `item ${token.length ?? 'u/l'}`;
    case 'fragment':
      return `item ${token.length}`;
    case 'item-end':
      return 'item-end';
    case 'sequence-end':
      return 'sequence-end';
  }
}

// Tags of PS3.6 editions newer than DCMTK 3.6.7's dictionary: dcmdump reads them in Implicit VR
// as unknown ("??"); our dictionary knows their VR.
const NEWER_THAN_DCMTK = new Set([0x00080428]);

function dumpShape(line: DumpLine): string {
  if (line.tag === 0xfffee000) return `item ${line.length ?? 'u/l'}`;
  if (line.tag === 0xfffee00d) return 'item-end';
  if (line.tag === 0xfffee0dd) return 'sequence-end';
  // dcmdump shows an explicit UN it recognised by its dictionary VR; UN stays UN for us.
  return `${line.tag.toString(16)} ${line.vr} ${line.length ?? 'u/l'}`;
}

/** Our decoded value written the way dcmdump prints it, for the VRs it prints as text. */
function printed(element: DataElement): string | undefined {
  const values = element.Value ?? [];
  if (values.length === 0 && element.InlineBinary === undefined) return '(no value available)';
  switch (element.vr) {
    case 'OB':
    case 'UN':
      return Array.from(element.InlineBinary ?? [], (byte) =>
        byte.toString(16).padStart(2, '0'),
      ).join('\\');
    case 'OW': {
      const bytes = element.InlineBinary ?? new Uint8Array(0);
      const words: string[] = [];
      for (let i = 0; i + 1 < bytes.length; i += 2)
        words.push((((bytes[i + 1] ?? 0) << 8) | (bytes[i] ?? 0)).toString(16).padStart(4, '0'));
      return words.join('\\');
    }
    case 'AT':
      return values
        .map((key) => `(${String(key).slice(0, 4)},${String(key).slice(4)})`.toLowerCase())
        .join('\\');
    case 'FL':
    case 'FD':
    case 'OF':
    case 'OD':
      return undefined; // compared as numbers
    case 'PN':
      return `[${values
        .map((name) => {
          const groups = name as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
          return [groups.Alphabetic ?? '', groups.Ideographic ?? '', groups.Phonetic ?? '']
            .join('=')
            .replace(/=+$/, '');
        })
        .join('\\')}]`;
    default:
      return typeof values[0] === 'string' ? `[${values.join('\\')}]` : values.join('\\');
  }
}

function floats(element: DataElement): number[] {
  if (element.Value !== undefined) return element.Value.map(Number);
  const bytes = element.InlineBinary ?? new Uint8Array(0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = element.vr === 'OF' ? 4 : 8;
  return Array.from({ length: bytes.byteLength / size }, (_, i) =>
    size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true),
  );
}

let work: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  work = await tempDir('element-reader-dcmtk-');
});
afterAll(async () => {
  await work.remove();
});

describe('the element reader against dcmdump', () => {
  it.each(FILES)('%s: same elements, items, lengths and values', async (name, syntax) => {
    const file = fixturePath(name);
    const bytes = new Uint8Array(await readFile(file));
    let dataSet = bytes;
    let transferSyntaxUid: string = syntax;
    if (syntax === 'part10') {
      const header = readPart10Header(bytes);
      dataSet = bytes.subarray(header.dataSetOffset);
      transferSyntaxUid = header.meta.transferSyntaxUid;
    }
    const out = path.join(work.path, name);
    await mkdir(out, { recursive: true });
    // +L all of each value, -Un UIDs as numbers, +W pixel data to files; a second run with +U8
    // for text converted to UTF-8 (it changes the lengths dcmdump shows, hence two runs).
    const dump = await runTool('dcmdump', ['-q', '+L', '-Un', '+W', out, file], TOOL);
    const utf8 = await runTool('dcmdump', ['-q', '+L', '-Un', '+U8', file], TOOL);
    expect([dump.code, utf8.code]).toEqual([0, 0]);
    const lines = parseDump(dump.stdout).filter((line) => line.tag >>> 16 !== 0x0002);
    const texts = parseDump(utf8.stdout).filter((line) => line.tag >>> 16 !== 0x0002);
    expect(texts).toHaveLength(lines.length);
    const tokens = [...readElementsSync(dataSet, { transferSyntaxUid, fragments: true })];
    const newer = (token: ElementToken, index: number): boolean =>
      token.kind === 'element' &&
      NEWER_THAN_DCMTK.has(token.tag) &&
      lines[index]?.vr === 'UN' &&
      transferSyntaxUid === '1.2.840.10008.1.2';
    expect(
      tokens.map((token, index) =>
        newer(token, index) ? shape({ ...token, vr: 'UN' } as ElementToken) : shape(token),
      ),
    ).toEqual(lines.map(dumpShape));

    // Values, element by element, in the Specific Character Set of the data set.
    const littleEndian = transferSyntaxUid !== '1.2.840.10008.1.2.2';
    const characterSet = tokens.find(
      (token) => token.kind === 'element' && token.tag === 0x00080005,
    );
    const terms =
      characterSet?.kind === 'element' && characterSet.value !== undefined
        ? Buffer.from(characterSet.value).toString('latin1').trim().split('\\')
        : undefined;
    const text = textDecoding(terms);
    const rawFiles = (await readdir(out)).sort(
      (a, b) =>
        Number(/\.(\d+)\.raw$/.exec(a)?.[1] ?? 0) - Number(/\.(\d+)\.raw$/.exec(b)?.[1] ?? 0),
    );
    let compared = 0;
    tokens.forEach((token, index) => {
      const line = texts[index] as DumpLine; // as many as tokens, checked above
      if (token.kind === 'fragment') {
        expect(lines[index]?.value).toMatch(/^=.*\.raw$/);
        return;
      }
      if (token.kind !== 'element' || token.value === undefined) return;
      if (token.tag === 0x00080005) return; // +U8 rewrites it to ISO_IR 192
      if (token.tag === 0x7fe00010) {
        expect(lines[index]?.value).toMatch(/^=.*\.raw$/);
        return;
      }
      const vr = newer(token, index) ? 'UN' : token.vr;
      const element = decodeValue(vr, token.value, { littleEndian, text });
      const expected = printed(element);
      if (expected === undefined) {
        const numbers = line.value.split('\\').map(Number);
        const ours = floats(element);
        expect(ours).toHaveLength(numbers.length);
        ours.forEach((value, i) =>
          expect(value).toBeCloseTo(
            numbers[i] ?? Number.NaN,
            -Math.log10(Math.abs(value) || 1) + 6,
          ),
        );
      } else {
        expect(`${formatTag(token.tag)} ${expected}`).toBe(`${formatTag(token.tag)} ${line.value}`);
      }
      compared++;
    });
    expect(compared).toBeGreaterThan(2);

    // Pixel data: dcmdump +W writes native pixels Little Endian, and each fragment as it is.
    const pixels = tokens.filter(
      (token) =>
        (token.kind === 'fragment' || (token.kind === 'element' && token.tag === 0x7fe00010)) &&
        token.value !== undefined,
    );
    expect(rawFiles).toHaveLength(pixels.length);
    for (const [i, token] of pixels.entries()) {
      const raw = new Uint8Array(await readFile(path.join(out, rawFiles[i] ?? '')));
      const value = (token as { value: Uint8Array }).value;
      const ours =
        token.kind === 'element'
          ? (decodeValue('OW', value, { littleEndian }).InlineBinary ?? new Uint8Array(0))
          : value;
      expect(toHex(ours)).toBe(toHex(raw));
    }
  });
});

function formatTag(tag: number): string {
  return tag.toString(16).padStart(8, '0');
}
