// `dicomnet inventory diff A B` and `dicomnet inventory diff A --storage DIR`: what a migration
// or a reconciliation needs to know. Records are matched by their UIDs (study; study and series;
// study, series and SOP Instance), merged in a temporary SQLite table (bounded memory whatever
// the order of the inputs), and printed in UID order: added (in B only), removed (in A only),
// changed (an attribute both sides record has another value; Item Inventory DateTime, the time
// a record was written, is not compared).
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
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { DiffTable, type DiffRow } from './inventory-diff-table.js';
import {
  changedTags,
  comparableAttributes,
  LineWriter,
  recordUids,
  type RecordKind,
} from './inventory-format.js';
import { inventoryTargets, peerTarget, type InventoryTarget } from './inventory-input.js';
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
  const out = new LineWriter(io.stdout);
  let table: DiffTable | undefined;
  try {
    table = await DiffTable.create();
    const a = await oneTarget(first as string, io.interrupted);
    const { header } = await addInventory(table, 'a', a, io.interrupted);
    const levelB =
      options.storage !== undefined
        ? await addRepository(table, options.storage, header, io.interrupted)
        : (
            await addInventory(
              table,
              'b',
              second !== undefined
                ? await oneTarget(second, io.interrupted)
                : peerTarget(peerOptions(options)),
              io.interrupted,
            )
          ).level;
    const level = lower(header.level, levelB);
    if (header.level !== levelB)
      io.stderr.write(
        `warning: A is at ${header.level} level, B at ${levelB}: compared down to ${level}\n`,
      );
    const summary = await report(table, level, out, options);
    if (options.json) await out.json(summary);
    else await printSummary(out, summary);
    io.setExitCode(summary.equal ? ExitCode.Ok : ExitCode.Failed);
  } catch (error) {
    io.stderr.write(
      `error: ${io.interrupted.aborted ? 'interrupted' : error instanceof Error ? error.message : String(error)}\n`,
    );
    io.setExitCode(exitCodeFor(error));
  } finally {
    await table?.close();
  }
}

async function oneTarget(operand: string, signal: AbortSignal): Promise<InventoryTarget> {
  const targets = await inventoryTargets(operand, signal);
  if (targets.length !== 1)
    throw new Error(`${operand} holds ${targets.length} inventories: name the root file of one`);
  return targets[0] as InventoryTarget;
}

/** Reads a whole inventory tree into one side of the table. */
async function addInventory(
  table: DiffTable,
  side: 'a' | 'b',
  target: InventoryTarget,
  signal: AbortSignal,
): Promise<{ header: InventoryHeader; level: InventoryLevel }> {
  let header: InventoryHeader | undefined;
  for await (const item of target.items(signal)) {
    if (item.kind === 'header' || item.kind === 'end') {
      if (item.path.length === 1) header = item.header;
      continue;
    }
    table.add(side, recordUids(item), JSON.stringify(comparableAttributes(item.attributes)));
  }
  const root = header as InventoryHeader; // the root's header always comes
  return { header: root, level: root.level };
}

/**
 * Walks a repository as an inventory of A's level and scope would (PS3.4 KK.2.2.1.1): the live
 * archive A is to be reconciled with.
 */
async function addRepository(
  table: DiffTable,
  root: string,
  a: InventoryHeader,
  signal: AbortSignal,
): Promise<InventoryLevel> {
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
      table.add('b', uids, JSON.stringify(comparableAttributes(entry.attributes as DataSet)));
    }
  } finally {
    await repository.close();
  }
  return a.level;
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
  table: DiffTable,
  level: InventoryLevel,
  out: LineWriter,
  options: InventoryDiffOptions,
): Promise<InventoryDiffSummary> {
  const zero = (): Counts => ({ study: 0, series: 0, instance: 0 });
  const added = zero();
  const removed = zero();
  const changed = zero();
  for (const row of table.differences()) {
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
      const before = JSON.parse(row.a) as Record<string, string>;
      const after = JSON.parse(row.b) as Record<string, string>;
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
                a: JSON.parse(before[tag] as string) as unknown,
                b: JSON.parse(after[tag] as string) as unknown,
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
function short(json: string | undefined): string {
  if (json === undefined) return '';
  const parsed = JSON.parse(json) as { Value?: unknown[] };
  const values = parsed.Value ?? [];
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
