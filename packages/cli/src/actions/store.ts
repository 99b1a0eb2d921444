import type { InstanceFile } from '@dicomnet/dimse';
import { connect, openInstanceFiles, storeFiles } from '@dicomnet/dimse';
import { formatStatus } from '@dicomnet/status-codes';
import type { CommandIo } from '../command-io.js';
import type { StoreOptions } from '../commands/store.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { findFiles } from '../find-files.js';
import { createOutput } from '../output.js';
import type { Output } from '../output.js';
import { StoreProgress } from '../store-progress.js';
import { peerOptions, reportedError } from './peer-options.js';
import type { PeerOptions } from './peer-options.js';

/** What happened to one file. */
interface FileOutcome {
  readonly file: string;
  readonly sopInstanceUid?: string;
  readonly status?: number;
  readonly meaning: string;
  readonly ok: boolean;
}

/** A file below a folder named that was not sent, and why. */
interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** The files of one association and the contexts they need. */
interface Batch {
  readonly files: InstanceFile[];
  readonly contexts: { abstractSyntax: string; transferSyntaxes: string[] }[];
}

/** Most presentation contexts one association can carry (odd IDs 1–255, PS3.8 §9.3.2.2). */
const MAX_CONTEXTS = 128;

/** Runs `dicomnet store`: C-STORE of every file found, each in its own transfer syntax. */
export async function runStore(
  io: CommandIo,
  host: string,
  peerPort: number,
  paths: readonly string[],
  options: StoreOptions,
): Promise<void> {
  const out = createOutput(options.json, io.stdout, io.stderr);
  let peer: PeerOptions;
  try {
    peer = await peerOptions(host, peerPort, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    out.warn(`dicomnet store: ${message}`);
    out.result({ ok: false, error: { code: (error as { code?: string }).code, message } });
    io.setExitCode(exitCodeFor(error));
    return;
  }
  const outcomes: FileOutcome[] = [];
  const found: string[] = [];
  const skipped: SkippedFile[] = [];
  const onSkip = (file: string, reason: string): void => void skipped.push({ file, reason });
  for await (const file of findFiles(paths, { onSkip })) found.push(file);
  const files: InstanceFile[] = [];
  // Blocking reads, as storescu makes them: no association is open yet, and several times
  // fewer µs a small file than the thread pool's round trips (bench/README.md, dimse-store).
  // Headers only: storeFiles reads each data set when its turn comes, into reused memory.
  for (const opened of await openInstanceFiles(found, { sync: true, keepBytes: 0 })) {
    if ('error' in opened)
      outcomes.push({ file: opened.path, meaning: opened.error.message, ok: false });
    else files.push(opened);
  }
  const progress = new StoreProgress(
    out,
    io.isTty,
    files.length,
    sum(files.map((file) => file.size)),
  );
  let fatal: unknown;
  for (const batch of batches(files, options.transferSyntax)) {
    const done = new Set<string>();
    if (fatal === undefined) {
      try {
        await sendBatch(peer, options, batch, progress, io.interrupted, (outcome) => {
          outcomes.push(outcome);
          done.add(outcome.file);
        });
      } catch (error) {
        fatal = await reportedError(error, host, peerPort, options);
      }
    }
    for (const file of batch.files) {
      if (done.has(file.path)) continue;
      outcomes.push({
        file: file.path,
        meaning: `not sent: ${(fatal as Error).message}`,
        ok: false,
      });
    }
  }
  progress.stop();
  report(out, outcomes, skipped, progress);
  if (fatal !== undefined) io.setExitCode(exitCodeFor(fatal));
  else io.setExitCode(outcomes.every((outcome) => outcome.ok) ? ExitCode.Ok : ExitCode.Failed);
}

/** Groups files so that each group's (SOP class, transfer syntax) contexts fit one association. */
function batches(files: readonly InstanceFile[], syntax: string | undefined): Batch[] {
  const result: Batch[] = [];
  let current: Batch = { files: [], contexts: [] };
  const keys = new Set<string>();
  for (const file of files) {
    const transferSyntaxUid = syntax ?? file.transferSyntaxUid;
    const key = `${file.sopClassUid}|${transferSyntaxUid}`;
    if (!keys.has(key)) {
      if (current.contexts.length === MAX_CONTEXTS) {
        result.push(current);
        current = { files: [], contexts: [] };
        keys.clear();
      }
      keys.add(key);
      current.contexts.push({
        abstractSyntax: file.sopClassUid,
        transferSyntaxes: [transferSyntaxUid],
      });
    }
    current.files.push(file);
  }
  if (current.files.length > 0) result.push(current);
  return result;
}

/** Sends one batch on its own association; throws only for an error that ended it. */
async function sendBatch(
  peer: PeerOptions,
  options: StoreOptions,
  batch: Batch,
  progress: StoreProgress,
  interrupted: AbortSignal,
  record: (outcome: FileOutcome) => void,
): Promise<void> {
  const client = await connect({
    ...peer,
    contexts: batch.contexts,
    ...(options.maxPdu !== undefined && { maxPduLength: options.maxPdu }),
    ...(options.window !== undefined && {
      asynchronousOperationsWindow: {
        maxOperationsInvoked: options.window,
        maxOperationsPerformed: 1,
      },
    }),
    signal: interrupted,
  });
  let before = progress.bytes;
  // With a window above 1 several files are on the wire at once: the bar shows their sum.
  const inFlight = new Map<InstanceFile, number>();
  const update = (): void => {
    let sending = 0;
    for (const bytes of inFlight.values()) sending += bytes;
    progress.update(before + sending);
  };
  try {
    const sent = storeFiles(client, batch.files, {
      signal: interrupted,
      ...(options.transferSyntax !== undefined && { transferSyntaxUid: options.transferSyntax }),
      onProgress: (file, bytes) => {
        inFlight.set(file, bytes);
        update();
      },
    });
    for await (const outcome of sent) {
      const { file } = outcome;
      const status =
        outcome.error === undefined
          ? outcome.result.status
          : (outcome.error as { status?: number }).status;
      record({
        file: file.path,
        sopInstanceUid: file.sopInstanceUid,
        ...(status !== undefined && { status }),
        meaning: outcome.error === undefined ? outcome.result.meaning : outcome.error.message,
        ok: outcome.error === undefined,
      });
      inFlight.delete(file);
      before += file.size;
      progress.fileDone(before);
      update();
    }
  } finally {
    if (interrupted.aborted) await client.abort();
    else await client.release().catch(() => client.abort());
  }
}

function report(
  out: Output,
  outcomes: readonly FileOutcome[],
  skipped: readonly SkippedFile[],
  progress: StoreProgress,
): void {
  const byMeaning = new Map<string, number>();
  for (const outcome of outcomes) {
    const key =
      outcome.status === undefined
        ? 'error'
        : `${formatStatus(outcome.status)} ${outcome.ok ? outcome.meaning : 'failure'}`;
    byMeaning.set(key, (byMeaning.get(key) ?? 0) + 1);
  }
  const sent = outcomes.filter((outcome) => outcome.ok).length;
  out.line(`${sent} of ${outcomes.length} file(s) stored, ${progress.summary()}`);
  for (const [meaning, count] of byMeaning) out.line(`  ${String(count).padStart(6)}  ${meaning}`);
  for (const outcome of outcomes.filter((candidate) => !candidate.ok)) {
    out.warn(`failed: ${outcome.file}: ${outcome.meaning}`);
  }
  for (const { file, reason } of skipped) out.warn(`skipped: ${file}: ${reason}`);
  out.result({
    ok: outcomes.every((outcome) => outcome.ok),
    stored: sent,
    failed: outcomes.length - sent,
    bytes: progress.bytes,
    seconds: progress.seconds,
    files: outcomes,
    skipped,
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
