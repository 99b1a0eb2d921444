// Imports an existing folder of DICOM files into a repository: each file is probed (layout,
// transfer syntax, SOP UIDs), skipped when the repository holds its SOP Instance UID already, and
// otherwise stored through Repository.store, which is atomic and durable. Files run a few at a
// time; the caller reads one event per file, with running totals.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { DicomnetError } from '@dicomnet/data';
import { InvalidInstanceError } from '../errors.js';
import { FileRepository } from '../file-repository.js';
import type { Repository } from '../repository.js';
import { probeFile, type ImportLayout, type ProbedInstance } from './probe-file.js';
import { walkFolder } from './walk-folder.js';

/**
 * Why a file was not imported:
 * - `not-dicom`: no `DICM` prefix (at byte 128, or at 0 without a preamble) and not clearly a
 *   bare data set;
 * - `malformed`: DICOM, but its File Meta Information or data set cannot be parsed;
 * - `invalid-instance`: parsed, but the repository refuses it (a SOP Class, SOP Instance, Study
 *   or Series Instance UID missing or not a UID, or the meta and the data set disagree);
 * - `unreadable`: the file cannot be opened or read (permissions, gone meanwhile);
 * - `not-a-file`: a symbolic link, socket, device… (links are not followed).
 */
export type ImportSkipReason =
  'not-dicom' | 'malformed' | 'invalid-instance' | 'unreadable' | 'not-a-file';

/** Running totals of an import. */
export interface ImportTotals {
  /** Entries met below the folder (files and `not-a-file` entries). */
  readonly filesSeen: number;
  /** Files stored into the repository by this run. */
  readonly imported: number;
  /** Files whose SOP Instance UID the repository held already (an earlier run, a duplicate). */
  readonly alreadyThere: number;
  readonly skipped: number;
  readonly skippedByReason: Readonly<Record<ImportSkipReason, number>>;
  /** Bytes of the files met. */
  readonly bytesSeen: number;
  /** Bytes of the files imported. */
  readonly bytesImported: number;
}

/** What happened to one file. */
export type ImportFileOutcome =
  | {
      readonly kind: 'imported' | 'already-there';
      readonly path: string;
      readonly sopInstanceUid: string;
      readonly layout: ImportLayout;
      /** Bytes of the file. */
      readonly bytes: number;
    }
  | {
      readonly kind: 'skipped';
      readonly path: string;
      readonly reason: ImportSkipReason;
      /** Why, for people. */
      readonly detail: string;
      readonly bytes: number;
    };

/** What happened to one file, with the run's totals after it. */
export type ImportEvent = ImportFileOutcome & { readonly totals: ImportTotals };

/** Options of {@link importFolder}. */
export interface ImportOptions {
  /** Files read and stored at once; default 4. */
  readonly concurrency?: number;
  /**
   * Aborting stops the run: no new file is started, the stores under way are abandoned (they
   * leave nothing), and iterating throws the signal's reason. What was imported stays; a later
   * run skips it.
   */
  readonly signal?: AbortSignal;
  /**
   * Folders not entered. The root of a {@link FileRepository} inside the folder is always left
   * out: its files are in the repository already.
   */
  readonly exclude?: readonly string[];
}

/** Default of {@link ImportOptions.concurrency}. */
export const DEFAULT_IMPORT_CONCURRENCY = 4;

/** One import run: iterate it for the events; {@link ImportRun.totals} at any time. */
export interface ImportRun extends AsyncIterable<ImportEvent> {
  /** The totals so far. */
  readonly totals: ImportTotals;
  /** Runs to the end without looking at the events; resolves with the totals. */
  done(): Promise<ImportTotals>;
}

