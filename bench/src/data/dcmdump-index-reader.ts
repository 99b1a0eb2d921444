/**
 * The DCMTK side of the `data` benchmark: `dcmdump` over a batch of files in one process, with
 * one `+P` per index attribute, its output parsed here into the same records as the other two
 * sides. The command line (see {@link dcmdumpArguments}):
 *
 *   dcmdump -q -M +L -Un +F +p [+sb 7fe0,0010] +P 0002,0010 +P 0010,0010 … FILE…
 *
 * `-M` leaves values over 4 KiB unloaded (pixel data, the private blobs), `+L` prints the loaded
 * ones whole, `-Un` prints UIDs rather than their names, `+F` heads each file's lines with its
 * name, `+p` prefixes nested elements with their sequence (so a Patient ID in Other Patient IDs
 * Sequence is told from the top-level one), and `+sb 7fe0,0010` stops parsing before Pixel Data.
 * Values are printed in the file's character set; the parser decodes them (ASCII, ISO_IR 100 and
 * ISO_IR 192 only: what the corpus holds).
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { IndexAttribute } from './index-attributes.js';
import { ALL_INDEX_ATTRIBUTES, formatTag } from './index-attributes.js';
import type { IndexRecord, IndexValue } from './index-record.js';
import { canonicalValue } from './index-record.js';

/** How dcmdump is run. */
export interface DcmdumpRunOptions {
  /** Files per dcmdump process; the processes run one after another. */
  readonly batchSize: number;
  /** Add `+sb 7fe0,0010`: stop parsing each file before its Pixel Data. */
  readonly stopBeforePixelData: boolean;
}

/** A batch that takes longer than this is killed and the run fails. */
const BATCH_TIMEOUT_MS = 120_000;

/** GNU time, which reports the CPU time of the dcmdump it runs (`%U %S`, seconds). */
const GNU_TIME = '/usr/bin/time';

/** What the dcmdump processes of one extraction produced and cost. */
export interface DcmdumpExtraction {
  readonly records: IndexRecord[];
  /** User + system CPU time of the dcmdump processes, in seconds (10 ms resolution). */
  readonly childCpuSeconds: number;
}

/** The options of every dcmdump run, before the file names. */
export function dcmdumpArguments(
  options: Pick<DcmdumpRunOptions, 'stopBeforePixelData'>,
): string[] {
  const search = ALL_INDEX_ATTRIBUTES.flatMap((attribute) => [
    '+P',
    formatTag(attribute.tag).slice(1, -1),
  ]);
  const stop = options.stopBeforePixelData ? ['+sb', '7fe0,0010'] : [];
  return ['-q', '-M', '+L', '-Un', '+F', '+p', ...stop, ...search];
}

/** `(gggg,eeee)` or `(gggg,eeee).(gggg,eeee)` (lower-case hex, as dcmdump prints) → attribute. */
const BY_PRINTED_PATH = new Map<string, IndexAttribute>(
  ALL_INDEX_ATTRIBUTES.map((attribute) => {
    const own = formatTag(attribute.tag).toLowerCase();
    const path =
      attribute.inSequence === undefined
        ? own
        : `${formatTag(attribute.inSequence).toLowerCase()}.${own}`;
    return [path, attribute];
  }),
);

const NO_VALUE = '(no value available)';
const SPECIFIC_CHARACTER_SET = 'SpecificCharacterSet';

/** One value field of a dcmdump line: bracketed text or bare numbers, split at backslashes. */
function parseValueField(field: string, vr: string): (string | number)[] {
  if (field === NO_VALUE || field === '') return [];
  if (field.startsWith('[') && field.endsWith(']')) return field.slice(1, -1).split('\\');
  // Bare values: US/UL/SS/SL numbers (the index keeps no other binary VR).
  if (vr === 'US' || vr === 'UL' || vr === 'SS' || vr === 'SL') {
    return field.split('\\').map((value) => Number(value));
  }
  return field.split('\\');
}

