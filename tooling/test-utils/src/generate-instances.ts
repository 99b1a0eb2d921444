import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ToolFailedError } from './peer-errors.js';
import { randomUid } from './random-uid.js';
import { runTool } from './run-tool.js';

/** Transfer syntaxes the generator can write, with their UIDs (PS3.6 Table A-1). */
export const TEST_TRANSFER_SYNTAXES = {
  'implicit-vr-little-endian': '1.2.840.10008.1.2',
  'explicit-vr-little-endian': '1.2.840.10008.1.2.1',
  'deflated-explicit-vr-little-endian': '1.2.840.10008.1.2.1.99',
  'explicit-vr-big-endian': '1.2.840.10008.1.2.2',
  'rle-lossless': '1.2.840.10008.1.2.5',
  'jpeg-lossless-sv1': '1.2.840.10008.1.2.4.70',
} as const;

/** A key of {@link TEST_TRANSFER_SYNTAXES}. */
export type TestTransferSyntax = keyof typeof TEST_TRANSFER_SYNTAXES;

/** SOP Class UID of every generated instance: Secondary Capture Image Storage (PS3.6 Annex A). */
export const SECONDARY_CAPTURE_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.7';

// DCMTK converter from Explicit VR Little Endian to each syntax (PEERS.md §2.5).
const CONVERTERS: Record<TestTransferSyntax, readonly string[] | undefined> = {
  'explicit-vr-little-endian': undefined,
  'implicit-vr-little-endian': ['dcmconv', '+ti'],
  'explicit-vr-big-endian': ['dcmconv', '+tb'],
  'deflated-explicit-vr-little-endian': ['dcmconv', '+td'],
  'rle-lossless': ['dcmcrle'],
  'jpeg-lossless-sv1': ['dcmcjpeg'],
};

const RANDOM_BLOCK_BYTES = 1024 * 1024;
const TOOL_TIMEOUT_MS = 120_000;

/** Options of {@link generateInstances}. */
export interface GenerateInstancesOptions {
  /** How many instances; default 1. All share one study and series. */
  readonly count?: number;
  /** Bytes of 16-bit pixel data, even; default 16384 (64 × 128, PEERS.md §2.6). */
  readonly pixelBytes?: number;
  /**
   * `random` (default): random bytes; above 1 MiB, one random MiB repeated, which is fast and
   * still incompressible by RLE. `zeros`: a sparse file, fastest, compresses to nothing.
   */
  readonly pixelFill?: 'random' | 'zeros';
  /** Default `explicit-vr-little-endian`. */
  readonly transferSyntax?: TestTransferSyntax;
  /** Default: a fresh `2.25` UID per call. */
  readonly studyInstanceUid?: string;
  /** Default: a fresh `2.25` UID per call. */
  readonly seriesInstanceUid?: string;
  /** Patient's Name (0010,0010); default `Test^Small`. */
  readonly patientName?: string;
  /** Patient ID (0010,0020); default `PID0001`. */
  readonly patientId?: string;
  /** File names are `<prefix>-0001.dcm`…; default `instance`. */
  readonly fileNamePrefix?: string;
}

/** One generated Part-10 file and the UIDs a test asserts on. */
export interface GeneratedInstance {
  readonly path: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly transferSyntaxUid: string;
}

/**
 * Writes `count` Secondary Capture instances into `dir` with DCMTK: `dump2dcm` builds one file
 * from the dump of PEERS.md §2.6 (meta header included), `dcmconv`/`dcmcrle`/`dcmcjpeg` convert
 * it, and the copies get distinct SOP Instance UIDs by swapping the same-length UID in place,
 * which is far faster than `dcmodify`. Deflated files are converted one by one.
 * @throws {@link PeerToolMissingError} if DCMTK is not installed; {@link ToolFailedError} if a tool fails.
 */
