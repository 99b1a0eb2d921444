// `dicomnet inventory diff A B` and `dicomnet inventory diff A --storage DIR`: what a migration
// or a reconciliation needs to know. Records are matched by their UIDs (study; study and series;
// study, series and SOP Instance) and printed in UID order. Both sides in UID order (dicomnet's
// inventories, a repository walk) are merged as they are read; otherwise they are merged in a
// temporary SQLite table (bounded memory either way): added (in B only), removed (in A only),
// changed (an attribute both sides record has another value; Item Inventory DateTime, the time
// a record was written, is not compared).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSet } from '@dicomnet/data';
import { FileRepository, parseInventoryScope } from '@dicomnet/repository';
import {
  INVENTORY_LEVELS,
  repositorySource,
  type InventoryHeader,
  type InventoryLevel,
} from '@dicomnet/storage-management';
import type { CommandIo } from '../command-io.js';
import type { InventoryDiffOptions } from '../commands/inventory.js';
import { keyName } from '../commands/query-keys.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { DiffTable, type DiffRow } from './inventory-diff-table.js';
import { mergeSides, NotInOrderError, spooled, type DiffRecord } from './inventory-diff-merge.js';
import {
  changedTags,
  comparableAttributes,
  LineWriter,
  recordUids,
  type RecordKind,
} from './inventory-format.js';
import { inventoryTargets, peerTarget, type InventoryTarget } from './inventory-input.js';
import { findRecords } from './inventory-find-side.js';
import { peerOptions } from './inventory-peer.js';

type Counts = Record<RecordKind, number>;

/** What `diff` found. */
export interface InventoryDiffSummary {
  readonly kind: 'summary';
  readonly equal: boolean;
  /** The level compared: the lower of the two inventories' levels. */
  readonly level: InventoryLevel;
  readonly added: Counts;
  readonly removed: Counts;
  readonly changed: Counts;
}

