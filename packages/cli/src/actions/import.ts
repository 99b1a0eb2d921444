import path from 'node:path';
import {
  countFiles,
  FileRepository,
  importFolder,
  type ImportSkipReason,
  type ImportTotals,
} from '@dicomnet/repository';
import type { CommandIo } from '../command-io.js';
import type { ImportCommandOptions } from '../commands/import.js';
import { ExitCode } from '../exit-codes.js';
import { ImportProgress } from '../import-progress.js';
import { createOutput, formatMegabytes, type Output } from '../output.js';

/** A file not imported, and why. */
interface SkippedFile {
  readonly path: string;
  readonly reason: ImportSkipReason;
  readonly detail: string;
}

/** Skip reasons that mean a DICOM file was not imported; the others are files to leave out. */
const FAILURES: ReadonlySet<ImportSkipReason> = new Set([
  'malformed',
  'invalid-instance',
  'unreadable',
]);
/** Files listed per reason in the summary for people (JSON lists them all). */
const LISTED_PER_REASON = 10;

/**
 * Runs `dicomnet import`: every DICOM file below the folder is stored into the repository at
 * `--storage`; Ctrl-C stops after abandoning the stores under way, and a second run resumes
 * (files already there are not stored again).
 */
export async function runImport(
  io: CommandIo,
  folder: string,
  options: ImportCommandOptions,
): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  const fail = (error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    out.warn(`dicomnet import: ${message}`);
    out.result({ ok: false, error: { code: (error as { code?: string }).code, message } });
    io.setExitCode(ExitCode.Failed);
  };
  let repository: FileRepository;
  try {
    repository = await FileRepository.open({ root: options.storage, fsync: options.fsync });
  } catch (error) {
    fail(error);
    return;
  }
  const skipped: SkippedFile[] = [];
  let progress: ImportProgress | undefined;
  let fatal: unknown;
  // Nothing starts before the loop: until then its totals are all zero.
  const run = importFolder(repository, folder, {
    concurrency: options.concurrency,
    signal: io.interrupted,
  });
  try {
    const total = await countFiles(folder, new Set([repository.root]), io.interrupted);
    progress = new ImportProgress(out, io.isTty, total);
    for await (const event of run) {
      if (event.kind === 'skipped')
        skipped.push({ path: event.path, reason: event.reason, detail: event.detail });
      progress.update(event.totals);
    }
  } catch (error) {
    fatal = error;
  } finally {
    progress?.stop();
    await repository.close();
  }
  const totals = run.totals;
  const interrupted = io.interrupted.aborted;
  if (fatal !== undefined && !interrupted) {
    fail(fatal);
    if (progress === undefined) return; // it failed before the run began: nothing to sum up
  }
  const failed = skipped.filter((file) => FAILURES.has(file.reason)).length;
  report(out, folder, options, totals, skipped, progress, interrupted);
  if (interrupted || failed > 0 || fatal !== undefined) io.setExitCode(ExitCode.Failed);
}

/** The summary: lines for people (skipped files grouped by reason), or one JSON document. */
function report(
  out: Output,
  folder: string,
  options: ImportCommandOptions,
  totals: ImportTotals,
  skipped: readonly SkippedFile[],
  progress: ImportProgress | undefined,
  interrupted: boolean,
): void {
  const failed = skipped.filter((file) => FAILURES.has(file.reason)).length;
  out.result({
    ok: !interrupted && failed === 0,
    interrupted,
    folder: path.resolve(folder),
    storage: path.resolve(options.storage),
    totals,
    seconds: progress === undefined ? 0 : Number(progress.seconds.toFixed(3)),
    skipped,
  });
  if (interrupted)
    out.warn('dicomnet import: interrupted; run the same command again to import the rest');
  if (out.json) return;
  out.line(
    `${totals.imported} imported (${formatMegabytes(totals.bytesImported)}), ` +
      `${totals.alreadyThere} already there, ${totals.skipped} skipped` +
      (progress === undefined ? '' : `; ${progress.summary(totals)}`),
  );
  const reasons = [...new Set(skipped.map((file) => file.reason))].sort();
  for (const reason of reasons) {
    const files = skipped.filter((file) => file.reason === reason);
    out.line(`skipped, ${REASON_TEXT[reason]}: ${files.length}`);
    for (const file of files.slice(0, LISTED_PER_REASON))
      out.line(`  ${path.relative(folder, file.path)}: ${file.detail}`);
    if (files.length > LISTED_PER_REASON)
      out.line(`  … and ${files.length - LISTED_PER_REASON} more (--json lists them all)`);
  }
}

/** Each skip reason for people. */
const REASON_TEXT: Readonly<Record<ImportSkipReason, string>> = {
  'not-dicom': 'not DICOM (not-dicom)',
  malformed: 'DICOM that cannot be parsed (malformed)',
  'invalid-instance': 'refused by the repository (invalid-instance)',
  unreadable: 'could not be read (unreadable)',
  'not-a-file': 'not a regular file (not-a-file)',
};