export async function generateInstances(
  dir: string,
  options: GenerateInstancesOptions = {},
): Promise<GeneratedInstance[]> {
  const count = options.count ?? 1;
  const pixelBytes = options.pixelBytes ?? 16_384;
  const syntax = options.transferSyntax ?? 'explicit-vr-little-endian';
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`count must be a positive integer: ${count}`);
  const [rows, columns] = imageShape(pixelBytes);
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(path.join(tmpdir(), 'dicomnet-generate-'));
  try {
    const templateUid = randomUid();
    const shared = {
      sopClassUid: SECONDARY_CAPTURE_IMAGE_STORAGE,
      studyInstanceUid: options.studyInstanceUid ?? randomUid(),
      seriesInstanceUid: options.seriesInstanceUid ?? randomUid(),
      transferSyntaxUid: TEST_TRANSFER_SYNTAXES[syntax],
    };
    await writePixels(path.join(work, 'pixels.raw'), pixelBytes, options.pixelFill ?? 'random');
    const dump = instanceDump({ ...shared, sopInstanceUid: templateUid, rows, columns, options });
    await writeFile(path.join(work, 'template.dump'), dump);
    await tool(['dump2dcm', '+te', 'template.dump', 'explicit.dcm'], work);
    const converter = CONVERTERS[syntax];
    // Deflate hides the data set's UID, so deflated copies are patched first, converted after.
    const convertEach = syntax === 'deflated-explicit-vr-little-endian';
    let template = path.join(work, 'explicit.dcm');
    if (converter !== undefined && !convertEach) {
      await tool([...converter, 'explicit.dcm', 'converted.dcm'], work);
      template = path.join(work, 'converted.dcm');
    }
    const prefix = options.fileNamePrefix ?? 'instance';
    const instances: GeneratedInstance[] = [];
    const fileName = (index: number): string =>
      path.join(dir, `${prefix}-${String(index).padStart(4, '0')}.dcm`);
    if (count === 1 && !convertEach) {
      // One instance (the large-file case): move the template, never read it into memory.
      await rename(template, fileName(1)).catch(() => copyFile(template, fileName(1))); // EXDEV
      return [{ ...shared, path: fileName(1), sopInstanceUid: templateUid }];
    }
    const bytes = await readFile(template);
    const offsets = findAll(bytes, Buffer.from(templateUid, 'latin1'));
    if (offsets.length !== 2) {
      throw new Error(
        `expected the SOP Instance UID twice (meta and data set), found ${offsets.length}`,
      );
    }
    for (let index = 1; index <= count; index++) {
      const sopInstanceUid = randomUid();
      for (const offset of offsets) bytes.write(sopInstanceUid, offset, 'latin1');
      const target = fileName(index);
      if (convertEach && converter !== undefined) {
        const patched = path.join(work, 'patched.dcm');
        await writeFile(patched, bytes);
        await tool([...converter, patched, target], work);
      } else {
        await writeFile(target, bytes);
      }
      instances.push({ ...shared, path: target, sopInstanceUid });
    }
    return instances;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Options of {@link generateLargeInstance}. */
export interface GenerateLargeInstanceOptions {
  /** Bytes of pixel data; default 200 MiB (10240 × 10240 × 16 bit, PEERS.md §2.6). */
  readonly bytes?: number;
  /** See {@link GenerateInstancesOptions.pixelFill}; default `random`. */
  readonly pixelFill?: 'random' | 'zeros';
  /** Default `explicit-vr-little-endian`. */
  readonly transferSyntax?: TestTransferSyntax;
}

/**
 * Writes one instance with a large pixel data element (`large-0001.dcm` in `dir`): the case for
 * streaming and PDU fragmentation tests. 200 MiB takes a few seconds and that much disk twice
 * while it is built.
 */
export async function generateLargeInstance(
  dir: string,
  options: GenerateLargeInstanceOptions = {},
): Promise<GeneratedInstance> {
  const [instance] = await generateInstances(dir, {
    count: 1,
    pixelBytes: options.bytes ?? 200 * 1024 * 1024,
    pixelFill: options.pixelFill ?? 'random',
    transferSyntax: options.transferSyntax ?? 'explicit-vr-little-endian',
    fileNamePrefix: 'large',
  });
  // generateInstances returns exactly `count` (1) entries.
  return instance as GeneratedInstance;
}

/**
 * Rows × Columns for `bytes` of 16-bit pixels: the divisor pair closest to a square, each at
 * most 65535 (US). 16384 bytes give 64 × 128 and 200 MiB 10240 × 10240, as in PEERS.md §2.6.
 */
export function imageShape(bytes: number): [rows: number, columns: number] {
  if (!Number.isInteger(bytes) || bytes < 2 || bytes % 2 !== 0) {
    throw new RangeError(`pixel data must be a positive even number of bytes: ${bytes}`);
  }
  const pixels = bytes / 2;
  for (let rows = Math.floor(Math.sqrt(pixels)); rows >= 1; rows--) {
    if (pixels % rows === 0 && pixels / rows <= 0xffff) return [rows, pixels / rows];
    if (pixels / rows > 0xffff) break;
  }
  throw new RangeError(`${bytes} bytes do not factor into rows and columns of at most 65535`);
}

interface DumpInput {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly rows: number;
  readonly columns: number;
  readonly options: GenerateInstancesOptions;
}

/** The `small.dump` of PEERS.md §2.6 with our UIDs, size and patient. */
function instanceDump(input: DumpInput): string {
  return [
    `(0008,0016) UI ${input.sopClassUid}`,
    `(0008,0018) UI ${input.sopInstanceUid}`,
    '(0008,0020) DA [20250101]',
    '(0008,0030) TM [120000]',
    '(0008,0050) SH [ACC0001]',
    '(0008,0060) CS [OT]',
    '(0008,0064) CS [WSD]',
    `(0010,0010) PN [${input.options.patientName ?? 'Test^Small'}]`,
    `(0010,0020) LO [${input.options.patientId ?? 'PID0001'}]`,
    `(0020,000d) UI ${input.studyInstanceUid}`,
    `(0020,000e) UI ${input.seriesInstanceUid}`,
    '(0020,0010) SH [STUDY1]',
    '(0020,0011) IS [1]',
    '(0020,0013) IS [1]',
    '(0028,0002) US 1',
    '(0028,0004) CS [MONOCHROME2]',
    `(0028,0010) US ${input.rows}`,
    `(0028,0011) US ${input.columns}`,
    '(0028,0100) US 16',
    '(0028,0101) US 16',
    '(0028,0102) US 15',
    '(0028,0103) US 0',
    '(7fe0,0010) OW =pixels.raw',
    '',
  ].join('\n');
}

async function writePixels(file: string, bytes: number, fill: 'random' | 'zeros'): Promise<void> {
  const handle = await open(file, 'w');
  try {
    if (fill === 'zeros') {
      await handle.truncate(bytes); // sparse: no blocks written
      return;
    }
    const block = randomBytes(Math.min(bytes, RANDOM_BLOCK_BYTES));
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

async function tool(commandLine: readonly string[], cwd: string): Promise<void> {
  const [command, ...args] = commandLine;
  if (command === undefined) return;
  const result = await runTool(command, args, { cwd, timeoutMs: TOOL_TIMEOUT_MS });
  if (result.code !== 0) throw new ToolFailedError(command, args, result.code, result.stderr);
}

function findAll(haystack: Buffer, needle: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1))
    offsets.push(at);
  return offsets;
}