/**
 * Imports every DICOM file below `dir` (recursively, folders in name order) into `repository`.
 * Part 10 files with or without the preamble and bare Little Endian data sets (see
 * {@link ImportLayout}) are stored from their data set bytes as they are (the repository writes
 * its own File Meta Information, keeping the Source AE Title); anything else is skipped with a
 * reason. Attributes are read with the streaming element reader, never by decoding a file whole.
 *
 * Resumable: a file whose SOP Instance UID the repository holds already is `already-there` and
 * not stored again, so a run stopped at any point (Ctrl-C, a crash) is finished by running it
 * again; each store is atomic, so no half-imported instance is ever left.
 *
 * Nothing runs until the run is iterated (or {@link ImportRun.done} called).
 * @throws While iterating: a missing or unreadable `dir`; errors of the repository that are not
 *   about the file (closed, disk full); the signal's reason.
 */
export function importFolder(
  repository: Repository,
  dir: string,
  options: ImportOptions = {},
): ImportRun {
  return new FolderImport(repository, path.resolve(dir), options);
}

/** Totals with every count zero. */
function zeroTotals(): Mutable<ImportTotals> & {
  skippedByReason: Record<ImportSkipReason, number>;
} {
  return {
    filesSeen: 0,
    imported: 0,
    alreadyThere: 0,
    skipped: 0,
    skippedByReason: {
      'not-dicom': 0,
      malformed: 0,
      'invalid-instance': 0,
      unreadable: 0,
      'not-a-file': 0,
    },
    bytesSeen: 0,
    bytesImported: 0,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class FolderImport implements ImportRun {
  readonly #totals = zeroTotals();
  readonly #repository: Repository;
  readonly #dir: string;
  readonly #options: ImportOptions;
  readonly #concurrency: number;

  constructor(repository: Repository, dir: string, options: ImportOptions) {
    this.#repository = repository;
    this.#dir = dir;
    this.#options = options;
    this.#concurrency = Math.max(1, Math.trunc(options.concurrency ?? DEFAULT_IMPORT_CONCURRENCY));
  }

  get totals(): ImportTotals {
    return snapshot(this.#totals);
  }

  async done(): Promise<ImportTotals> {
    for await (const event of this) void event;
    return this.totals;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ImportEvent> {
    const excluded = new Set((this.#options.exclude ?? []).map((folder) => path.resolve(folder)));
    if (this.#repository instanceof FileRepository) excluded.add(this.#repository.root);
    // Ours aborts the stores under way when the run ends early (an error, the caller's break).
    const own = new AbortController();
    const signal =
      this.#options.signal === undefined
        ? own.signal
        : AbortSignal.any([own.signal, this.#options.signal]);
    const running = new Map<number, Promise<{ id: number; outcome: ImportFileOutcome }>>();
    let nextId = 0;
    const settleOne = async (): Promise<ImportEvent> => {
      const { id, outcome } = await Promise.race(running.values());
      running.delete(id);
      return this.#count(outcome);
    };
    try {
      for await (const entry of walkFolder(this.#dir, excluded, signal)) {
        this.#totals.filesSeen++;
        if (!entry.regularFile) {
          yield this.#count({
            kind: 'skipped',
            path: entry.path,
            reason: 'not-a-file',
            detail: 'not a regular file (links are not followed)',
            bytes: 0,
          });
          continue;
        }
        const id = nextId++;
        const task = this.#importFile(entry.path, signal).then((outcome) => ({ id, outcome }));
        // Marked handled at once: a task may fail (the signal, a full disk) while the walk is
        // awaited; Promise.race in settleOne still sees the rejection and ends the run with it.
        task.catch(() => undefined);
        running.set(id, task);
        while (running.size >= this.#concurrency) yield await settleOne();
      }
      while (running.size > 0) yield await settleOne();
    } finally {
      own.abort(new Error('the import run ended'));
      await Promise.allSettled(running.values());
    }
  }

  #count(outcome: ImportFileOutcome): ImportEvent {
    const totals = this.#totals;
    totals.bytesSeen += outcome.bytes;
    if (outcome.kind === 'skipped') {
      totals.skipped++;
      totals.skippedByReason[outcome.reason]++;
    } else if (outcome.kind === 'imported') {
      totals.imported++;
      totals.bytesImported += outcome.bytes;
    } else totals.alreadyThere++;
    return { ...outcome, totals: snapshot(totals) };
  }

  /** Imports one file; rejects only for what ends the run (the signal, repository failures). */
  async #importFile(file: string, signal: AbortSignal): Promise<ImportFileOutcome> {
    const skip = (reason: ImportSkipReason, detail: string, bytes = 0): ImportFileOutcome => ({
      kind: 'skipped',
      path: file,
      reason,
      detail,
      bytes,
    });
    let bytes = 0;
    let instance: ProbedInstance;
    try {
      const probed = await probeFile(file, signal);
      bytes = probed.sizeBytes;
      if (probed.kind === 'not-dicom') return skip('not-dicom', probed.detail, bytes);
      instance = probed.instance;
    } catch (error) {
      signal.throwIfAborted();
      return isFileSystemError(error)
        ? skip('unreadable', error.message, bytes)
        : skip('malformed', messageOf(error), bytes);
    }
    const { sopClassUid, sopInstanceUid, meta } = instance;
    if (sopClassUid === undefined || sopInstanceUid === undefined)
      return skip('invalid-instance', 'the data set has no SOP Class or SOP Instance UID', bytes);
    // PS3.10 7.1: the meta's Media Storage UIDs are the data set's; a file where they differ is
    // not stored under either.
    if (
      meta !== undefined &&
      (meta.mediaStorageSopInstanceUid !== sopInstanceUid ||
        meta.mediaStorageSopClassUid !== sopClassUid)
    )
      return skip(
        'invalid-instance',
        'the File Meta Information names another SOP Class or Instance than the data set',
        bytes,
      );

    const done = (kind: 'imported' | 'already-there'): ImportFileOutcome => ({
      kind,
      path: file,
      sopInstanceUid,
      layout: instance.layout,
      bytes,
    });
    if ((await this.#repository.get(sopInstanceUid)) !== undefined) return done('already-there');
    // A small file came whole with the probe; a larger one is read again, as a stream.
    const source =
      instance.dataSet === undefined ? new TaggedSource(file, instance.dataSetOffset) : undefined;
    const dataSet = source ?? instance.dataSet ?? new Uint8Array(0);
    try {
      const result = await this.#repository.store(
        {
          dataSet,
          sopClassUid,
          sopInstanceUid,
          transferSyntaxUid: instance.transferSyntaxUid,
          ...(meta?.sourceApplicationEntityTitle === undefined
            ? {}
            : { sourceAeTitle: meta.sourceApplicationEntityTitle }),
        },
        // `keep`: two files of one SOP Instance UID in a run store the first one met.
        { duplicate: 'keep', signal },
      );
      return done(result.outcome === 'kept' ? 'already-there' : 'imported');
    } catch (error) {
      signal.throwIfAborted();
      if (source?.error !== undefined) return skip('unreadable', messageOf(source.error), bytes);
      if (error instanceof InvalidInstanceError)
        return skip(
          error.reason === 'unreadable' ? 'malformed' : 'invalid-instance',
          error.detail,
          bytes,
        );
      throw error;
    }
  }
}

/** A file's bytes from an offset, remembering whether reading it failed (vs. the repository). */
class TaggedSource implements AsyncIterable<Uint8Array> {
  error: unknown;

  constructor(
    readonly file: string,
    readonly start: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    const stream = createReadStream(this.file, { start: this.start, highWaterMark: 64 * 1024 });
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (error) {
      this.error = error;
      throw error;
    } finally {
      stream.destroy();
    }
  }
}

function snapshot(totals: ImportTotals): ImportTotals {
  return { ...totals, skippedByReason: { ...totals.skippedByReason } };
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    !(error instanceof DicomnetError) &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
