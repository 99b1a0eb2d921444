/**
 * The `data` benchmark's corpus: 1,000 Part 10 files (corpus-plan.ts), each encoded by DCMTK's
 * dump2dcm from its dump (instance-dump.ts) in the series' transfer syntax, the JPEG ones then
 * compressed by dcmcjpeg into fragments of at most 16 KiB. Built once and cached outside git, in
 * `<tmpdir>/dicomnet-bench-cache/data-corpus-v<version>` (about 0.6 GB, a minute or two on two
 * cores); a later run reuses it when its manifest is complete.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { timeTool } from '../dimse/dcmtk.js';
import type { CorpusModality, CorpusSyntax, SeriesPlan } from './corpus-plan.js';
import { corpusSeries, SERIES_SIZE } from './corpus-plan.js';
import { countElements, dumpText } from './dump-text.js';
import { instanceDump } from './instance-dump.js';
import { writePixelFiles } from './pixel-files.js';

/** Bump when the corpus changes: a new version is generated beside the old one. */
const CORPUS_VERSION = 1;

/** DCMTK processes run at once while generating (the machine has two cores). */
const GENERATE_CONCURRENCY = 2;

/** One file of the corpus. */
export interface CorpusFile {
  readonly path: string;
  readonly modality: CorpusModality;
  readonly syntax: CorpusSyntax;
  readonly bytes: number;
  /** Elements in its data set, nested ones included (items and delimiters not counted). */
  readonly elements: number;
}

/** The manifest, written last: its presence means the corpus is complete. */
interface CorpusManifest {
  readonly version: number;
  readonly files: readonly CorpusFile[];
}

/** Where the corpus lives. */
export function corpusDir(): string {
  return path.join(tmpdir(), 'dicomnet-bench-cache', `data-corpus-v${CORPUS_VERSION}`);
}

const DUMP2DCM_SYNTAX: Readonly<Record<CorpusSyntax, string>> = {
  'explicit-le': '+te',
  'implicit-le': '+ti',
  'explicit-be': '+tb',
  deflated: '+td',
  jpeg: '+te', // compressed afterwards by dcmcjpeg
};

async function generateOne(
  work: string,
  out: string,
  plan: SeriesPlan,
  instanceNumber: number,
): Promise<CorpusFile> {
  const { nodes, patient } = instanceDump(plan, instanceNumber);
  const name = `s${String(plan.index).padStart(2, '0')}-i${String(instanceNumber).padStart(2, '0')}`;
  const dump = path.join(work, `${name}.dump`);
  // dump2dcm copies text bytes as they are: write them in the patient's character set.
  await writeFile(dump, Buffer.from(dumpText(nodes), patient.characterSet.encoding));
  const target = path.join(out, `${name}.dcm`);
  const lengths = plan.undefinedLengths ? ['-e'] : ['+e'];
  if (plan.syntax === 'jpeg') {
    const plain = path.join(work, `${name}.plain.dcm`);
    await timeTool('dump2dcm', ['-q', '+te', ...lengths, dump, plain], { cwd: work });
    // +fs 16: fragments of at most 16 KiB, several a frame (PS3.5 A.4); +ot (default) writes
    // a Basic Offset Table.
    await timeTool('dcmcjpeg', ['-q', '+fs', '16', plain, target], { cwd: work });
    await rm(plain);
  } else {
    await timeTool('dump2dcm', ['-q', DUMP2DCM_SYNTAX[plan.syntax], ...lengths, dump, target], {
      cwd: work,
    });
  }
  await rm(dump);
  const { size } = await stat(target);
  return {
    path: target,
    modality: plan.modality,
    syntax: plan.syntax,
    bytes: size,
    elements: countElements(nodes),
  };
}

async function generate(dir: string): Promise<CorpusFile[]> {
  const building = `${dir}.partial`;
  await rm(building, { recursive: true, force: true });
  const work = path.join(building, 'work');
  const out = path.join(building, 'files');
  await mkdir(work, { recursive: true });
  await mkdir(out, { recursive: true });
  await writePixelFiles(work);
  const jobs = corpusSeries().flatMap((plan) =>
    Array.from({ length: SERIES_SIZE }, (_, index) => ({ plan, instanceNumber: index + 1 })),
  );
  const files: CorpusFile[] = new Array<CorpusFile>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < jobs.length; index = next++) {
      const job = jobs[index];
      if (job !== undefined)
        files[index] = await generateOne(work, out, job.plan, job.instanceNumber);
    }
  };
  await Promise.all(Array.from({ length: GENERATE_CONCURRENCY }, worker));
  await rm(work, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
  await rename(building, dir);
  // Paths inside the final folder; the manifest is written last.
  const final = files.map((file) => ({
    ...file,
    path: path.join(dir, 'files', path.basename(file.path)),
  }));
  const manifest: CorpusManifest = { version: CORPUS_VERSION, files: final };
  await writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest)}\n`);
  return final;
}

async function cached(dir: string): Promise<CorpusFile[] | undefined> {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return undefined;
  // Written by generate() above.
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as CorpusManifest;
  if (manifest.version !== CORPUS_VERSION) return undefined;
  for (const file of manifest.files) {
    const size = await stat(file.path).then(
      (found) => found.size,
      () => -1,
    );
    if (size !== file.bytes) return undefined;
  }
  return [...manifest.files];
}

/** The corpus, generated first if the cache lacks it. Files in series, then instance, order. */
export async function loadCorpus(): Promise<{ files: CorpusFile[]; generatedSeconds?: number }> {
  const dir = corpusDir();
  const found = await cached(dir);
  if (found !== undefined) return { files: found };
  const start = process.hrtime.bigint();
  const files = await generate(dir);
  return { files, generatedSeconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