/** Runs `dicomnet inventory diff`. Exit 0 when equal, 1 when they differ or a side fails. */
export async function runInventoryDiff(
  io: CommandIo,
  operands: readonly string[],
  options: InventoryDiffOptions,
): Promise<void> {
  const [first, second] = operands;
  const signal = io.interrupted;
  const out = new LineWriter(io.stdout);
  let work: string | undefined;
  let table: DiffTable | undefined;
  const findWarnings = new Map<string, number>();
  try {
    const a = await oneTarget(first as string, signal);
    const b =
      options.storage !== undefined || options.find !== undefined
        ? undefined
        : second !== undefined
          ? await oneTarget(second, signal)
          : peerTarget(peerOptions(options));
    // Each call reads both sides again from the start.
    const sides = (): {
      a: AsyncIterable<DiffRecord>;
      b: AsyncIterable<DiffRecord>;
      headers: { a?: InventoryHeader; b?: InventoryHeader };
    } => {
      const headers: { a?: InventoryHeader; b?: InventoryHeader } = {};
      return {
        headers,
        a: inventoryRecords(a, signal, (header) => (headers.a = header)),
        // B is read only after A's first record or end: A's header is known by then.
        b:
          options.find !== undefined
            ? findRecords(
                {
                  ...options.find,
                  callingAeTitle: options.aet ?? 'DICOMNET',
                  calledAeTitle: options.called as string,
                  timeout: options.timeout ?? 30,
                },
                () => headers.a as InventoryHeader,
                signal,
                (warning) => findWarnings.set(warning.tag, warning.studies),
              )
            : b === undefined
              ? repositoryRecords(
                  options.storage as string,
                  () => headers.a as InventoryHeader,
                  signal,
                )
              : inventoryRecords(b, signal, (header) => (headers.b = header)),
      };
    };
    work = await mkdtemp(path.join(tmpdir(), 'dicomnet-inventory-diff-'));
    const spool = path.join(work, 'differences.jsonl');
    let rows: AsyncIterable<DiffRow>;
    let headers = sides();
    try {
      await mergeSides(headers.a, headers.b, spool);
      rows = spooled(spool);
    } catch (error) {
      if (!(error instanceof NotInOrderError)) throw error;
      io.stderr.write(`note: not in UID order (${error.message}): merging through a table\n`);
      table = await DiffTable.create();
      headers = sides();
      for await (const record of headers.a) table.add('a', record.uids, record.attributes);
      for await (const record of headers.b) table.add('b', record.uids, record.attributes);
      rows = toAsync(table.differences());
    }
    const levelA = (headers.headers.a as InventoryHeader).level; // the root's header always comes
    const levelB = headers.headers.b?.level ?? levelA; // a repository is walked at A's level
    const level = lower(levelA, levelB);
    if (levelA !== levelB)
      io.stderr.write(
        `warning: A is at ${levelA} level, B at ${levelB}: compared down to ${level}\n`,
      );
    for (const [tag, studies] of findWarnings)
      io.stderr.write(
        `warning: the archive returned no value of ${keyName(Number.parseInt(tag, 16))} for ${studies} studies: out of A's scope here\n`,
      );
    const summary = await report(rows, level, out, options);
    if (options.json) await out.json(summary);
    else await printSummary(out, summary);
    io.setExitCode(summary.equal ? ExitCode.Ok : ExitCode.Failed);
  } catch (error) {
    io.stderr.write(
      `error: ${signal.aborted ? 'interrupted' : error instanceof Error ? error.message : String(error)}\n`,
    );
    io.setExitCode(exitCodeFor(error));
  } finally {
    await table?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

async function oneTarget(operand: string, signal: AbortSignal): Promise<InventoryTarget> {
  const targets = await inventoryTargets(operand, signal);
  if (targets.length !== 1)
    throw new Error(`${operand} holds ${targets.length} inventories: name the root file of one`);
  return targets[0] as InventoryTarget;
}

/** The records of an inventory tree; `onHeader` gets the root's header before any record. */
async function* inventoryRecords(
  target: InventoryTarget,
  signal: AbortSignal,
  onHeader: (header: InventoryHeader) => void,
): AsyncGenerator<DiffRecord> {
  for await (const item of target.items(signal)) {
    if (item.kind === 'header' || item.kind === 'end') {
      if (item.path.length === 1) onHeader(item.header);
      continue;
    }
    yield {
      uids: recordUids(item),
      attributes: comparableAttributes(item.attributes),
    };
  }
}

/**
 * Walks a repository as an inventory of A's level and scope would (PS3.4 KK.2.2.1.1): the live
 * archive A is to be reconciled with. The repository walk is in UID order.
 */
async function* repositoryRecords(
  root: string,
  headerOfA: () => InventoryHeader,
  signal: AbortSignal,
): AsyncGenerator<DiffRecord> {
  const a = headerOfA();
  const repository = await FileRepository.open({ root, fsync: false });
  try {
    const source = repositorySource(repository);
    const query = parseInventoryScope(a.scope);
    let study = '';
    let series = '';
    for await (const entry of source.entries(query, { level: a.level, signal })) {
      const uid = (tag: string): string => String(entry.attributes[tag]?.Value?.[0] ?? '');
      let uids: [string, string, string];
      if (entry.kind === 'study') {
        study = uid('0020000D');
        uids = [study, '', ''];
      } else if (entry.kind === 'series') {
        series = uid('0020000E');
        uids = [study, series, ''];
      } else uids = [study, series, uid('00080018')];
      yield { uids, attributes: comparableAttributes(entry.attributes as DataSet) };
    }
  } finally {
    await repository.close();
  }
}

function lower(a: InventoryLevel, b: InventoryLevel): InventoryLevel {
  return INVENTORY_LEVELS.indexOf(a) < INVENTORY_LEVELS.indexOf(b) ? a : b;
}

function kindOf(row: DiffRow): RecordKind {
  if (row.instance !== '') return 'instance';
  return row.series !== '' ? 'series' : 'study';
}

const DEPTH: Readonly<Record<InventoryLevel, number>> = { STUDY: 0, SERIES: 1, INSTANCE: 2 };
const KIND_DEPTH: Readonly<Record<RecordKind, number>> = { study: 0, series: 1, instance: 2 };

/** Prints every difference (unless `--summary`) and counts them. */
async function report(
  rows: AsyncIterable<DiffRow>,
  level: InventoryLevel,
  out: LineWriter,
  options: InventoryDiffOptions,
): Promise<InventoryDiffSummary> {
  const zero = (): Counts => ({ study: 0, series: 0, instance: 0 });
  const added = zero();
  const removed = zero();
  const changed = zero();
  for await (const row of rows) {
    const kind = kindOf(row);
    if (KIND_DEPTH[kind] > DEPTH[level]) continue;
    const uid = row.instance || row.series || row.study;
    const where = kind === 'study' ? '' : ` (study ${row.study})`;
    const keys = {
      kind,
      studyInstanceUid: row.study,
      ...(row.series !== '' && { seriesInstanceUid: row.series }),
      ...(row.instance !== '' && { sopInstanceUid: row.instance }),
    };
    if (row.a === undefined) {
      added[kind] += 1;
      if (options.summary) continue;
      if (options.json) await out.json({ change: 'added', ...keys });
      else await out.line(`+ ${kind} ${uid}${where}`);
    } else if (row.b === undefined) {
      removed[kind] += 1;
      if (options.summary) continue;
      if (options.json) await out.json({ change: 'removed', ...keys });
      else await out.line(`- ${kind} ${uid}${where}`);
    } else {
      const before = JSON.parse(row.a) as Record<string, unknown>;
      const after = JSON.parse(row.b) as Record<string, unknown>;
      const tags = changedTags(before, after);
      if (tags.length === 0) continue;
      changed[kind] += 1;
      if (options.summary) continue;
      if (options.json)
        await out.json({
          change: 'changed',
          ...keys,
          attributes: Object.fromEntries(
            tags.map((tag) => [
              tag,
              {
                a: before[tag],
                b: after[tag],
              },
            ]),
          ),
        });
      else
        await out.line(
          `~ ${kind} ${uid}${where}: ${tags
            .map(
              (tag) =>
                `(${tag.slice(0, 4)},${tag.slice(4)}) ${short(before[tag])} -> ${short(after[tag])}`,
            )
            .join('; ')}`,
        );
    }
  }
  const total = (counts: Counts): number => counts.study + counts.series + counts.instance;
  return {
    kind: 'summary',
    equal: total(added) + total(removed) + total(changed) === 0,
    level,
    added,
    removed,
    changed,
  };
}

/** A compared value for people: the Value of its DICOM JSON, or the JSON itself. */
function short(attribute: unknown): string {
  const values = (attribute as { Value?: unknown[] } | undefined)?.Value ?? [];
  return values
    .map((value) =>
      typeof value === 'object' && value !== null && 'Alphabetic' in value
        ? String((value as { Alphabetic: unknown }).Alphabetic)
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
    )
    .join('\\');
}

async function printSummary(out: LineWriter, summary: InventoryDiffSummary): Promise<void> {
  const line = (counts: Counts): string =>
    `${counts.study} studies, ${counts.series} series, ${counts.instance} instances`;
  await out.line(
    summary.equal
      ? `equal (compared at ${summary.level} level)`
      : `differ (compared at ${summary.level} level)`,
  );
  await out.line(`  added    ${line(summary.added)}`);
  await out.line(`  removed  ${line(summary.removed)}`);
  await out.line(`  changed  ${line(summary.changed)}`);
}
