/**
 * The instances the C-STORE benchmark sends, built once per run with DCMTK's dump2dcm from the
 * dump of PEERS.md §2.6 (Secondary Capture, 16-bit pixels, Explicit VR Little Endian): 1,000
 * small ones (64 × 128 pixels, 17,088 bytes each) with distinct SOP Instance UIDs, one more small
 * one in a folder of its own (to time a DCMTK tool's set-up), and one of 10240 × 10240 pixels
 * (about 200 MiB).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { timeTool } from './dcmtk.js';

/** Secondary Capture Image Storage (PS3.6 Annex A). */
export const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

/** What {@link generateInstances} wrote. */
export interface GeneratedInstances {
  /** Folder holding only the small instances. */
  readonly smallDir: string;
  /** Their paths, in name order. */
  readonly smallFiles: readonly string[];
  /** Bytes of one small Part 10 file. */
  readonly smallFileBytes: number;
  /** Folder holding one more small instance, alone. */
  readonly singleDir: string;
  readonly singleFile: string;
  /** Folder holding only the large instance. */
  readonly largeDir: string;
  readonly largeFile: string;
  /** Bytes of the large Part 10 file. */
  readonly largeFileBytes: number;
}

/** Options of {@link generateInstances}. */
export interface GenerateOptions {
  readonly smallCount: number;
  /** Pixel bytes of the large instance: rows × columns × 2. */
  readonly largeRows: number;
  readonly largeColumns: number;
}

const ONE_MIB = 1024 * 1024;

/**
 * The dump2dcm input (PEERS.md §2.6) for one instance. The SOP Instance UID is the only thing the
 * copies change, so it is written with a fixed length and patched in place.
 */
function dump(sopInstanceUid: string, rows: number, columns: number, pixels: string): string {
  return [
    `(0008,0016) UI ${SECONDARY_CAPTURE}`,
    `(0008,0018) UI ${sopInstanceUid}`,
    '(0008,0020) DA [20250101]',
    '(0008,0030) TM [120000]',
    '(0008,0050) SH [ACC0001]',
    '(0008,0060) CS [OT]',
    '(0008,0064) CS [WSD]',
    '(0010,0010) PN [Bench^Dimse]',
    '(0010,0020) LO [PID0001]',
    '(0020,000d) UI 1.2.826.0.1.3680043.8.498.2.1',
    '(0020,000e) UI 1.2.826.0.1.3680043.8.498.3.1',
    '(0020,0010) SH [STUDY1]',
    '(0020,0011) IS [1]',
    '(0020,0013) IS [1]',
    '(0028,0002) US 1',
    '(0028,0004) CS [MONOCHROME2]',
    `(0028,0010) US ${rows}`,
    `(0028,0011) US ${columns}`,
    '(0028,0100) US 16',
    '(0028,0101) US 16',
    '(0028,0102) US 15',
    '(0028,0103) US 0',
    `(7fe0,0010) OW =${pixels}`,
    '',
  ].join('\n');
}

/** Writes `bytes` of random pixels: one random MiB repeated (fast, and still incompressible). */
async function writePixels(file: string, bytes: number): Promise<void> {
  const block = randomBytes(Math.min(bytes, ONE_MIB));
  const handle = await open(file, 'w');
  try {
    for (let written = 0; written < bytes;) {
      const { bytesWritten } = await handle.write(
        block,
        0,
        Math.min(block.length, bytes - written),
      );
      written += bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

/** Every offset of `needle` in `haystack`. */
function findAll(haystack: Buffer, needle: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    offsets.push(at);
  }
  return offsets;
}

/**
 * Builds the instances under `root` (which must exist). UIDs are
 * `1.2.826.0.1.3680043.8.498.<run>.<1000000 + n>`: one random run number, then a counter, so
 * every UID of a run has the same length and no two runs share one.
 */
export async function generateInstances(
  root: string,
  options: GenerateOptions,
): Promise<GeneratedInstances> {
  const work = path.join(root, 'work');
  const smallDir = path.join(root, 'small');
  const singleDir = path.join(root, 'single');
  const largeDir = path.join(root, 'large');
  for (const dir of [work, smallDir, singleDir, largeDir]) await mkdir(dir, { recursive: true });
  const run = `1.2.826.0.1.3680043.8.498.${randomInt(100_000_000, 999_999_999)}`;
  const uid = (n: number): string => `${run}.${1_000_000 + n}`;

  await writePixels(path.join(work, 'small.raw'), 64 * 128 * 2);
  await writeFile(path.join(work, 'small.dump'), dump(uid(0), 64, 128, 'small.raw'));
  await dcmtk(['+te', 'small.dump', 'small.dcm'], work);
  const template = await readFile(path.join(work, 'small.dcm'));
  // The UID appears twice: Media Storage SOP Instance UID (meta) and SOP Instance UID.
  const offsets = findAll(template, Buffer.from(uid(0), 'latin1'));
  if (offsets.length !== 2) throw new Error(`template UID found ${offsets.length} times, not 2`);
  const copy = async (file: string, n: number): Promise<void> => {
    for (const offset of offsets) template.write(uid(n), offset, 'latin1');
    await writeFile(file, template);
  };
  const smallFiles: string[] = [];
  for (let n = 1; n <= options.smallCount; n++) {
    const file = path.join(smallDir, `s${String(n).padStart(5, '0')}.dcm`);
    await copy(file, n);
    smallFiles.push(file);
  }
  const singleFile = path.join(singleDir, 'single.dcm');
  await copy(singleFile, options.smallCount + 1);

  const largePixels = options.largeRows * options.largeColumns * 2;
  await writePixels(path.join(work, 'large.raw'), largePixels);
  await writeFile(
    path.join(work, 'large.dump'),
    dump(uid(options.smallCount + 2), options.largeRows, options.largeColumns, 'large.raw'),
  );
  const largeFile = path.join(largeDir, 'large.dcm');
  await dcmtk(['+te', 'large.dump', largeFile], work);
  await rm(work, { recursive: true, force: true });

  const { size: largeFileBytes } = await stat(largeFile);
  return {
    smallDir,
    smallFiles,
    smallFileBytes: template.byteLength,
    singleDir,
    singleFile,
    largeDir,
    largeFile,
    largeFileBytes,
  };
}

/** dump2dcm run in `cwd`, where it resolves the dump's `=file` references. */
function dcmtk(args: readonly string[], cwd: string): Promise<unknown> {
  return timeTool('dump2dcm', args, { cwd });
}
