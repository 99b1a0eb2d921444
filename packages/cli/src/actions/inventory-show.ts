// `dicomnet inventory show FILE|DIR`: the records of an inventory as they are read (a table, or
// JSON lines), then what it is: level, completion, content date/time, transaction, totals and
// its tree of instances (PS3.3 C.38.1, C.38.1.1.5). One pass, one study record in memory.
import type { InventoryHeader } from '@dicomnet/storage-management';
import type { CommandIo } from '../command-io.js';
import type { InventoryShowOptions } from '../commands/inventory.js';
import { exitCodeFor } from '../exit-code-for.js';
import { ExitCode } from '../exit-codes.js';
import { LineWriter, recordJson, recordLine } from './inventory-format.js';
import { inventoryTargets, peerTarget } from './inventory-input.js';
import { peerOptions } from './inventory-peer.js';

/** One instance of the tree, as the summary lists it. */
interface TreeNode {
  readonly sopInstanceUid: string;
  readonly depth: number;
  readonly studyRecords: number;
  readonly completion: string | undefined;
}

/** What `show` says of one inventory after its records. */
export interface InventorySummary {
  readonly kind: 'summary';
  readonly root: string;
  readonly level: string;
  readonly completion: string | undefined;
  readonly contentDate: string;
  readonly contentTime: string;
  readonly transactionUid: string | undefined;
  readonly purpose: string | undefined;
  /** Total Number of Study Records (0008,0428) as the root states it. */
  readonly totalStudyRecords: number | undefined;
  /** Records read in the whole tree. */
  readonly records: { study: number; series: number; instance: number };
  readonly tree: readonly TreeNode[];
}

/** Runs `dicomnet inventory show`. */
export async function runInventoryShow(
  io: CommandIo,
  target: string | undefined,
  options: InventoryShowOptions,
): Promise<void> {
  const out = new LineWriter(io.stdout);
  try {
    const targets =
      target === undefined
        ? [peerTarget(peerOptions(options))]
        : await inventoryTargets(target, io.interrupted);
    if (targets.length === 0) {
      io.stderr.write(`error: no Inventory instance in ${target}\n`);
      io.setExitCode(ExitCode.Failed);
      return;
    }
    for (const { root, items } of targets) {
      const records = { study: 0, series: 0, instance: 0 };
      const tree: TreeNode[] = [];
      let rootHeader: InventoryHeader | undefined;
      for await (const item of items(io.interrupted)) {
        if (item.kind === 'header') continue;
        if (item.kind === 'end') {
          if (item.path.length === 1) rootHeader = item.header;
          tree.push({
            sopInstanceUid: item.header.sopInstanceUid,
            depth: item.path.length - 1,
            studyRecords: item.studyRecords,
            completion: item.header.completion,
          });
          continue;
        }
        records[item.kind] += 1;
        if (options.summary) continue;
        if (options.json) await out.json(recordJson(item));
        else await out.line(recordLine(item));
      }
      const header = rootHeader as InventoryHeader; // the root's end always comes
      const summary: InventorySummary = {
        kind: 'summary',
        root,
        level: header.level,
        completion: header.completion,
        contentDate: header.contentDate,
        contentTime: header.contentTime,
        transactionUid: header.transactionUid,
        purpose: header.purpose,
        totalStudyRecords: header.totalStudyRecords,
        records,
        tree,
      };
      if (options.json) await out.json(summary);
      else await printSummary(out, summary, !options.summary);
      // PS3.3 C.38.1: Total Number of Study Records counts the study records of the whole tree.
      if (summary.totalStudyRecords !== undefined && summary.totalStudyRecords !== records.study)
        io.stderr.write(
          `warning: ${root} states ${summary.totalStudyRecords} study records in all, its tree holds ${records.study}\n`,
        );
    }
  } catch (error) {
    io.stderr.write(
      `error: ${io.interrupted.aborted ? 'interrupted' : error instanceof Error ? error.message : String(error)}\n`,
    );
    io.setExitCode(exitCodeFor(error));
  }
}

async function printSummary(
  out: LineWriter,
  summary: InventorySummary,
  afterRecords: boolean,
): Promise<void> {
  if (afterRecords) await out.line('');
  await out.line(`inventory ${summary.root}`);
  await out.line(`  level          ${summary.level}`);
  await out.line(`  completion     ${summary.completion ?? '(none)'}`);
  await out.line(`  content        ${summary.contentDate} ${summary.contentTime}`);
  await out.line(`  transaction    ${summary.transactionUid ?? '(none)'}`);
  if (summary.purpose !== undefined) await out.line(`  purpose        ${summary.purpose}`);
  const { study, series, instance } = summary.records;
  await out.line(
    `  records        ${study} studies, ${series} series, ${instance} instances (stated total: ${summary.totalStudyRecords ?? 'none'} studies)`,
  );
  await out.line(`  tree           ${summary.tree.length} instance(s)`);
  for (const node of summary.tree)
    await out.line(
      `    ${'  '.repeat(node.depth)}${node.sopInstanceUid} (${node.studyRecords} studies${node.completion === undefined ? '' : `, ${node.completion}`})`,
    );
}
