/**
 * A check of the extracted records against the generator's own data sets: the sides of the
 * `data` benchmarks are compared with each other, and this makes sure that what they agree on
 * is what was written (not a mistake all three would make alike). The expected record of a file
 * is read from the dump tree its instance was encoded from.
 */
import type { CorpusFile } from './corpus.js';
import { corpusSeries, SERIES_SIZE, SYNTAX_UIDS } from './corpus-plan.js';
import type { DumpNode } from './dump-text.js';
import type { IndexAttribute } from './index-attributes.js';
import { INDEX_ATTRIBUTES, TRANSFER_SYNTAX_UID } from './index-attributes.js';
import type { IndexRecord, IndexValue } from './index-record.js';
import { canonicalValue, compareRecords } from './index-record.js';
import { instanceDump } from './instance-dump.js';

/** The values of a dump node: `[a\b]` → a, b; `512` → 512 (as text); `[]` → none. */
function dumpValues(node: DumpNode | undefined): string[] {
  if (node === undefined || 'items' in node) return [];
  const text = node.value.startsWith('[') ? node.value.slice(1, -1) : node.value;
  return text === '' ? [] : text.split('\\');
}

function expectedValue(nodes: readonly DumpNode[], attribute: IndexAttribute): IndexValue {
  let scope: readonly DumpNode[] | undefined = nodes;
  if (attribute.inSequence !== undefined) {
    const holder = nodes.find((node) => node.tag === attribute.inSequence);
    scope = holder !== undefined && 'items' in holder ? holder.items[0] : undefined;
  }
  return canonicalValue(attribute, dumpValues(scope?.find((node) => node.tag === attribute.tag)));
}

/** The record a file should give: from its dump tree, its transfer syntax and its size. */
function expectedRecord(file: CorpusFile, corpusIndex: number): IndexRecord {
  const plan = corpusSeries()[Math.floor(corpusIndex / SERIES_SIZE)];
  if (plan === undefined) throw new Error(`no series for file ${corpusIndex}`);
  const { nodes } = instanceDump(plan, (corpusIndex % SERIES_SIZE) + 1);
  const values: Record<string, IndexValue> = {
    [TRANSFER_SYNTAX_UID.keyword]: SYNTAX_UIDS[file.syntax],
  };
  for (const attribute of INDEX_ATTRIBUTES)
    values[attribute.keyword] = expectedValue(nodes, attribute);
  return { fileSize: file.bytes, values };
}

/**
 * Throws unless every record equals the one its file was generated with.
 * @param files - The files read, with their index in the whole corpus (series, then instance).
 */
export function checkGenerated(
  files: readonly { readonly file: CorpusFile; readonly corpusIndex: number }[],
  records: readonly IndexRecord[],
): void {
  const problems: string[] = [];
  for (const [index, { file, corpusIndex }] of files.entries()) {
    const record = records[index];
    if (record === undefined) {
      problems.push(`${file.path}: no record`);
      continue;
    }
    for (const difference of compareRecords(expectedRecord(file, corpusIndex), record)) {
      problems.push(`${file.path}: ${difference} (generated ≠ extracted)`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `the extracted values are not the generated ones (${problems.length}):\n${problems.slice(0, 20).join('\n')}`,
    );
  }
}
