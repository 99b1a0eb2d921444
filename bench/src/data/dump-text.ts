/**
 * DCMTK's dump format (what `dcmdump` prints and `dump2dcm` reads back), built from a small tree
 * of elements: the corpus generator writes one per instance and lets dump2dcm encode it.
 */

/** An element with a value: text in brackets, numbers bare, `=file` for OB/OW from a file. */
export interface DumpValue {
  readonly tag: number;
  readonly vr: string;
  /** Already in dump syntax: `[text]`, `512`, `1\2`, `=pixels.raw`; `[]` for an empty value. */
  readonly value: string;
}

/** A sequence (PS3.5 7.5); each item a list of elements. */
export interface DumpSequence {
  readonly tag: number;
  readonly items: readonly (readonly DumpNode[])[];
}

/** One node of the tree. */
export type DumpNode = DumpValue | DumpSequence;

/** Binary VRs written bare (numbers) rather than bracketed. */
const BARE_VRS = new Set(['US', 'UL', 'SS', 'SL', 'FL', 'FD', 'AT']);

/** A string or number element; a number is written as its decimal text. */
export function element(tag: number, vr: string, value: string | number): DumpValue {
  if (BARE_VRS.has(vr)) return { tag, vr, value: String(value) };
  return { tag, vr, value: `[${value}]` };
}

/** Several values of one element, separated by backslashes (PS3.5 6.4). */
export function elements(tag: number, vr: string, values: readonly (string | number)[]): DumpValue {
  return element(tag, vr, values.join('\\'));
}

/** OB or OW bytes read by dump2dcm from `file` (relative to its working folder). */
export function fromFile(tag: number, vr: 'OB' | 'OW', file: string): DumpValue {
  return { tag, vr, value: `=${file}` };
}

/** A sequence of the given items. */
export function sequence(tag: number, ...items: (readonly DumpNode[])[]): DumpSequence {
  return { tag, items };
}

function tagText(tag: number): string {
  const hex = tag.toString(16).padStart(8, '0');
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

function render(nodes: readonly DumpNode[], lines: string[]): void {
  // dump2dcm sorts elements itself; writing them in tag order keeps the dump readable.
  const sorted = [...nodes].sort((a, b) => a.tag - b.tag);
  for (const node of sorted) {
    if ('items' in node) {
      lines.push(`${tagText(node.tag)} SQ (Sequence with undefined length #=${node.items.length})`);
      for (const item of node.items) {
        lines.push(`(fffe,e000) na (Item with undefined length #=${item.length})`);
        render(item, lines);
        lines.push('(fffe,e00d) na (ItemDelimitationItem)');
      }
      lines.push('(fffe,e0dd) na (SequenceDelimitationItem)');
    } else {
      lines.push(`${tagText(node.tag)} ${node.vr} ${node.value}`);
    }
  }
}

/** The dump text of a data set; dump2dcm's `+e`/`-e` decides the lengths it writes. */
export function dumpText(nodes: readonly DumpNode[]): string {
  const lines: string[] = [];
  render(nodes, lines);
  lines.push('');
  return lines.join('\n');
}

/** Elements in a data set, sequences' items and nested elements included (items not counted). */
export function countElements(nodes: readonly DumpNode[]): number {
  let count = 0;
  for (const node of nodes) {
    count++;
    if ('items' in node) for (const item of node.items) count += countElements(item);
  }
  return count;
}