/** Text printed from the file's bytes (read as latin1, one char a byte) in its character set. */
function decodeText(value: string | number, characterSet: string): string | number {
  if (typeof value === 'number') return value;
  if (characterSet === '' || characterSet === 'ISO_IR 100') return value; // PS3.5 6.1.2.3
  if (characterSet === 'ISO_IR 192') return Buffer.from(value, 'latin1').toString('utf8');
  throw new Error(`the dcmdump parser does not decode Specific Character Set ${characterSet}`);
}

/** Parses the lines of one file into its record; the first match of each attribute wins. */
function recordOf(lines: readonly string[], fileSize: number): IndexRecord {
  const raw = new Map<IndexAttribute, (string | number)[]>();
  for (const line of lines) {
    const space = line.indexOf(' ');
    const attribute = BY_PRINTED_PATH.get(line.slice(0, space));
    if (attribute === undefined || raw.has(attribute)) continue;
    const vr = line.slice(space + 1, space + 3);
    // The comment (`#  14, 1 PatientName`) starts at the last '#': keywords hold none.
    const field = line.slice(space + 4, line.lastIndexOf('#')).trimEnd();
    raw.set(attribute, parseValueField(field, vr));
  }
  let characterSet = '';
  for (const [attribute, values] of raw) {
    if (attribute.keyword === SPECIFIC_CHARACTER_SET) characterSet = String(values[0] ?? '');
  }
  const values: Record<string, IndexValue> = {};
  for (const attribute of ALL_INDEX_ATTRIBUTES) {
    const found = (raw.get(attribute) ?? []).map((value) => decodeText(value, characterSet));
    values[attribute.keyword] = canonicalValue(attribute, found);
  }
  return { fileSize, values };
}

/** Splits dcmdump's `+F` output into each file's lines, checking the names and the order. */
function parseOutput(output: string, files: readonly string[]): IndexRecord[] {
  const records: IndexRecord[] = [];
  let lines: string[] | undefined;
  const finish = (): void => {
    if (lines === undefined) return;
    const file = files[records.length] ?? '';
    records.push(recordOf(lines, statSync(file).size));
  };
  for (const line of output.split('\n')) {
    if (line.startsWith('# dcmdump (')) {
      finish();
      const name = line.slice(line.indexOf('): ') + 3);
      if (name !== files[records.length]) {
        throw new Error(`dcmdump printed ${name} where ${files[records.length]} was expected`);
      }
      lines = [];
    } else if (line.startsWith('(')) {
      lines?.push(line);
    }
  }
  finish();
  if (records.length !== files.length) {
    throw new Error(`dcmdump printed ${records.length} files of ${files.length}`);
  }
  return records;
}

/** Runs one dcmdump process; its standard output as latin1 text and its CPU seconds. */
function runDcmdump(args: readonly string[]): Promise<{ output: string; cpuSeconds: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(GNU_TIME, ['-f', '%U %S', 'dcmdump', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
    const timer = setTimeout(() => child.kill('SIGKILL'), BATCH_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // dcmdump -q writes nothing to stderr; GNU time's line is the last.
      const [user, system] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
      const cpuSeconds = (user ?? Number.NaN) + (system ?? Number.NaN);
      if (code === 0 && Number.isFinite(cpuSeconds)) {
        resolve({ output: Buffer.concat(chunks).toString('latin1'), cpuSeconds });
      } else {
        reject(new Error(`dcmdump exited with ${code ?? signal}: ${stderr}`));
      }
    });
  });
}

/** The index records of `files`, in order, by dcmdump processes of `batchSize` files each. */
export async function readIndexRecordsWithDcmdump(
  files: readonly string[],
  options: DcmdumpRunOptions,
): Promise<DcmdumpExtraction> {
  const base = dcmdumpArguments(options);
  const records: IndexRecord[] = [];
  let childCpuSeconds = 0;
  for (let start = 0; start < files.length; start += options.batchSize) {
    const batch = files.slice(start, start + options.batchSize);
    const { output, cpuSeconds } = await runDcmdump([...base, ...batch]);
    childCpuSeconds += cpuSeconds;
    records.push(...parseOutput(output, batch));
  }
  return { records, childCpuSeconds };
}
